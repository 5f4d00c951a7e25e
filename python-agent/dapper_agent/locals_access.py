"""Writing a frame's local variables: the one place that knows how each Python does it.

3.9–3.12: `frame.f_locals` is a snapshot dict; a write sticks only after
`PyFrame_LocalsToFast`. 3.13+: `frame.f_locals` is a write-through proxy.
"""

import sys


class _ProxyLocals:
    @staticmethod
    def namespace(frame):
        return frame.f_locals

    @staticmethod
    def commit(frame):
        """Nothing to do: the proxy already wrote through to the frame."""


class _SnapshotLocals:
    def __init__(self):
        self._locals_to_fast = None

    @staticmethod
    def namespace(frame):
        # Reading f_locals refreshes the snapshot from the fast locals; take it once per edit.
        return frame.f_locals

    def commit(self, frame):
        if self._locals_to_fast is None:
            # ctypes only here, on the first write: nothing else in the agent needs it.
            import ctypes

            locals_to_fast = ctypes.pythonapi.PyFrame_LocalsToFast
            locals_to_fast.argtypes = [ctypes.py_object, ctypes.c_int]
            locals_to_fast.restype = None
            self._locals_to_fast = locals_to_fast
        self._locals_to_fast(frame, 0)


def _choose():
    if sys.version_info >= (3, 13):
        return _ProxyLocals()
    return _SnapshotLocals()


FRAME_LOCALS = _choose()


def set_local(frame, name, value):
    """Rebinds one local of a live frame (setVariable, Apply Changes' rebinding)."""
    namespace = FRAME_LOCALS.namespace(frame)
    namespace[name] = value
    FRAME_LOCALS.commit(frame)
