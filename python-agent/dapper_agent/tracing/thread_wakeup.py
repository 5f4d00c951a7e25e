"""Turning tracing on in another thread, for Python 3.9–3.11.

Before 3.12 `sys.settrace` only affects the calling thread, so a thread that runs without a
trace function (the cheap state: no per-call cost at all) cannot be made to report lines by
another thread. CPython's `_PyEval_SetTrace(tstate, func, arg)` can: it is exported, takes
the target's thread state, and is what 3.12's `threading.settrace_all_threads` is built on.

We give it a one-shot C trace function (a ctypes callback). The target thread calls it on its
very next trace event — a tight loop with no calls included — and the callback, now running
on that thread, installs the real trace function with `sys.settrace` and returns. Everything
here needs ctypes, imported (and the C API set up) by the first wake that has another thread
to reach: a process that never pauses, steps or stops with more than one thread never pays
for it. Where ctypes is missing `ThreadWaker.create()` returns None and the tracer keeps every
thread traced instead.
"""

import sys
import threading
import weakref

_real_settrace = sys.settrace  # before the tracer wraps sys.settrace


def _ctypes_available():
    """Whether ctypes can be imported, without importing it (its C part may be built in, or
    a shared library next to the standard library, or missing from a minimal build)."""
    if "_ctypes" in sys.builtin_module_names or "_ctypes" in sys.modules:
        return True
    from importlib.machinery import PathFinder

    return PathFinder.find_spec("_ctypes") is not None


class ThreadWaker:
    """wake(ident) makes thread `ident` run `on_wake(frame, event)` on its next trace event."""

    def __init__(self, on_wake):
        self._on_wake = on_wake
        self._api = None  # ctypes.pythonapi, set up by the first wake that needs it
        self._callback = None  # the one-shot C trace function, kept alive for the process's life
        self._lock = threading.Lock()

    @classmethod
    def create(cls, on_wake):
        if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or not _ctypes_available():
            return None
        return cls(on_wake)

    def _set_up(self):
        """Import ctypes and declare the C functions we call (False if that fails)."""
        if self._api is not None:
            return True
        try:
            import ctypes

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
            callback = tracefunc_type(self._trampoline)
        except (ImportError, AttributeError, OSError):
            return False
        self._callback = callback
        self._api = api
        return True

    def prepare(self):
        """Import ctypes and set up the C API now, ahead of the first wake (False if that
        fails). The first wake otherwise pays for it, and while the program's threads run
        Python that import waits for the GIL at each file it reads: 0.5-1 s of the first
        Apply Changes while 8 threads run (docs/benchmarks.md, "apply while running")."""
        with self._lock:
            return self._set_up()

    def wake(self, idents, leave=frozenset()):
        """Arm the one-shot callback on each of these threads, except those in `leave`
        (already traced: waking them would swallow an event). The caller holds the GIL, as
        every Python thread does: the targets are not running meanwhile. False when ctypes
        turned out to be unusable (the tracer then traces every thread as it can)."""
        wanted = set(idents)
        wanted.discard(threading.get_ident())
        wanted.difference_update(leave)
        if not wanted:
            return True
        with self._lock:
            # First: importing ctypes lets other threads run (it reads files), and the frames
            # must be looked at after that, or a thread that moved meanwhile is not found.
            if not self._set_up():
                return False
            frames = sys._current_frames()
            by_frame = {id(frames[ident]): ident for ident in wanted if ident in frames}
            if not by_frame:
                return True
            api = self._api
            state = api.PyInterpreterState_ThreadHead(api.PyInterpreterState_Get())
            while state:
                frame_address = api.PyThreadState_GetFrame(state)  # a new reference, or NULL
                if frame_address:
                    api.Py_DecRef(frame_address)  # `frames` above keeps each frame alive
                    if frame_address in by_frame:
                        api._PyEval_SetTrace(state, self._callback, None)
                state = api.PyThreadState_Next(state)
        del frames
        return True

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
    """Which threads already have a tracer — ours, or the program's own: waking them would
    swallow an event (ours) or replace their tracer (theirs). Each thread records its own
    changes. A new thread may get a finished one's ident, so each record is a token the
    recording thread keeps in its thread-local storage, which CPython clears when that thread
    ends (before its ident can be reused): a record whose token is gone is forgotten."""

    def __init__(self):
        self._local = threading.local()
        self._ours = {}  # ident -> weak reference to that thread's token
        self._programs = {}

    def _token(self):
        token = getattr(self._local, "token", None)
        if token is None:
            token = self._local.token = _Token()
        return weakref.ref(token)

    def set_ours(self, on):
        ident = threading.get_ident()
        self._programs.pop(ident, None)
        if on:
            self._ours[ident] = self._token()
        else:
            self._ours.pop(ident, None)

    def set_programs(self):
        ident = threading.get_ident()
        self._ours.pop(ident, None)
        self._programs[ident] = self._token()

    def programs_own(self):
        """Threads running the program's own tracer: leave them be."""
        return self._live(self._programs)

    def already_traced(self):
        return self._live(self._ours) | self._live(self._programs)

    @staticmethod
    def _live(table):
        for ident, token in list(table.items()):
            if token() is None:
                table.pop(ident, None)
        return set(table)


class _Token:
    """One thread's identity for ThreadStates (weakly referenced; dies with the thread)."""

    __slots__ = ("__weakref__",)
