"""The exception that drops frames, and what the restart point does when it catches it.

restartFrame raises a `RestartSignal` into the stopped thread's top frame. It unwinds like any
exception (`finally` blocks and `__exit__` run); every restart point it passes catches it,
leaves its `except` clause and calls `resume()`, which raises it again unless that frame is
the one to restart. There it calls the function again with the parameter values captured when
the user asked, and the call's result is what the frame returns to its caller.
"""

import builtins
import sys
from _thread import get_ident

from ..paths import is_agent_file
from .points import HANDLER_NAME

_restarting = {}  # id(frame) -> frame sitting in its restart point while its new call runs: hidden
_unwinding = {}  # thread ident -> the RestartSignal on its way down that thread's frames


class RestartSignal(BaseException):
    """Never seen by the program unless something swallows it (then its text says why)."""

    def __init__(self, target, restart):
        super().__init__("Dapper's Restart Frame could not re-enter %s(): the exception that unwinds the "
                         "frames above it was caught or stopped on the way" % target.f_code.co_name)
        self.target = target  # the frame to restart; None once restarted or reported swallowed
        self.target_name = target.f_code.co_name
        self.on_pass = None  # called by each restart point that hands it on (request.py: re-arms the tracer)
        self.restart = restart  # restart(frame) -> the new call's result, on the program's thread

    def set_off(self):
        """The signal, about to be raised on this thread (the restart points it reaches find it
        here: by the time they call resume() their `except` clause has let go of it)."""
        _unwinding[get_ident()] = self
        return self

    def done(self):
        """Restarted or reported swallowed: no reference to the frame, nothing left to find."""
        self.target = None
        if _unwinding.get(get_ident()) is self:
            del _unwinding[get_ident()]

    @staticmethod
    def resume():
        """Called by a restart point (its frame is our caller) after its `except` clause caught
        the signal and ended: the exception the frame was handling before, if any, is the
        current one again, so the new call sees what a plain call from there would."""
        frame = sys._getframe(1)
        signal = _unwinding.get(get_ident())
        if signal is None:
            # Only a signal kept by the program and raised again after its restart ended gets here.
            raise RuntimeError("Dapper's Restart Frame: a restart signal reached %s() after its restart had ended"
                               % frame.f_code.co_name)
        if signal.target is not frame:
            if signal.on_pass is not None:
                try:
                    signal.on_pass()
                except Exception:  # never replace the signal with an error of ours
                    pass
            raise signal
        signal.done()
        _restarting[id(frame)] = frame
        try:
            return signal.restart(frame)
        except BaseException as error:
            if _RERAISE_KEEPS_TRACEBACK:
                error.__traceback__ = _without_agent_entries(error.__traceback__)
            raise
        finally:
            del _restarting[id(frame)]


# 3.11+: a bare `raise` re-raises the exception with its __traceback__ as it is now (before,
# with the traceback it was caught with), so an exception the new call lets out can leave
# without the agent's frames (this one and request.py's call_again) for the program to see.
_RERAISE_KEEPS_TRACEBACK = sys.version_info >= (3, 11)


def _without_agent_entries(tb):
    while tb is not None and is_agent_file(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    return tb


def is_restarting(frame):
    """A frame that was restarted: it only waits for its new call to return (hidden in the stack)."""
    return _restarting.get(id(frame)) is frame


def install():
    """The name restart points look up when an exception reaches them: it must stay defined for
    as long as instrumented code can run (never removed, even after a disconnect)."""
    setattr(builtins, HANDLER_NAME, RestartSignal)

