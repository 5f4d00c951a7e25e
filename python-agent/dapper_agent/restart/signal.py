"""The exception that drops frames, and what the restart point does when it catches it.

restartFrame raises a `RestartSignal` into the stopped thread's top frame. It unwinds like any
exception (`finally` blocks and `__exit__` run); every restart point it passes calls
`resume()`, which re-raises it unless that frame is the one to restart. There it calls the
function again with the parameter values captured when the user asked, and the call's result
is what the frame returns to its caller.
"""

import builtins
import sys

from .points import HANDLER_NAME

_restarting = {}  # id(frame) -> frame sitting in its restart point while its new call runs: hidden


class RestartSignal(BaseException):
    """Never seen by the program unless something swallows it (then its text says why)."""

    def __init__(self, target, restart):
        super().__init__("Dapper's Restart Frame could not re-enter %s(): the exception that unwinds the "
                         "frames above it was caught or stopped on the way" % target.f_code.co_name)
        self.target = target  # the frame to restart; None once restarted or reported swallowed
        self.target_name = target.f_code.co_name
        self.on_pass = None  # called by each restart point that hands it on (request.py: re-arms the tracer)
        self.restart = restart  # restart(frame) -> the new call's result, on the program's thread

    @staticmethod
    def resume():
        """Called by a restart point's handler (its frame is our caller) with the signal active."""
        frame = sys._getframe(1)
        signal = sys.exc_info()[1]
        if not isinstance(signal, RestartSignal) or signal.target is not frame:
            if isinstance(signal, RestartSignal) and signal.on_pass is not None:
                try:
                    signal.on_pass()
                except Exception:  # never replace the signal with an error of ours
                    pass
            raise signal
        signal.target = None  # no reference cycle through the frame
        _restarting[id(frame)] = frame
        try:
            return signal.restart(frame)
        except BaseException as error:
            _unchain(error, signal)
            raise
        finally:
            del _restarting[id(frame)]


def _unchain(error, signal):
    """The new call runs inside the restart point's handler, so an exception it raises is
    chained to the signal ("During handling of the above exception…"): cut that link, so the
    traceback the user sees is the one the call would have had."""
    seen = set()
    link = error
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        if link.__context__ is signal:
            link.__context__ = None
            return
        link = link.__context__


def is_restarting(frame):
    """A frame that was restarted: it only waits for its new call to return (hidden in the stack)."""
    return _restarting.get(id(frame)) is frame


def install():
    """The name restart points look up when an exception reaches them: it must stay defined for
    as long as instrumented code can run (never removed, even after a disconnect)."""
    setattr(builtins, HANDLER_NAME, RestartSignal)

