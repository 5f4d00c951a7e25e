"""Before 3.11: restart points whose `try` costs nothing on the call path.

Before 3.11 a `try` is a block on the frame's block stack: `SETUP_FINALLY` pushes it when the
call starts and `POP_BLOCK` pops it before each return — two instructions on every call of a
function with a restart point, the whole cost of restart points (up to 6 % on a call-bound
function like `fib`). The block only matters when a restart signal reaches the frame, which
is rare and announced: restartFrame pushes the same block onto the frame's block stack just
before it raises the signal (block_stack.py). So, after compiling with restart points, each
function's compiled code is changed in place of the instructions, sizes and offsets all kept:

- the `SETUP_FINALLY` that opens the restart point becomes a `NOP`, on the `def` line as
  before (its `EXTENDED_ARG` prefixes, in a long function, stay with argument 0);
- each `POP_BLOCK` that closes it becomes `RETURN_VALUE` when a `RETURN_VALUE` follows on the
  same line (either one returns the same value), else a `NOP`; and a `JUMP_FORWARD` or
  `JUMP_ABSOLUTE` to a `RETURN_VALUE` further on the same line becomes that `RETURN_VALUE`.

Nothing moves, so the line table, jump targets, the handler's code and its offset, and
co_varnames stay exactly as compiled. Which `POP_BLOCK`s close the restart point is found by
following the block depth through every path of the code, the way the compiler counted it
(a try's block is popped at depth 1 exactly where it is closed); any code this walk does not
understand stays as compiled (it then pays for its block as before and restarts as before).
Generators and coroutines are left as compiled (restartFrame refuses them).

Only on CPython 3.9 and 3.10 release builds (a debug build checks, on return, that no block is
left, which a restart swallowed by the program could leave).
"""

import opcode
import sys
import types

from ..code_flags import CO_ASYNC_GENERATOR, CO_COROUTINE, CO_GENERATOR, CO_ITERABLE_COROUTINE
from .points import HANDLER_NAME

ACTIVE = (sys.version_info < (3, 11) and sys.implementation.name == "cpython"
          and not hasattr(sys, "gettotalrefcount"))

_op = opcode.opmap
_NOP = _op.get("NOP")
_EXTENDED_ARG = opcode.EXTENDED_ARG
_SETUP_FINALLY = _op.get("SETUP_FINALLY")
_PUSHES = {_op.get(name) for name in ("SETUP_FINALLY", "SETUP_WITH")} - {None}
_POP_BLOCK = _op.get("POP_BLOCK")
_POP_EXCEPT = _op.get("POP_EXCEPT")
_DUP_TOP = _op.get("DUP_TOP")
_LOAD_GLOBAL = _op.get("LOAD_GLOBAL")
_RETURN_VALUE = _op.get("RETURN_VALUE")
_ENDS = {_op.get("RETURN_VALUE"), _op.get("RAISE_VARARGS"), _op.get("RERAISE")} - {None}
_ALWAYS_JUMPS = {_op.get("JUMP_FORWARD"), _op.get("JUMP_ABSOLUTE")} - {None}
_JUMPS_RELATIVE = frozenset(opcode.hasjrel)
_JUMPS_ABSOLUTE = frozenset(opcode.hasjabs)
# Instructions whose effect on the block stack this walk does not model: such code stays as is.
_UNKNOWN = {_op.get(name) for name in ("SETUP_ASYNC_WITH", "END_ASYNC_FOR", "YIELD_VALUE", "YIELD_FROM",
                                       "GEN_START", "SETUP_LOOP", "SETUP_EXCEPT", "BEGIN_FINALLY",
                                       "END_FINALLY", "CALL_FINALLY", "POP_FINALLY", "BREAK_LOOP")} - {None}
# Jump arguments count bytes on 3.9, instructions (two bytes each) on 3.10.
_JUMP_UNIT = 1 if sys.version_info < (3, 10) else 2
_SUSPENDING = CO_GENERATOR | CO_COROUTINE | CO_ITERABLE_COROUTINE | CO_ASYNC_GENERATOR


def defer_setups(code):
    """`code` (a module's, or any code object) with the restart point of every function in it
    taken off the call path; the same object when nothing changed or before 3.11 is not in use."""
    if not ACTIVE:
        return code
    return _defer(code)


def _defer(code):
    consts = code.co_consts
    new_consts = None
    for index, const in enumerate(consts):
        if isinstance(const, types.CodeType):
            changed = _defer(const)
            if changed is not const:
                if new_consts is None:
                    new_consts = list(consts)
                new_consts[index] = changed
    raw = _deferred_code(code)
    if new_consts is None and raw is None:
        return code
    replace = {}
    if new_consts is not None:
        replace["co_consts"] = tuple(new_consts)
    if raw is not None:
        replace["co_code"] = raw
    return code.replace(**replace)


def _instructions(raw):
    """[(start, offset, opcode, argument)]: start is where its EXTENDED_ARG prefixes begin."""
    result = []
    argument, start = 0, None
    for offset in range(0, len(raw), 2):
        op = raw[offset]
        if start is None:
            start = offset
        argument |= raw[offset + 1]
        if op == _EXTENDED_ARG:
            argument <<= 8
            continue
        result.append((start, offset, op, argument))
        argument, start = 0, None
    return result


def _target(offset, op, argument):
    if op in _JUMPS_RELATIVE:
        return offset + 2 + argument * _JUMP_UNIT
    return argument * _JUMP_UNIT


def _deferred_code(code):
    """New co_code for one code object with a restart point, or None to leave it as is.

    Reads opcodes with bytes methods where it can (this runs for every function of a file
    compiled with restart points): the full walk of the block depth only for code with
    blocks of its own."""
    if HANDLER_NAME not in code.co_names or code.co_flags & _SUSPENDING:
        return None
    source = code.co_code
    ops = source[::2]
    first = 0
    while first < len(ops) and ops[first] == _EXTENDED_ARG:
        first += 1
    if first >= len(ops) or ops[first] != _SETUP_FINALLY or any(op in ops for op in _UNKNOWN):
        return None
    argument = 0
    for position in range(first + 1):
        argument = argument << 8 | source[2 * position + 1]
    setup = 2 * first
    if not _is_restart_handler(source, _target(setup, _SETUP_FINALLY, argument), code):
        return None
    if ops.count(_SETUP_FINALLY) == 1 and not any(op in ops for op in _PUSHES if op != _SETUP_FINALLY):
        # No block but the restart point's: every POP_BLOCK pops it.
        closing = _positions(ops, _POP_BLOCK)
    else:
        closing = _closing_pops(_instructions(source))
        if closing is None:
            return None
    raw = bytearray(source)
    lines = None
    raw[setup] = _NOP
    for prefix in range(0, setup, 2):
        raw[prefix + 1] = 0  # EXTENDED_ARG 0: nothing left for dis to add to the next argument
    for offset in closing:
        returns_next = False
        if offset + 2 < len(raw) and raw[offset + 2] == _RETURN_VALUE:
            lines = lines or _offset_lines(code)
            returns_next = _same_line(lines, offset, offset + 2)
        raw[offset] = _RETURN_VALUE if returns_next else _NOP
    # A jump to a return, on the same line, returns itself (as the compiler's own peephole pass
    # does for code without a restart point, whose returns do not follow a POP_BLOCK).
    for op in _ALWAYS_JUMPS:
        for offset in _positions(ops, op):
            if offset and raw[offset - 2] == _EXTENDED_ARG:
                continue
            target = _target(offset, op, raw[offset + 1])
            if offset < target < len(raw) and raw[target] == _RETURN_VALUE:
                lines = lines or _offset_lines(code)
                if _same_line(lines, offset, target):
                    raw[offset], raw[offset + 1] = _RETURN_VALUE, 0
    return bytes(raw)


def _positions(ops, op):
    """Byte offsets of every instruction `op` (ops: the opcode bytes alone)."""
    found = []
    index = ops.find(op)
    while index >= 0:
        found.append(2 * index)
        index = ops.find(op, index + 1)
    return found


def _is_restart_handler(raw, handler, code):
    """The setup's target is the restart handler: DUP_TOP, LOAD_GLOBAL __dapper_restart__."""
    if not 0 <= handler < len(raw) - 3:
        return False
    name = raw[handler + 3]
    return (raw[handler] == _DUP_TOP and raw[handler + 2] == _LOAD_GLOBAL
            and name < len(code.co_names) and code.co_names[name] == HANDLER_NAME)


def _closing_pops(instructions):
    """Offsets of the POP_BLOCKs that pop the block the first instruction pushed, or None when
    the code does something this walk does not model."""
    index_at = {start: index for index, (start, _offset, _op, _arg) in enumerate(instructions)}
    count = len(instructions)
    depth = [None] * count
    depth[0] = 0
    todo = [0]
    closing = []
    while todo:
        index = todo.pop()
        level = depth[index]
        _start, offset, op, argument = instructions[index]
        if op in _UNKNOWN:
            return None
        following = []
        if op in _PUSHES:
            if level == 0 and index != 0:
                return None  # a second block at the bottom: not the shape the transform makes
            target = index_at.get(_target(offset, op, argument))
            if target is None:
                return None
            following = [(index + 1, level + 1), (target, level + 1)]  # the handler: EXCEPT_HANDLER
        elif op == _POP_BLOCK or op == _POP_EXCEPT:
            if op == _POP_BLOCK and level == 1:
                closing.append(offset)
            following = [(index + 1, level - 1)]
        elif op in _ENDS:
            following = []
        elif op in _ALWAYS_JUMPS or op in _JUMPS_RELATIVE or op in _JUMPS_ABSOLUTE:
            target = index_at.get(_target(offset, op, argument))
            if target is None:
                return None
            following = [(target, level)] if op in _ALWAYS_JUMPS else [(index + 1, level), (target, level)]
        else:
            following = [(index + 1, level)]
        for position, new_level in following:
            if position >= count or new_level < 0:
                return None
            if depth[position] is None:
                depth[position] = new_level
                todo.append(position)
            elif depth[position] != new_level:
                return None
    return closing


def _offset_lines(code):
    """[(start, end, line)] ranges of the code's instructions (line None: none, 3.10)."""
    if hasattr(code, "co_lines"):
        return list(code.co_lines())
    # 3.9: where each line starts, from co_lnotab as dis.findlinestarts reads it (without
    # importing dis, which the agent's start-up does not otherwise need).
    table = code.co_lnotab
    starts, line, address, last = [], code.co_firstlineno, 0, None
    for index in range(0, len(table), 2):
        if table[index]:
            if line != last:
                starts.append((address, line))
                last = line
            address += table[index]
        step = table[index + 1]
        line += step - 0x100 if step >= 0x80 else step
    if line != last:
        starts.append((address, line))
    starts.append((len(code.co_code), None))
    return [(start, end, line) for (start, line), (end, _next) in zip(starts, starts[1:])]


def _same_line(lines, first, last):
    """Running from `first` to `last` (later) crosses no line boundary: no line event between."""
    line = None
    for start, end, each in lines:
        if end > first and start <= last:
            if each is None or (line is not None and each != line):
                return False
            line = each
    return line is not None
