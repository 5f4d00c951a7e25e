"""The one place the agent changes the GIL switch interval (`sys.setswitchinterval`).

Three reasons to change it, which can overlap:

- *Held* (program_hold.py): raised to a long interval while every program thread is parked,
  so that a thread coming back from C waits for the GIL instead of taking it from the agent.
- *Hinted* (hotreload/apply_hint.py, `prepareApply`): lowered while the user edits a file of
  a running program, so that the agent's reader thread, coming back from the socket with the
  apply, waits about one short interval for the GIL instead of one 5 ms interval per busy
  program thread. Never raised by a hint: a program that set a shorter interval keeps it.
- *Settling* (program_hold.py): lowered the same way while a hold turns tracing on and waits
  for the running threads to park at its gate, each of which needs the GIL once to get there;
  also while the reader imports a command's module on its first request (channel.py) and
  while `openDoorbell` starts the doorbell, each file or thread start a wait for the GIL.
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
# What the doorbell writes (interval_doorbell.py): 97 microseconds, a value of its own so that
# it cannot be mistaken for the program's or the hint's. Kept only until the reader has read
# the request (about one short interval per busy thread), then the hinted value while the
# request is handled: the agent's own work would lose the GIL every 97 us.
RING_MICROSECONDS = 97
# A ring whose request never comes (the adapter went away between the two) is forgotten then.
RING_LIFETIME_SECONDS = 2.0


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
        # The doorbell (interval_doorbell.py): rings taken, and requests marked `rang` read and
        # answered. Ring n goes with the n-th such request, whichever the agent sees first.
        self._doorbell_open = False
        self._armed_program_value = None  # the program's value when the doorbell was last armed
        self._rings = 0
        self._rang_read = 0
        self._rang_answered = 0
        self._ring_done = threading.Condition(self._lock)

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

    def locate_word(self):
        """The address of CPython's own copy of the interval (switch_interval_word.py), found by
        setting three values in turn; the interval is back to what it was when this returns.
        Raises switch_interval_word.NotFound (also on builds without the GIL)."""
        from . import switch_interval_word

        with self._lock:
            if not gil_enabled():
                raise switch_interval_word.NotFound("this build runs without the GIL")
            saved = sys.getswitchinterval()
            try:
                return switch_interval_word.locate(_set)
            finally:
                _set(saved)

    def arm_doorbell(self, address):
        """Called by the doorbell just before it waits for a ring: remembers the program's own
        value, which a ring overwrites. False if the word no longer holds the interval (then
        the doorbell closes rather than write there)."""
        from .switch_interval_word import holds

        with self._lock:
            current = sys.getswitchinterval()
            if not holds(address, current):
                return False
            self._doorbell_open = True
            self._armed_program_value = self._current_program_value()
            return True

    def close_doorbell(self):
        with self._lock:
            self._doorbell_open = False
            self._rings = self._rang_read
            self._update_if_enabled()

    def rung(self, torn=False):
        """The doorbell's peer rang (its bytes are in the interval already): lowered until the
        request it announced is answered. `torn`: only part of the ring arrived, so the word
        holds neither value, and is set again first."""
        with self._lock:
            if torn:
                _set((RING_MICROSECONDS + 0.25) / 1e6)
            self._rings += 1
            self._update_if_enabled()

    def wait_ring_answered(self, timeout=RING_LIFETIME_SECONDS):
        """Block (the doorbell's thread) until no ring is waiting for its request's answer; a
        ring still unmatched after `timeout` is forgotten and the interval goes back."""
        with self._lock:
            if not self._ring_done.wait_for(lambda: not self._ringing(), timeout):
                self._rings = max(self._rang_read, self._rang_answered)
                self._update_if_enabled()

    def rang_request_read(self):
        """The reader read a request the adapter rang for."""
        with self._lock:
            self._rang_read += 1
            self._update_if_enabled()

    def rang_request_answered(self):
        with self._lock:
            self._rang_answered += 1
            self._update_if_enabled()
            self._ring_done.notify_all()

    def restore_after_fork(self):
        """In a forked child (forked_child.forget_parent_connection): set the program's own interval
        again if the agent had changed it when the process forked (a hint, a hold settling, a
        ring); the child would otherwise keep that value for good. Reads without the lock,
        which a thread of the parent (gone in the child) may have held at the fork."""
        if self._agent_value is not None:
            program = self._program_value
        elif self._doorbell_open and round(sys.getswitchinterval() * 1e6) == RING_MICROSECONDS:
            program = self._armed_program_value
        else:
            return
        if program is not None and gil_enabled():
            _set(program)

    def _ringing(self):
        return max(self._rings, self._rang_read) > self._rang_answered

    def _update_if_enabled(self):
        if gil_enabled():
            self._update()

    def _current_program_value(self):
        current = sys.getswitchinterval()
        if self._doorbell_open and round(current * 1e6) == RING_MICROSECONDS:
            # The doorbell's bytes, written without the agent knowing yet: the program's value
            # is the one it had when the doorbell was armed, or the one kept while the agent's
            # own value was in place.
            if self._agent_value is None:
                self._program_value = self._armed_program_value
            return self._program_value
        if self._agent_value is None or current != self._agent_value:
            # Untouched, or the program set its own value since the agent last did.
            self._program_value = current
        return self._program_value

    def _update(self):
        program = self._current_program_value()
        if self._held:
            wanted = self._held_interval
        elif self._rings > self._rang_read:
            # Rung, and the reader has not read the request yet: as the ring left it.
            wanted = min(RING_MICROSECONDS / 1e6, program)
        elif self._hinted or self._settling or self._ringing():
            wanted = min(self._hinted_interval, program)
        else:
            wanted = program
        if wanted != sys.getswitchinterval():
            _set(wanted)
        if self._held or self._hinted or self._settling or self._ringing():
            self._agent_value = sys.getswitchinterval()  # as CPython stored it (microseconds)
        else:
            self._agent_value = None  # back to the program's value: nothing of ours remains
            self._program_value = None
            if self._doorbell_open:
                self._armed_program_value = program
