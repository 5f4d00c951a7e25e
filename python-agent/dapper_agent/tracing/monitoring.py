"""Tracer for Python 3.12+: sys.monitoring under the DEBUGGER tool id.

PY_START is on globally; code without breakpoints answers DISABLE, so after its first call it
costs nothing. Code with breakpoints gets local LINE events; lines without a breakpoint answer
DISABLE too. `restart_events()` re-enables everything when breakpoints or the mode change.
Pause, stepping and "stopped" (which parks every other thread) turn LINE on globally.
"""

import dis
import sys
import threading

monitoring = getattr(sys, "monitoring", None)

# 3.13: LINE turned on for code from its own PY_START reports the line of its first
# instruction, which that code never reports otherwise when it is on the `def`/`class` line
# (RESUME is there, and LINE means "the line changed"): a one-line function, or a class body,
# would stop twice on the same line. 3.12 reports those lines either way: real events there.
_SPURIOUS_FIRST_LINE = sys.version_info >= (3, 13)
_first_instruction = {}  # id(code) -> (code, offset of the first instruction after RESUME)


def _starts_here(code, frame):
    """Whether `frame` is at the first instruction after RESUME (cached per code object)."""
    entry = _first_instruction.get(id(code))
    if entry is None or entry[0] is not code:
        offset, after_resume = 0, False
        for instruction in dis.get_instructions(code):
            if after_resume:
                offset = instruction.offset
                break
            after_resume = instruction.opname == "RESUME"
        if len(_first_instruction) > 10000:
            _first_instruction.clear()  # bounded: programs may exec fresh code forever
        entry = _first_instruction[id(code)] = (code, offset)
    return frame.f_lasti <= entry[1]


class MonitoringTracer:
    def __init__(self, session, engine):
        self._session = session
        self._engine = engine
        self._tool = monitoring.DEBUGGER_ID
        self._events = monitoring.events
        self._all_lines = False
        self._active = False
        self._lock = threading.RLock()

    def start(self):
        tool = self._tool
        current = monitoring.get_tool(tool)
        if current is not None:
            # Another debugger holds the DEBUGGER slot: use a free one rather than fail.
            for candidate in range(6):
                if monitoring.get_tool(candidate) is None:
                    tool = candidate
                    break
            else:
                raise RuntimeError("sys.monitoring has no free tool id (all six are in use by %r)" % current)
            self._tool = tool
        monitoring.use_tool_id(tool, "dapper")
        events = self._events
        monitoring.register_callback(tool, events.PY_START, self._on_py_start)
        # A generator or coroutine suspended before its breakpoints were set comes back with
        # PY_RESUME, not PY_START: the same decision is needed there.
        monitoring.register_callback(tool, events.PY_RESUME, self._on_py_resume)
        monitoring.register_callback(tool, events.LINE, self._on_line)
        monitoring.register_callback(tool, events.RAISE, self._on_raise)
        monitoring.register_callback(tool, events.PY_UNWIND, self._on_unwind)
        monitoring.register_callback(tool, events.PY_RETURN, self._on_return)
        self._active = True
        self.refresh()

    def stop(self):
        with self._lock:
            if not self._active:
                return
            self._active = False
            tool = self._tool
            try:
                monitoring.set_events(tool, 0)
                for event in (self._events.PY_START, self._events.PY_RESUME, self._events.LINE, self._events.RAISE, self._events.PY_UNWIND, self._events.PY_RETURN):
                    monitoring.register_callback(tool, event, None)
                if hasattr(monitoring, "clear_tool_id"):  # 3.13+: also drops local events
                    monitoring.clear_tool_id(tool)
                monitoring.free_tool_id(tool)
            except ValueError:
                pass

    def _global_events(self):
        events = self._events
        mask = events.PY_START | events.PY_RESUME
        filters = self._session.breakpoints.exception_filters
        if "raised" in filters:
            mask |= events.RAISE
        if "userUnhandled" in filters:
            mask |= events.PY_UNWIND
        if self._all_lines:
            mask |= events.LINE | events.PY_RETURN
        return mask

    def refresh(self):
        with self._lock:
            if not self._active:
                return
            self._engine.invalidate()
            monitoring.set_events(self._tool, self._global_events())
            self._arm_running_frames()
            monitoring.restart_events()

    def _arm_running_frames(self):
        """Code already running (a loop in __main__) gets no new PY_START: arm it directly."""
        agent_idents = self._session.threads.agent_idents
        for ident, frame in sys._current_frames().items():
            if ident in agent_idents:
                continue
            while frame is not None:
                if self._engine.code_is_interesting(frame.f_code):
                    monitoring.set_local_events(self._tool, frame.f_code, self._local_events(frame.f_code))
                frame = frame.f_back

    def _local_events(self, code):
        # A watched frame (engine.watch_frame) also reports its return.
        if self._engine.is_watched(code):
            return self._events.LINE | self._events.PY_RETURN
        return self._events.LINE

    def check_thread(self):
        """sys.monitoring is never dropped by the interpreter: nothing to restore."""

    def instrument_program(self, code, source):
        """sys.monitoring needs no probes: the program runs its own code."""
        return code

    def release_code(self):
        """No instrumented code to hand back before Apply Changes."""

    def settle(self):
        """Threads need no tracer of their own under sys.monitoring."""

    def set_all_lines(self, on):
        with self._lock:
            if not self._active or on == self._all_lines:
                return
            self._all_lines = on
            monitoring.set_events(self._tool, self._global_events())
            monitoring.restart_events()

    # -- callbacks (run on program threads; must never raise into the program) ----------------

    def _on_py_start(self, code, offset):
        try:
            if code.co_name == "<module>":
                self._engine.on_module_start(code)
            has_lines, function_match = self._engine.interest(code)
            if has_lines or function_match:
                monitoring.set_local_events(self._tool, code, self._local_events(code))
            if function_match:
                self._engine.on_call(sys._getframe(1))
                return None
        except Exception as error:  # noqa: BLE001
            self._engine.report_internal_error("PY_START", error)
        return monitoring.DISABLE

    def _on_py_resume(self, code, offset):
        try:
            if self._engine.interest(code)[0]:
                monitoring.set_local_events(self._tool, code, self._events.LINE)
        except Exception as error:  # noqa: BLE001
            self._engine.report_internal_error("PY_RESUME", error)
        return monitoring.DISABLE

    def _on_line(self, code, line):
        try:
            frame = sys._getframe(1)
            if (_SPURIOUS_FIRST_LINE and line == code.co_firstlineno and code.co_name != "<module>"
                    and _starts_here(code, frame)):
                return None  # see _SPURIOUS_FIRST_LINE
            if self._engine.on_line(frame, line):
                return monitoring.DISABLE
        except Exception as error:  # noqa: BLE001
            self._engine.report_internal_error("LINE", error)
        return None

    def _on_return(self, code, offset, value):
        try:
            if self._engine.on_return(sys._getframe(1)):
                return monitoring.DISABLE
        except Exception as error:  # noqa: BLE001
            self._engine.report_internal_error("PY_RETURN", error)
        return None

    def _on_raise(self, code, offset, exception):
        try:
            self._engine.on_raise(sys._getframe(1), exception)
        except Exception as error:  # noqa: BLE001
            self._engine.report_internal_error("RAISE", error)

    def _on_unwind(self, code, offset, exception):
        try:
            self._engine.on_unwind(sys._getframe(1), exception)
        except Exception as error:  # noqa: BLE001
            self._engine.report_internal_error("PY_UNWIND", error)
