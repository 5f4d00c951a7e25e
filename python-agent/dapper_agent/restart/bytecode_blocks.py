"""Restart points added to compiled code on 3.9 and 3.10: the handler appended, no block set up.

Before 3.11 a `try` is a block that `SETUP_FINALLY` pushes when the call starts. restartFrame
already pushes that block itself onto the frames a restart reaches (block_stack.py: it does so
for the `ast` path's restart points, whose `SETUP_FINALLY` deferred_setup.py turns into a
`NOP`), so the code needs only the handler the block points to: it is appended after the
plainly compiled code, and nothing before it changes — not even a `NOP` on the call path.

The handler is the compiler's own (learned once per process by bytecode.py from a sample
compiled with transform.py's wrapper: what follows the body's return, the `except` clause and
the call after it, which 3.9 places after the clause's reraise and 3.10 before it): its names
are the code's (appended to co_names), its jumps are relocated, with `EXTENDED_ARG` prefixes
where the code is long. Like the compiler, which never writes the wrapper's line 0 into the line table, the
handler keeps the line of the instruction before it (the tracer skips lines in a restart point).
"""

import sys

from .bytecode import Unsupported
from .points import HANDLER_NAME, RESUME_ATTRIBUTE

_ADDED = (HANDLER_NAME, RESUME_ATTRIBUTE)
_LINE_ENTRIES = {}  # 3.10: (line delta, handler bytes) -> its co_linetable entries
_JUMP_UNIT = 1 if sys.version_info < (3, 10) else 2  # bytes per unit of a jump's argument


def learn(samples, opcode):
    """(layout, stack size) of the handler from [(plain, wrapped)] sample codes, or None:
    layout = [(opcode, argument, which handler name or None, jump target index or None)]."""
    layouts = []
    for plain, wrapped in samples:
        layouts.append(_layout(plain, wrapped, opcode))
    if any(layout != layouts[0] for layout in layouts):
        return None
    return layouts[0], samples[0][1].co_stacksize


def _layout(plain, wrapped, opcode):
    raw = wrapped.co_code
    added = (HANDLER_NAME, RESUME_ATTRIBUTE)
    if (raw[0] != opcode.opmap["SETUP_FINALLY"] or wrapped.co_names != plain.co_names + added
            or wrapped.co_consts[:len(plain.co_consts)] != plain.co_consts):
        raise Unsupported("template")
    start = 2 + raw[1] * _JUMP_UNIT
    # The handler runs to the end of the code: its check, the reraise and the call after the
    # `except` clause (3.9 puts that call after the reraise, 3.10 before it).
    offsets = list(range(start, len(raw), 2))
    if not offsets or any(raw[offset] == opcode.EXTENDED_ARG for offset in offsets) \
            or not {opcode.opmap["RERAISE"], opcode.opmap["RETURN_VALUE"]} <= set(raw[start::2]):
        raise Unsupported("template")
    layout = []
    base = len(plain.co_names)
    for offset in offsets:
        op, argument = raw[offset], raw[offset + 1]
        which = target = None
        if op in opcode.hasname:
            which = argument - base
            if which not in (0, 1):
                raise Unsupported("template")
            argument = 0
        elif op in opcode.hasjabs or op in opcode.hasjrel:
            destination = argument * _JUMP_UNIT + (offset + 2 if op in opcode.hasjrel else 0)
            if destination not in offsets:
                raise Unsupported("template")
            target = (offsets.index(destination), op in opcode.hasjrel)
            argument = 0
        elif op in opcode.hasconst or op in opcode.haslocal:
            raise Unsupported("template")
        layout.append((op, argument, which, target))
    return tuple(layout)


def append(code, raw, names, consts, learned):
    """`code` with the handler appended (bytecode.py's _rewrite calls this for each def, so a
    cold import runs it once per function: the common case is two cached lookups and one
    code.replace() call)."""
    layout, stack = learned.blocks
    if RESUME_ATTRIBUTE in names:
        added = (HANDLER_NAME,)
        handler = _assembled(layout, (len(names), names.index(RESUME_ATTRIBUTE)), len(raw), learned.extended_arg)
    else:
        added = _ADDED
        # The handler depends only on the name count and the code size: most functions of a
        # file share one of a few (a cold import assembles each once).
        key = (len(names), len(raw))
        handler = learned.cache.get(key)
        if handler is None:
            handler = _assembled(layout, (len(names), len(names) + 1), len(raw), learned.extended_arg)
            if len(learned.cache) < 4096:
                learned.cache[key] = handler
    code_stack = code.co_stacksize
    if _JUMP_UNIT == 2:  # 3.10's co_linetable: the handler's bytes continue the last entry
        table = code.co_linetable
        if not table:
            raise Unsupported("no line table")
        # no line (-128), or the same line
        extra = _line_entries(0x80 if table[-1] == 0x80 else 0, len(handler))
        return code.replace(co_code=raw + handler, co_names=names + added, co_consts=consts,
                            co_stacksize=stack if stack > code_stack else code_stack, co_linetable=table + extra)
    # 3.9's co_lnotab: nothing to add, the last line runs to the end of the code.
    return code.replace(co_code=raw + handler, co_names=names + added, co_consts=consts,
                        co_stacksize=stack if stack > code_stack else code_stack)


def _line_entries(delta, size):
    """3.10: the co_linetable entries that carry `size` more bytes at line delta `delta`."""
    key = (delta, size)
    extra = _LINE_ENTRIES.get(key)
    if extra is None:
        extra = bytearray()
        remaining = size
        while remaining:
            step = min(remaining, 254)
            extra += bytes((step, delta))
            remaining -= step
        extra = _LINE_ENTRIES[key] = bytes(extra)  # a handler is one of a few sizes
    return extra


def _assembled(layout, indexes, base, extended_arg):
    """The handler's bytes at byte offset `base`, EXTENDED_ARG prefixes where needed."""
    prefixes = [0] * len(layout)
    for _attempt in range(4):
        heads, position = [], base  # where each instruction starts, its prefixes included
        for count in prefixes:
            heads.append(position)
            position += 2 * count + 2
        heads.append(position)
        arguments = []
        for op, argument, which, target in layout:
            if which is not None:
                argument = indexes[which]
            elif target is not None:
                index, relative = target
                destination = heads[index] - (heads[len(arguments) + 1] if relative else 0)
                argument = destination // _JUMP_UNIT
            arguments.append(argument)
        needed = [(max(argument.bit_length(), 1) - 1) // 8 for argument in arguments]
        if all(need <= count for need, count in zip(needed, prefixes)):
            break  # (a prefix more than needed carries 0)
        prefixes = [max(need, count) for need, count in zip(needed, prefixes)]
    else:
        raise Unsupported("handler jump")
    out = bytearray()
    for (op, _argument, _which, _target), argument, count in zip(layout, arguments, prefixes):
        for shift in range(count, 0, -1):
            out += bytes((extended_arg, (argument >> (8 * shift)) & 255))
        out += bytes((op, argument & 255))
    return bytes(out)
