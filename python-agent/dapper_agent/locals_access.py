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
        import ctypes

        self._ctypes = ctypes
        self._locals_to_fast = ctypes.pythonapi.PyFrame_LocalsToFast
        self._locals_to_fast.argtypes = [ctypes.py_object, ctypes.c_int]
        self._locals_to_fast.restype = None

    @staticmethod
    def namespace(frame):
        # Reading f_locals refreshes the snapshot from the fast locals; take it once per edit.
        return frame.f_locals

    def commit(self, frame):
        self._locals_to_fast(frame, 0)


def _choose():
    if sys.version_info >= (3, 13):
        return _ProxyLocals()
    return _SnapshotLocals()


FRAME_LOCALS = _choose()


def set_local(frame, name, value):
    namespace = FRAME_LOCALS.namespace(frame)
    namespace[name] = value
    FRAME_LOCALS.commit(frame)


def run_in_frame(frame, code):
    """exec/eval code with the frame's globals and locals; local writes stick."""
    namespace = FRAME_LOCALS.namespace(frame)
    try:
        return eval(code, frame.f_globals, namespace)
    finally:
        FRAME_LOCALS.commit(frame)
