"""Where breakpoint probes go in a function's syntax tree, and how long each keeps its frame
traced (its region). See probes.py for what a probe is and why it has line 0.
"""

import ast

PLACEHOLDER = "__dapper_probe_{}_placeholder__"  # a probe's constant until it is replaced
PROBE_METHOD = "__dapper_hit__"
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_HEADER_ONLY = (ast.If, ast.With, ast.AsyncWith, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# Code that runs later than the statement that creates it: a probe in that statement can't see it.
_DEFERRED_EXPRESSIONS = (ast.Lambda, ast.GeneratorExp)


def first_line(node):
    decorators = getattr(node, "decorator_list", None)
    return min([node.lineno] + [d.lineno for d in decorators]) if decorators else node.lineno


def statement_lists(node):
    for body, _previous in _statement_lists_after(node):
        yield body


def _statement_lists_after(node):
    """(statement list, the last line of code that runs just before it) for each list of
    statements directly in `node`, in the order they appear."""
    previous = header_end(node)
    for field in ("body", "handlers", "orelse", "finalbody", "cases"):
        value = getattr(node, field, None)
        if not value:
            continue
        if field == "handlers":
            for handler in value:
                yield handler.body, header_end(handler)
                previous = handler.body[-1].end_lineno
            continue
        if field == "cases":
            for case in value:
                yield case.body, max(_end(case.pattern), _end(case.guard))
                previous = case.body[-1].end_lineno
            continue
        if isinstance(value[0], ast.stmt):
            yield value, previous
            previous = value[-1].end_lineno


def _end(node):
    """The last line `node` covers (nodes without positions — withitem, arguments — by their parts)."""
    if node is None:
        return 0
    end = getattr(node, "end_lineno", None)
    if end is not None:
        return end
    return max([0] + [_end(child) for child in ast.iter_child_nodes(node)])


def header_end(node):
    """The last line of a compound statement's header (`if …:`, `def …(…):`, `except …:`)."""
    end = node.lineno
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.stmt, ast.excepthandler)) or type(child).__name__ == "match_case":
            continue
        end = max(end, _end(child))
    return end


def insert_probes(statements, lines, regions, previous_line=0):
    """Insert probes into one statement list; False when a line cannot be probed.

    A probe's region keeps the frame traced for all its lines, so lines inside it need no
    probe of their own — and must not get one: from 3.11 a probe starts a line of its own,
    and the statement after it would report its (same) line twice. A statement that starts on
    the line of the code before it cannot have a probe at all (before 3.11 no line event would
    follow the probe; from 3.11 one too many): that definition is left to ordinary tracing."""
    remaining = set(lines)
    index = 0
    while index < len(statements):
        node = statements[index]
        start, end = first_line(node), node.end_lineno
        before = statements[index - 1].end_lineno if index else previous_line
        hits = {line for line in remaining if start <= line <= end}
        if not hits:
            index += 1
            continue
        lists = list(_statement_lists_after(node))
        header_last = header_end(node) if lists else end
        region = _region(node, bool(lists), start, header_last, end)
        in_children = {line for body, _ in lists for line in hits
                       if first_line(body[0]) <= line <= body[-1].end_lineno and line > header_last}
        own = hits - in_children
        if own:
            if index == 0 and _is_docstring(node) or _holds_deferred_code(node, own) or start <= before:
                return False
            remaining -= {line for line in remaining if region[0] <= line <= region[1]}
        separate_code = isinstance(node, DEFINITIONS)  # a def's body runs later, in its own frame
        for body, body_previous in lists:
            child_lines = {line for line in hits if first_line(body[0]) <= line <= body[-1].end_lineno}
            if own and not separate_code:
                child_lines = {line for line in child_lines if not region[0] <= line <= region[1]}
            if child_lines and not insert_probes(body, child_lines, regions, body_previous):
                return False
        if own:
            number = len(regions)
            regions[number] = region
            statements.insert(index, _probe_statement(number))
            index += 1
        index += 1
    return True


def _region(node, compound, start, header_last, end):
    """Lines during which the frame stays traced once the probe in front of `node` ran."""
    if not compound:
        return start, end
    if isinstance(node, _HEADER_ONLY):
        return start, header_last
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
        func=ast.Attribute(value=ast.Constant(value=PLACEHOLDER.format(number)), attr=PROBE_METHOD, ctx=ast.Load()),
        args=[], keywords=[])
    statement = ast.Expr(value=call)
    for node in ast.walk(statement):
        node.lineno = node.end_lineno = 0
        node.col_offset = node.end_col_offset = 0
    return statement
