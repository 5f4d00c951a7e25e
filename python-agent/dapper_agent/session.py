"""The debug session: the one object every command handler receives.

The Apply Changes engine (`dapper_agent.hotreload`) uses only the public methods
documented in python-agent/README.md ("Extension points for Apply Changes").
"""

import contextlib
import threading

from . import commands
from .breakpoints import BreakpointStore
from .code_identity import original_code
from .frames import FrameRegistry
from .paths import CodeClassifier
from .program_hold import ProgramHold
from .sources import SourceRegistry
from .stopping import StepRequest, StopController, frame_depth
from .switch_interval import SwitchInterval
from .threads import ThreadRegistry, start_agent_thread
from .variables import VariableRegistry


class Session:
    def __init__(self, channel=None):
        self.channel = channel
        self.classifier = CodeClassifier()
        self.threads = ThreadRegistry()
        self.breakpoints = BreakpointStore(send_event=self.send_event)
        self.stops = StopController(self)
        self.frames = FrameRegistry(self)
        self.switch_interval = SwitchInterval()  # the GIL switch interval: held, hinted, the program's
        self.hold = ProgramHold(self)  # Apply Changes while running: program threads off bytecode
        self.variables = VariableRegistry(self)
        self.sources = SourceRegistry()
        self.output = None  # output.OutputCapture, installed by the runner
        self.tracer = None  # tracing.Tracer, chosen once at start-up
        self.engine = None  # tracing.engine.Engine
        self.configured = threading.Event()
        self.stop_on_entry = False
        self.main_globals = None
        self.program_started = False
        self.terminate_requested = False
        self.died_of_interrupt = False
        self.disconnected = False
        # child_processes.ChildProcessConfig when the program's Python children are debugged too.
        self.child_processes = None
        # The program as typed: [interpreter, script | -m module | -c code, args…] (child hello).
        self.command_line = None
        self._stale_code = {}
        self._after_response = []
        self._stop_listeners = []
        self._module_load_listeners = []

    # -- messages -------------------------------------------------------------------------------

    def send_event(self, event, body=None):
        """Send a DAP-shaped event to the adapter (dropped silently once disconnected)."""
        channel = self.channel
        if channel is not None:
            channel.send({"type": "event", "event": event, "body": body or {}})

    def send_event_after_response(self, event, body):
        """For events DAP orders after the response of the request being handled (goto…)."""
        self.after_response(lambda: self.send_event(event, body))

    def after_response(self, action):
        """Run `action` once the response of the request being handled is sent: a resume
        must not let a thread report its next stop before the adapter hears the answer."""
        self._after_response.append(action)

    def take_actions_after_response(self):
        actions, self._after_response = self._after_response, []
        return actions

    def console(self, text):
        """Text for the Debug Console (category console), in order with program output."""
        if self.output is not None:
            self.output.flush()
        self.send_event("output", {"category": "console", "output": text})

    def flush_output(self):
        """Send buffered program output now (before exec replaces the process)."""
        if self.output is not None and not self.disconnected:
            try:
                self.output.flush()
            except Exception:  # exec must go ahead regardless
                pass

    def start_agent_thread(self, target, name, *args):
        return start_agent_thread(self.threads, target, name, *args)

    # -- state for Apply Changes -------------------------------------------------------------

    @property
    def is_stopped(self):
        return self.stops.stopped

    def stopped_threads(self):
        """While stopped: [{"threadId", "ident", "name", "frames": [(frameId, frame), …]}], top frame first."""
        result = []
        for thread in self.threads.program_threads():
            frames = self.frames.visible_frames(thread.ident)
            result.append(
                {
                    "threadId": self.threads.dap_id(thread.ident),
                    "ident": thread.ident,
                    "name": thread.name,
                    "frames": [(self.frames.id_for(f, thread.ident), f) for f in frames],
                }
            )
        return result

    def frame_by_id(self, frame_id):
        """The frame object for a frame id from stackTrace, or None."""
        return self.frames.get(frame_id)[0]

    def thread_of_frame(self, frame_id):
        """The thread ident owning a frame id, or None."""
        return self.frames.get(frame_id)[1]

    def mark_stale(self, codes):
        """Frames running one of these code objects show as `… [old code]`, hint "subtle"."""
        for code in codes:
            self._stale_code[id(code)] = code

    def is_stale(self, code):
        """Also True for a breakpoint-probe copy of stale code (code_identity)."""
        for candidate in (code, original_code(code)):
            entry = self._stale_code.get(id(candidate))
            if entry is not None and entry is candidate:
                return True
        return False

    def rearm(self):
        """Breakpoints or code changed (e.g. new `__code__` installed): re-arm the tracer."""
        if self.tracer is not None:
            self.tracer.refresh()

    def watch_frame(self, frame, watcher):
        """Report each line of `frame` (a running frame, e.g. a module body) to
        `watcher.on_line(frame, line) -> keep_watching` on its own thread, before breakpoints
        and steps are checked, and its return to `watcher.on_return(frame)`. One watcher per
        frame: a new one (or None) replaces the previous, whose `cancel()` is called.
        The frame is traced like code with a breakpoint, so nothing else gets slower."""
        if self.engine is not None:
            self.engine.watch_frame(frame, watcher)
        self.rearm()

    @contextlib.contextmanager
    def code_change(self):
        """Around installing new code (Apply Changes): instrumented copies are handed back
        first, so the change sees the program's own code; the tracer re-arms afterwards."""
        if self.tracer is not None:
            self.tracer.release_code()
        try:
            yield
        finally:
            self.rearm()

    def rearm_thread(self):
        """Call on a program thread after an exception raised by a posted action unwound
        through its frames: before 3.12 CPython drops the thread's tracer in that case."""
        if self.tracer is not None:
            self.tracer.check_thread()

    def post_to_stopped_thread(self, ident, action):
        """Queue `action(parked_thread)` to run on that parked thread, inside its trace
        callback (`parked_thread.frame` is its top frame). Runs at once while still stopped,
        or just before the thread continues if you call `resume()` right after.
        Returns False when the thread is not parked."""
        return self.stops.post_action(ident, action)

    def resume(self, step_kind=None, ident=None, reason="step", frame=None):
        """Resume all threads; with step_kind ("in", "over", "out") the thread `ident` stops
        again per that step, reporting `reason` (e.g. "restart" after restartFrame)."""
        step = None
        if step_kind is not None:
            if frame is None:
                parked = self.stops.parked.get(ident)
                frames = self.frames.visible_frames(ident) if parked is not None else []
                frame = frames[0] if frames else None
            step = StepRequest(ident, step_kind, frame, frame_depth(frame), reason)
        return self.stops.resume(step)

    # -- tracer coordination (called by StopController under its lock) -----------------------

    def add_stop_listener(self, listener):
        """listener(session) runs on the stopping thread each time the program stops, before
        the `stopped` event is sent (keep it short; exceptions are reported, not raised)."""
        self._stop_listeners.append(listener)

    def add_module_load_listener(self, listener):
        """listener(session, filename) runs on the importing thread when a user file's module
        body starts for the first time (keep it short; exceptions are reported, not raised)."""
        self._module_load_listeners.append(listener)

    def on_module_loaded(self, filename):
        for listener in list(self._module_load_listeners):
            try:
                listener(self, filename)
            except Exception as error:
                self.console("Dapper agent: a module load listener failed: %s: %s\n" % (type(error).__name__, error))

    def before_stop(self):
        """On the thread about to stop, before the stop lock is taken: the handlers of what a
        client asks at a stop are imported now (commands._STOP_COMMANDS), once, before lines
        are traced everywhere and before any thread is parked (a thread parked while importing
        a module they import too would hold its import lock)."""
        commands.load_for_stop()

    def on_stopped(self):
        if self.tracer is not None:
            self.tracer.set_all_lines(True)
        for listener in list(self._stop_listeners):
            try:
                listener(self)
            except Exception as error:
                self.console("Dapper agent: a stop listener failed: %s: %s\n" % (type(error).__name__, error))

    def on_resumed(self):
        self.frames.clear()
        self.variables.clear()
        if self.tracer is not None:
            needs_lines = self.stops.step is not None or self.stops.pause_requested
            self.tracer.set_all_lines(needs_lines)

    def on_thread_resumed(self):
        """On a program thread leaving a stop (it may go back to running untraced)."""
        if self.tracer is not None:
            self.tracer.settle()

    def on_pause_requested(self):
        if self.tracer is not None:
            self.tracer.set_all_lines(True)
        main = threading.main_thread()
        fallback = main.ident if main.is_alive() else None
        if fallback is None:
            threads = self.threads.program_threads()
            fallback = threads[0].ident if threads else threading.get_ident()
        self.start_agent_thread(self.stops.wait_for_pause, "dapper-pause-watch", 1.0, fallback)

    # -- lifecycle ----------------------------------------------------------------------------

    def restart_in_forked_child(self, channel):
        """A forked child's fresh start on its own connection. The same object is kept, because
        the hooks installed in the program (exit, excepthook, breakpoint(), process creation)
        refer to it; every registry is new, as the parent's threads and locks are not here."""
        command_line = self.command_line
        self.__init__(channel)
        self.command_line = command_line

    def detach(self):
        """Remove every hook and let the program run on (adapter gone or disconnect)."""
        if self.disconnected:
            return
        self.disconnected = True
        self.breakpoints.clear()
        if self.tracer is not None:
            self.tracer.stop()
        self.stops.close()
        self.configured.set()
        if self.output is not None:
            self.output.detach()
        channel, self.channel = self.channel, None
        if channel is not None:
            if not threading.current_thread().name.startswith("dapper-"):
                channel.drain()
            channel.close()
