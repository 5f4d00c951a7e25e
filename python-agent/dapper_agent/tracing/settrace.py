"""Tracer for Python 3.9–3.11: sys.settrace, only on threads that need it.

A thread with a trace function pays for it on every call (CPython copies the frame's locals
around each one), so program threads run with none while nothing needs them:

- Breakpoints in functions are seen by probes compiled into those functions (probes.py,
  probe_installer.py); a probe turns tracing on for its thread, and the thread drops it again
  once its frame leaves the probe's lines.
- Pausing, stopping (every thread parks) and stepping trace every thread: `thread_wakeup`
  turns tracing on in threads that are running, even in a loop without calls.
- Running frames that cannot get probes (a frame keeps its code), module bodies being
  imported that hold breakpoints, exception filters `raised`/`userUnhandled`, function
  breakpoints, and anything probes cannot cover keep tracing on where needed — the global
  hook then behaves as it always did: one name lookup per call, local tracing only for code
  with breakpoints.

Without ctypes every thread is traced from the start, as before. What is set up for probes
and waking is imported when first needed (probes.py by the first function that gets a probe,
ctypes by the first wake of another thread), so a process whose breakpoints are in files it
never loads pays for neither.
"""

import _thread
import sys
import threading

from ..code_lines import line_at, line_numbers, walk_code
from . import import_watch
from ..restart import main_code
from ..restart.points import handler_offset, setup_offset
from .engine import is_suspending
from .probe_installer import ProbeInstaller
from .thread_wakeup import ThreadStates, ThreadWaker

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
        self._waker = ThreadWaker.create(self._on_wake)
        self._probes = ProbeInstaller(session, self._on_probe) if self._waker is not None else None
        self._coverage_complete = self._probes is not None
        self._trace_everything = True  # every program thread keeps the global hook
        self._pinned = {}  # id(frame) -> (frame, Pin): running frames that keep their thread traced
        self._regions = {}  # id(frame) -> (frame, first, last): a probe ran; traced while in these lines
        self._importing = {}  # id(code) -> code: module bodies with breakpoints, traced while imported
        # The main script when it could not get probes (a breakpoint line no probe reaches):
        # its body runs traced, and its functions get probes only when it ends — for most
        # programs, never. If it has breakpoints in functions, every thread is traced while it
        # runs: a thread it starts may call them. (An imported module's body is brief: threads
        # calling its functions before its import ends are not looked for.)
        self._unprobed_main = None
        self._defining = set()
        self._lock = threading.RLock()  # refresh runs on the channel thread and on importing threads
        self._states = ThreadStates()
        self._installing = 0  # >0 while we assign __code__ ourselves
        self._refresh_wanted = False  # foreign code was installed: instrument it on the next line

    # -- the tracer interface (tracing/__init__.py) ---------------------------------------------

    def start(self):
        self._active = True
        if self._waker is not None and not import_watch.install(self):
            # Without the hook, modules imported later would not get probes: trace as before.
            self._waker = self._probes = None
        self.refresh()
        if self._trace_everything and not self._is_agent_thread():
            self._trace_this_thread(True)
        sys.settrace = self._program_settrace
        threading.settrace = self._program_threading_settrace
        _thread.start_new_thread = self._start_new_thread
        if self._probes is not None:
            main_code.set_tracer_hooks(self._instrument_inherited_program, self._template_for_children)

    def stop(self):
        if not self._active:
            return
        self._active = False
        main_code.set_tracer_hooks(None, None)
        sys.settrace = _real_settrace
        threading.settrace = _real_threading_settrace
        _thread.start_new_thread = _real_start_new_thread
        _real_threading_settrace(None)
        _real_settrace(None)
        if self._probes is not None:
            self._probes.restore()
        self._pinned.clear()
        self._regions.clear()
        self._importing.clear()
        self._defining.clear()
        self._unprobed_main = None
        self._release_program_threads()

    def _release_program_threads(self):
        """After a detach the program runs at full speed, and a debugger attaching later starts
        from threads and frames without any tracer of ours: take our local tracer off every
        frame, and have every thread we trace drop our hook on its next event (thread_wakeup)."""
        agent_idents = self._session.threads.agent_idents
        local = self._local
        for ident, frame in sys._current_frames().items():
            if ident in agent_idents:
                continue
            while frame is not None:
                if frame.f_trace == local:
                    frame.f_trace = None
                frame = frame.f_back
        if self._waker is not None:
            self._waker.wake(self._program_idents(), self._states.programs_own())  # no fallback: detaching

    def instrument_program(self, code, source):
        """The main script's code, with probes for the breakpoints set before it starts."""
        if self._probes is None or not self._active:
            return code
        try:
            instrumented = self._probes.instrument_program(code, source)
        except Exception as error:  # a bug here must not stop the program from running
            self._engine.report_internal_error("breakpoint probes", error)
            instrumented = code
        if instrumented is code:
            self._unprobed_main = code
        return instrumented

    def _template_for_children(self, code):
        """The main script (`code`: compiled with restart points, no probes) with probes for
        the current breakpoints in it, for child processes (restart/main_code.py); or None."""
        if self._probes is None or not self._active:
            return None
        with self._lock:
            try:
                return self._probes.template_for(code)
            except Exception as error:  # children then compile their own probes
                self._engine.report_internal_error("breakpoint probes", error)
                return None

    def _instrument_inherited_program(self, code, template):
        """A child's `runpy.run_path` of its parent's main script (restart/main_code.py): the
        probes the parent compiled for it, so the module body runs untraced."""
        if self._probes is None or not self._active:
            return code
        with self._lock:
            self._installing += 1
            try:
                return self._probes.instrument_from_template(code, template)
            except Exception as error:  # a bug here must not stop the program from running
                self._engine.report_internal_error("breakpoint probes", error)
                return code
            finally:
                self._installing -= 1

    def release_code(self):
        """Apply Changes is about to compare and replace code: give functions their own back
        (`refresh()` instruments again afterwards)."""
        if self._probes is not None:
            with self._lock:
                self._installing += 1
                try:
                    self._probes.restore()
                finally:
                    self._installing -= 1

    def refresh(self):
        with self._lock:
            self._refresh()

    def _refresh(self):
        self._refresh_wanted = False
        self._engine.invalidate()
        self._decisions.clear()
        filters = self._session.breakpoints.exception_filters
        self._every_user_frame = bool(filters & {"raised", "userUnhandled"})
        self._update_route()
        if self._probes is not None and self._active:
            self._installing += 1
            try:
                coverage = self._probes.update()
                self._coverage_complete = coverage.complete
                self._pinned = {id(frame): (frame, pin) for frame, pin in coverage.pinned}
            except Exception as error:  # trace everything rather than miss a breakpoint
                self._engine.report_internal_error("breakpoint probes", error)
                self._coverage_complete = False
            finally:
                self._installing -= 1
        self._apply_mode()
        self._arm_running_frames(only_interesting=True)

    def check_thread(self):
        """CPython drops a thread's tracer when the trace function itself fails — typically a
        RecursionError when the program recurses to the limit. Called from hooks that still run
        on that thread (program output), it puts the tracer back."""
        if not self._active or sys.gettrace() is not None:
            return
        self._states.set_ours(False)  # CPython dropped it: not ours any more
        if not self._trace_everything or self._is_agent_thread():
            return
        self._trace_this_thread(True)
        self.refresh()
        if self._all_lines:
            self._arm_running_frames(only_interesting=False)

    def settle(self):
        """A program thread resumes after a stop: stop tracing it if nothing needs that."""
        if self._active and not self._is_agent_thread():
            self._maybe_sleep(sys._getframe(1))

    def prepare_wake(self):
        """Get ready to turn tracing on in other threads (an apply while running is expected:
        its hold wakes every thread): ctypes is imported now rather than during the hold."""
        waker = self._waker
        if waker is not None and not waker.prepare():
            self._without_waker()

    def set_all_lines(self, on):
        self._all_lines = on
        self._decisions.clear()
        self._update_route()
        self._apply_mode()
        if on:
            self._arm_running_frames(only_interesting=False)

    # -- which threads are traced ---------------------------------------------------------------

    def _apply_mode(self):
        everything = (
            self._probes is None or not self._coverage_complete or self._all_lines or self._every_user_frame
            or bool(self._session.breakpoints.function_breakpoints) or bool(self._defining)
        )
        self._trace_everything = everything
        if not self._active:
            return
        _real_threading_settrace(self._global if everything else None)
        if everything:
            self._wake(self._program_idents())
        elif self._pinned:
            self._wake(self._idents_of(frame for frame, _pin in self._pinned.values()))

    def _wake(self, idents):
        current = threading.get_ident()
        if current in idents and sys.gettrace() is None and not self._is_agent_thread():
            self._trace_this_thread(True)
        if self._waker is not None and not self._waker.wake(idents, self._states.already_traced()):
            self._without_waker()

    def _without_waker(self):
        """ctypes turned out to be unusable on the first wake: from now on every thread is
        traced, as where ctypes is missing (threads already running untraced stay so)."""
        self._waker = None
        with self._lock:
            if self._probes is not None:
                self._installing += 1
                try:
                    self._probes.restore()
                finally:
                    self._installing -= 1
            self._probes = None
        self._apply_mode()

    def trace_this_thread(self):
        """import_watch: a module body with breakpoints is about to run on this thread."""
        self._trace_this_thread(True)

    def _trace_this_thread(self, on):
        """Install or remove our tracer on the calling thread, and remember which it is."""
        _real_settrace(self._global if on else None)
        self._states.set_ours(on)

    def _on_wake(self, frame, event):
        """Runs on a woken thread, on its first trace event (see thread_wakeup)."""
        if not self._active or not self._thread_wanted(frame):
            self._trace_this_thread(False)
            return
        self._trace_this_thread(True)
        if event == "call" and frame.f_trace is None:
            frame.f_trace = self._global(frame, "call", None)

    def _thread_wanted(self, frame):
        if self._trace_everything:
            return True
        while frame is not None:
            key = id(frame)
            if key in self._regions or id(frame.f_code) in self._importing:
                return True
            entry = self._pinned.get(key)
            if entry is not None:
                if entry[1].kind != "watched" or self._engine.is_watched(frame.f_code):
                    return True
                del self._pinned[key]  # the watch is over
            frame = frame.f_back
        return False

    def _passed_pending_definitions(self, frame):
        """A module body pinned until it made some functions is past them: they get probes."""
        entry = self._pinned.get(id(frame))
        if entry is None or entry[1].kind != "pending" or (frame.f_lineno or 0) <= entry[1].until:
            return False
        del self._pinned[id(frame)]
        self.refresh()
        return self._maybe_sleep(frame)

    def _maybe_sleep(self, frame):
        """Stop tracing this thread unless something on its stack (from `frame` down) needs it."""
        if self._trace_everything or self._thread_wanted(frame) or sys.gettrace() is not self._global:
            return False
        self._trace_this_thread(False)
        return True

    def _program_idents(self):
        agent = self._session.threads.agent_idents
        return {ident for ident in sys._current_frames() if ident not in agent}

    @staticmethod
    def _idents_of(frames):
        wanted = {id(frame) for frame in frames}
        idents = set()
        for ident, frame in sys._current_frames().items():
            while frame is not None:
                if id(frame) in wanted:
                    idents.add(ident)
                    break
                frame = frame.f_back
        return idents

    def _is_agent_thread(self):
        return threading.get_ident() in self._session.threads.agent_idents

    def _update_route(self):
        self._set_route(self._session.breakpoints.code_names(), self._all_lines or self._every_user_frame)

    def _arm_running_frames(self, only_interesting):
        agent_idents = self._session.threads.agent_idents
        classifier = self._session.classifier
        for ident, frame in sys._current_frames().items():
            if ident in agent_idents:
                continue
            while frame is not None:
                code = frame.f_code
                if only_interesting:
                    wanted = id(frame) in self._pinned or self._engine.code_is_interesting(code)
                else:
                    wanted = classifier.may_stop_in(code.co_filename)
                if wanted and frame.f_trace is None:
                    frame.f_trace = self._local
                    frame.f_trace_lines = True
                frame = frame.f_back

    # -- probes and imports ---------------------------------------------------------------------

    def _on_probe(self, probe):
        """A probe ran in a program frame: trace that frame while it is in the probe's lines."""
        if not self._active or self._is_agent_thread():
            return
        try:
            frame = sys._getframe(2)  # _on_probe <- Probe.__dapper_hit__ <- the program's frame
            traced = frame.f_trace is not None and sys.gettrace() is not None
            first, last = probe.first, probe.last
            active = self._regions.get(id(frame))
            if active is not None:  # a probe inside (or right after) a region still running: keep both
                first, last = min(first, active[1]), max(last, active[2])
            self._regions[id(frame)] = (frame, first, last)
            if frame.f_trace is None:
                frame.f_trace = self._local
                frame.f_trace_lines = True
            if sys.gettrace() is None:
                self._trace_this_thread(True)
            if not traced:
                offsets = self._probes.probe_offsets.get(frame.f_code)
                if offsets is not None and _probe_shares_line(frame.f_code, frame.f_lasti, offsets):
                    # The statement after the probe starts no line of its own (the first line of
                    # a module, a one-line `def`): no line event will come for it, so this is it.
                    self._engine.on_line(frame, frame.f_lineno)
        except Exception as error:  # runs inside the program's own code
            self._engine.report_internal_error("breakpoint probe", error)

    def on_module_exec(self, code):
        """A module body is about to run (import, or exec of code): report it. If its file has
        breakpoints, trace it while it runs (it has no probes: we did not compile it) and give
        its functions probes once it is done."""
        if not self._active or code.co_name != "<module>" or self._is_agent_thread():
            return False
        self._engine.on_module_start(code)
        key = self._session.classifier.key(code.co_filename)
        lines = self._session.breakpoints.lines_in(key)
        if not lines or self._probes.covered.get(code) is not None:
            return False  # nothing to see, or the main script we compiled with probes
        if code is self._unprobed_main:
            names_by_line = self._session.breakpoints.lines.for_file(key).names_by_line
            if any(names_by_line.get(line, {"<module>"}) != {"<module>"} for line in lines):
                self._defining.add(id(code))
                if not self._trace_everything:
                    self._apply_mode()
        if self._trace_everything:
            return False  # traced anyway
        self._importing[id(code)] = code
        return True  # trace this thread (the audit hook does, once our own work is done)

    def on_code_assigned(self, code):
        """The program gave a function new code (its own hot reloader, an `evaluate`, Apply
        Changes finishing a running module body): that code has no probes, so trace everything
        until a refresh instruments it — the next line any traced frame reports asks for one
        (the audit hook runs before the assignment, too early to instrument here)."""
        if not self._active or self._installing or not self._coverage_complete:
            return
        if self._probes.covered.get(code) is not None:
            return
        lines = self._session.breakpoints.lines_in(self._session.classifier.key(code.co_filename))
        if lines and any(line in lines for nested in walk_code(code) for line in line_numbers(nested)):
            self._coverage_complete = False
            self._refresh_wanted = True
            if not self._trace_everything:
                self._apply_mode()

    def _left_frame(self, frame):
        """Bookkeeping when a traced frame returns (or unwinds); may stop tracing the thread."""
        key = id(frame)
        self._regions.pop(key, None)
        self._pinned.pop(key, None)
        body = id(frame.f_code)
        if self._importing.pop(body, None) is not None or body in self._defining:
            self._defining.discard(body)
            self.refresh()  # the module's functions exist now: give them probes
        if not self._trace_everything:
            self._maybe_sleep(frame.f_back)

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
        if id(code) in self._importing:
            return self._local  # a module body being imported: its return gives its functions probes
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
        except Exception as error:  # never break the program
            self._engine.report_internal_error("call", error)
        return None

    def _local(self, frame, event, arg):
        if not self._active:
            return None
        try:
            engine = self._engine
            if event == "line":
                if self._refresh_wanted and not self._session.stops.stopped:
                    self._refresh_wanted = False
                    self.refresh()
                if self._probes is not None:
                    offsets = self._probes.probe_offsets.get(frame.f_code)
                    if offsets is not None and (frame.f_lasti in offsets or not frame.f_lineno):
                        if not (frame.f_lineno and _probe_shares_line(frame.f_code, frame.f_lasti, offsets)):
                            return self._local  # a probe's own instructions, not a line of the program
                    region = self._regions.get(id(frame))
                    if region is not None and not region[1] <= frame.f_lineno <= region[2]:
                        del self._regions[id(frame)]
                        if self._maybe_sleep(frame):
                            return self._local
                    if self._pinned and self._passed_pending_definitions(frame):
                        return self._local
                handler = handler_offset(frame.f_code)
                if handler is not None and (frame.f_lasti >= handler or frame.f_lasti == setup_offset(frame.f_code)):
                    # An exception passing a restart point, or the point being set up at the
                    # call's start: not a line of the program.
                    return self._local
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
                self._left_frame(frame)
        except Exception as error:
            self._engine.report_internal_error(event, error)
        # Once stopped (detached while this frame was parked here), leave f_trace as stop() set it.
        return self._local if self._active else None

    def _keeps_tracing(self, frame):
        if self._all_lines or self._engine.code_is_interesting(frame.f_code):
            return True
        return self._every_user_frame and self._session.classifier.may_stop_in(frame.f_code.co_filename)

    def _start_new_thread(self, function, args, kwargs=None):
        """Threads started with `_thread` directly skip threading.settrace: hook them too."""
        hook = self._global

        def traced(*call_args, **call_kwargs):
            if self._active and self._trace_everything and hook is self._global:
                self._trace_this_thread(True)
            return function(*call_args, **call_kwargs)

        return _real_start_new_thread(traced, args, kwargs or {})

    # -- the program's own tracers ----------------------------------------------------------------

    def _program_settrace(self, function):
        """The program installs its own tracer (coverage, a profiler…): it wins on this thread."""
        if not self._active:
            return _real_settrace(function)
        if function is None or function == self._global:
            # threading's bootstrap, or the program is done tracing: back to our own state.
            return self._trace_this_thread(self._trace_everything)
        self._warn_once()
        _real_settrace(function)
        self._states.set_programs()

    def _program_threading_settrace(self, function):
        if not self._active:
            return _real_threading_settrace(function)
        if function is None or function == self._global:
            return _real_threading_settrace(self._global if self._trace_everything else None)
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


def _probe_shares_line(code, offset, probe_offsets):
    """Whether the probe with an instruction at `offset` is on the line of the statement after
    it. A probe has line 0, which before 3.11 joins the line before it; with no line before it
    (a module's first statement) or when that is the statement's own line (`def f(): return 1`),
    the statement starts no new line, so it reports no line event of its own."""
    line = line_at(code, offset)
    if not line:
        return False
    after = offset
    while after in probe_offsets:
        after += 2  # before 3.11 every instruction is two bytes
    return line_at(code, after) == line
