"""Restart points: user functions compiled with a handler that can re-run the call.

Restart Frame needs code below the restarted frame that catches an exception and calls the
function again; only the frame's own code can catch an exception raised into it. So every
`def` function (not `async def`, not a lambda) of a user file is compiled as if it were

    def f(a, b):
        "docstring"
        try:
            <the body, unchanged>
        except __dapper_restart__:
            return __dapper_restart__.resume()

and nothing else changes: the handler adds no local variable (co_varnames is the same), no
line (its instructions have no location from 3.11, and line 0 before — the tracer skips it),
no frame, and runs only when the debugger restarts a frame. Exceptions of the program pass
through it unchanged (same traceback; before 3.11 a `BaseException` check costs a few
instructions per escaping exception).

Everything that compiles a user file (the main script, imported modules, pytest's rewritten
test modules, breakpoint probes, Apply Changes) compiles it through here, so the code that
runs and the code they compare with are always compiled the same way.
"""

import ast
import sys
import weakref

from ..paths import normalize

HANDLER_NAME = "__dapper_restart__"
CACHE_TAG = "dapperrestart1"  # name.cpython-312.opt-dapperrestart1.pyc: change with the transform
RESUME_ATTRIBUTE = "resume"

# 3.11+: no location at all (no line event, nothing in co_lines). Before: line 0.
_HANDLER_LINE = -1 if sys.version_info >= (3, 11) else 0



class RestartPoints:
    """Which files get restart points (the switch, and the set of files compiled with them)."""

    def __init__(self):
        self.enabled = True
        self._instrumented = set()  # co_filename of every file compiled with restart points

    def reset(self):
        self.enabled = True
        self._instrumented.clear()

    def is_instrumented_file(self, filename):
        if filename in self._instrumented:
            return True
        return bool(self._instrumented) and normalize(filename) in {normalize(f) for f in self._instrumented}

    def compile_like_running(self, source, filename):
        """Compile a file's text the way its running code was compiled (Apply Changes)."""
        if self.is_instrumented_file(filename):
            code = self.compile_tree(ast.parse(source), filename)
            if code is not None:
                return code
        return compile(source, filename, "exec", dont_inherit=True)

    def bytecode_optimization(self, filename):
        """The `optimization` part of the .pyc name its running code was cached under."""
        return CACHE_TAG if self.is_instrumented_file(filename) else ""

    def mark_instrumented(self, filename):
        """Code of this file with restart points was loaded from a cache."""
        self._instrumented.add(filename)

    def add_points(self, tree, filename):
        """Someone else compiles `tree` for `filename` (pytest): give it restart points."""
        if self.enabled and filename:
            add_restart_points(tree)
            self._instrumented.add(filename)
        return tree

    def compile_file(self, source, filename, flags=0):
        """Compile a user file with restart points (or plainly when they are off or the
        instrumented text does not compile, e.g. 20 nested blocks before 3.11)."""
        if not self.enabled:
            return compile(source, filename, "exec", flags=flags, dont_inherit=True)
        tree = compile(source, filename, "exec", flags=flags | ast.PyCF_ONLY_AST, dont_inherit=True)
        code = self.compile_tree(tree, filename, flags)
        if code is None:
            return compile(source, filename, "exec", flags=flags, dont_inherit=True)
        return code

    def compile_tree(self, tree, filename, flags=0):
        """`tree` (changed in place) compiled with restart points; None if that fails."""
        add_restart_points(tree)
        try:
            code = compile(tree, filename, "exec", flags=flags, dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError):
            return None
        self._instrumented.add(filename)
        return code

    def same_compile(self, tree, filename):
        """For code compiled again to compare with running code (probes, Apply Changes): give
        `tree` (changed in place) restart points when the file's running code has them."""
        if self.is_instrumented_file(filename):
            add_restart_points(tree)
        return tree


POINTS = RestartPoints()


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
    """`except __dapper_restart__: return __dapper_restart__.resume()`, without a location.
    One node shared by every wrapper of a tree: compile() only reads it."""
    handler_type = ast.Name(id=HANDLER_NAME, ctx=ast.Load())
    call = ast.Call(
        func=ast.Attribute(value=ast.Name(id=HANDLER_NAME, ctx=ast.Load()), attr=RESUME_ATTRIBUTE, ctx=ast.Load()),
        args=[],
        keywords=[],
    )
    handler = ast.ExceptHandler(type=handler_type, name=None, body=[ast.Return(value=call)])
    for node in ast.walk(handler):
        _nowhere(node)
    return handler



def _wrap(function):
    body = function.body
    start = 1 if _is_docstring(body[0]) else 0
    if start == len(body) or _is_restart_point(body[-1]):
        return
    first, last = body[start], body[-1]
    wrapper = ast.Try(body=body[start:], handlers=[_HANDLER], orelse=[], finalbody=[],
                      lineno=first.lineno, col_offset=first.col_offset,
                      end_lineno=last.end_lineno, end_col_offset=last.end_col_offset)
    function.body = body[:start] + [wrapper] if start else [wrapper]


def _is_docstring(statement):
    return (statement.__class__ is ast.Expr and statement.value.__class__ is ast.Constant
            and isinstance(statement.value.value, str))


def _is_restart_point(statement):
    if statement.__class__ is not ast.Try or len(statement.handlers) != 1:
        return False
    kind = statement.handlers[0].type
    return kind.__class__ is ast.Name and kind.id == HANDLER_NAME


def _nowhere(node):
    node.lineno = node.end_lineno = _HANDLER_LINE
    node.col_offset = node.end_col_offset = -1 if _HANDLER_LINE < 0 else 0
    return node


_HANDLER = _handler()


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


# -- reading compiled code ----------------------------------------------------------------------

_handler_cache = {}  # id(code) -> (weak reference, handler start offset or None)


def has_restart_point(code):
    return handler_offset(code) is not None


def handler_offset(code):
    """Offset of the first instruction of `code`'s restart handler, or None without one."""
    entry = _handler_cache.get(id(code))
    if entry is not None and entry[0]() is code:
        return entry[1]
    offset = _find_handler(code) if HANDLER_NAME in code.co_names else None
    key = id(code)
    try:
        reference = weakref.ref(code, lambda _ref, key=key: _handler_cache.pop(key, None))
    except TypeError:
        return offset
    _handler_cache[key] = (reference, offset)
    return offset


def in_restart_point(frame):
    """The frame stands in its restart point: an exception is passing through it (its
    f_lineno says nothing then; the traceback has the line) or it was restarted."""
    offset = handler_offset(frame.f_code)
    return offset is not None and frame.f_lasti >= offset


def _find_handler(code):
    import dis

    instructions = list(dis.get_instructions(code))
    for index, instruction in enumerate(instructions):
        if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME") and instruction.argval == HANDLER_NAME:
            # The handler starts a little before the name is loaded (DUP_TOP / PUSH_EXC_INFO).
            start = index
            while start > 0 and instructions[start - 1].opname in ("DUP_TOP", "PUSH_EXC_INFO"):
                start -= 1
            return instructions[start].offset
    return None
