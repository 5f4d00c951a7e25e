"""Running the user's own code during an apply (new decorators, default values, imports, a
re-executed module body) while the program is held: the program is let go for that moment,
because such code may block (an import reads files) or wait for a lock a program thread
holds, and a held program would never let it finish (program_hold.py).
"""

import contextlib

_hold = None  # the ProgramHold of the apply in progress (one apply at a time: engine._busy)


@contextlib.contextmanager
def holding(hold):
    global _hold
    _hold = hold
    try:
        yield
    finally:
        _hold = None


def running_user_code():
    """Context manager around a call into the user's code."""
    return _hold.released() if _hold is not None else contextlib.nullcontext()
