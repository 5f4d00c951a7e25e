"""Would a frame's own code swallow the restart signal on its way down?

The signal is a BaseException: `except Exception` lets it pass, but a bare `except:` or
`except BaseException:` that does not re-raise would catch it, and so would a `finally`
that returns, breaks or continues, and a `with contextlib.suppress(BaseException)`. Found
from the frame's source, for the `try` and `with` statements around its current line (and,
for `suppress(...)`, the values its arguments name in the live frame), before anything is
changed. Anything else that swallows it (a context manager's own `__exit__` returning true,
C code discarding the exception) is seen when it happens (swallow.py).
"""

import ast
import builtins
import contextlib
import linecache

from .signal import RestartSignal

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_trees = {}  # filename -> (source lines object, tree or None)


def swallowing_handler(filename, line, frame=None):
    """(line, description) of the first handler around `line` that would keep the restart
    signal from passing, or None. `frame`, running that code, resolves `suppress(...)`'s
    arguments."""
    tree = _tree(filename)
    if tree is None or not line:
        return None
    for node in reversed(_enclosing_blocks(tree, line)):
        if isinstance(node, ast.With):
            for item in reversed(node.items):  # the last manager's __exit__ runs first
                if _suppresses_signal(item.context_expr, frame):
                    return node.lineno, "`with %s` suppresses it" % ast.unparse(item.context_expr)
            continue
        for handler in node.handlers:
            if _catches_everything(handler.type) and not _reraises(handler):
                text = "except:" if handler.type is None else "except %s:" % ast.unparse(handler.type)
                return handler.lineno, "`%s` catches it without re-raising" % text
        if node.finalbody and _leaves(node.finalbody):
            return node.finalbody[0].lineno, "its `finally` block returns, breaks or continues"
    return None


def _tree(filename):
    lines = linecache.getlines(filename)
    cached = _trees.get(filename)
    if cached is not None and cached[0] is lines:
        return cached[1]
    try:
        tree = ast.parse("".join(lines)) if lines else None
    except (SyntaxError, ValueError):
        tree = None
    _trees[filename] = (lines, tree)
    return tree


def catching_statement(filename, line):
    """(line, kind) of the innermost `with` ("with") or `try` with `except` clauses ("try")
    whose body holds `line`, or None: what can have caught an exception passing `line`."""
    tree = _tree(filename)
    if tree is None or not line:
        return None
    for node in reversed(_enclosing_blocks(tree, line)):
        if isinstance(node, ast.With):
            return node.lineno, "with"
        if node.handlers:
            return node.lineno, "try"
    return None


def _enclosing_blocks(tree, line):
    """`try` and `with` statements of the innermost scope around `line` whose protected
    body holds it, outermost first."""
    found = []
    node = tree
    while True:
        child = next((c for c in ast.iter_child_nodes(node) if _spans(c, line)), None)
        if child is None:
            return found
        if isinstance(child, _SCOPES):
            found = []
        elif isinstance(child, (ast.Try, ast.With)) or type(child).__name__ == "TryStar":
            if child.body and child.body[0].lineno <= line <= child.body[-1].end_lineno:
                found.append(child)
        node = child


# -- with contextlib.suppress(...) ----------------------------------------------------------------

_UNKNOWN = object()


def _suppresses_signal(expression, frame):
    """`suppress(...)` / `contextlib.suppress(...)` catching the signal: by the classes its
    arguments name in the live frame (looked up without running code), else by the name
    `BaseException` written in it."""
    if not isinstance(expression, ast.Call) or expression.keywords:
        return False
    function = expression.func
    if not (isinstance(function, ast.Name) and function.id == "suppress"
            or isinstance(function, ast.Attribute) and function.attr == "suppress"):
        return False
    manager = _resolve(function, frame)
    if manager is not _UNKNOWN and not (isinstance(manager, type) and issubclass(manager, contextlib.suppress)):
        return False
    for argument in expression.args:
        starred = isinstance(argument, ast.Starred)
        value = _resolve(argument.value if starred else argument, frame)
        if value is _UNKNOWN:
            if not starred and _names_base_exception(argument):
                return True
            continue
        if _catches_signal(tuple(value) if starred and isinstance(value, (tuple, list)) else value):
            return True
    return False


def _catches_signal(kinds):
    if isinstance(kinds, tuple):
        return any(_catches_signal(kind) for kind in kinds)
    return isinstance(kinds, type) and issubclass(RestartSignal, kinds)


def _names_base_exception(node):
    return isinstance(node, ast.Name) and node.id == "BaseException" or \
        isinstance(node, ast.Attribute) and node.attr == "BaseException"


def _resolve(node, frame):
    """The value a name or a dotted name has in `frame`, read without calling anything
    (no properties, no __getattr__), or _UNKNOWN."""
    if frame is None:
        return _UNKNOWN
    if isinstance(node, ast.Name):
        for namespace in (frame.f_locals, frame.f_globals, frame.f_builtins, vars(builtins)):
            if node.id in namespace:
                return namespace[node.id]
        return _UNKNOWN
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, frame)
        if base is _UNKNOWN:
            return _UNKNOWN
        import inspect  # here: from 3.14 it imports annotationlib and dis, which most stops never need

        try:
            return inspect.getattr_static(base, node.attr)
        except AttributeError:
            return _UNKNOWN
    return _UNKNOWN


def _spans(node, line):
    start = getattr(node, "lineno", None)
    end = getattr(node, "end_lineno", None)
    if start is None or end is None:
        return False
    decorators = getattr(node, "decorator_list", None)
    if decorators:
        start = min([start] + [d.lineno for d in decorators])
    return start <= line <= end


def _catches_everything(kind):
    if kind is None:
        return True
    if isinstance(kind, ast.Tuple):
        return any(_catches_everything(element) for element in kind.elts)
    return isinstance(kind, ast.Name) and kind.id == "BaseException" or \
        isinstance(kind, ast.Attribute) and kind.attr == "BaseException"


def _reraises(handler):
    last = handler.body[-1] if handler.body else None
    if not isinstance(last, ast.Raise) or last.cause is not None:
        return False
    return last.exc is None or (isinstance(last.exc, ast.Name) and last.exc.id == handler.name)


def _leaves(statements):
    todo = list(statements)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Return, ast.Break, ast.Continue)):
            if isinstance(node, ast.Return) or not _inside_loop(node, statements):
                return True
        if not isinstance(node, _SCOPES):
            todo.extend(ast.iter_child_nodes(node))
    return False


def _inside_loop(node, statements):
    """A break/continue that belongs to a loop inside the finally block itself is harmless."""
    for statement in statements:
        for loop in ast.walk(statement):
            if isinstance(loop, (ast.For, ast.While, ast.AsyncFor)) and any(n is node for n in ast.walk(loop)):
                return True
    return False
