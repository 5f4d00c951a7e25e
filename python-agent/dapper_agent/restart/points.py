"""Restart points: user functions compiled with a handler that can re-run the call.

Restart Frame needs code below the restarted frame that catches an exception and calls the
function again; only the frame's own code can catch an exception raised into it. So every
`def` function (not `async def`; lambdas too where the handler is added to compiled code) of a
user file is compiled as if it were

    def f(a, b):
        "docstring"
        try:
            <the body, unchanged>
            return None  # the compiler's own, at the end of a body that can end without one
        except __dapper_restart__:
            pass
        return __dapper_restart__.resume()

and nothing else changes: the handler adds no local variable (co_varnames is the same), no
line (its instructions have no location from 3.11, and line 0 before — the tracer skips it),
no frame, and runs only when the debugger restarts a frame. The new call is made after the
`except` clause has ended, so it sees the exception its caller was handling, if any, as a
plain call does. Exceptions of the program pass
through it unchanged (same traceback; before 3.11 a `BaseException` check costs a few
instructions per escaping exception).

Everything that compiles a user file (the main script, imported modules, pytest's rewritten
test modules, breakpoint probes, Apply Changes) compiles it through here, so the code that
runs and the code they compare with are always compiled the same way. Two ways make the same
restart point: on 3.9–3.15 (release builds on 3.9/3.10) the handler is appended to the
plainly compiled code (bytecode.py, bytecode_blocks.py; the tree is left alone and `finish`
adds it, or add_points_to_code to code pytest compiles; on 3.9/3.10 restartFrame pushes its
block); elsewhere the tree is wrapped (transform.py).
"""

import sys
import weakref

from ..paths import normalize

# Before 3.11 a restart point's `try` costs an instruction at the call's start (transform.py).
_SETUP_INSTRUCTION = sys.version_info < (3, 11)
# Where restart points may be added to compiled code instead of the tree: bytecode.py checks
# that the compiler's handler has the shape it knows before it is used (3.11+: exception
# tables), and the interpreter keeps transform.py where it does not.
_BYTECODE_VERSION = (sys.implementation.name == "cpython" and (
    sys.version_info[:2] >= (3, 11)
    or (sys.version_info[:2] in ((3, 9), (3, 10)) and not hasattr(sys, "gettotalrefcount"))))

HANDLER_NAME = "__dapper_restart__"
CACHE_TAG = "dapperrestart7"  # name.cpython-312.opt-dapperrestart7.pyc: change with the transform
RESUME_ATTRIBUTE = "resume"



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
            code = self._compile_with_points(source, filename, 0)
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
        """Someone else compiles `tree` for `filename` (pytest, where add_points_to_code cannot
        be used): give it restart points (the `ast` transform: only the tree passes through here)."""
        if self.enabled and filename:
            from .transform import add_restart_points as add

            add(tree)
            self._instrumented.add(filename)
        return tree

    def adds_points_to_code(self):
        """Whether restart points are added to compiled code on this Python (not to trees)."""
        return _bytecode_rewriter() is not None

    def add_points_to_code(self, code, filename):
        """Someone else compiled `filename` (pytest, its tree its own): `code` with restart points
        added where adds_points_to_code() says they can be, as to any user file's code."""
        rewriter = _bytecode_rewriter()
        if not self.enabled or not filename or rewriter is None:
            return code
        self._instrumented.add(filename)
        return rewriter(code)

    def compile_file(self, source, filename, flags=0):
        """Compile a user file with restart points (or plainly when they are off or the
        instrumented text does not compile, e.g. 20 nested blocks before 3.11)."""
        if not self.enabled:
            return compile(source, filename, "exec", flags=flags, dont_inherit=True)
        code = self._compile_with_points(source, filename, flags)
        if code is None:
            return compile(source, filename, "exec", flags=flags, dont_inherit=True)
        return code

    def _compile_with_points(self, source, filename, flags):
        if _bytecode_rewriter() is not None:
            # Straight to bytecode, the restart points added to it (bytecode.py).
            code = compile(source, filename, "exec", flags=flags, dont_inherit=True)
            self._instrumented.add(filename)
            return finish(code)
        from _ast import PyCF_ONLY_AST

        tree = compile(source, filename, "exec", flags=flags | PyCF_ONLY_AST, dont_inherit=True)
        return self.compile_tree(tree, filename, flags)

    def compile_tree(self, tree, filename, flags=0):
        """`tree` (changed in place where the `ast` transform is used) compiled with restart
        points; None if that fails."""
        add_restart_points(tree)
        try:
            code = compile(tree, filename, "exec", flags=flags, dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError):
            return None
        self._instrumented.add(filename)
        return finish(code)

    def same_compile(self, tree, filename):
        """For code compiled again to compare with running code (probes, Apply Changes): give
        `tree` (changed in place) restart points when the file's running code has them. The
        caller passes the compiled tree through `finish`, which adds them where the `ast`
        transform is not used."""
        if self.is_instrumented_file(filename):
            add_restart_points(tree)
        return tree


POINTS = RestartPoints()


def finish(code):
    """Code compiled from a tree with restart points, as it runs: where bytecode.py adds them
    (3.9–3.15 release builds), for a file compiled with restart points, with them added to its
    functions now (the tree was left as it was); otherwise, before 3.11, with the ast
    wrapper's blocks taken off the call path (deferred_setup.py); unchanged otherwise. Whatever compiles a restart-point tree passes the
    result through here, so running code and code compiled again to compare with it (probes,
    Apply Changes) have the same shape."""
    rewriter = _bytecode_rewriter()
    if rewriter is not None:
        return rewriter(code) if POINTS.is_instrumented_file(code.co_filename) else code
    if _SETUP_INSTRUCTION:
        from .deferred_setup import defer_setups

        return defer_setups(code)
    return code


def add_restart_points(tree):
    """Wrap the body of every plain function in `tree` (in place; idempotent): transform.py,
    imported when a file is first compiled with restart points, not at start-up. Where
    bytecode.py adds restart points to compiled code (3.9–3.15) the tree is left as it is:
    `finish` adds them after the compile."""
    if _bytecode_rewriter() is not None:
        return tree
    from .transform import add_restart_points as add

    return add(tree)


_rewriter = None  # bytecode.add_points once its template is learned; False: this Python uses transform.py


def _bytecode_rewriter():
    global _rewriter
    if _rewriter is None:
        _rewriter = False
        if _BYTECODE_VERSION:
            from . import bytecode

            if bytecode.template() is not None:
                _rewriter = bytecode.add_points
    return _rewriter or None


# -- reading compiled code ----------------------------------------------------------------------

_offsets_cache = {}  # id(code) -> (weak reference, (handler offset, setup offset, setup has its own line,
#                                                   setup deferred, first offset it catches from 3.11) or None)


def has_restart_point(code):
    return handler_offset(code) is not None


def handler_offset(code):
    """Offset of the first instruction of `code`'s restart handler, or None without one."""
    offsets = _offsets(code)
    return offsets[0] if offsets is not None else None


def setup_offset(code):
    """Before 3.11, the offset of the instruction that sets up `code`'s restart point (of its
    first EXTENDED_ARG prefix, if any) when it is a line range of its own (the `def` line):
    not a line of the program, nothing may stop there.
    None from 3.11, without a restart point, or when the body shares the `def` line (a
    one-line function: its first line event comes before the setup)."""
    if not _SETUP_INSTRUCTION:
        return None  # without reading the code (which imports dis): listing a file's lines asks for every function
    offsets = _offsets(code)
    return offsets[1] if offsets is not None and offsets[2] else None


def deferred_setup(code):
    """Before 3.11: `code`'s restart point has no block until restartFrame pushes one
    (deferred_setup.py, block_stack.py)."""
    offsets = _offsets(code)
    return offsets is not None and offsets[3]


def restart_point_ready(frame):
    """Whether the frame's restart point can catch the restart signal now: before 3.11, once
    the call's first instruction set it up; from 3.11, anywhere in the body, and on RESUME (a
    3.13 stop from PY_START, on a lambda's only line) where the exception table covers it."""
    offsets = _offsets(frame.f_code)
    if offsets is None:
        return True
    if offsets[4] is not None:
        return frame.f_lasti >= offsets[4]
    return offsets[1] is None or frame.f_lasti > offsets[1]


def _offsets(code):
    if HANDLER_NAME not in code.co_names:
        return None
    entry = _offsets_cache.get(id(code))
    if entry is not None and entry[0]() is code:
        return entry[1]
    offsets = _find_offsets(code)
    key = id(code)
    try:
        reference = weakref.ref(code, lambda _ref, key=key: _offsets_cache.pop(key, None))
    except TypeError:
        return offsets
    _offsets_cache[key] = (reference, offsets)
    return offsets


def in_restart_point(frame):
    """The frame stands in its restart point: an exception is passing through it (its
    f_lineno says nothing then; the traceback has the line) or it was restarted."""
    offset = handler_offset(frame.f_code)
    return offset is not None and frame.f_lasti >= offset


def _after_probes(instructions, index):
    """The first instruction from `index` on that is not a breakpoint probe's call. A probe put
    before the body's first line shares the `def` line with the setup instruction (probes have
    no line of their own): the body's first line still starts after it."""
    while index + 3 < len(instructions):
        load, method, call, pop = instructions[index:index + 4]
        if load.opname != "LOAD_CONST" or method.opname != "LOAD_METHOD" or call.opname != "CALL_METHOD" \
                or pop.opname != "POP_TOP" or method.starts_line is not None:
            break
        from ..tracing.probe_placement import PROBE_METHOD  # here: probes exist, so ast is loaded

        if method.argval != PROBE_METHOD:
            break
        index += 4
    return instructions[index] if index < len(instructions) else None


def _find_offsets(code):
    import dis

    instructions = list(dis.get_instructions(code))
    for index, instruction in enumerate(instructions):
        if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME") and instruction.argval == HANDLER_NAME:
            # The handler starts a little before the name is loaded (DUP_TOP / PUSH_EXC_INFO).
            start = index
            while start > 0 and instructions[start - 1].opname in ("DUP_TOP", "PUSH_EXC_INFO"):
                start -= 1
            handler = instructions[start].offset
            setup, own_line, deferred, ready = None, False, False, None
            if not _SETUP_INSTRUCTION:
                resume = next((each.offset for each in instructions if each.opname == "RESUME"), None)
                if resume is not None:
                    from .bytecode import covers

                    ready = resume if covers(code, resume) else resume + 2
            if _SETUP_INSTRUCTION:
                position = next((number for number, each in enumerate(instructions)
                                 if each.opname == "SETUP_FINALLY" and each.argval == handler), None)
                if position is None and _bytecode_rewriter() is not None:
                    # bytecode_blocks.py appended the handler to plainly compiled code: no setup
                    # at all, restartFrame pushes the block (the ast path is not used for code
                    # that runs then)
                    deferred = True
                elif position is None:
                    # deferred_setup.py made it a NOP: the first instruction after EXTENDED_ARG prefixes
                    position = next(number for number, each in enumerate(instructions) if each.opname != "EXTENDED_ARG")
                    deferred = instructions[position].opname == "NOP"
                    if not deferred:
                        position = None
                if position is not None:
                    # From its EXTENDED_ARG prefixes (a long function): where its line starts, the
                    # offset of its line event.
                    start = position
                    while start > 0 and instructions[start - 1].opname == "EXTENDED_ARG":
                        start -= 1
                    setup = instructions[start].offset
                    following = _after_probes(instructions, position + 1)
                    own_line = following is not None and following.starts_line is not None
            return handler, setup, own_line, deferred, ready
    return None
