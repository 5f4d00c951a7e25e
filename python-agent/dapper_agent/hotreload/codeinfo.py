"""Code objects of a compiled module: qualified names, and comparison that ignores lines.

Finding what changed this way costs one compile() of the new file and a walk of its code
objects; no AST is built unless module-level statements changed (see planner.py).
"""

import __future__
import dis
import inspect
import operator
import sys
from types import CodeType

from ..code_identity import original_code

_FUNCTION_FLAGS = inspect.CO_OPTIMIZED | inspect.CO_NEWLOCALS
_HAS_CO_QUALNAME = sys.version_info >= (3, 11)

# Everything that decides what a code object does, and nothing about where it sits in the file.
_BEHAVIOUR_FIELDS = (
    "co_argcount", "co_posonlyargcount", "co_kwonlyargcount", "co_nlocals", "co_stacksize",
    "co_flags", "co_code", "co_names", "co_varnames", "co_freevars", "co_cellvars", "co_name",
) + (("co_qualname", "co_exceptiontable") if _HAS_CO_QUALNAME else ())
_behaviour_key = operator.attrgetter(*_BEHAVIOUR_FIELDS)  # one C call per code object
_line_table = operator.attrgetter("co_linetable" if sys.version_info >= (3, 10) else "co_lnotab")
_CO_CODE_INDEX = _BEHAVIOUR_FIELDS.index("co_code")
_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag


def future_flags(code):
    """The `from __future__` features a module was compiled with, as compile() flags: single
    statements compiled from its text must get them too (`annotations` keeps annotations
    strings instead of evaluating them)."""
    return code.co_flags & _FUTURE_FLAGS

# Python 3.14+, by feature rather than version (docs/apply-changes.md, "Newer Pythons"):
# a docstring is co_consts[0] only when this flag says there is one;
_CO_HAS_DOCSTRING = getattr(inspect, "CO_HAS_DOCSTRING", None)
# small ints are operands of LOAD_SMALL_INT, so a class body's __firstlineno__ is in its bytecode;
_LOAD_SMALL_INT = dis.opmap.get("LOAD_SMALL_INT")
# annotations are computed by a compiler-made function `__annotate__` (PEP 649), whose code is
# a constant of the code holding the annotated definition: part of that statement, not a
# definition of its own.
ANNOTATE_CODE_NAME = "__annotate__"


def is_function_code(code):
    """True for function, lambda and comprehension bodies; False for class and module bodies."""
    return code.co_flags & _FUNCTION_FLAGS == _FUNCTION_FLAGS


def nested_codes(code):
    """The code objects of the definitions, lambdas and comprehensions directly in `code`."""
    return [const for const in code.co_consts
            if isinstance(const, CodeType) and const.co_name != ANNOTATE_CODE_NAME]


def _child_qualname(parent_qualname, parent_is_function, child):
    if not parent_qualname:
        return child.co_name
    if parent_is_function:
        return parent_qualname + ".<locals>." + child.co_name
    return parent_qualname + "." + child.co_name


class CodeTree:
    """Every code object of one compiled module, by qualified name (in source order)."""

    def __init__(self, module_code):
        self.module_code = module_code
        self.by_qualname = {}
        # (co_name, co_firstlineno) -> qualname: recognises a live function's code object on
        # Python versions whose code objects do not carry their qualified name.
        self.by_position = {}
        self._walk(module_code, "", False)
        for codes in self.by_qualname.values():
            codes.sort(key=lambda code: code.co_firstlineno)

    def _walk(self, code, qualname, is_function):
        for child in nested_codes(code):
            if _HAS_CO_QUALNAME:
                child_qualname = child.co_qualname
            else:
                child_qualname = _child_qualname(qualname, is_function, child)
            self.by_qualname.setdefault(child_qualname, []).append(child)
            self.by_position[(child.co_name, child.co_firstlineno)] = child_qualname
            self._walk(child, child_qualname, is_function_code(child))

    def qualname_of(self, code, fallback):
        """The qualified name of a live code object that was compiled from this tree's source."""
        if _HAS_CO_QUALNAME:
            return code.co_qualname
        return self.by_position.get((code.co_name, code.co_firstlineno), fallback)

    def class_body(self, qualname):
        for code in self.by_qualname.get(qualname, ()):
            if not is_function_code(code):
                return code
        return None


# Constants for which == between two values of the same exact type means the same constant.
_PLAIN_CONSTANTS = frozenset((str, bytes, int, bool, type(None), type(Ellipsis)))


def _same_constant(left, right):
    if type(left) is not type(right):
        return False
    if isinstance(left, float):
        return repr(left) == repr(right)  # tells 0.0 from -0.0 and compares NaN to itself
    if isinstance(left, (tuple, frozenset)):
        if len(left) != len(right):
            return False
        if isinstance(left, frozenset):
            return left == right
        kinds = list(map(type, left))  # defaults like (1, "a", None): settled in C
        if kinds == list(map(type, right)) and _PLAIN_CONSTANTS.issuperset(kinds):
            return left == right
        return all(_same_constant(a, b) for a, b in zip(left, right))
    try:
        return bool(left == right)
    except Exception:  # a constant whose == raises cannot come from source; be safe
        return left is right


def _is_firstlineno_constant(code, const):
    # Python 3.13+ stores a class's __firstlineno__ as a constant of its body.
    return type(const) is int and const == code.co_firstlineno and code.co_name != "<module>"


def same_behaviour(left, right, deep=True):
    """True when two code objects do the same thing, wherever their lines are.

    With deep=False nested code objects count as equal when their names match, which tells
    whether a module or class body changed apart from the bodies of what it defines.
    """
    left, right = original_code(left), original_code(right)  # not the breakpoint probes' copies
    if _behaviour_key(left) != _behaviour_key(right) and _behaviour_of(left) != _behaviour_of(right):
        return False
    left_consts, right_consts = left.co_consts, right.co_consts
    # Exact types first, in C: 1, 1.0 and True differ, and a module body holds hundreds of
    # constants (code objects and their names) that the loop below then settles quickly.
    if len(left_consts) != len(right_consts) or list(map(type, left_consts)) != list(map(type, right_consts)):
        return False
    class_body = not is_function_code(left)
    for a, b in zip(left_consts, right_consts):
        kind = type(a)
        if kind in _PLAIN_CONSTANTS:
            if a != b and not (class_body and _is_firstlineno_constant(left, a)
                               and _is_firstlineno_constant(right, b)):
                return False
        elif kind is CodeType:
            if deep or a.co_name == ANNOTATE_CODE_NAME:
                if not same_behaviour(a, b):
                    return False
            elif a.co_name != b.co_name:
                return False
        elif not _same_constant(a, b):
            return False
    return True


def same_lines(left, right):
    """True when two code objects of the same behaviour also report the same positions."""
    left, right = original_code(left), original_code(right)
    if left.co_firstlineno != right.co_firstlineno or _line_table(left) != _line_table(right):
        return False
    if CodeType not in map(type, left.co_consts):
        return True  # no nested code (most functions): nothing more to compare
    return all(
        same_lines(a, b)
        for a, b in zip(nested_codes(left), nested_codes(right))
    )


if sys.version_info >= (3, 11):
    def identical(left, right):
        """Same behaviour and same positions; CPython 3.11+ compares line tables in ==, in C."""
        return original_code(left) == original_code(right)
else:
    def identical(left, right):
        left, right = original_code(left), original_code(right)
        return left == right and same_lines(left, right)


def docstring_of(code):
    """A function's docstring from its code: the first constant, which CPython 3.9-3.13 keep
    for it (or None); 3.14+ flags whether there is one (CO_HAS_DOCSTRING)."""
    if code.co_name == "<lambda>" or not code.co_consts:
        return None
    if _CO_HAS_DOCSTRING is not None and not code.co_flags & _CO_HAS_DOCSTRING:
        return None
    first = code.co_consts[0]
    return first if isinstance(first, str) else None


def _behaviour_of(code):
    """_behaviour_key, with a class body's own first line number taken out of its bytecode
    where small ints are operands (3.14+): a class that only moved is not a changed class."""
    key = _behaviour_key(code)
    if _LOAD_SMALL_INT is None or is_function_code(code) or "__firstlineno__" not in code.co_names:
        return key
    bytecode = bytearray(code.co_code)
    previous = None
    for instruction in dis.get_instructions(code):
        if (previous is not None and previous.opcode == _LOAD_SMALL_INT
                and instruction.opname in ("STORE_NAME", "STORE_FAST") and instruction.argval == "__firstlineno__"):
            bytecode[previous.offset + 1] = 0
        previous = instruction
    return key[:_CO_CODE_INDEX] + (bytes(bytecode),) + key[_CO_CODE_INDEX + 1:]


def pair_codes(entries, candidates):
    """Pair live code objects (entry[0] of each entry) with new ones of the same qualified
    name: one candidate takes them all, equal counts pair in source order (a property's getter
    and setter share one name), otherwise same behaviour first, then by position."""
    if not candidates:
        return []
    if len(entries) == 1 and len(candidates) == 1:
        return [(entries[0], candidates[0])]  # the common case, settled without sorting
    entries = sorted(entries, key=lambda entry: entry[0].co_firstlineno)
    if len(candidates) == 1:
        return [(entry, candidates[0]) for entry in entries]
    if len(entries) == len(candidates):
        return list(zip(entries, candidates))
    pairs, unused = [], list(candidates)
    for index, entry in enumerate(entries):
        same = [code for code in unused if same_behaviour(entry[0], code)]
        chosen = same[0] if same else (unused[min(index, len(unused) - 1)] if unused else None)
        if chosen is None:
            break
        unused.remove(chosen)
        pairs.append((entry, chosen))
    return pairs
