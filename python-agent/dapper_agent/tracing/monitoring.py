"""Tracer for Python 3.12+: sys.monitoring under the DEBUGGER tool id.

PY_START is on globally; code without breakpoints answers DISABLE, so after its first call it
costs nothing. Code with breakpoints gets local LINE events; lines without a breakpoint answer
DISABLE too. `restart_events()` re-enables everything when breakpoints or the mode change.
Pause, stepping and "stopped" (which parks every other thread) turn LINE on globally.
"""

import sys
import threading
import time

from ..code_lines import after_resume, resume_offset
from ..restart.points import handler_offset

monitoring = getattr(sys, "monitoring", None)
TOOL_NAME = "dapper"
TOOL_CHECK_SECONDS = 0.5


def _free_tool_id():
    """A tool id no one uses (sys.monitoring has six), or None."""
    for candidate in range(6):
        if monitoring.get_tool(candidate) is None:
            return candidate
    return None

# 3.13: code whose first line is its `def`/`class`/`lambda` line (a one-line function, a
# lambda, a one-line class body) reports no LINE event for that line when it was instrumented
# before the call, but does when LINE was turned on at its own PY_START (CPython gh-155992:
# RESUME_CHECK, 3.13's specialization of RESUME, is missed by the check that forces the first
# line). sys.settrace and 3.12 report that line on every call. So from 3.13 that line is
# reported from PY_START, on every call, whenever the code's lines matter (a breakpoint in it,
# a function breakpoint, a step), and a LINE event for it is ignored: one stop per call, with
# or without CPython's fix.
_FIRST_LINE_FROM_START = sys.version_info >= (3, 13)
_first_instruction = {}  # id(code) -> (code, offset of the first instruction after RESUME, shared line or None)


def _first_instruction_of(code):
    """(offset of the first instruction after RESUME, its line if RESUME is on the same line,
    else None), cached per code object. From the line table alone: this runs for each code
    object that starts while every line is reported (a step, an apply's hold)."""
    entry = _first_instruction.get(id(code))
    if entry is None or entry[0] is not code:
        resume = resume_offset(code)
        offset, shared = 0, None
        if resume is not None:
            offset = after_resume(code)
            resume_line = None
            for start, end, line in code.co_lines():
                if start <= resume < end:
                    resume_line = line
                if start <= offset < end:
                    shared = line if line is not None and line == resume_line else None
                    break
        if len(_first_instruction) > 10000:
            _first_instruction.clear()  # bounded: programs may exec fresh code forever
        entry = _first_instruction[id(code)] = (code, offset, shared)
    return entry[1], entry[2]


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
        if monitoring.get_tool(tool) is not None:
            # Another debugger holds the DEBUGGER slot: use a free one rather than fail.
            tool = _free_tool_id()
            if tool is None:
                raise RuntimeError("sys.monitoring has no free tool id (all six are in use by %r)" % monitoring.get_tool(self._tool))
        self._register(tool)
        self._active = True
        self.refresh()
        self._session.start_agent_thread(self._watch_tool, "dapper-monitoring-watch")

    def _watch_tool(self):
        """Notices within TOOL_CHECK_SECONDS a program that freed our tool id even when no
        request or event of ours runs meanwhile (from 3.14, free_tool_id also removes the
        events and callbacks, so nothing of ours would run again)."""
        while self._active:
            time.sleep(TOOL_CHECK_SECONDS)
            try:
                self._holds_tool()
            except Exception as error:  # the watch must not die silently
                self._engine.report_internal_error("sys.monitoring tool check", error)

    def _register(self, tool):
        self._tool = tool
        monitoring.use_tool_id(tool, TOOL_NAME)
        for event, callback in self._callbacks().items():
            monitoring.register_callback(tool, event, callback)

    def _unregister_callbacks(self, tool):
        """Take our callbacks off an id the program now uses for its own tool, leaving any it
        registered itself (register_callback answers with the one it replaced)."""
        for event, ours in self._callbacks().items():
            previous = monitoring.register_callback(tool, event, None)
            if previous is not None and previous != ours:
                monitoring.register_callback(tool, event, previous)

    def _callbacks(self):
        events = self._events
        return {
            events.PY_START: self._on_py_start,
            # A generator or coroutine suspended before its breakpoints were set comes back
            # with PY_RESUME, not PY_START: the same decision is needed there.
            events.PY_RESUME: self._on_py_resume,
            events.LINE: self._on_line,
            events.RAISE: self._on_raise,
            events.PY_UNWIND: self._on_unwind,
            events.PY_RETURN: self._on_return,
        }

    def _holds_tool(self):
        """False once the program freed our tool id (sys.monitoring.free_tool_id) or gave it to
        another tool; then every sys.monitoring call for it raises ValueError."""
        if not self._active:
            return True
        if monitoring.get_tool(self._tool) == TOOL_NAME:
            return True
        return self._reclaim_tool()

    def _reclaim_tool(self):
        """Register again, under the same id if it is free, else under a free one, and say so.
        With no free id left, carry on without breakpoints (pause and terminate still work:
        the agent's own threads and the program's exit do not need sys.monitoring)."""
        with self._lock:
            lost = self._tool
            holder = monitoring.get_tool(lost)
            if holder == TOOL_NAME or not self._active:
                return self._active
            tool = lost if holder is None else _free_tool_id()
            what = "freed sys.monitoring tool %d, the debugger's" % lost if holder is None else (
                "gave sys.monitoring tool %d, the debugger's, to %r" % (lost, holder))
            if tool is None:
                self._active = False
                self._session.console(
                    "Dapper: the program %s, and no other tool id is free: breakpoints, stepping and "
                    "pause no longer work in this run (terminate does). Restart to debug again.\n" % what)
                return False
            if holder is not None:
                self._unregister_callbacks(lost)
            self._register(tool)
            self._session.console(
                "Dapper: the program %s; the debugger registered again as tool %d. Breakpoints, "
                "stepping and pause carry on.\n" % (what, tool))
            monitoring.set_events(tool, self._global_events())
            self._engine.invalidate()
            self._arm_running_frames()
            monitoring.restart_events()
            return True

    def stop(self):
        with self._lock:
            if not self._active:
                return
            self._active = False
            tool = self._tool
            try:
                if monitoring.get_tool(tool) != TOOL_NAME:
                    return  # the program freed or took it: nothing of ours to release
                monitoring.set_events(tool, 0)
                for event in self._callbacks():
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
            if not self._active or not self._holds_tool():
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
        """The interpreter never drops a sys.monitoring tool, but the program may free it."""
        self._holds_tool()

    def instrument_program(self, code, source):
        """sys.monitoring needs no probes: the program runs its own code."""
        return code

    def release_code(self):
        """No instrumented code to hand back before Apply Changes."""

    def settle(self):
        """Threads need no tracer of their own under sys.monitoring."""

    def prepare_wake(self):
        """Nothing to get ready: sys.monitoring reaches every thread by itself (settrace.py's
        counterpart imports ctypes)."""

    def set_all_lines(self, on):
        with self._lock:
            if not self._active or not self._holds_tool() or on == self._all_lines:
                return
            self._all_lines = on
            monitoring.set_events(self._tool, self._global_events())
            monitoring.restart_events()

    # -- callbacks (run on program threads; must never raise into the program) ----------------

    def _arm(self, code, events):
        try:
            monitoring.set_local_events(self._tool, code, events)
        except ValueError:
            # "tool N is not in use": the program freed it since. Register again and retry.
            if self._holds_tool() and self._active:
                monitoring.set_local_events(self._tool, code, events)

    def _on_py_start(self, code, offset):
        try:
            if code.co_name == "<module>":
                self._engine.on_module_start(code)
            has_lines, function_match = self._engine.interest(code)
            if has_lines or function_match:
                self._arm(code, self._local_events(code))
            shared = None
            if _FIRST_LINE_FROM_START and (has_lines or function_match or self._all_lines) and code.co_name != "<module>":
                shared = _first_instruction_of(code)[1]
            if shared is not None:
                frame = sys._getframe(1)
                if function_match:
                    self._engine.on_call(frame)
                self._engine.on_line(frame, shared)  # see _FIRST_LINE_FROM_START
                return None  # every call of it reports that line here
            if function_match:
                self._engine.on_call(sys._getframe(1))
                return None
        except Exception as error:
            self._engine.report_internal_error("PY_START", error)
        return monitoring.DISABLE

    def _on_py_resume(self, code, offset):
        try:
            if self._engine.interest(code)[0]:
                self._arm(code, self._events.LINE)
        except Exception as error:
            self._engine.report_internal_error("PY_RESUME", error)
        return monitoring.DISABLE

    def _on_line(self, code, line):
        try:
            frame = sys._getframe(1)
            handler = handler_offset(code)
            if handler is not None and frame.f_lasti >= handler:
                return monitoring.DISABLE  # an exception reaching a restart point: not a line of the program
            if _FIRST_LINE_FROM_START and frame.f_lasti < 80 and code.co_name != "<module>":
                offset, shared = _first_instruction_of(code)
                if line == shared and frame.f_lasti <= offset:
                    return None  # see _FIRST_LINE_FROM_START
            if self._engine.on_line(frame, line):
                return monitoring.DISABLE
        except Exception as error:
            self._engine.report_internal_error("LINE", error)
        return None

    def _on_return(self, code, offset, value):
        try:
            if self._engine.on_return(sys._getframe(1)):
                return monitoring.DISABLE
        except Exception as error:
            self._engine.report_internal_error("PY_RETURN", error)
        return None

    def _on_raise(self, code, offset, exception):
        try:
            self._engine.on_raise(sys._getframe(1), exception)
        except Exception as error:
            self._engine.report_internal_error("RAISE", error)

    def _on_unwind(self, code, offset, exception):
        try:
            self._engine.on_unwind(sys._getframe(1), exception)
        except Exception as error:
            self._engine.report_internal_error("PY_UNWIND", error)
