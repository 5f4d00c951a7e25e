"""What the debugger does on a line, a call or an exception — shared by both tracers."""

import os
import threading

from ..code_lines import line_numbers
from ..commands import translated_line
from ..conditions import split_log_message
from ..paths import is_real_file_name
from ..restart.signal import RestartSignal

# RestartSignal unwinds frames for restartFrame: never an exception of the program's.
_CONTROL_FLOW_EXCEPTIONS = (StopIteration, StopAsyncIteration, GeneratorExit, RestartSignal)
_CACHE_LIMIT = 50000


class Engine:
    def __init__(self, session):
        self.session = session
        self._interest = {}  # id(code) -> (code, has breakpoint lines, function breakpoint)
        self._generation = None
        self._function_entries = {}  # thread ident -> (frame, breakpoint ids)
        self._last_exception = None
        self._problems_reported = set()
        self._loaded_files = set()
        self._frame_watches = {}  # id(code) -> (code, frame, watcher): see watch_frame()

    # -- which code needs tracing ---------------------------------------------------------------

    def invalidate(self):
        self._interest.clear()
        self._generation = self.session.breakpoints.generation

    def interest(self, code):
        """(has breakpoints on its lines, matches a function breakpoint), cached per code object."""
        store = self.session.breakpoints
        if self._generation != store.generation:
            self.invalidate()
        entry = self._interest.get(id(code))
        if entry is not None and entry[0] is code:
            return entry[1]
        lines = store.lines_in(self.session.classifier.key(code.co_filename))
        has_lines = bool(lines) and not {self.source_line(code, n) for n in line_numbers(code)}.isdisjoint(lines)
        has_lines = has_lines or self.is_watched(code)
        function_match = any(
            bp.name.rsplit(".", 1)[-1] == code.co_name for bp in store.function_breakpoints
        )
        result = (has_lines, function_match)
        if len(self._interest) > _CACHE_LIMIT:
            self._interest.clear()  # programs that exec fresh code forever must not grow us forever
        self._interest[id(code)] = (code, result)
        return result

    @staticmethod
    def source_line(code, line):
        """The line in today's file: code replaced by Apply Changes keeps its old numbering,
        and breakpoints are set on the edited file (the hotreload package translates)."""
        return translated_line(code, line)

    # -- frame watches (Apply Changes: a module body still running old code) --------------------

    def watch_frame(self, frame, watcher):
        """Report every line and the return of `frame` to `watcher` (None removes the watch).

        A watched frame's code counts as interesting, so each tracer traces it exactly as it
        traces code with a breakpoint: no global cost, and no reliance on call events.
        """
        code = frame.f_code
        previous = self._frame_watches.pop(id(code), None)
        if previous is not None and previous[2] is not watcher:
            previous[2].cancel()
        if watcher is not None:
            self._frame_watches[id(code)] = (code, frame, watcher)
        self.invalidate()

    def is_watched(self, code):
        entry = self._frame_watches.get(id(code)) if self._frame_watches else None
        return entry is not None and entry[0] is code

    def _notify_watch(self, frame, line, returning=False):
        """Returns True while `frame` is watched; a watcher that is done is removed."""
        code = frame.f_code
        entry = self._frame_watches.get(id(code))
        if entry is None or entry[0] is not code or entry[1] is not frame:
            return False
        try:
            keep = entry[2].on_return(frame) if returning else entry[2].on_line(frame, line)
        except Exception as error:  # a watcher must never break the program
            self.report_internal_error("frame watch", error)
            keep = False
        if not keep or returning:
            if self._frame_watches.get(id(code)) is entry:
                del self._frame_watches[id(code)]
                self.invalidate()  # the frame's code is no longer interesting because of it
            return False
        return True

    def code_is_interesting(self, code):
        has_lines, function_match = self.interest(code)
        return has_lines or function_match

    @property
    def busy(self):
        """Stopped, pausing or stepping: every user line matters."""
        stops = self.session.stops
        return stops.stopped or stops.pause_requested or stops.step is not None or bool(self._function_entries)

    # -- events -------------------------------------------------------------------------------

    def on_module_start(self, code):
        """A module body starts running: tell the client a user file is loaded (loadedSource)."""
        filename = code.co_filename
        classifier = self.session.classifier
        if filename in self._loaded_files or not is_real_file_name(filename) or classifier.is_library(filename):
            return
        self._loaded_files.add(filename)
        self.session.send_event(
            "loadedSource", {"reason": "new", "source": {"name": os.path.basename(filename), "path": filename}}
        )
        self.session.on_module_loaded(filename)

    def on_call(self, frame):
        """A call of code that matches a function breakpoint by name: stop on its first line."""
        session = self.session
        ident = threading.get_ident()
        if session.threads.is_agent(ident):
            return
        hits = []
        for bp in session.breakpoints.function_breakpoints:
            if bp.matches(frame) and self._passes(bp, frame):
                hits.append(bp.id)
        if hits:
            self._function_entries[ident] = (frame, hits)

    def on_line(self, frame, line):
        """Returns True when this line needs no further reports (the tracer may disable it)."""
        session = self.session
        if session.hold.closed:
            session.hold.checkpoint(frame)  # Apply Changes is switching code: wait here, unseen
        code = frame.f_code
        watched = bool(self._frame_watches) and self._notify_watch(frame, line)
        if self.busy:
            ident = threading.get_ident()
            entry = self._function_entries.get(ident)
            if entry is not None and entry[0] is frame:
                # An explicit function breakpoint stops even in library code, like a line one.
                del self._function_entries[ident]
                session.stops.suspend(frame, "function breakpoint", hit_breakpoint_ids=entry[1])
                return False
            if not session.classifier.may_stop_in(code.co_filename):
                return True  # justMyCode: library lines never stop, even while stepping
            if session.threads.is_agent(ident):
                return False
            stops = session.stops
            if stops.stopped:
                stops.park_if_stopped(frame)
            if stops.pause_requested:
                stops.suspend(frame, "pause")
                return False
            step = stops.step
            if step is not None and step.thread_id == ident:
                if step.swallow_check is not None and step.caller is None:
                    swallowed = step.swallow_check(frame)  # restart/swallow.py
                    if swallowed is not None:  # the restart will never come: stop where the program went on
                        stops.suspend(frame, "exception", step=step, **swallowed)
                        return False
                elif _step_finished(step, frame):
                    stops.suspend(frame, step.reason, step=step)
                    return False
            bps = session.breakpoints.at(session.classifier.key(code.co_filename), self.source_line(code, line))
            if bps:
                self._hit(frame, bps)
            return False
        bps = session.breakpoints.at(session.classifier.key(code.co_filename), self.source_line(code, line))
        if not bps:
            return not watched
        if session.threads.is_agent(threading.get_ident()):
            return False
        self._hit(frame, bps)
        return False

    def on_return(self, frame, suspending=False):
        """Stepping over/out of a return lands on the caller's line, as in VS Code and pdb.

        Returns True when the event needs no further reports from this code (library code)."""
        if self._frame_watches:
            self._notify_watch(frame, None, returning=True)
        session = self.session
        stops = session.stops
        step = stops.step
        if step is None or step.kind not in ("over", "out") or frame is not step.frame:
            return not session.classifier.may_stop_in(frame.f_code.co_filename)
        if is_coroutine_code(frame.f_code):
            if suspending:
                return False  # an await: the next line of this coroutine stops (see _step_finished)
            step.frame_returned = True
        if step.thread_id != threading.get_ident():
            return False
        classifier = session.classifier
        caller = frame.f_back
        if caller is None or classifier.is_agent(caller.f_code.co_filename):
            return False  # the program's last frame returns: run to the end
        if not classifier.may_stop_in(caller.f_code.co_filename):
            return False  # into library code: the next user line stops (see _step_finished)
        frames = []
        current = caller
        while current is not None:
            if not classifier.is_agent(current.f_code.co_filename):
                frames.append(current)
            current = current.f_back
        stops.suspend(caller, step.reason, event="return", frames=frames, step=step)
        return False

    def _hit(self, frame, bps):
        stop_ids = []
        for bp in bps:
            if not self._passes(bp, frame):
                continue
            if bp.log_message is not None:
                self._log(bp, frame)
                continue
            stop_ids.append(bp.id)
        if stop_ids:
            self.session.stops.suspend(frame, "breakpoint", hit_breakpoint_ids=stop_ids)

    def _passes(self, bp, frame):
        if bp.condition:
            try:
                if not eval(bp.condition, frame.f_globals, frame.f_locals):
                    return False
            except Exception as error:  # a broken condition stops, like PyCharm
                self.session.console(
                    "Breakpoint condition '%s' raised %s: %s; stopping so you can fix it.\n"
                    % (bp.condition, type(error).__name__, error)
                )
        bp.hits += 1
        if bp.hit_rule is not None and not bp.hit_rule.allows(bp.hits):
            return False
        return True

    def _log(self, bp, frame):
        pieces = []
        for kind, text in split_log_message(bp.log_message):
            if kind == "text":
                pieces.append(text)
                continue
            try:
                value = eval(text, frame.f_globals, frame.f_locals)
                pieces.append(value if isinstance(value, str) else self.session.variables.safe_repr.describe(value).text)
            except Exception as error:  # shown in the message
                pieces.append("<%s: %s>" % (type(error).__name__, error))
        self.session.console("".join(pieces) + "\n")

    # -- exceptions -----------------------------------------------------------------------------

    def on_raise(self, frame, exception):
        """`raised` filter: an exception was raised in (or propagated into) user code."""
        session = self.session
        if "raised" not in session.breakpoints.exception_filters:
            return
        if exception is self._last_exception or isinstance(exception, _CONTROL_FLOW_EXCEPTIONS):
            return
        if session.threads.is_agent(threading.get_ident()):
            return
        if not session.classifier.may_stop_in(frame.f_code.co_filename):
            return
        self._last_exception = exception
        self._stop_on_exception(frame, exception, "always", event="exception")

    def on_unwind(self, frame, exception):
        """`userUnhandled` filter: an exception leaves user code into library code."""
        session = self.session
        if "userUnhandled" not in session.breakpoints.exception_filters:
            return
        if exception is self._last_exception or isinstance(exception, _CONTROL_FLOW_EXCEPTIONS):
            return
        caller = frame.f_back
        classifier = session.classifier
        if caller is None or classifier.is_agent(caller.f_code.co_filename):
            return  # leaving the program: the `uncaught` filter's business
        if not classifier.may_stop_in(frame.f_code.co_filename) or classifier.may_stop_in(caller.f_code.co_filename):
            return
        if session.threads.is_agent(threading.get_ident()):
            return
        self._last_exception = exception
        self._stop_on_exception(frame, exception, "userUnhandled", event="exception")

    def on_uncaught(self, exc_type, exception, tb):
        """The program (or a thread) is about to die of `exception`: stop before it does."""
        session = self.session
        if "uncaught" not in session.breakpoints.exception_filters or session.disconnected:
            return
        if exception is self._last_exception or isinstance(exception, RestartSignal):
            return
        frames = []
        while tb is not None:
            if not session.classifier.is_agent(tb.tb_frame.f_code.co_filename):
                frames.append(tb.tb_frame)
            tb = tb.tb_next
        frames.reverse()
        if not frames:
            return
        self._last_exception = exception
        self._stop_on_exception(frames[0], exception, "unhandled", event="exception", frames=frames)

    def _stop_on_exception(self, frame, exception, break_mode, event, frames=None):
        name = type(exception).__name__
        message = _safe_str(exception)
        self.session.stops.suspend(
            frame,
            "exception",
            event=event,
            frames=frames,
            description="%s: %s" % (name, message) if message else name,
            text=name,
            exception=(type(exception), exception, exception.__traceback__),
            break_mode=break_mode,
        )

    # -- robustness -----------------------------------------------------------------------------

    def report_internal_error(self, where, error):
        """A bug in a trace callback must not break the program: report once, carry on."""
        key = (where, type(error))
        if key in self._problems_reported:
            return
        self._problems_reported.add(key)
        try:
            import traceback  # only when something went wrong: not paid at start-up

            detail = "".join(traceback.format_exception(type(error), error, error.__traceback__))
            self.session.console("Dapper agent: internal error in %s (the program continues):\n%s" % (where, detail))
        except Exception:
            pass


# inspect.CO_COROUTINE | CO_ITERABLE_COROUTINE | CO_ASYNC_GENERATOR (fixed values in every CPython;
# importing inspect for them would cost a noticeable part of the agent's start-up).
_COROUTINE_FLAGS = 0x80 | 0x100 | 0x200
_suspending_opcodes = []  # [the opcodes], once a return event first asks (opcode is not imported at start-up)


def _suspending():
    if not _suspending_opcodes:
        import opcode

        _suspending_opcodes.append(frozenset(opcode.opmap[name] for name in ("YIELD_VALUE", "YIELD_FROM") if name in opcode.opmap))
    return _suspending_opcodes[0]


def is_coroutine_code(code):
    return bool(code.co_flags & _COROUTINE_FLAGS)


def is_suspending(frame):
    """A `return` trace event that is really an await/yield suspension (Python < 3.12)."""
    code = frame.f_code.co_code
    offset = frame.f_lasti
    return 0 <= offset < len(code) and code[offset] in _suspending()


def _step_finished(step, frame):
    kind = step.kind
    if kind in ("in", "entry"):
        return True
    if kind == "restart":  # the new call's first line, not a finally block of a dropped frame
        return step.caller is not None and frame.f_back is step.caller
    if kind == "over" and frame is step.frame:
        return True
    # Finished once the frame we stepped from is no longer on this stack (it returned)…
    current = frame
    while current is not None:
        if current is step.frame:
            return False
        current = current.f_back
    # …except a coroutine that only awaits: other tasks run meanwhile; wait until it resumes.
    if step.frame is not None and is_coroutine_code(step.frame.f_code) and not step.frame_returned:
        return False
    return True


def _safe_str(exception):
    try:
        return str(exception)
    except Exception:
        return "<str() failed>"


def format_exception_details(exc_info):
    import traceback

    exc_type, exception, tb = exc_info
    return "".join(traceback.format_exception(exc_type, exception, tb))


def exception_type_name(exc_type):
    module = getattr(exc_type, "__module__", "builtins")
    return exc_type.__qualname__ if module in ("builtins", "__main__") else "%s.%s" % (module, exc_type.__qualname__)

