"""Would a frame's own code swallow the restart signal on its way down?

The signal is a BaseException: `except Exception` lets it pass, but a bare `except:` or
`except BaseException:` that does not re-raise would catch it, and so would a `finally`
that returns, breaks or continues. Found from the frame's source, for the `try` statements
around its current line, before anything is changed.
"""

import ast
import linecache

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_trees = {}  # filename -> (source lines object, tree or None)


def swallowing_handler(filename, line):
    """(line, description) of the first handler around `line` that would keep the restart
    signal from passing, or None."""
    tree = _tree(filename)
    if tree is None or not line:
        return None
    for node in reversed(_enclosing_trys(tree, line)):
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


def _enclosing_trys(tree, line):
    """`try` statements of the innermost scope around `line` whose protected body holds it."""
    found = []
    node = tree
    while True:
        child = next((c for c in ast.iter_child_nodes(node) if _spans(c, line)), None)
        if child is None:
            return found
        if isinstance(child, _SCOPES):
            found = []
        elif isinstance(child, ast.Try) or type(child).__name__ == "TryStar":
            if child.body and child.body[0].lineno <= line <= child.body[-1].end_lineno:
                found.append(child)
        node = child


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
