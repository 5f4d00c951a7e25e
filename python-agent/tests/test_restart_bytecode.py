"""Restart points added to compiled code (restart/bytecode.py, 3.11–3.13; bytecode_blocks.py,
3.9/3.10 release builds) against the `ast` transform they replace (restart/transform.py): the
same functions get one, the handler is the compiler's own, the body is the plain compile's, and
a restart behaves the same."""

import ast
import dis
import inspect
import os
import sys
import tempfile
import textwrap
import traceback
import types
import unittest

from dapper_agent.restart import block_stack, signal
from dapper_agent.restart.points import (HANDLER_NAME, POINTS, _bytecode_rewriter, deferred_setup, handler_offset,
                                         has_restart_point)
from dapper_agent.restart.transform import add_restart_points as ast_transform

REWRITER = _bytecode_rewriter()
KNOWN = sys.implementation.name == "cpython" and (
    (3, 11) <= sys.version_info[:2] <= (3, 15)  # the versions the suites run on
    or (sys.version_info[:2] in ((3, 9), (3, 10)) and not hasattr(sys, "gettotalrefcount")))
SKIP_REASON = "this Python adds restart points with the ast transform (3.9/3.10 debug builds, an untested newer Python whose compiler's handler has another shape): nothing to compare"
EXCEPTION_TABLES = sys.version_info >= (3, 11)

# Constants past 255, not small ints (3.14 inlines those): the loads need EXTENDED_ARG.
LONG_BODY = "".join("    if x == %d:\n        total += helper_%d(x) if x else %d\n" % (n, n % 7, n + 1000)
                    for n in range(400))

SOURCE = textwrap.dedent('''\
    import contextlib
    import functools

    log = []

    def hook(where):
        """Raises the restart signal into its caller the first time `where` is reached."""
        log.append(where)
        trigger = TRIGGERS.pop(where, None)
        if trigger is not None:
            trigger(sys._getframe(1))

    def plain(x):
        y = x + 1
        hook("plain")
        return y

    def documented(x):
        """Its docstring."""
        hook("documented")
        return x * 2

    def only_a_docstring():
        """Nothing else."""

    def nested_blocks(x):
        try:
            with contextlib.ExitStack() as stack:
                stack.callback(log.append, "exit")
                try:
                    hook("nested_blocks")
                except ValueError:
                    return "caught"
                finally:
                    log.append("finally")
        except KeyError:
            return "key"
        return x

    def in_an_except_clause(x):
        try:
            raise ValueError(x)
        except ValueError as error:
            hook("in_an_except_clause")
            return str(error)

    def called_in_a_handler(x):
        hook("called_in_a_handler")
        return x

    def handling(x):
        try:
            raise KeyError(x)
        except KeyError:
            return called_in_a_handler(x)

    def outer(x):
        def inner(y):
            hook("inner")
            return x + y
        return inner(1)

    def closure_cell(x):
        values = [x]
        def read():
            return values[0]
        hook("closure_cell")
        return read()

    def decorated_by(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            return function(*args, **kwargs)
        return wrapper

    @decorated_by
    def decorated(x, *rest, key=1, **options):
        hook("decorated")
        return (x, rest, key, options)

    class Box:
        size = [n for n in range(3)]

        def method(self, x):
            hook("method")
            return super().__repr__() is not None and x

        @staticmethod
        def static(x):
            return x

        class Inner:
            def deep(self, x):
                hook("deep")
                return x

    def generator(x):
        hook("generator")
        yield x
        yield x + 1

    async def coroutine(x):
        return x

    def uses_resume(job):
        return job.resume()

    square = lambda x: x * x

    def comprehension(x):
        return [i * x for i in range(3)] + [square(i) for i in range(2)]

    def raises(x):
        raise ValueError("bad %d" % x)

    def passes_on(x):
        raises(x)
        return x

    def loop_with_break(x):
        total = 0
        for i in range(x):
            if i == 3:
                break
            total += i
        else:
            total = -1
        while True:
            hook("loop_with_break")
            return total

    def long_function(x):
        total = 0
    LONG_BODY    return total
    ''').replace("LONG_BODY", LONG_BODY)

SOURCE = "import sys\nTRIGGERS = {}\n" + "".join(
    "def helper_%d(x):\n    return x + %d\n" % (n, n) for n in range(7)) + SOURCE

if sys.version_info >= (3, 12):
    SOURCE += textwrap.dedent('''\
        type Alias[K] = list[K]

        def generic[T: int](x: T) -> T:
            hook("generic")
            return x

        class GenericBox[T]:
            def get(self, x: T) -> T:
                return x
        ''')
if sys.version_info >= (3, 13):
    SOURCE += textwrap.dedent('''\
        def defaulted[D = int](x: D) -> D:
            return x
        ''')

# A function with more than 127 names: the handler's names need EXTENDED_ARG.
MANY_NAMES = "import sys\ndef many(o, trigger):\n    trigger(sys._getframe())\n    return [%s]\n" % ", ".join(
    "o.a%d" % n for n in range(140))


def _codes(code):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def _qualnames(code, prefix=None):
    """The qualified name of each of _codes(code), in that order, before 3.11 (co_qualname):
    enough for SOURCE's functions before 3.12 (no type parameters)."""
    name = "<module>" if prefix is None else prefix + code.co_name
    yield name
    if prefix is None:
        inner = ""
    elif code.co_flags & inspect.CO_OPTIMIZED:
        inner = name + ".<locals>."
    else:  # a class body
        inner = name + "."
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _qualnames(const, inner)


def _restart_into(frame, again):
    """Raise the restart signal into `frame` as restartFrame does: before 3.11, for code whose
    restart point has no set-up on the call path, its block pushed first (block_stack.py)."""
    code = frame.f_code
    if deferred_setup(code):
        block_stack.check(frame, handler_offset(code))
        block_stack.push(frame, handler_offset(code))
    raise signal.RestartSignal(frame, again).set_off()


def _handler(code):
    """The handler's instructions, jumps as offsets from its start."""
    start = handler_offset(code)
    return [(i.opname, i.argval - start if i.opcode in dis.hasjabs or i.opcode in dis.hasjrel else i.argval)
            for i in dis.get_instructions(code) if i.offset >= start and i.opname != "EXTENDED_ARG"]


def _coverage(code):
    """{offset: (target, depth, lasti)} of every instruction an exception-table entry covers."""
    covered = {}
    for entry in dis._parse_exception_table(code):
        for offset in range(entry.start, entry.end, 2):
            covered[offset] = (entry.target, entry.depth, entry.lasti)
    return covered


class RewriterChoiceTest(unittest.TestCase):
    def test_the_bytecode_rewriter_is_used_exactly_on_the_versions_it_knows(self):
        # A template that stops matching the compiler on 3.11-3.13 must fail here, not skip below.
        self.assertEqual(REWRITER is not None, KNOWN)


@unittest.skipUnless(REWRITER is not None, SKIP_REASON)
class BytecodeRestartPointsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        signal.install()
        cls.folder = tempfile.mkdtemp(prefix="dapper-restart-bytecode-")
        cls.path = os.path.join(cls.folder, "tricky.py")
        with open(cls.path, "w", encoding="utf-8") as handle:
            handle.write(SOURCE)
        cls.plain_code = compile(SOURCE, cls.path, "exec", dont_inherit=True)
        cls.ast_code = compile(ast_transform(ast.parse(SOURCE)), cls.path, "exec", dont_inherit=True)
        cls.code = POINTS.compile_file(SOURCE.encode(), cls.path)

    @classmethod
    def tearDownClass(cls):
        os.unlink(cls.path)
        os.rmdir(cls.folder)

    def _load(self, code):
        module = types.ModuleType("tricky")
        module.__file__ = self.path
        exec(code, module.__dict__)
        return module

    def _triples(self):
        for qualname, plain, transformed, rewritten in zip(_qualnames(self.plain_code), _codes(self.plain_code),
                                                           _codes(self.ast_code), _codes(self.code)):
            yield getattr(plain, "co_qualname", qualname), plain, transformed, rewritten

    def test_the_same_functions_get_a_restart_point_as_with_the_ast_transform(self):
        names = set()
        for qualname, plain, transformed, rewritten in self._triples():
            self.assertEqual(plain.co_name, rewritten.co_name)
            # a lambda has no statement for the ast transform to wrap; its compiled code takes the handler
            lambda_ = plain.co_name == "<lambda>"
            self.assertEqual(has_restart_point(transformed) or lambda_, has_restart_point(rewritten), qualname)
            if has_restart_point(rewritten):
                names.add(qualname)
        for name in ("plain", "documented", "nested_blocks", "outer.<locals>.inner", "outer", "decorated",
                     "decorated_by.<locals>.wrapper", "Box.method", "Box.static", "Box.Inner.deep", "generator",
                     "uses_resume", "long_function", "in_an_except_clause", "loop_with_break"):
            self.assertIn(name, names)
        self.assertTrue(any(name.endswith("<lambda>") for name in names), names)
        for name in ("only_a_docstring", "coroutine", "<module>", "Box", "Alias", "T"):
            self.assertNotIn(name, names)
        if sys.version_info >= (3, 12):
            self.assertIn("generic", names)
            self.assertIn("GenericBox.get", names)
        if sys.version_info >= (3, 13):
            self.assertIn("defaulted", names)
            self.assertNotIn("D", names)  # its default's lazily evaluated function

    def test_the_body_is_the_plain_compile_and_the_handler_the_compilers(self):
        def_handler = [op for op, _ in _handler(next(c for c in _codes(self.code) if c.co_name == "plain"))]
        for name, plain, transformed, rewritten in self._triples():
            if plain.co_name == "<lambda>":
                # no ast wrapper to compare with: the same instructions as a def's handler, after the plain code
                self.assertEqual(rewritten.co_code[:len(plain.co_code)], plain.co_code, name)
                self.assertEqual(handler_offset(rewritten), len(plain.co_code), name)
                self.assertEqual([op for op, _ in _handler(rewritten)], def_handler, name)
                continue
            length = len(plain.co_code)
            self.assertEqual(rewritten.co_code[:length], plain.co_code, name)
            for attribute in ("co_varnames", "co_cellvars", "co_freevars", "co_firstlineno", "co_argcount",
                              "co_kwonlyargcount", "co_flags", "co_qualname"):
                if hasattr(plain, attribute):
                    self.assertEqual(getattr(rewritten, attribute), getattr(plain, attribute), (name, attribute))
            self.assertEqual([c for c in rewritten.co_consts if not isinstance(c, types.CodeType)],
                             [c for c in plain.co_consts if not isinstance(c, types.CodeType)], name)
            if not EXCEPTION_TABLES:
                # 3.9/3.10: the plain code and its lines, then the handler the compiler makes for
                # the ast wrapper (which sets its block up in front of the body: restartFrame does here).
                lines = list(dis.findlinestarts(plain))
                self.assertEqual(list(dis.findlinestarts(rewritten))[:len(lines)], lines, name)
                if not has_restart_point(rewritten):
                    self.assertEqual(rewritten.co_code, plain.co_code, name)
                    continue
                self.assertEqual(handler_offset(rewritten), length, name)
                self.assertEqual(rewritten.co_names[:len(plain.co_names)], plain.co_names, name)
                self.assertTrue(deferred_setup(rewritten), name)
                # to the end of the code: the check, the reraise, the call after the except clause
                self.assertEqual(_handler(rewritten), _handler(transformed), name)
                self.assertLessEqual({"RERAISE", "POP_EXCEPT", "RETURN_VALUE"}, {op for op, _ in _handler(rewritten)}, name)
                self.assertGreaterEqual(rewritten.co_stacksize, plain.co_stacksize, name)
                continue
            positions = list(rewritten.co_positions())
            self.assertEqual(positions[:length // 2], list(plain.co_positions()), name)
            if not has_restart_point(rewritten):
                self.assertEqual(rewritten.co_code, plain.co_code, name)
                continue
            self.assertEqual(handler_offset(rewritten), length, name)
            self.assertEqual(rewritten.co_names[:len(plain.co_names)], plain.co_names, name)
            if transformed.co_code[:length] == plain.co_code:  # the ast transform changed nothing before its handler
                self.assertEqual(rewritten.co_code, transformed.co_code, name)
                self.assertEqual(rewritten.co_names, transformed.co_names, name)
                self.assertEqual(rewritten.co_stacksize, transformed.co_stacksize, name)
                self.assertEqual(positions[length // 2:], list(transformed.co_positions())[length // 2:], name)
                ours, theirs = _coverage(rewritten), _coverage(transformed)
                for offset in range(0, len(rewritten.co_code), 2):
                    if offset in theirs:
                        self.assertEqual(ours.get(offset), theirs[offset], (name, offset))
                    elif offset in ours:  # the ast transform leaves its returns outside the try; covering them is harmless
                        self.assertEqual(ours[offset], (length, 0, False), (name, offset))

    @unittest.skipUnless(EXCEPTION_TABLES, "before 3.11 a try is a block: restartFrame pushes the restart point's "
                         "(test_restart_deferred_setup, test_restart_frame)")
    def test_every_body_instruction_reaches_the_handler_or_a_handler_of_the_function(self):
        for _name, _plain, _transformed, rewritten in self._triples():
            if not has_restart_point(rewritten):
                continue
            covered = _coverage(rewritten)
            instructions = list(dis.get_instructions(rewritten))
            resume = next(i.offset for i in instructions if i.opname == "RESUME")
            handler = handler_offset(rewritten)
            for instruction in instructions:
                if resume < instruction.offset < handler and instruction.opname != "CACHE":
                    target = covered.get(instruction.offset)
                    if target is None:  # only a generator's own StopIteration handler is outside
                        self.assertTrue(rewritten.co_flags & inspect.CO_GENERATOR, (rewritten.co_name, instruction))

    def test_a_very_long_function_keeps_its_extended_args_and_lines(self):
        plain = next(c for c in _codes(self.plain_code) if c.co_name == "long_function")
        rewritten = next(c for c in _codes(self.code) if c.co_name == "long_function")
        self.assertIn("EXTENDED_ARG", {i.opname for i in dis.get_instructions(plain)})
        self.assertEqual(list(dis.findlinestarts(rewritten))[:len(list(dis.findlinestarts(plain)))],
                         list(dis.findlinestarts(plain)))
        module = self._load(self.code)
        self.assertEqual(module.long_function(5), self._load(self.plain_code).long_function(5))

    def test_functions_behave_as_compiled_plainly(self):
        plain, rewritten = self._load(self.plain_code), self._load(self.code)
        for module in (plain, rewritten):
            module.log.clear()
        calls = [
            lambda m: m.plain(1), lambda m: m.documented(2), lambda m: m.only_a_docstring(),
            lambda m: m.nested_blocks(3), lambda m: m.in_an_except_clause(4), lambda m: m.outer(5),
            lambda m: m.closure_cell(6), lambda m: m.decorated(7, 8, key=9, z=10), lambda m: m.Box().method(11),
            lambda m: m.Box.static(12), lambda m: m.Box.Inner().deep(13), lambda m: list(m.generator(14)),
            lambda m: m.comprehension(15), lambda m: m.loop_with_break(10), lambda m: m.Box.size,
            lambda m: m.long_function(399),
        ]
        if sys.version_info >= (3, 12):
            calls += [lambda m: m.generic(16), lambda m: repr(m.Alias.__value__), lambda m: m.GenericBox().get(17)]
        for call in calls:
            self.assertEqual(call(rewritten), call(plain))
        self.assertEqual(rewritten.log, plain.log)
        for name in ("plain", "nested_blocks", "outer", "decorated", "generator", "long_function"):
            self.assertEqual(inspect.getsource(getattr(rewritten, name)), inspect.getsource(getattr(plain, name)))
            self.assertEqual(getattr(rewritten, name).__doc__, getattr(plain, name).__doc__)

    def test_tracebacks_are_the_plain_compiles(self):
        texts = []
        for code in (self.plain_code, self.code):
            try:
                self._load(code).passes_on(7)
            except ValueError as error:
                texts.append(traceback.format_exception(type(error), error, error.__traceback__))
        self.assertEqual(texts[0], texts[1])

    def test_a_restart_reenters_the_function_like_the_ast_transform_does(self):
        """The signal, raised into the frame from a call it makes (inside try/with/except blocks,
        a loop, a nested function, a method), is caught by its restart point: the blocks it is in
        unwind (finally, __exit__), and the call's result is the restart's."""
        places = ["plain", "documented", "nested_blocks", "in_an_except_clause", "called_in_a_handler", "inner",
                  "closure_cell", "decorated", "method", "deep", "loop_with_break"]
        if sys.version_info >= (3, 12):
            places.append("generic")
        calls = {
            "plain": lambda m: m.plain(1), "documented": lambda m: m.documented(2),
            "nested_blocks": lambda m: m.nested_blocks(3), "in_an_except_clause": lambda m: m.in_an_except_clause(4),
            "called_in_a_handler": lambda m: m.handling(11),
            "inner": lambda m: m.outer(5), "closure_cell": lambda m: m.closure_cell(6),
            "decorated": lambda m: m.decorated(7), "method": lambda m: m.Box().method(8),
            "deep": lambda m: m.Box.Inner().deep(9), "loop_with_break": lambda m: m.loop_with_break(5),
            "generic": lambda m: m.generic(10),
        }
        results = {}
        for label, code in (("ast", self.ast_code), ("bytecode", self.code)):
            module = self._load(code)
            for place in places:
                module.log.clear()
                restarted = []

                def trigger(frame, place=place, restarted=restarted):
                    # the new call is made where the caller's handled exception is current again
                    _restart_into(frame, lambda again: restarted.append(repr(sys.exc_info()[1])) or "restarted %s" % place)

                module.TRIGGERS[place] = trigger
                result = calls[place](module)
                self.assertEqual(len(restarted), 1, (label, place))
                self.assertEqual(restarted[0], "KeyError(11)" if place == "called_in_a_handler" else "None", (label, place))
                results.setdefault(place, []).append((result, list(module.log)))
        for place, (by_ast, by_bytecode) in results.items():
            self.assertEqual(by_bytecode, by_ast, place)
            self.assertEqual(by_bytecode[0], "restarted %s" % place)
        self.assertEqual(results["nested_blocks"][1][1], ["nested_blocks", "finally", "exit"])

    def test_a_function_with_many_names_gets_a_restart_point(self):
        code = POINTS.compile_file(MANY_NAMES.encode(), self.path)
        many = next(c for c in _codes(code) if c.co_name == "many")
        self.assertTrue(has_restart_point(many))
        self.assertGreater(many.co_names.index(HANDLER_NAME), 127)
        holder = types.SimpleNamespace(**{"a%d" % n: n for n in range(140)})
        namespace = {}
        exec(code, namespace)
        self.assertEqual(namespace["many"](holder, lambda frame: None), list(range(140)))

        def trigger(frame):
            _restart_into(frame, lambda again: "restarted")

        self.assertEqual(namespace["many"](holder, trigger), "restarted")

    def test_a_definition_compiled_alone_is_the_same_code_as_in_its_file(self):
        # Apply Changes and breakpoint probes compile single definitions through finish().
        from dapper_agent.restart.points import finish

        tree = ast.parse(SOURCE)
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in ("plain", "outer", "Box", "loop_with_break"):
                alone = finish(compile(POINTS.same_compile(ast.Module(body=[node], type_ignores=[]), self.path),
                                       self.path, "exec", dont_inherit=True))
                mine = next(c for c in alone.co_consts if isinstance(c, types.CodeType))
                whole = next(c for c in self.code.co_consts if isinstance(c, types.CodeType) and c.co_name == node.name)
                self.assertEqual(mine, whole, node.name)

    def test_compiled_like_running_is_the_running_code(self):
        self.assertEqual(POINTS.compile_like_running(SOURCE, self.path), self.code)


if __name__ == "__main__":
    unittest.main()
