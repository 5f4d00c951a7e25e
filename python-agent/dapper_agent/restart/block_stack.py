"""Before 3.11: pushing a restart point's block onto a live frame, just before a restart.

deferred_setup.py takes the `SETUP_FINALLY` of a restart point off the call path, so a frame
of such code has no block for its restart handler. restartFrame gives it one, exactly the
block `SETUP_FINALLY` would have pushed at the call's start — `(SETUP_FINALLY, handler, stack
level 0)` — at the bottom of the frame's block stack, under the blocks of the `try`, `with`
and `except` statements the frame is in now (they were set up after it). Then the signal
unwinds the frame as it did before: its inner blocks first (`finally`, `__exit__`), then the
restart handler.

CPython has no API for this: the frame's `f_iblock` and `f_blockstack[CO_MAXBLOCKS]` are
written through ctypes, with the layout of `PyFrameObject` of 3.9 and 3.10 (release builds).
Before anything is written the layout is checked against the frame itself: the fields read
through it must be the frame's own (`f_back`, `f_code`, `f_globals`, `f_builtins`,
`f_lasti`), the structure's size must be the one `frame.__sizeof__()` reports, and each block
already on the stack must be a kind CPython pushes, with a handler inside the code. Any
mismatch, or no ctypes, refuses Restart Frame for the frame with the reason.

Only for a frame that is not running: the thread is parked by the debugger (the caller holds
the GIL, and the frame's evaluation keeps nothing of the block stack in C variables).
"""

import opcode
import sys

MAX_BLOCKS = 20  # CO_MAXBLOCKS
_SETUP_FINALLY = opcode.opmap.get("SETUP_FINALLY")
_EXCEPT_HANDLER = 257
_UNIT = 1 if sys.version_info < (3, 10) else 2  # bytes per unit of f_lasti and b_handler (3.10: instructions)

_layout = None  # (frame structure class, array-free size) once built; False when unavailable


class Refusal(Exception):
    """Why the block cannot be pushed (the text is shown as Restart Frame's reason)."""


def _structure():
    global _layout
    if _layout is None:
        _layout = _build() or False
    return _layout or None


def _build():
    if sys.version_info >= (3, 11) or sys.implementation.name != "cpython" or hasattr(sys, "gettotalrefcount"):
        return None
    try:
        import ctypes
    except ImportError:
        return None

    class TryBlock(ctypes.Structure):
        _fields_ = [("b_type", ctypes.c_int), ("b_handler", ctypes.c_int), ("b_level", ctypes.c_int)]

    pointer = ctypes.c_void_p
    fields = [("ob_refcnt", ctypes.c_ssize_t), ("ob_type", pointer), ("ob_size", ctypes.c_ssize_t),
              ("f_back", pointer), ("f_code", pointer), ("f_builtins", pointer), ("f_globals", pointer),
              ("f_locals", pointer), ("f_valuestack", pointer)]
    if sys.version_info < (3, 10):
        fields += [("f_stacktop", pointer), ("f_trace", pointer), ("f_trace_lines", ctypes.c_char),
                   ("f_trace_opcodes", ctypes.c_char), ("f_gen", pointer), ("f_lasti", ctypes.c_int),
                   ("f_lineno", ctypes.c_int), ("f_iblock", ctypes.c_int), ("f_executing", ctypes.c_char)]
    else:
        fields += [("f_trace", pointer), ("f_stackdepth", ctypes.c_int), ("f_trace_lines", ctypes.c_char),
                   ("f_trace_opcodes", ctypes.c_char), ("f_gen", pointer), ("f_lasti", ctypes.c_int),
                   ("f_lineno", ctypes.c_int), ("f_iblock", ctypes.c_int), ("f_state", ctypes.c_byte)]
    fields += [("f_blockstack", TryBlock * MAX_BLOCKS), ("f_localsplus", pointer * 1)]

    class Frame(ctypes.Structure):
        _fields_ = fields

    return Frame


def _frame_view(frame):
    """The frame's PyFrameObject through ctypes, after checking the layout against it."""
    structure = _structure()
    if structure is None:
        raise Refusal("this Python does not let the debugger set up %s()'s restart point (no ctypes, or not a "
                      "CPython 3.9/3.10 release build)" % frame.f_code.co_name)
    view = structure.from_address(id(frame))
    code = frame.f_code
    extras = code.co_stacksize + code.co_nlocals + len(code.co_cellvars) + len(code.co_freevars)
    back = frame.f_back
    expected_lasti = frame.f_lasti // _UNIT if frame.f_lasti >= 0 else frame.f_lasti
    if (view.f_code != id(code) or view.f_back != (id(back) if back is not None else None)
            or view.f_globals != id(frame.f_globals) or view.f_builtins != id(frame.f_builtins)
            or view.f_lasti != expected_lasti
            or frame.__sizeof__() - (extras - 1) * _pointer_size() != _sizeof(structure)):
        raise Refusal("%s()'s frame is not laid out as the debugger expects on this Python, so its restart point "
                      "cannot be set up" % code.co_name)
    count = view.f_iblock
    if not 0 <= count <= MAX_BLOCKS or any(
            block.b_type not in (_SETUP_FINALLY, _EXCEPT_HANDLER) or block.b_level < -1
            or (block.b_type == _SETUP_FINALLY and not 0 <= block.b_handler * _UNIT < len(code.co_code))
            for block in view.f_blockstack[:count]):
        raise Refusal("%s()'s block stack does not look as the debugger expects, so its restart point cannot be "
                      "set up" % code.co_name)
    return view


def _pointer_size():
    import ctypes

    return ctypes.sizeof(ctypes.c_void_p)


def _sizeof(structure):
    import ctypes

    return ctypes.sizeof(structure)


def _ours(block, handler):
    return block.b_type == _SETUP_FINALLY and block.b_handler == handler and block.b_level == 0


def check(frame, handler_offset):
    """Raise Refusal when the restart point's block could not be pushed onto `frame` now."""
    view = _frame_view(frame)
    count = view.f_iblock
    if count and _ours(view.f_blockstack[0], handler_offset // _UNIT):
        return
    if count >= MAX_BLOCKS:
        raise Refusal("%s() is inside %d nested try/with/except blocks, the most Python allows, so its restart "
                      "point has no room; restart it from a line outside some of them" % (frame.f_code.co_name, count))


def push(frame, handler_offset):
    """Put the restart point's block at the bottom of `frame`'s block stack (once)."""
    view = _frame_view(frame)
    handler = handler_offset // _UNIT
    count = view.f_iblock
    blocks = view.f_blockstack
    if count and _ours(blocks[0], handler):
        return
    if count >= MAX_BLOCKS:
        raise Refusal("%s() has no room for its restart point's block" % frame.f_code.co_name)
    saved = [(block.b_type, block.b_handler, block.b_level) for block in blocks[:count]]
    for index, (kind, target, level) in enumerate(saved, start=1):
        blocks[index].b_type, blocks[index].b_handler, blocks[index].b_level = kind, target, level
    blocks[0].b_type, blocks[0].b_handler, blocks[0].b_level = _SETUP_FINALLY, handler, 0
    view.f_iblock = count + 1


def blocks(frame):
    """[(kind, handler offset in bytes, stack level)] of the frame's block stack, bottom first (tests)."""
    view = _frame_view(frame)
    return [(block.b_type, block.b_handler * _UNIT, block.b_level) for block in view.f_blockstack[:view.f_iblock]]

