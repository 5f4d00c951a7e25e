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
            _forget_handled_exception()
            return signal.restart(frame)
        except BaseException as error:
            _unchain(error, signal)
            raise
        finally:
            del _restarting[id(frame)]


def _forget_handled_exception():
    """The new call runs inside the restart point's `except` clause: without this, the signal
    would be the exception being handled there (`sys.exc_info()`, `sys.exception()`, a bare
    `raise`). Clear it for the call, as a plain call would find it. Safe on every version: the
    clause's exit restores the exception handled before it from the value stack, not from the
    thread's current one (POP_EXCEPT, or the unwinding of its handler block before 3.11).
    Needs CPython's C API; elsewhere the signal stays visible, as documented."""
    try:
        import ctypes  # here: only a restart pays for it

        set_exc_info = ctypes.pythonapi.PyErr_SetExcInfo
    except (ImportError, AttributeError):
        return
    set_exc_info.restype = None
    set_exc_info.argtypes = (ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
    set_exc_info(None, None, None)


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

