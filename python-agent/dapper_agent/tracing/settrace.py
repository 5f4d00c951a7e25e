"""Tracer for Python 3.9–3.11: sys.settrace + threading.settrace.

The global hook sees every call and hands out the local tracer only for code with breakpoints
(or any user code while pausing/stepping, or when exception filters need every user frame).
Pausing sets `f_trace` on the running frames of every thread, which works because every
program thread has the global hook installed from the start.
"""

import _thread
import sys
import threading

from .engine import is_suspending

_real_settrace = sys.settrace
_real_threading_settrace = threading.settrace
_real_start_new_thread = _thread.start_new_thread


class SettraceTracer:
    def __init__(self, session, engine):
        self._session = session
        self._engine = engine
        self._all_lines = False
        self._every_user_frame = False
        self._active = False
        self._warned = False
        self._pending_unwind = {}  # id(frame) -> exception seen in that frame, not yet handled
        self._decisions = {}  # id(code) -> (code, local tracer or None)
        self._global = self._make_global_hook()

    def start(self):
        self._active = True
        self.refresh()
        _real_settrace(self._global)
        _real_threading_settrace(self._global)
        sys.settrace = self._program_settrace
        threading.settrace = self._program_threading_settrace
        _thread.start_new_thread = self._start_new_thread

    def stop(self):
        if not self._active:
            return
        self._active = False
        sys.settrace = _real_settrace
        threading.settrace = _real_threading_settrace
        _thread.start_new_thread = _real_start_new_thread
        _real_threading_settrace(None)
        _real_settrace(None)
        # Frames of other threads keep f_trace set; the local tracer ignores events once inactive.

    def refresh(self):
        self._engine.invalidate()
        self._decisions.clear()
        filters = self._session.breakpoints.exception_filters
        self._every_user_frame = bool(filters & {"raised", "userUnhandled"})
        self._update_route()
        self._arm_running_frames(only_interesting=True)

    def check_thread(self):
        """CPython drops a thread's tracer when the trace function itself fails — typically a
        RecursionError when the program recurses to the limit. Called from hooks that still run
        on that thread (program output), it puts the tracer back."""
        if not self._active or sys.gettrace() is not None:
            return
        if threading.get_ident() in self._session.threads.agent_idents:
            return
        _real_settrace(self._global)
        self.refresh()
        if self._all_lines:
            self._arm_running_frames(only_interesting=False)

    def _update_route(self):
        self._set_route(self._session.breakpoints.code_names(), self._all_lines or self._every_user_frame)

    def set_all_lines(self, on):
        self._all_lines = on
        self._decisions.clear()
        self._update_route()
        if on:
            self._arm_running_frames(only_interesting=False)

    def _arm_running_frames(self, only_interesting):
        agent_idents = self._session.threads.agent_idents
        classifier = self._session.classifier
        for ident, frame in sys._current_frames().items():
            if ident in agent_idents:
                continue
            while frame is not None:
                code = frame.f_code
                if only_interesting:
                    wanted = self._engine.code_is_interesting(code)
                else:
                    wanted = classifier.may_stop_in(code.co_filename)
                if wanted and frame.f_trace is None:
                    frame.f_trace = self._local
                    frame.f_trace_lines = True
                frame = frame.f_back

    # -- hooks ------------------------------------------------------------------------------------

    def _make_global_hook(self):
        """The per-call hook, kept as small as possible: it runs on every Python call.

        A call is dismissed by its code's name alone (one dict lookup on an interned string).
        Code whose name could hold a breakpoint gets `_entry` as its local tracer, which decides
        on the frame's first event. While pausing or stepping every call gets `_entry`. The
        lookup lives in a closure cell, the cheapest thing a Python function can read.
        """
        route = {}.get
        entry = self._entry

        def global_hook(frame, event, arg):
            return route(frame.f_code.co_name)

        def every_call(name):
            return entry

        def set_names(names, everything):
            nonlocal route
            if everything:
                route = every_call
            else:
                # "<module>": a module body starting is reported as a loadedSource (once per code).
                route = dict.fromkeys(set(names) | {"<module>"}, entry).get

        self._set_route = set_names
        return global_hook

    def _entry(self, frame, event, arg):
        """First event of a frame whose code's name matched: trace it, or stop tracing it."""
        tracer = self._decide(frame, frame.f_code)
        if tracer is None:
            return None
        return tracer(frame, event, arg)

    def _decide(self, frame, code):
        """Slow path: what to return for calls of `code` (cached unless it must run each call)."""
        if not self._active:
            return None
        entry = self._decisions.get(id(code))
        if entry is not None and entry[0] is code:
            return entry[1]
        try:
            engine = self._engine
            if code.co_name == "<module>":
                engine.on_module_start(code)
            has_lines, function_match = engine.interest(code)
            if function_match:
                engine.on_call(frame)  # not cached: function breakpoints are checked on each call
                return self._local
            if has_lines or (
                (self._all_lines or self._every_user_frame) and self._session.classifier.may_stop_in(code.co_filename)
            ):
                result = self._local
            else:
                result = None
            if len(self._decisions) > 50000:
                self._decisions.clear()  # bounded: programs may exec fresh code forever
            self._decisions[id(code)] = (code, result)
            return result
        except Exception as error:  # noqa: BLE001 - never break the program
            self._engine.report_internal_error("call", error)
        return None

    def _local(self, frame, event, arg):
        if not self._active:
            return None
        try:
            engine = self._engine
            if event == "line":
                self._pending_unwind.pop(id(frame), None)
                done = engine.on_line(frame, frame.f_lineno)
                if done and not self._keeps_tracing(frame):
                    return None
            elif event == "exception":
                exception = arg[1]
                engine.on_raise(frame, exception)
                if "userUnhandled" in self._session.breakpoints.exception_filters:
                    self._pending_unwind[id(frame)] = exception
            elif event == "return":
                exception = self._pending_unwind.pop(id(frame), None)
                if exception is not None:
                    engine.on_unwind(frame, exception)
                else:
                    engine.on_return(frame, suspending=is_suspending(frame))
        except Exception as error:  # noqa: BLE001
            self._engine.report_internal_error(event, error)
        return self._local

    def _keeps_tracing(self, frame):
        if self._all_lines or self._engine.code_is_interesting(frame.f_code):
            return True
        return self._every_user_frame and self._session.classifier.may_stop_in(frame.f_code.co_filename)

    def _start_new_thread(self, function, args, kwargs=None):
        """Threads started with `_thread` directly skip threading.settrace: hook them too."""
        hook = self._global

        def traced(*call_args, **call_kwargs):
            if self._active:
                _real_settrace(hook)
            return function(*call_args, **call_kwargs)

        return _real_start_new_thread(traced, args, kwargs or {})

    # -- the program's own tracers ----------------------------------------------------------------

    def _program_settrace(self, function):
        """The program installs its own tracer (coverage, a profiler…): it wins on this thread."""
        if not self._active:
            return _real_settrace(function)
        if function is None or function == self._global:
            return _real_settrace(self._global)  # threading's bootstrap, or the program is done tracing
        self._warn_once()
        return _real_settrace(function)

    def _program_threading_settrace(self, function):
        if not self._active:
            return _real_threading_settrace(function)
        if function is None or function == self._global:
            return _real_threading_settrace(self._global)
        self._warn_once()
        return _real_threading_settrace(function)

    def _warn_once(self):
        if self._warned:
            return
        self._warned = True
        self._session.console(
            "Dapper: the program called sys.settrace() itself. On Python before 3.12 there is only one "
            "tracer per thread, so breakpoints and stepping in code it traces will not work until it "
            "calls sys.settrace(None). Use Python 3.12+ to debug code that traces itself.\n"
        )
