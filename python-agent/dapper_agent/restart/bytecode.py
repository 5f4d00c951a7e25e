"""Restart points added to compiled code (3.9+ where the handler's shape matches): no `ast` on the way.

Going through Python's `ast` objects (transform.py) makes the first compile of a user file
2.4–3.2x a plain one. From 3.11 a `try` costs no instruction — it is a range of the code's
exception table — so the same restart point can be added to code compiled plainly: each
`def` function's code gets, at its end, the handler instructions the compiler makes for

    except __dapper_restart__:
        pass
    return __dapper_restart__.resume()

and exception-table entries that send every instruction of its body not already covered by
an entry of its own (a `try`, a `with`) to that handler, as the compiler does for a `try`
around the body. Nothing before the handler changes: instructions, offsets, jumps, line
table, co_varnames and co_consts are the plain compile's; co_names gains the two names the
handler loads; co_stacksize grows to what the handler needs.

The handler is not written here opcode by opcode: it is learned once per process from the
compiler itself (a small function compiled with transform.py's wrapper), with the positions
of its name arguments, its own exception-table entries, its line-table entries (no location,
as transform.py gives it) and the depth and `lasti` the compiler gives the body's entries.
When that template is not the shape this module knows (a future CPython), `template()` is
None and points.py compiles with transform.py as before.

On 3.9 and 3.10 (release builds) a `try` is a block set up by an instruction, not a table:
bytecode_blocks.py appends the handler alone, and restartFrame pushes its block onto the
frames it restarts (block_stack.py), so a call runs exactly the plain compile's instructions.

Which code gets a restart point is what transform.py wraps — `def` functions, generators
included; not `async def`, comprehensions, class or module bodies, nor the functions 3.12's
`type` statements and type-parameter bounds compile to, nor 3.14's `__annotate__` functions
— and lambdas, which have no statement for transform.py to wrap but whose compiled code takes
the handler like a def's. Tested on 3.11–3.15; no version number is checked above 3.11.
"""

import sys
import types

from ..code_flags import CO_ASYNC_GENERATOR, CO_COROUTINE, CO_OPTIMIZED
from ..code_lines import inline_caches
from .points import HANDLER_NAME, RESUME_ATTRIBUTE

_CodeType = types.CodeType
_ASYNC = CO_COROUTINE | CO_ASYNC_GENERATOR  # async def, never wrapped
_FIRST_VERSION = (3, 11)  # exception tables; the handler's shape is checked when it is learned

_template = None  # the learned handler (_Template), or False when this Python does not get one


class Unsupported(Exception):
    """This code cannot get a restart point here (left as compiled)."""


class _Template:
    __slots__ = ("handler", "name_args", "entries", "gaps", "lines", "stack", "depth", "lasti", "resume",
                 "extended_arg", "load_const", "make_function", "set_function_attribute", "evaluator_tails",
                 "docstring_only", "cache", "layout", "append", "blocks")


def template():
    """The handler learned from the compiler, or None when this Python keeps transform.py."""
    global _template
    if _template is None:
        try:
            _template = _learn() or False
        except (Unsupported, SyntaxError, ValueError, TypeError, LookupError):
            _template = False
    return _template or None


def add_points(code):
    """`code` (a module or any code compiled from a user file) with a restart point in every
    `def` function inside it. A function that already has one (transform.py) is left as is,
    and so is one this module cannot give a point (left without, never half changed)."""
    learned = template()
    if learned is None:
        raise Unsupported("no bytecode template on this Python")
    return _rewrite(code, learned, False)


# -- learning the handler ------------------------------------------------------------------------

# A body with an instruction the try covers; the second's handler names come three later.
_DOCSTRING_ONLY = "def f():\n    'doc'\n"
_SAMPLES = ("def f(a):\n    a + a\n", "def f(a):\n    a + a; b; c; d\n")


def _learn():
    if sys.implementation.name != "cpython":
        return None
    if sys.version_info[:2] in _BLOCK_VERSIONS and not hasattr(sys, "gettotalrefcount"):
        return _learn_blocks()
    if sys.version_info[:2] < _FIRST_VERSION:
        return None
    import opcode  # not dis: importing it is a noticeable part of a short compile

    shapes = [_shape(*_compiled(source), opcode) for source in _SAMPLES]
    first, second = shapes
    if _masked(first) != _masked(second) or first[2:] != second[2:]:
        return None  # the handler depends on more than the names' positions
    learned = _Template()
    learned.handler, learned.entries, learned.gaps, learned.lines = first[0], first[2], first[3], first[4]
    learned.stack, learned.depth, learned.lasti = first[5], first[6], first[7]
    learned.cache = {}  # (name count, code bytes) -> (handler bytes, exception table), RESUME first
    name_args = []
    for (position, low), (position2, high) in zip(first[1], second[1]):
        # The first sample's handler names are the code's first two (0, 1), the second's three later.
        scale, remainder = divmod(high - low, 3)
        if position != position2 or remainder or scale not in (1, 2, 4) or low // scale > 1:
            return None
        name_args.append((position, low // scale, scale, low % scale))
    if sorted({which for _position, which, _scale, _low in name_args}) != [0, 1]:
        return None
    learned.name_args = tuple(name_args)
    # transform.py leaves a function whose body is only its docstring (a `try` needs a statement)
    docstring_only = _only_function(compile(_DOCSTRING_ONLY, "<restart template>", "exec", dont_inherit=True))
    learned.docstring_only = (docstring_only.co_code, docstring_only.co_consts[1:])
    op = opcode.opmap
    learned.resume = op["RESUME"]
    learned.extended_arg = opcode.EXTENDED_ARG
    learned.load_const = op["LOAD_CONST"]
    learned.make_function = op["MAKE_FUNCTION"]
    learned.set_function_attribute = op.get("SET_FUNCTION_ATTRIBUTE", -1)
    tails = []
    ones, twos = _intrinsics(opcode)
    for name in ("INTRINSIC_TYPEVAR_WITH_BOUND", "INTRINSIC_TYPEVAR_WITH_CONSTRAINTS", "INTRINSIC_SET_TYPEPARAM_DEFAULT"):
        if name in twos:
            tails.append(bytes([op["CALL_INTRINSIC_2"], twos.index(name)]))
    if "INTRINSIC_TYPEALIAS" in ones:
        tails.append(bytes([op["BUILD_TUPLE"], 3, op["CALL_INTRINSIC_1"], ones.index("INTRINSIC_TYPEALIAS")]))
    learned.evaluator_tails = tuple(tails)
    learned.layout = _layout(learned, opcode)
    learned.append = _with_handler
    return learned


# 3.9 and 3.10 (release builds: a debug build checks that no block is left at a return, which
# the block restartFrame pushes could be): the handler is appended and restartFrame pushes its
# block (bytecode_blocks.py).
_BLOCK_VERSIONS = ((3, 9), (3, 10))


def _learn_blocks():
    import opcode

    from . import bytecode_blocks

    blocks = bytecode_blocks.learn([_compiled(source) for source in _SAMPLES], opcode)
    if blocks is None:
        return None
    learned = _Template()
    learned.blocks = blocks
    learned.append = bytecode_blocks.append
    learned.resume = -1  # no RESUME: _rewrite's shortcut (exception tables) never applies
    learned.extended_arg = opcode.EXTENDED_ARG
    learned.load_const = opcode.opmap["LOAD_CONST"]
    learned.evaluator_tails = ()
    learned.cache = {}
    docstring_only = _only_function(compile(_DOCSTRING_ONLY, "<restart template>", "exec", dont_inherit=True))
    learned.docstring_only = (docstring_only.co_code, docstring_only.co_consts[1:])
    return learned


def _compiled(source):
    """(plain, with transform.py's restart point) code of a sample's only function."""
    from _ast import PyCF_ONLY_AST

    from .transform import add_restart_points

    plain = _only_function(compile(source, "<restart template>", "exec", dont_inherit=True))
    tree = compile(source, "<restart template>", "exec", PyCF_ONLY_AST, dont_inherit=True)
    wrapped = _only_function(compile(add_restart_points(tree), "<restart template>", "exec", dont_inherit=True))
    return plain, wrapped


def _intrinsics(opcode):
    """The names of CALL_INTRINSIC_1's and CALL_INTRINSIC_2's arguments (3.12+), by number."""
    ones = getattr(opcode, "_intrinsic_1_descs", None)
    twos = getattr(opcode, "_intrinsic_2_descs", None)
    if ones is None:
        try:
            import _opcode

            ones, twos = _opcode.get_intrinsic1_descs(), _opcode.get_intrinsic2_descs()
        except (ImportError, AttributeError):
            ones, twos = (), ()
    return list(ones), list(twos or ())


def _handler_instructions(code, start, opcode):
    """[(byte offset, opcode, argument, bytes with its caches)] of `code` from `start`."""
    found = []
    offset = start
    while offset < len(code):
        op = code[offset]
        if op == opcode.EXTENDED_ARG:
            raise Unsupported("template")
        size = 2 * (1 + inline_caches(opcode, op))
        found.append((offset, op, code[offset + 1], size))
        offset += size
    if offset != len(code):
        raise Unsupported("template")
    return found


def _masked(shape):
    """A sample's handler bytes without its name arguments."""
    handler = bytearray(shape[0])
    for position, _argument in shape[1]:
        handler[position] = 0
    return bytes(handler), [position for position, _argument in shape[1]]


def _only_function(module):
    functions = [each for each in module.co_consts if isinstance(each, _CodeType)]
    if len(functions) != 1:
        raise Unsupported("template")
    return functions[0]


def _shape(plain, wrapped, opcode):
    """(handler bytes, [(byte offset of a name argument, argument)], handler entries,
    handler gaps, handler line-table bytes, stack size, body depth, body lasti) of a sample."""
    code, length = plain.co_code, len(plain.co_code)
    added = (HANDLER_NAME, RESUME_ATTRIBUTE)
    if (wrapped.co_code[:length] != code or wrapped.co_consts != plain.co_consts
            or wrapped.co_names != plain.co_names + added or wrapped.co_varnames != plain.co_varnames
            or not wrapped.co_linetable.startswith(plain.co_linetable) or plain.co_exceptiontable):
        raise Unsupported("template")
    start = length // 2
    handler = wrapped.co_code[length:]
    name_args = []
    for offset, op, argument, _size in _handler_instructions(wrapped.co_code, length, opcode):
        if op in opcode.hasname:
            name_args.append((offset - length + 1, argument))
        elif op in opcode.hasconst or op in opcode.haslocal or op in getattr(opcode, "hasjabs", ()):
            raise Unsupported("template")  # a handler with constants or locals: not this shape
    body, entries = [], []
    for entry in _parse_entries(wrapped.co_exceptiontable):
        (body if entry[0] < start else entries).append(entry)
    if len(body) != 1 or body[0][1] > start or body[0][2] != start:
        raise Unsupported("template")
    depth, lasti = body[0][3], body[0][4]
    relative = [(s - start, e - start, t - start, d, l) for s, e, t, d, l in entries]
    units = len(handler) // 2
    return (handler, name_args, tuple(relative), tuple(_gaps(0, units, relative)),
            wrapped.co_linetable[len(plain.co_linetable):], wrapped.co_stacksize, depth, lasti)


# -- rewriting code ------------------------------------------------------------------------------


def _rewrite(code, learned, wrap):
    """`code` with restart points in the functions inside it, and its own when `wrap`."""
    consts = code.co_consts
    for const in consts:
        if const.__class__ is _CodeType:
            consts = _with_children(code, consts, learned)
            break
    if wrap:
        names = code.co_names
        raw = code.co_code
        # Most functions: RESUME first, no exception table, fewer than 127 names, none of the
        # handler's: what _with_handler would do, from its cache, without the calls.
        if raw[0] == learned.resume and not code.co_exceptiontable and raw != learned.docstring_only[0]:
            cached = learned.cache.get((len(names), len(raw)))
            if cached is not None and HANDLER_NAME not in names and RESUME_ATTRIBUTE not in names:
                stack = code.co_stacksize
                return code.replace(
                    co_code=raw + cached[0], co_consts=consts, co_names=names + _ADDED,
                    co_linetable=code.co_linetable + learned.lines, co_exceptiontable=cached[1],
                    co_stacksize=stack if stack > learned.stack else learned.stack)
        if HANDLER_NAME not in names:
            docstring_only = learned.docstring_only
            if raw != docstring_only[0] or consts[1:] != docstring_only[1] or consts[0].__class__ is not str:
                try:
                    return learned.append(code, raw, names, consts, learned)
                except Unsupported:
                    pass
    if consts is code.co_consts:
        return code
    return code.replace(co_consts=consts)


def _with_children(code, consts, learned):
    """co_consts with restart points in the functions among them (the same tuple if none)."""
    changed = None
    skipped = _evaluators(code, learned)
    for index, const in enumerate(consts):
        if const.__class__ is _CodeType:
            flags = const.co_flags
            # a def or a lambda: not async, not a comprehension, class or module body
            name = const.co_name
            is_def = (flags & CO_OPTIMIZED and not flags & _ASYNC and (name[0] != "<" or name == "<lambda>")
                      and index not in skipped and not (const.co_posonlyargcount == 1 and _compiler_made(const)))
            child = _rewrite(const, learned, is_def)
            if child is not const:
                if changed is None:
                    changed = list(consts)
                changed[index] = child
    return consts if changed is None else tuple(changed)


def _compiler_made(code):
    """3.14+: a function the compiler makes to evaluate annotations lazily (`__annotate__`, its
    one parameter `format`) or a type parameter's bound, constraints or default or a type
    alias's value (its parameter `.format`, a name no source can write): not a def of the
    program (transform.py leaves them)."""
    first = code.co_varnames[0]
    return first == ".format" or (first == "format" and code.co_name == "__annotate__")


def _evaluators(code, learned):
    """Indexes in co_consts of the code of functions that `type X = …` statements and type
    parameters' bounds, constraints and defaults compile to (3.12+): named like a def, not one
    (transform.py leaves them). Found as LOAD_CONST <code>, MAKE_FUNCTION (3.13: and its
    SET_FUNCTION_ATTRIBUTE), then what takes the function: CALL_INTRINSIC_2 for a type
    parameter, BUILD_TUPLE 3 and CALL_INTRINSIC_1 for an alias."""
    tails = learned.evaluator_tails
    if not tails:
        return ()
    raw = code.co_code
    found = set()
    for tail in tails:
        position = raw.find(tail)
        while position >= 0:
            unit = position // 2 - 1
            if position % 2 == 0 and unit > 0:
                if raw[2 * unit] == learned.set_function_attribute:
                    unit -= 1
                if unit > 0 and raw[2 * unit] == learned.make_function and raw[2 * unit - 2] == learned.load_const:
                    argument, back, shift = raw[2 * unit - 1], unit - 2, 8
                    while back >= 0 and raw[2 * back] == learned.extended_arg:
                        argument |= raw[2 * back + 1] << shift
                        back, shift = back - 1, shift + 8
                    found.add(argument)
            position = raw.find(tail, position + 1)
    return found


def _with_handler(code, raw, names, consts, learned):
    """`code` with the handler appended. Runs for every function of a file compiled cold, so
    the common case (its names unused in the code, no exception table of its own) is one
    cached lookup by name count and code size."""
    units = len(raw) >> 1
    if raw[0] == learned.resume:
        resume = 0
    else:  # after the call's set-up (MAKE_CELL, COPY_FREE_VARS, RETURN_GENERATOR, POP_TOP): not in the try
        resume = raw[::2].find(learned.resume)
        if resume < 0:
            raise Unsupported("no RESUME")
    table = code.co_exceptiontable
    lines = learned.lines
    if not table and RESUME_ATTRIBUTE not in names and len(names) < 127:
        handler = _handler_bytes(learned, (len(names), len(names) + 1))
        table = _encode_entries(_entries_around((), resume, resume, units, learned.entries, (), learned))
        if resume == 0 and len(learned.cache) < 4096:  # for _rewrite's shortcut
            learned.cache[len(names), len(raw)] = (handler, table)
        added = _ADDED
    else:
        if RESUME_ATTRIBUTE in names:
            indexes = (len(names), names.index(RESUME_ATTRIBUTE))
            added = (HANDLER_NAME,)
        else:
            indexes = (len(names), len(names) + 1)
            added = _ADDED
        entries, gaps = learned.entries, learned.gaps
        try:
            handler = _handler_bytes(learned, indexes)
        except _NeedsExtendedArg:
            handler, lines, entries, gaps = _assembled(learned, indexes)
        existing = _parse_entries(table) if table else ()
        # RESUME too, unless an entry of the code's own covers it (a generator's, from 3.12): an
        # exception raised from a PY_START callback (a 3.13 stop on a lambda's only line) is
        # raised there.
        covered = any(entry[0] <= resume < entry[1] for entry in existing)
        body_start = resume + 1 if covered else resume
        table = _encode_entries(_entries_around(existing, resume, body_start, units, entries, gaps, learned))
    stack = code.co_stacksize
    return code.replace(
        co_code=raw + handler, co_consts=consts, co_names=names + added, co_linetable=code.co_linetable + lines,
        co_exceptiontable=table, co_stacksize=stack if stack > learned.stack else learned.stack)


_ADDED = (HANDLER_NAME, RESUME_ATTRIBUTE)


def _handler_bytes(learned, indexes):
    handler = bytearray(learned.handler)
    for position, which, scale, low in learned.name_args:
        argument = indexes[which] * scale + low
        if argument > 255:
            raise _NeedsExtendedArg
        handler[position] = argument
    return bytes(handler)


class _NeedsExtendedArg(Unsupported):
    """A name of the handler is past the 256th of the code: assemble it (_assembled)."""


# -- a handler with EXTENDED_ARG prefixes (more than 127 names) ----------------------------------

_NONE, _SAME_LINE = 0, 1  # a handler unit's location: none, or the line before it (no column)


def _layout(learned, opcode):
    """The template handler as instructions, to assemble it with EXTENDED_ARG prefixes:
    [(opcode, argument, units with its caches, which name or None, jump target unit or None)]
    and each unit's location; None when it is not a shape this can assemble."""
    plain, wrapped = _compiled(_SAMPLES[0])
    length = len(plain.co_code)
    instructions = _handler_instructions(wrapped.co_code, length, opcode)
    starts = {(offset - length) // 2 for offset, _op, _argument, _size in instructions}
    names = {position: which for position, which, _scale, _low in learned.name_args}
    layout = []
    for offset, op, argument, size in instructions:
        start_unit, units = (offset - length) // 2, size // 2
        target = None
        if op in opcode.hasjrel:
            if "BACKWARD" in opcode.opname[op]:
                return None
            target = start_unit + units + argument  # counted from the instruction after its caches
            if target not in starts:
                return None
        layout.append((op, argument, units, names.get(offset - length + 1), target))
    kinds = _unit_locations(learned.lines, len(learned.handler) // 2)
    if kinds is None:
        return None
    return tuple(layout), tuple(kinds)


def _unit_locations(table, units):
    """Each handler unit's location from its line-table bytes: none, or no column and the line
    of the last located instruction (line delta 0); None for anything else."""
    kinds = []
    position = 0
    while position < len(table):
        first = table[position]
        code, length = (first >> 3) & 15, (first & 7) + 1
        if code == 15:
            kinds.extend([_NONE] * length)
            position += 1
        elif code == 13 and position + 1 < len(table) and table[position + 1] == 0:
            kinds.extend([_SAME_LINE] * length)
            position += 2
        else:
            return None
    return kinds if len(kinds) == units else None


def _assembled(learned, indexes):
    """(handler bytes, line-table bytes, its entries, its gaps) with EXTENDED_ARG prefixes
    where a name's argument needs them; the relative jump and the entries follow."""
    if learned.layout is None:
        raise Unsupported("the handler cannot be assembled with EXTENDED_ARG on this Python")
    layout, kinds = learned.layout
    scale_low = {which: (scale, low) for _position, which, scale, low in learned.name_args}
    arguments, prefixes = [], []
    for opcode, argument, _units, which, _target in layout:
        if which is not None:
            scale, low = scale_low[which]
            argument = indexes[which] * scale + low
        arguments.append(argument)
        prefixes.append((max(argument.bit_length(), 1) - 1) // 8)
    # old unit -> new unit, instruction by instruction (prefixes go before their instruction,
    # and a jump or an exception-table entry to an instruction goes to its first prefix)
    starts, old_start, new_start, mapping = [], 0, 0, {}
    for (opcode, _argument, units, _which, _target), extra in zip(layout, prefixes):
        head = new_start
        new_start += extra
        starts.append(new_start)
        for offset in range(units):
            mapping[old_start + offset] = new_start + offset
        mapping[old_start] = head
        old_start += units
        new_start += units
    mapping[old_start] = new_start
    code = bytearray()
    locations = []
    old_start = 0
    for index, (opcode, _argument, units, _which, target) in enumerate(layout):
        argument = arguments[index]
        if target is not None:
            argument = mapping[target] - (starts[index] + units)
            if argument < 0 or argument > 255:
                raise Unsupported("handler jump")
        for shift in range(prefixes[index], 0, -1):
            code += bytes((learned.extended_arg, (argument >> (8 * shift)) & 255))
            locations.append(kinds[old_start])
        code += bytes((opcode, argument & 255))
        code += bytes(2 * (units - 1))  # its caches
        locations.extend(kinds[old_start:old_start + units])
        old_start += units
    entries = tuple((mapping[s], mapping[e], mapping[t], d, l) for s, e, t, d, l in learned.entries)
    return bytes(code), _encode_locations(locations), entries, tuple(_gaps(0, len(code) // 2, entries))


def _encode_locations(kinds):
    out = bytearray()
    index = 0
    while index < len(kinds):
        kind, run = kinds[index], 1
        while run < 8 and index + run < len(kinds) and kinds[index + run] == kind:
            run += 1
        out += bytes((0xF8 | (run - 1),)) if kind == _NONE else bytes((0xE8 | (run - 1), 0))
        index += run
    return bytes(out)


def _entries_around(existing, resume, body_start, units, handler_entries, handler_gaps, learned):
    """The exception table with the restart point: the code's own entries, and the handler's
    for every body instruction they leave to the caller. A generator's outermost handler
    (from 3.12, the one that turns StopIteration into RuntimeError; its entries cover the
    RESUME) stays outermost: the body instructions it covered go to the restart point, and
    the restart handler's own uncovered instructions to it, as for a `try` inside it."""
    outer = next((entry[2:] for entry in existing if entry[0] <= resume < entry[1]), None)
    result = []
    body = []
    for entry in existing:
        start, end = entry[0], entry[1]
        if end > units:
            raise Unsupported("an entry past the code")
        if outer is None or entry[2:] != outer:
            if start < body_start:
                raise Unsupported("an entry before the body")
            result.append(entry)
        elif start < body_start:
            result.append((start, min(end, body_start)) + outer)
            if end > body_start:
                body.append((body_start, end))
        else:
            body.append((start, end))
    depth, lasti = learned.depth, learned.lasti
    if outer is None:
        body = _gaps(body_start, units, result)
    for start, end in body:
        result.append((start, end, units, depth, lasti))
    for s, e, t, d, l in handler_entries:
        result.append((s + units, e + units, t + units, d, l))
    if outer is not None:
        for start, end in handler_gaps:
            result.append((start + units, end + units) + outer)
    result.sort()
    return result


def _gaps(start, end, entries):
    """The ranges of [start, end) no entry covers (entries sorted, not overlapping)."""
    gaps = []
    position = start
    for entry in sorted(entries):
        if entry[0] > position:
            gaps.append((position, entry[0]))
        position = max(position, entry[1])
    if position < end:
        gaps.append((position, end))
    return gaps


# -- the exception table (Objects/exception_handling_notes.txt) ----------------------------------


def covers(code, offset):
    """Whether an entry of `code`'s exception table covers the instruction at byte `offset`."""
    unit = offset // 2
    return any(start <= unit < end for start, end, _target, _depth, _lasti in _parse_entries(code.co_exceptiontable))


def _parse_entries(table):
    """[(start, end, target, depth, lasti)] in code units."""
    entries = []
    position, length = 0, len(table)
    while position < length:
        values = []
        for _ in range(4):
            byte = table[position]
            position += 1
            value = byte & 63
            while byte & 64:
                byte = table[position]
                position += 1
                value = (value << 6) | (byte & 63)
            values.append(value)
        start, size, target, depth_lasti = values
        entries.append((start, start + size, target, depth_lasti >> 1, depth_lasti & 1))
    return entries


def _encode_entries(entries):
    out = bytearray()
    for start, end, target, depth, lasti in entries:
        _varint(out, start, 128)
        _varint(out, end - start, 0)
        _varint(out, target, 0)
        _varint(out, (depth << 1) | lasti, 0)
    return bytes(out)


def _varint(out, value, mark):
    if value < 64:
        out.append(value | mark)
        return
    groups = []
    while value >= 64:
        groups.append(value & 63)
        value >>= 6
    groups.append(value)
    last = len(groups) - 1
    for index in range(last, 0, -1):
        out.append(groups[index] | 64 | mark)
        mark = 0
    out.append(groups[0])
