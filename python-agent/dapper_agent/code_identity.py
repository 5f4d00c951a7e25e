"""Which code a frame "really" runs.

The 3.9–3.11 tracer gives functions that hold breakpoints a copy of their code with probes in
it (tracing/probes.py). Everything that identifies code — stale-frame marks, Apply Changes'
comparison with the old file, line translation — asks here first and sees the original.
"""

import weakref

_originals = {}  # id(instrumented copy) -> (weak reference to it, original code)


def register(instrumented, original):
    key = id(instrumented)
    if key in _originals:
        return

    def forget(_reference, key=key):
        _originals.pop(key, None)

    _originals[key] = (weakref.ref(instrumented, forget), original)


def original_code(code):
    """`code` itself, or the original that an instrumented copy was made from."""
    entry = _originals.get(id(code))
    if entry is None or entry[0]() is not code:
        return code
    return entry[1]
