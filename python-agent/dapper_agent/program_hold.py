"""Holding every program thread off Python bytecode while the agent switches code (Apply
Changes while the program runs), without stopping the program as the user sees it.

Two mechanisms, because neither is enough alone (docs/apply-changes.md, "While the program
runs"):

- A gate in the tracer: while it is closed, a program thread parks at its next traced line
  (every line, as while pausing) and waits there, off the GIL, until the gate opens. No
  `stopped` or `continued` event is sent: the program never appears paused.
- The GIL switch interval, lowered while the running threads settle (each needs the GIL once
  to reach the gate) and raised once they have parked: a thread coming back
  from C (sleep, a socket, a lock) then waits for the GIL instead of forcing the agent to hand
  it over. Raised only after the threads settled: a thread still waiting for the GIL with the
  old, short interval would take it over and keep it for the whole raised interval. Nothing
  inside `held()` may block (no I/O, no lock another thread holds), and the interval is
  restored in a `finally` — to what it was before the hold: the program's own value, or the
  lowered one while an apply hint is active (switch_interval.py owns the interval).

Free-threaded builds (no GIL: `sys._is_gil_enabled()` is False) rely on the gate alone.
"""

import contextlib
import sys
import threading
import time
from collections import deque

# How long the running threads get to reach the gate (most need well under a millisecond).
SETTLE_LIMIT_SECONDS = 0.25
_SETTLE_POLL_SECONDS = 0.001


# The most recent holds, oldest first: what a thread waited at the gate, as the threads saw it
# (bench/apply-while-running.py reads this in the program's process to compare each thread's
# wait with the apply's latency). Timed with time.perf_counter().
RECENT_HOLDS = deque(maxlen=200)


class HoldRecord:
    __slots__ = ("started", "settled", "ended", "parks", "longest_held", "longest_wait")

    def __init__(self, started):
        self.started = started
        self.settled = None  # when the running threads had settled (the gate first closed)
        self.ended = None
        self.parks = 0  # times a thread parked at the gate during this hold
        self.longest_held = 0.0  # seconds, the longest of them from parking to the gate opening
        self.longest_wait = 0.0  # ... to the thread running again (its wait for the GIL included)


# co_filename of importlib's own code (frozen into the interpreter on 3.9-3.13+).
_IMPORT_MACHINERY = "<frozen importlib."

# id() of the code of the agent functions that run the program's own code (the main script, a
# thread's target, a restarted call): below one of them, a thread is in the program.
_PROGRAM_ENTRIES = set()


def program_entry(function):
    """Marks an agent function that calls the program's own code: a thread running that code
    may be held there (see ProgramHold.checkpoint). Only functions that hold no lock of the
    agent's while the program's code runs."""
    _PROGRAM_ENTRIES.add(id(function.__code__))
    return function


def may_wait_here(frame, is_agent_file):
    """Whether a thread at this frame may wait for an apply: only where it can hold no lock the
    agent needs. Not while any of its frames is in Python's import machinery: an import under
    way holds that module's lock (and, briefly, the import lock), and an import the apply makes
    (the engine imports lazily; so does the standard library) would wait for it forever — even
    the module's own body (a library `import dis` runs `namedtuple`'s `<string>` code) is part
    of that import. Not while the agent's own code is running on the thread (start-up, a
    wrapper of the agent's, output), which may hold the agent's locks, except where it runs the
    program's code (`program_entry`). Such a thread waits at its first line past them."""
    while frame is not None:
        code = frame.f_code
        filename = code.co_filename
        if filename.startswith(_IMPORT_MACHINERY):
            return False
        if is_agent_file(filename):
            return id(code) in _PROGRAM_ENTRIES
        frame = frame.f_back
    return True


class ProgramHold:
    def __init__(self, session):
        self._session = session
        self._closed = False
        self._opened = threading.Event()
        self._opened.set()
        self._parked = set()
        self._parked_lock = threading.Lock()
        # Notified at each park, so the settle looks again at once instead of at its next poll.
        self._parked_changed = threading.Condition(self._parked_lock)
        self._parks = 0  # threads parked so far (under _parked_lock)
        self.last_settled = None  # whether the last hold saw every running thread settle
        self._raised = False  # whether this hold raised the switch interval
        self._depth = 0  # begin() calls not yet ended
        self._depth_lock = threading.Lock()  # agent threads only: no program thread takes it
        self._record = None  # HoldRecord of the hold under way
        self._opened_at = 0.0  # time.perf_counter() when the gate last opened

    @property
    def closed(self):
        return self._closed

    def checkpoint(self, frame):
        """Called by the tracer on each traced line of any thread: parks program threads while
        the gate is closed, where they can hold no lock the agent needs (may_wait_here). Costs
        one attribute read otherwise."""
        if not self._closed:
            return
        ident = threading.get_ident()
        session = self._session
        if session.threads.is_agent(ident) or not may_wait_here(frame, session.classifier.is_agent):
            return
        with self._parked_changed:
            self._parked.add(ident)
            self._parks += 1
            self._parked_changed.notify_all()
            record = self._record
        parked_at = time.perf_counter()
        try:
            self._opened.wait()
        finally:
            going_on = time.perf_counter()
            with self._parked_lock:
                self._parked.discard(ident)
                if record is not None:
                    record.parks += 1
                    record.longest_held = max(record.longest_held, min(self._opened_at, going_on) - parked_at)
                    record.longest_wait = max(record.longest_wait, going_on - parked_at)

    @contextlib.contextmanager
    def held(self):
        """Inside the block no program thread runs Python bytecode (see the module docstring).
        Call on an agent thread, never while holding a lock a program thread may want.
        Nests with begin()/end() and other held() blocks: the program goes on at the last end."""
        self.begin()
        try:
            yield self
        finally:
            self.end()

    def begin(self):
        """Start holding (or hold once more); each begin() needs its end()."""
        with self._depth_lock:
            self._depth += 1
            if self._depth > 1:
                return
            with self._parked_lock:
                self._record = HoldRecord(time.perf_counter())
            # The gate closes before every line is traced: a thread running a line while lines
            # are turned on would otherwise find the gate open, and the tracer would switch that
            # line off as uninteresting (sys.monitoring DISABLE; settrace drops the frame) — for
            # the whole hold, so a loop of such lines never parks, and with the switch interval
            # raised it keeps the GIL from the agent for seconds at a time.
            self._opened.clear()
            self._closed = True
            tracer = self._session.tracer
            if tracer is None:
                self._close()
                return
            # Lowered from here (switch_interval.py): before 3.12 turning every line on wakes
            # each thread with a C call that gives up the GIL on the way.
            with self._session.switch_interval.settling():
                tracer.set_all_lines(True)
                self._close()

    def end(self):
        with self._depth_lock:
            self._depth -= 1
            if self._depth > 0:
                return
            self._open()
            with self._parked_lock:
                record, self._record = self._record, None
            if record is not None:
                record.ended = time.perf_counter()
                RECENT_HOLDS.append(record)
            tracer = self._session.tracer
            if tracer is not None:
                stops = self._session.stops
                tracer.set_all_lines(stops.stopped or stops.pause_requested or stops.step is not None)

    @contextlib.contextmanager
    def released(self):
        """Inside `held()`: let the program run for a moment (the agent is about to run user
        code that may block, or wait for a lock a program thread holds), then hold it again."""
        if not self._closed:
            yield
            return
        self._open()
        try:
            yield
        finally:
            self._close()

    def _close(self):
        self._opened.clear()
        self._closed = True
        switch_interval = self._session.switch_interval
        if self._session.tracer is None:
            self.last_settled = True  # nothing traces the program's threads: nothing to wait for
            self._raised = switch_interval.set_held(True)
        else:
            # Lowered while the threads settle (each needs the GIL once to park), and raised
            # before the lowered value is let go.
            with switch_interval.settling():
                self.last_settled = self._settle()
                if self.last_settled:
                    self._raised = switch_interval.set_held(True)
        record = self._record
        if record is not None and record.settled is None:
            record.settled = time.perf_counter()

    def _open(self):
        if self._raised:
            # First: the threads must not wake to a raised interval.
            self._session.switch_interval.set_held(False)
            self._raised = False
        self._closed = False
        self._opened_at = time.perf_counter()
        self._opened.set()

    def _settle(self):
        """Wait until every program thread is parked at the gate or makes no progress (blocked
        in C, stopped by the debugger). False if some thread kept running (code the tracer
        does not see, e.g. a library loop before 3.12).

        Each park wakes this up to look again: when every running thread parks, the settle
        ends with the last of them. A thread that has not parked is taken as not moving only
        when it stayed where it was for a whole poll interval with no thread parking meanwhile."""
        deadline = time.monotonic() + SETTLE_LIMIT_SECONDS
        previous = None
        tracer = self._session.tracer
        while True:
            with self._parked_lock:
                parks = self._parks
            positions = self._running_positions()
            if not positions or positions == previous:
                return True
            if time.monotonic() > deadline:
                return False
            if tracer is not None:
                # Before 3.12 a running thread is woken to tracing by the agent, which may lose
                # the GIL while waking threads: one that called a function meanwhile was missed,
                # and would run on untraced, never parking. So every thread is woken again before
                # each look (threads already traced are left alone; from 3.12 this does nothing):
                # settled means no thread moved since it was last woken.
                tracer.set_all_lines(True)
            with self._parked_changed:
                someone_parked = self._parked_changed.wait_for(lambda: self._parks != parks, _SETTLE_POLL_SECONDS)
            previous = None if someone_parked else positions

    def _running_positions(self):
        """{ident: (top frame, its last instruction)} of program threads not parked here."""
        agent = self._session.threads.agent_idents
        with self._parked_lock:
            parked = set(self._parked)
        stopped = self._session.stops.parked
        positions = {}
        for ident, frame in sys._current_frames().items():
            if ident in agent or ident in parked or ident in stopped:
                continue
            positions[ident] = (id(frame), frame.f_lasti)
        return positions
