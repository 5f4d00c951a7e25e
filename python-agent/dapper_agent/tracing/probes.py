"""Breakpoint probes for Python 3.9–3.11: code that asks for tracing only where it is needed.

Before 3.12 the only way to see a breakpoint line is a trace function, and a thread with a
trace function pays for it on every call. So a function that holds breakpoints gets new code,
compiled from its own source with one *probe* statement in front of each statement that holds
a breakpoint line:

    "<placeholder>".__dapper_hit__()       # its constant is then replaced by a Probe object

The probe has line number 0, so it never looks like a line of the program (before 3.11 it
joins the previous line; from 3.11 it is line 0, which the tracer skips). When it runs, it
turns tracing on for its thread and frame; the statement after it starts a new line, so the
ordinary line event reports it and everything else (conditions, stepping, goto) works as
usual. Tracing ends again once the frame leaves the probe's region of lines.

Nothing is installed unless compiling the same source *without* probes reproduces the running
code object exactly (`==`), so a file edited on disk but not applied is never instrumented.
"""

import __future__
import ast
import copy
import dis
import types
import warnings

from ..code_lines import line_numbers, walk_code

PROBE_METHOD = "__dapper_hit__"
_PLACEHOLDER = "__dapper_probe_{}_placeholder__"
_FUTURE_FLAGS = 0
for _name in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _name).compiler_flag

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_HEADER_ONLY = (ast.If, ast.With, ast.AsyncWith, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# Code that runs later than the statement that creates it: a probe in that statement can't see it.
_DEFERRED_EXPRESSIONS = (ast.Lambda, ast.GeneratorExp)


class Probe:
    """Lives in co_consts of instrumented code; `__dapper_hit__` runs in the program's thread."""

    __slots__ = ("first", "last", "handler")

    def __init__(self, first, last, handler):
        self.first = first
        self.last = last
        self.handler = handler

    def __dapper_hit__(self):
        self.handler(self)

    def __repr__(self):
        return "<dapper breakpoint probe, lines %d-%d>" % (self.first, self.last)


class Instrumented:
    """The result for one definition: replacement code objects and what they cover."""

    def __init__(self, code, originals, probe_offsets, covered):
        self.code = code  # instrumented code for the definition itself
        self.originals = originals  # [(instrumented code, original code)] for it and every nested code
        self.probe_offsets = probe_offsets  # id(instrumented code) -> frozenset of probe instruction offsets
        self.covered = covered  # id(instrumented code) -> frozenset of breakpoint lines its probes see



def first_line(node):
    decorators = getattr(node, "decorator_list", None)
    return min([node.lineno] + [d.lineno for d in decorators]) if decorators else node.lineno


class SourceDefinitions:
    """One parsed file: where each function definition sits (module level or in classes)."""

    def __init__(self, text):
        self.tree = ast.parse(text)
        self.targets = {}  # (name, first line) -> (node, enclosing classes)
        self._collect(self.tree.body, [])

    def _collect(self, statements, classes):
        for node in statements:
            if isinstance(node, _DEFINITIONS):
                self.targets[(node.name, first_line(node))] = (node, classes)
            elif isinstance(node, ast.ClassDef):
                self._collect(node.body, classes + [node])
            else:
                for body in _statement_lists(node):
                    self._collect(body, classes)

    def enclosing_target(self, code):
        """The module-level or class-level definition whose code is `code` or contains it."""
        found = self.targets.get((code.co_name, code.co_firstlineno))
        if found is not None:
            return found
        line = code.co_firstlineno
        for (name, first), (node, classes) in self.targets.items():
            if first <= line <= node.end_lineno and (first, node.end_lineno) != (line, line):
                return node, classes
        return None


def instrument_definition(definitions, code, lines, handler):
    """Instrumented code for the live code object `code` with probes for `lines`, or None.

    `code` may be a definition's own code or one nested in it (a closure): the enclosing
    module- or class-level definition is compiled, and the counterpart of `code` taken."""
    found = definitions.enclosing_target(code)
    if found is None:
        return None
    node, classes = found
    start = first_line(node)
    wanted = {line for line in lines if start <= line <= node.end_lineno}
    if not wanted:
        return None
    filename, flags = code.co_filename, code.co_flags & _FUTURE_FLAGS
    plain = _compile_definition(node, classes, filename, flags)
    plain_twin = plain and _find_code(plain, code.co_name, code.co_firstlineno)
    if plain_twin is None or plain_twin != code:
        return None  # the running code was not compiled from this text
    probed = copy.deepcopy(node)
    regions = {}
    body_lines = {line for line in wanted if line >= first_line(probed.body[0])}
    if not _insert_probes_in(probed.body, body_lines, regions):
        return None
    compiled = _compile_definition(probed, classes, filename, flags)
    probed_twin = compiled and _find_code(compiled, code.co_name, code.co_firstlineno)
    if probed_twin is None:
        return None
    probes = {_PLACEHOLDER.format(n): Probe(first, last, handler) for n, (first, last) in regions.items()}
    return _describe(_with_probes(probed_twin, probes), code, wanted)


def instrument_module(text, code, lines, handler):
    """The main script's module code with probes (we compile it, before it runs)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    regions = {}
    if not _insert_probes_in(tree.body, set(lines), regions):
        return None
    compiled = _compile(tree, code.co_filename, code.co_flags & _FUTURE_FLAGS)
    if compiled is None:
        return None
    probes = {_PLACEHOLDER.format(n): Probe(first, last, handler) for n, (first, last) in regions.items()}
    return _describe(_with_probes(compiled, probes), code, set(lines))


# -- where probes go -------------------------------------------------------------------------


def _statement_lists(node):
    for field in ("body", "orelse", "finalbody"):
        value = getattr(node, field, None)
        if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
            yield value
    for handler in getattr(node, "handlers", ()) or ():
        yield handler.body
    for case in getattr(node, "cases", ()) or ():
        yield case.body


def _insert_probes_in(statements, lines, regions):
    """Insert probes into one statement list; False when a line cannot be probed."""
    index = 0
    while index < len(statements):
        node = statements[index]
        start, end = first_line(node), node.end_lineno
        hits = {line for line in lines if start <= line <= end}
        if not hits:
            index += 1
            continue
        children = list(_statement_lists(node))
        inner = set()
        for body in children:
            body_lines = {line for line in hits if first_line(body[0]) <= line <= body[-1].end_lineno}
            if body_lines:
                inner |= body_lines
                if not _insert_probes_in(body, body_lines, regions):
                    return False
        own = hits - inner
        if own:
            if index == 0 and _is_docstring(node) or _holds_deferred_code(node, own):
                return False
            region = _region(node, children, start, end)
            number = len(regions)
            regions[number] = region
            statements.insert(index, _probe_statement(number))
            index += 1
        index += 1
    return True


def _region(node, children, start, end):
    """Lines during which the frame stays traced once the probe in front of `node` ran."""
    if not children:
        return start, end
    if isinstance(node, _HEADER_ONLY):
        return start, max(start, first_line(node.body[0]) - 1)
    return start, end  # loops re-run their header; try/match run handler and case lines later


def _is_docstring(node):
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _holds_deferred_code(node, lines):
    """A lambda or generator expression on a breakpoint line runs after the statement."""
    todo = [child for child in ast.iter_child_nodes(node) if not isinstance(child, ast.stmt)]
    while todo:
        child = todo.pop()
        if isinstance(child, _DEFERRED_EXPRESSIONS) and any(child.lineno <= line <= child.end_lineno for line in lines):
            return True
        todo.extend(grandchild for grandchild in ast.iter_child_nodes(child) if not isinstance(grandchild, ast.stmt))
    return False


def _probe_statement(number):
    call = ast.Call(
        func=ast.Attribute(value=ast.Constant(value=_PLACEHOLDER.format(number)), attr=PROBE_METHOD, ctx=ast.Load()),
        args=[], keywords=[])
    statement = ast.Expr(value=call)
    for node in ast.walk(statement):
        node.lineno = node.end_lineno = 0
        node.col_offset = node.end_col_offset = 0
    return statement


# -- compiling -----------------------------------------------------------------------------------


def _compile_definition(node, classes, filename, flags):
    body = [node]
    for klass in reversed(classes):
        shell = ast.ClassDef(name=klass.name, bases=[], keywords=[], body=body, decorator_list=[])
        ast.copy_location(shell, klass)
        body = [shell]
    return _compile(ast.Module(body=body, type_ignores=[]), filename, flags)


def _compile(tree, filename, flags):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return compile(tree, filename, "exec", flags=flags, dont_inherit=True)
    except (SyntaxError, ValueError, TypeError, RecursionError):
        return None


def _find_code(code, name, line):
    for candidate in walk_code(code):
        if candidate.co_name == name and candidate.co_firstlineno == line:
            return candidate
    return None


def _with_probes(code, probes):
    consts = []
    changed = False
    for const in code.co_consts:
        if isinstance(const, str) and const in probes:
            const = probes[const]
            changed = True
        elif isinstance(const, types.CodeType):
            replaced = _with_probes(const, probes)
            changed = changed or replaced is not const
            const = replaced
        consts.append(const)
    return code.replace(co_consts=tuple(consts)) if changed else code


def _describe(instrumented, original, lines):
    originals, offsets, covered = [], {}, {}
    for new, old in _pair_codes(instrumented, original):
        originals.append((new, old))
        probe_offsets, regions = _probe_instructions(new)
        if probe_offsets:
            offsets[id(new)] = probe_offsets
        own_lines = eventful_lines(old) & lines
        covered[id(new)] = frozenset(line for line in own_lines if any(a <= line <= b for a, b in regions))
    return Instrumented(instrumented, originals, offsets, covered)


def _pair_codes(new, old):
    pairs = [(new, old)]
    new_children = [c for c in new.co_consts if isinstance(c, types.CodeType)]
    old_children = [c for c in old.co_consts if isinstance(c, types.CodeType)]
    for new_child, old_child in zip(new_children, old_children):
        pairs.extend(_pair_codes(new_child, old_child))
    return pairs


def eventful_lines(code):
    """Lines of `code` that can report a line event (3.11's prologue before RESUME cannot)."""
    lines = line_numbers(code)
    if "RESUME" not in dis.opmap:
        return lines
    prologue = set()
    for instruction in dis.get_instructions(code):
        if instruction.starts_line is not None:
            prologue.add(instruction.starts_line)
        if instruction.opname == "RESUME":
            break
    body = set()
    seen_resume = False
    for instruction in dis.get_instructions(code):
        if seen_resume and instruction.positions is not None and instruction.positions.lineno is not None:
            body.add(instruction.positions.lineno)
        seen_resume = seen_resume or instruction.opname == "RESUME"
    return (lines - prologue) | (lines & body)


def _probe_instructions(code):
    """Offsets of every instruction that belongs to a probe, and the probes' regions."""
    offsets, regions = set(), []
    inside = False
    for instruction in dis.get_instructions(code):
        if instruction.opname == "LOAD_CONST" and isinstance(instruction.argval, Probe):
            inside = True
            regions.append((instruction.argval.first, instruction.argval.last))
        if inside:
            offsets.add(instruction.offset)
            if instruction.opname == "POP_TOP":
                inside = False
    return frozenset(offsets), regions
