"""The restart-point transform (points.py says what it does and why): a function's body
wrapped in `try: … return None except __dapper_restart__: pass`, followed by
`return __dapper_restart__.resume()`.

Used on a Python whose bytecode restart/bytecode.py does not know (3.9/3.10 debug builds,
a newer Python whose handler has another shape), for trees compiled by others (pytest) there,
and once per process elsewhere to
learn the handler bytecode.py and bytecode_blocks.py append. It needs only the node classes
of the built-in `_ast` module: `ast.py` itself imports `re`, `enum` and `contextlib`, a
noticeable part of a process's start-up.
"""

import _ast as ast  # the node classes (what `ast` re-exports)
import sys

from .points import HANDLER_NAME, RESUME_ATTRIBUTE

# 3.11+: no location at all (no line event, nothing in co_lines). Before: line 0.
_HANDLER_LINE = -1 if sys.version_info >= (3, 11) else 0
# Before 3.11 the `try` compiles to an instruction (SETUP_FINALLY) that must run before the
# restart point can catch anything. Located on the first body line, it would be that line's
# first instruction, where a breakpoint, a step into the call and a goto to that line stop: a
# restart raised there finds no handler and ends the program. On the `def` line it is a line
# range of its own, so the body's first line starts after it; the tracers pass its line event
# by (points.setup_offset). From 3.11 a try costs no instruction.
SETUP_ON_DEF_LINE = sys.version_info < (3, 11)


def add_restart_points(tree):
    """Wrap the body of every plain function in `tree`, a module or one statement (in place;
    idempotent).

    Only statement lists are walked (a `def` is a statement), which keeps this a small part
    of compiling. Generators get a restart point too: harmless (it never catches anything
    but the signal, and restartFrame refuses generators before raising it), and finding
    `yield` would mean walking every expression."""
    function_type = ast.FunctionDef
    todo = [tree.body] if isinstance(tree, ast.Module) else [[tree]]  # a module, or one statement
    while todo:
        for node in todo.pop():
            fields = _STATEMENT_LISTS.get(node.__class__)
            if fields is None:
                continue  # a simple statement: no def inside
            if node.__class__ is function_type:
                _wrap(node)
            for field in fields:
                value = getattr(node, field)
                if field in ("handlers", "cases"):
                    todo.extend(nested.body for nested in value)
                elif value:
                    todo.append(value)
    return tree


def _handler():
    """`except __dapper_restart__: pass`, without a location. One node shared by every
    wrapper of a tree: compile() only reads it."""
    handler_type = ast.Name(id=HANDLER_NAME, ctx=ast.Load())
    handler = ast.ExceptHandler(type=handler_type, name=None, body=[_nowhere(ast.Pass())])
    for node in (handler, handler_type):
        _nowhere(node)
    return handler


def _resume():
    """`return __dapper_restart__.resume()`, without a location: after the `try`, reached only
    from its `except` clause (the body returns before it), so the call it makes runs outside
    that clause and sees the exception the caller was handling, as a plain call does."""
    call = ast.Call(
        func=ast.Attribute(value=ast.Name(id=HANDLER_NAME, ctx=ast.Load()), attr=RESUME_ATTRIBUTE, ctx=ast.Load()),
        args=[],
        keywords=[],
    )
    returned = ast.Return(value=call)
    for node in (returned, call, call.func, call.func.value):
        _nowhere(node)
    return returned


def _return_none():
    """The body's own `return None` at its end, without a location, as the compiler adds it to
    a body that ends without one (it takes the location of what runs before it)."""
    return _nowhere(ast.Return(value=_nowhere(ast.Constant(value=None))))


def _wrap(function):
    body = function.body
    start = 1 if _is_docstring(body[0]) else 0
    if start == len(body) or _is_restart_point(body):
        return
    first, last = body[start], body[-1]
    inside = body[start:]
    if last.__class__ not in _ENDS:
        inside.append(_RETURN_NONE)
    wrapper = ast.Try(body=inside, handlers=[_HANDLER], orelse=[], finalbody=[],
                      lineno=function.lineno if SETUP_ON_DEF_LINE else first.lineno, col_offset=first.col_offset,
                      end_lineno=last.end_lineno, end_col_offset=last.end_col_offset)
    function.body = body[:start] + [wrapper, _RESUME]


def _is_docstring(statement):
    return (statement.__class__ is ast.Expr and statement.value.__class__ is ast.Constant
            and isinstance(statement.value.value, str))


def _is_restart_point(body):
    """The body ends as _wrap leaves it: the `try` whose handler catches the signal, then
    the return of its resume() call."""
    if len(body) < 2:
        return False
    returned, statement = body[-1], body[-2]
    call = getattr(returned, "value", None) if returned.__class__ is ast.Return else None
    if call.__class__ is not ast.Call or call.func.__class__ is not ast.Attribute or call.func.attr != RESUME_ATTRIBUTE:
        return False
    if statement.__class__ is not ast.Try or len(statement.handlers) != 1:
        return False
    kind = statement.handlers[0].type
    return kind.__class__ is ast.Name and kind.id == HANDLER_NAME


def _nowhere(node):
    node.lineno = node.end_lineno = _HANDLER_LINE
    node.col_offset = node.end_col_offset = -1 if _HANDLER_LINE < 0 else 0
    return node


_HANDLER = _handler()
_RESUME = _resume()
_RETURN_NONE = _return_none()
_ENDS = (ast.Return, ast.Raise)  # a body ending so needs no `return None` of its own


_STATEMENT_LISTS = {  # statement class -> its fields that hold statements (where a def can be)
    kind: fields
    for name, fields in (
        ("FunctionDef", ("body",)), ("AsyncFunctionDef", ("body",)), ("ClassDef", ("body",)),
        ("If", ("body", "orelse")), ("For", ("body", "orelse")), ("AsyncFor", ("body", "orelse")),
        ("While", ("body", "orelse")), ("With", ("body",)), ("AsyncWith", ("body",)),
        ("Try", ("body", "handlers", "orelse", "finalbody")), ("TryStar", ("body", "handlers", "orelse", "finalbody")),
        ("Match", ("cases",)),
    )
    for kind in [getattr(ast, name, None)] if kind is not None
}
