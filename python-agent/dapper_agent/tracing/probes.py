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
import tokenize
import warnings

from ..code_lines import eventful_lines, walk_code
from ..restart.points import POINTS, add_restart_points, finish
from .probe_code import Instrumented, Probe, ProbedTemplate, pair_codes, with_probes
from .probe_placement import DEFINITIONS, PLACEHOLDER, first_line, header_end, insert_probes, statement_lists

_FUTURE_FLAGS = 0
for _name in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _name).compiler_flag



class SourceDefinitions:
    """One parsed file: where each function definition sits (module level or in classes).
    The fallback when a definition cannot be parsed from its own lines (closures)."""

    def __init__(self, text):
        self.tree = ast.parse(text)
        self.imported = module_imports(self.tree)
        self.targets = {}  # (name, first line) -> (node, enclosing classes)
        self._collect(self.tree.body, [])

    def _collect(self, statements, classes):
        for node in statements:
            if isinstance(node, DEFINITIONS):
                self.targets[(node.name, first_line(node))] = (node, classes)
            elif isinstance(node, ast.ClassDef):
                self._collect(node.body, classes + [node])
            else:
                for body in statement_lists(node):
                    self._collect(body, classes)

    def enclosing_target(self, code):
        """(node, enclosing class names) of the module- or class-level definition whose code
        is `code` or contains it."""
        found = self.targets.get((code.co_name, code.co_firstlineno))
        if found is None:
            line = code.co_firstlineno
            found = next(((node, classes) for (name, first), (node, classes) in self.targets.items()
                          if first <= line <= node.end_lineno and (first, node.end_lineno) != (line, line)), None)
        if found is None:
            return None
        node, classes = found
        return Definition(node, [klass.name for klass in classes], self.imported)


class Definition:
    """Where a function is defined, as much of its module as compiling it needs: its node, the
    names of the classes around it, and the names the module binds by importing (from 3.11 the
    compiler calls methods of imported names differently)."""

    __slots__ = ("node", "classes", "imported")

    def __init__(self, node, classes, imported):
        self.node = node
        self.classes = classes
        self.imported = imported


def module_imports(tree):
    """Names bound by import statements in the module's own scope (not in defs or classes)."""
    names, todo = set(), list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import):
            names.update((alias.asname or alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update((alias.asname or alias.name) for alias in node.names if alias.name != "*")
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for body in statement_lists(node):
                todo.extend(body)
    return frozenset(names)


def definition_from_lines(lines, code, qualname, imported):
    """The Definition of `code` parsed from the function's own lines only (cost proportional
    to the function, not the file), with `imported` as the module's imported names; None when
    that fails (a closure, a qualname that does not say its classes, text that is not the def)."""
    first = code.co_firstlineno
    parts = qualname.split(".")
    if "<locals>" in parts or parts[-1] != code.co_name or not 1 <= first <= len(lines):
        return None
    try:
        block = _definition_block(lines[first - 1:])
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    indented = block[0][:1] in (" ", "\t")
    try:
        tree = ast.parse(("if 1:\n" if indented else "") + "".join(block))
    except (SyntaxError, ValueError):
        return None
    statements = tree.body[0].body if indented else tree.body
    node = statements[0] if len(statements) == 1 else None
    if not isinstance(node, DEFINITIONS) or node.name != code.co_name:
        return None
    ast.increment_lineno(tree, first - 1 - (1 if indented else 0))
    return Definition(node, parts[:-1], imported)


def _definition_block(lines):
    """The lines of the definition that starts at lines[0] (its decorators first), up to the
    end of its body: tokenized until the indentation is back at the `def`'s, or, for a body
    on the header's own line, until that line ends."""
    depth = 0
    base = None  # the depth of the definition's first line (a method starts indented)
    header_seen = False
    line_start = True
    decorator = False
    last = 1
    for token in _tokens(lines):
        kind = token.type
        if kind in (tokenize.COMMENT, tokenize.NL):
            continue
        if kind == tokenize.INDENT:
            depth += 1
            continue
        if kind == tokenize.DEDENT:
            depth -= 1
            if base is not None and depth <= base:
                break
            continue
        if kind == tokenize.ENDMARKER:
            break
        if base is None:
            base = depth
        elif header_seen and depth == base:
            break  # the header's line ended and no indented body followed it
        if line_start:
            decorator = depth == base and token.string == "@"
            line_start = False
        if kind == tokenize.NEWLINE:
            last = token.start[0]
            line_start = True
            if depth == base and not decorator:
                header_seen = True
    return lines[:last]


def _tokens(lines):
    """The tokens of `lines`, ending quietly where the indentation stops making sense: the
    lines after a nested definition may dedent to a level it never saw (the definition is
    complete by then)."""
    try:
        yield from tokenize.generate_tokens(iter(lines).__next__)
    except IndentationError:
        return


def instrument_definition(found, code, lines, handler):
    """Instrumented code for the live code object `code` with probes for `lines`, or None.

    `found` is the Definition of the module- or class-level function that `code` is the
    code of or is nested in (a closure), which is compiled and the counterpart of `code` taken."""
    node, classes, imported = found.node, found.classes, found.imported
    start = first_line(node)
    wanted = {line for line in lines if start <= line <= node.end_lineno}
    if not wanted:
        return None
    filename, flags = code.co_filename, code.co_flags & _FUTURE_FLAGS
    # The file's own functions have restart points (restart/points.py): probes go into the
    # same shape, so the probed copy differs from the running code by its probes only. Code
    # the program compiled itself has none.
    for restart_points in ((True, False) if POINTS.is_instrumented_file(filename) else (False,)):
        candidate = add_restart_points(copy.deepcopy(node)) if restart_points else node
        plain = _compile_definition(candidate, classes, imported, filename, flags, restart_points)
        plain_twin = plain and _find_code(plain, code.co_name, code.co_firstlineno)
        if plain_twin is not None and plain_twin == code:
            break
    else:
        return None  # the running code was not compiled from this text
    probed = copy.deepcopy(candidate)
    regions = {}
    body_lines = {line for line in wanted if line >= first_line(probed.body[0])}
    if not insert_probes(probed.body, body_lines, regions, header_end(probed)):
        return None
    compiled = _compile_definition(probed, classes, imported, filename, flags, restart_points)
    probed_twin = compiled and _find_code(compiled, code.co_name, code.co_firstlineno)
    if probed_twin is None:
        return None
    probes = {PLACEHOLDER.format(n): Probe(first, last, handler) for n, (first, last) in regions.items()}
    return _describe(with_probes(probed_twin, probes), code, wanted)


def instrument_module(text, code, lines, handler):
    """The main script's module code with probes (we compile it, before it runs)."""
    try:
        tree = POINTS.same_compile(ast.parse(text), code.co_filename)  # restart points before probes
    except (SyntaxError, ValueError):
        return None
    regions = {}
    if not insert_probes(tree.body, set(lines), regions):
        return None
    compiled = _compile(tree, code.co_filename, code.co_flags & _FUTURE_FLAGS)
    if compiled is None:
        return None
    probes = {PLACEHOLDER.format(n): Probe(first, last, handler) for n, (first, last) in regions.items()}
    result = _describe(with_probes(compiled, probes), code, set(lines))
    # What a child process needs to run the same probed code without compiling (probe_code.py).
    result.template = ProbedTemplate(
        frozenset(lines), compiled, {PLACEHOLDER.format(n): region for n, region in regions.items()},
        [result.probe_offsets.get(id(new), frozenset()) for new, _old in result.originals],
        [result.covered.get(id(new), frozenset()) for new, _old in result.originals])
    return result


# -- compiling -----------------------------------------------------------------------------------


def _compile_definition(node, classes, imported, filename, flags, restart_points=True):
    body = [node]
    for name in reversed(classes):  # only the names matter: mangling, __class__, qualnames
        shell = ast.ClassDef(name=name, bases=[], keywords=[], body=body, decorator_list=[])
        ast.copy_location(shell, node)
        body = [shell]
    if imported:
        imports = ast.Import(names=[ast.alias(name=name, asname=None) for name in sorted(imported)])
        for part in [imports] + imports.names:
            part.lineno = part.end_lineno = node.lineno
            part.col_offset = part.end_col_offset = 0
        body.insert(0, imports)
    return _compile(ast.Module(body=body, type_ignores=[]), filename, flags, restart_points)


def _compile(tree, filename, flags, restart_points=True):
    """`tree` compiled; through `finish` when it is to have restart points (from 3.11 that adds
    them: a tree compiled for code the program compiled itself must not get them)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = compile(tree, filename, "exec", flags=flags, dont_inherit=True)
            return finish(code) if restart_points else code
    except (SyntaxError, ValueError, TypeError, RecursionError):
        return None


def _find_code(code, name, line):
    for candidate in walk_code(code):
        if candidate.co_name == name and candidate.co_firstlineno == line:
            return candidate
    return None


def _describe(instrumented, original, lines):
    originals, offsets, covered = [], {}, {}
    for new, old in pair_codes(instrumented, original):
        originals.append((new, old))
        probe_offsets, regions = _probe_instructions(new)
        if probe_offsets:
            offsets[id(new)] = probe_offsets
        own_lines = eventful_lines(old) & lines
        covered[id(new)] = frozenset(line for line in own_lines if any(a <= line <= b for a, b in regions))
    return Instrumented(instrumented, originals, offsets, covered)


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
