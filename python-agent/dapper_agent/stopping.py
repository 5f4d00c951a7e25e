"""Parking program threads while the debugger is stopped, and resuming them together.

A program thread that must stop calls `suspend()` from inside a trace callback (or from the
runner, for uncaught exceptions). The first thread to stop sends the `stopped` event and asks
the tracer to make every other thread report lines, so they park too (allThreadsStopped).
"""

import sys
import threading
import time


class StepRequest:
    """What the thread `thread_id` asked for: kind is "in", "over", "out" or "entry"."""

    def __init__(self, thread_id, kind, frame, depth, reason="step"):
        self.thread_id = thread_id
        self.kind = kind
        self.frame = frame
        self.depth = depth
        self.reason = reason
        self.frame_returned = False  # the frame stepped from has really returned (not suspended)
        self.caller = None  # kind "restart": the frame that makes the new call (set when it does)
        self.swallow_check = None  # kind "restart": frame -> stop keywords once the signal was swallowed


class ParkedThread:
    def __init__(self, ident, frame, frames, event, reason):
        self.ident = ident
        self.frame = frame
        self.frames = frames  # explicit frame list (top first) for tracebacks, else None
        self.event = event  # "line", "call", "exception"…: goto needs "line"
        self.reason = reason
        self.actions = []


def frame_depth(frame):
    depth = 0
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


class StopController:
    def __init__(self, session):
        self._session = session
        self.lock = threading.RLock()
        self._wake = threading.Condition(self.lock)
        self.stopped = False
        self.generation = 0
        self.parked = {}
        self.step = None
        self.pause_requested = False
        self.stop_thread = None
        self.stop_info = None  # {"reason", "exception": (type, value, tb), "breakMode"}
        self.closed = False
        self._saved_recursion_limit = None

    # -- program-thread side ----------------------------------------------------------------

    def suspend(self, frame, reason, event="line", frames=None, description=None, text=None, exception=None,
                break_mode=None, hit_breakpoint_ids=None, step=None):
        """Stop this thread and report it; returns when the user resumes.

        A pause (or the step `step`) that another thread's stop overtook is not reported
        again: this thread just parks with the others.
        """
        ident = threading.get_ident()
        session = self._session
        session.before_stop()
        transient = reason == "pause" or step is not None
        with self.lock:
            if transient and (self.stopped or (reason == "pause" and not self.pause_requested) or (step is not None and self.step is not step)):
                if self.stopped and not self.closed:
                    self._park(ident, frame, None, event, None)
                return
            while self.stopped and not self.closed:
                # Someone else is stopped (breakpoint, exception): wait for the resume, then
                # report our own stop so the hit is not lost.
                self._park(ident, frame, frames, event, reason)
            if self.closed:
                return
            self.stopped = True
            self.pause_requested = False
            self.step = None
            self.stop_thread = ident
            self.stop_info = {"reason": reason, "exception": exception, "breakMode": break_mode}
            session.on_stopped()
            body = {
                "reason": reason,
                "threadId": session.threads.dap_id(ident),
                "allThreadsStopped": True,
                "preserveFocusHint": False,
            }
            if description:
                body["description"] = description
            if text:
                body["text"] = text
            if hit_breakpoint_ids:
                body["hitBreakpointIds"] = list(hit_breakpoint_ids)
            if session.output is not None:  # attached programs and child processes keep their own output
                session.output.flush()
            # Register as parked first: the client asks for the stack as soon as it hears.
            self._park(ident, frame, frames, event, reason, announce=lambda: session.send_event("stopped", body))

    def park_if_stopped(self, frame, event="line"):
        """Called on every reported line while others are stopped: park silently."""
        if not self.stopped:
            return
        with self.lock:
            if self.stopped and not self.closed:
                self._park(threading.get_ident(), frame, None, event, None)

    def _park(self, ident, frame, frames, event, reason, announce=None):
        parked = ParkedThread(ident, frame, frames, event, reason)
        self.parked[ident] = parked
        generation = self.generation
        if len(self.parked) == 1:
            # The program may be stopped deep in a recursion: leave our own code room to work.
            self._saved_recursion_limit = sys.getrecursionlimit()
            sys.setrecursionlimit(self._saved_recursion_limit + 300)
        try:
            if announce is not None:
                announce()
            while self.generation == generation and not self.closed:
                if parked.actions:
                    action = parked.actions.pop(0)
                    action(parked)
                    continue
                self._wake.wait(0.5)
        finally:
            self.parked.pop(ident, None)
            if not self.parked and self._saved_recursion_limit is not None:
                sys.setrecursionlimit(self._saved_recursion_limit)
                self._saved_recursion_limit = None
        # Actions posted together with the resume (restartFrame…) run before the thread continues.
        while parked.actions:
            parked.actions.pop(0)(parked)
        self._session.on_thread_resumed()

    # -- channel side -------------------------------------------------------------------------

    def resume(self, step=None):
        """Resume every thread; `step` (a StepRequest) applies to its thread."""
        with self.lock:
            if not self.stopped:
                return False
            self.stopped = False
            self.stop_thread = None
            self.stop_info = None
            self.step = step
            self.generation += 1
            self._session.on_resumed()
            self._wake.notify_all()
            return True

    def post_action(self, ident, action):
        """Run `action(parked_thread)` on a parked thread, inside its trace callback."""
        with self.lock:
            parked = self.parked.get(ident)
            if parked is None:
                return False
            parked.actions.append(action)
            self._wake.notify_all()
            return True

    def request_pause(self):
        with self.lock:
            if self.stopped:
                return
            self.pause_requested = True
            self._session.on_pause_requested()

    def claim_pause_stop_without_thread(self, ident):
        """No thread reached Python code in time (all blocked in C): report the pause anyway."""
        self._session.before_stop()
        with self.lock:
            if not self.pause_requested or self.stopped:
                return
            self.stopped = True
            self.pause_requested = False
            self.step = None
            self.stop_thread = ident
            self.stop_info = {"reason": "pause", "exception": None, "breakMode": None}
            self._session.on_stopped()
            self._session.send_event(
                "stopped",
                {"reason": "pause", "threadId": self._session.threads.dap_id(ident), "allThreadsStopped": True},
            )

    def close(self):
        """Disconnected: let everything run and never park again."""
        with self.lock:
            self.closed = True
            self.stopped = False
            self.step = None
            self.pause_requested = False
            self.generation += 1
            self._wake.notify_all()

    def wait_for_pause(self, timeout, fallback_ident):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.pause_requested:
                return
            time.sleep(0.01)
        self.claim_pause_stop_without_thread(fallback_ident)
