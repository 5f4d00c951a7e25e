"""The one place the agent changes the GIL switch interval (`sys.setswitchinterval`).

Three reasons to change it, which can overlap:

- *Held* (program_hold.py): raised to a long interval while every program thread is parked,
  so that a thread coming back from C waits for the GIL instead of taking it from the agent.
- *Hinted* (hotreload/apply_hint.py, `prepareApply`): lowered while the user edits a file of
  a running program, so that the agent's reader thread, coming back from the socket with the
  apply, waits about one short interval for the GIL instead of one 5 ms interval per busy
  program thread. Never raised by a hint: a program that set a shorter interval keeps it.
- *Settling* (program_hold.py): lowered the same way while a hold turns tracing on and waits
  for the running threads to park at its gate, each of which needs the GIL once to get there.
  At the default 5 ms most holds still settled in about 2 ms, but a session's first hold,
  which before 3.12 also imports ctypes to wake the threads (each file it reads a wait for
  the GIL), took 0.5 s; lowered, about 0.1 s (docs/benchmarks.md, "apply while running").

Whatever the agent sets, it goes back to the program's own value once neither reason holds.
The program's value is read when the agent first changes the interval; if the program sets
the interval itself meanwhile (the value found differs from what the agent last set), that
becomes the program's value and is what is restored.

Free-threaded builds running without the GIL: nothing is changed.
Called on agent threads only; the lock is never taken by a program thread, and nothing under
it blocks.
"""

import contextlib
import sys
import threading

# Long enough for any commit; bounded so that a mistake costs seconds, not a hang.
HELD_SWITCH_INTERVAL = 5.0
# While a hint is active or a hold settles (docs/benchmarks.md, "apply while running": what was measured).
HINTED_SWITCH_INTERVAL = 0.0005


def _set(seconds):
    """sys.setswitchinterval, so that a value read back from sys.getswitchinterval() is stored
    again as it was: CPython keeps whole microseconds, truncating, and reads 100 of them back as
    9.999999999999999e-05 s, which set again as it is became 99 (a program's 0.1 ms came back
    as 0.099 ms after each apply)."""
    microseconds = round(seconds * 1e6)
    if microseconds >= 1 and abs(microseconds - seconds * 1e6) < 1e-3:
        seconds = (microseconds + 0.25) / 1e6  # truncated to `microseconds` however it is rounded
    sys.setswitchinterval(seconds)


def gil_enabled():
    """False on a free-threaded build running without the GIL (3.13t and newer)."""
    probe = getattr(sys, "_is_gil_enabled", None)
    return True if probe is None else bool(probe())


class SwitchInterval:
    def __init__(self, hinted_interval=HINTED_SWITCH_INTERVAL, held_interval=HELD_SWITCH_INTERVAL):
        self._lock = threading.Lock()
        self._hinted_interval = hinted_interval
        self._held_interval = held_interval
        self._held = False
        self._hinted = False
        self._settling = 0  # settling() blocks under way
        self._program_value = None  # the program's own interval while the agent has changed it
        self._agent_value = None  # what the agent last set (read back), None when untouched

    @property
    def hinted(self):
        return self._hinted

    def set_held(self, held):
        """Raise (True) or stop raising (False) the interval; returns whether it was changed."""
        with self._lock:
            if not gil_enabled():
                return False
            self._held = bool(held)
            self._update()
            return True

    def set_hinted(self, hinted):
        """Lower (True) or stop lowering (False) the interval; returns whether it was lowered."""
        with self._lock:
            if not gil_enabled():
                return False
            self._hinted = bool(hinted)
            self._update()
            return self._hinted

    @contextlib.contextmanager
    def settling(self):
        """Lowered inside the block, as while hinted (the held value still wins). Nests."""
        self._set_settling(1)
        try:
            yield
        finally:
            self._set_settling(-1)

    def _set_settling(self, change):
        with self._lock:
            self._settling += change
            if gil_enabled():
                self._update()

    def _current_program_value(self):
        current = sys.getswitchinterval()
        if self._agent_value is None or current != self._agent_value:
            # Untouched, or the program set its own value since the agent last did.
            self._program_value = current
        return self._program_value

    def _update(self):
        program = self._current_program_value()
        if self._held:
            wanted = self._held_interval
        elif self._hinted or self._settling:
            wanted = min(self._hinted_interval, program)
        else:
            wanted = program
        if wanted != sys.getswitchinterval():
            _set(wanted)
        if self._held or self._hinted or self._settling:
            self._agent_value = sys.getswitchinterval()  # as CPython stored it (microseconds)
        else:
            self._agent_value = None  # back to the program's value: nothing of ours remains
            self._program_value = None
