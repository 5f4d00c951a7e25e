"""Turning tracing on in another thread, for Python 3.9–3.11.

Before 3.12 `sys.settrace` only affects the calling thread, so a thread that runs without a
trace function (the cheap state: no per-call cost at all) cannot be made to report lines by
another thread. CPython's `_PyEval_SetTrace(tstate, func, arg)` can: it is exported, takes
the target's thread state, and is what 3.12's `threading.settrace_all_threads` is built on.

We give it a one-shot C trace function (a ctypes callback). The target thread calls it on its
very next trace event — a tight loop with no calls included — and the callback, now running
on that thread, installs the real trace function with `sys.settrace` and returns. Everything
here needs ctypes; where it is missing `ThreadWaker.create()` returns None and the tracer keeps
every thread traced instead.
"""

import sys
import threading

_real_settrace = sys.settrace  # before the tracer wraps sys.settrace

try:
    import ctypes
except ImportError:  # some embedded or minimal builds have no _ctypes
    ctypes = None


class ThreadWaker:
    """wake(ident) makes thread `ident` run `on_wake(frame, event)` on its next trace event."""

    def __init__(self, api, tracefunc_type, on_wake):
        self._api = api
        self._on_wake = on_wake
        self._callback = tracefunc_type(self._trampoline)  # kept alive for the process's life
        self._lock = threading.Lock()

    @classmethod
    def create(cls, on_wake):
        if ctypes is None or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
            return None
        try:
            api = ctypes.pythonapi
            tracefunc_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.py_object, ctypes.c_int,
                                              ctypes.c_void_p)
            api._PyEval_SetTrace.argtypes = [ctypes.c_void_p, tracefunc_type, ctypes.c_void_p]
            api._PyEval_SetTrace.restype = ctypes.c_int
            api.PyInterpreterState_Get.restype = ctypes.c_void_p
            api.PyInterpreterState_ThreadHead.argtypes = [ctypes.c_void_p]
            api.PyInterpreterState_ThreadHead.restype = ctypes.c_void_p
            api.PyThreadState_Next.argtypes = [ctypes.c_void_p]
            api.PyThreadState_Next.restype = ctypes.c_void_p
            api.PyThreadState_GetFrame.argtypes = [ctypes.c_void_p]
            api.PyThreadState_GetFrame.restype = ctypes.c_void_p
            api.Py_DecRef.argtypes = [ctypes.c_void_p]
            api.PyThreadState_Get.restype = ctypes.c_void_p
        except (AttributeError, OSError):
            return None
        return cls(api, tracefunc_type, on_wake)

    def current_state(self):
        """This thread's thread-state address: with the ident, it tells threads apart even
        when a new thread reuses a finished one's ident."""
        return self._api.PyThreadState_Get()

    def wake(self, idents, leave=None):
        """Arm the one-shot callback on each of these threads, except those whose (ident,
        state) is in `leave` (already traced: waking them would swallow an event). The caller
        holds the GIL, as every Python thread does: the targets are not running meanwhile."""
        wanted = set(idents)
        wanted.discard(threading.get_ident())
        if not wanted:
            return
        frames = sys._current_frames()
        by_frame = {id(frames[ident]): ident for ident in wanted if ident in frames}
        if not by_frame:
            return
        leave = leave or {}
        api = self._api
        with self._lock:
            state = api.PyInterpreterState_ThreadHead(api.PyInterpreterState_Get())
            while state:
                frame_address = api.PyThreadState_GetFrame(state)  # a new reference, or NULL
                if frame_address:
                    api.Py_DecRef(frame_address)  # `frames` above keeps each frame alive
                    ident = by_frame.get(frame_address)
                    if ident is not None and leave.get(ident) != state:
                        api._PyEval_SetTrace(state, self._callback, None)
                state = api.PyThreadState_Next(state)
        del frames

    def _trampoline(self, _obj, frame, what, _arg):
        # Runs on the woken thread, inside CPython's call_trace (tstate->tracing is set, so
        # nothing here is traced). The event itself is not forwarded: at worst one line is
        # reported one event later. `what` 0 is PyTrace_CALL.
        try:
            self._on_wake(frame, "call" if what == 0 else "other")
        except BaseException:  # a C callback must never raise
            try:
                _real_settrace(None)
            except BaseException:
                pass
        return 0


class ThreadStates:
    """Which threads already have a tracer — ours, or the program's own — by (ident, thread
    state address): waking them would swallow an event (ours) or replace their tracer
    (theirs). Each thread records its own changes; finished threads are forgotten."""

    def __init__(self, waker):
        self._waker = waker
        self._ours = {}
        self._programs = {}

    def set_ours(self, on):
        ident = threading.get_ident()
        self._programs.pop(ident, None)
        if on and self._waker is not None:
            self._ours[ident] = self._waker.current_state()
        else:
            self._ours.pop(ident, None)

    def set_programs(self):
        ident = threading.get_ident()
        self._ours.pop(ident, None)
        if self._waker is not None:
            self._programs[ident] = self._waker.current_state()

    def programs_own(self):
        """Threads running the program's own tracer (ident -> thread state): leave them be."""
        return dict(self._programs)

    def already_traced(self):
        live = sys._current_frames()
        for table in (self._ours, self._programs):
            for ident in [ident for ident in table if ident not in live]:
                table.pop(ident, None)
        traced = dict(self._ours)
        traced.update(self._programs)
        return traced
