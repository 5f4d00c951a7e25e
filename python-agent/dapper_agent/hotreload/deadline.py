"""The time by which an apply must have switched the code, or not switch it at all.

The client gives up on an answer after its own timeout; an apply still working then would
land after the client was told it failed. The agent checks the deadline between the phases
of an apply and last right before the switch, which itself is short and never blocks.
"""

import time

from . import diagnostics as d


class Deadline:
    def __init__(self, monotonic_deadline, path):
        self._at = monotonic_deadline
        self._path = path

    def check(self):
        if self._at is None or time.monotonic() <= self._at:
            return
        message = ("Apply Changes took longer than the debugger waits for it, so it was cancelled before "
                   "changing anything; the program runs its old code. Apply a smaller change, or again.")
        raise d.HotReloadRefused(message, [d.diagnostic(d.APPLY_TIMED_OUT, d.ERROR, message, self._path, 1)])
