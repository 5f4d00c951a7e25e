"""Restart points are invisible: same lines, line events, tracebacks, names and source."""

import builtins
import dis
import inspect
import os
import sys
import tempfile
import textwrap
import traceback
import types
import unittest

from dapper_agent.restart import signal
from dapper_agent.restart.points import POINTS, finish, handler_offset, has_restart_point, setup_offset

SAMPLE = textwrap.dedent('''\
    def plain(x):
        y = x + 1
        return y

    def documented(x):
        """The docstring."""
        for i in range(2):
            x += i
        if x > 100:
            return 5

    def guarded(x):
        try:
            return 1 / x
        finally:
            z = 3

    def looping(x):
        while x:
            x -= 1
        else:
            pass

    def raises(x):
        raise ValueError(x)

    def catches(x):
        try:
            raises(x)
        except ValueError:
            return 2

    def passes_on(x):
        raises(x)

    def comprehension(x):
        return [i for i in range(x)]

    def closure(x):
        def inner():
            return x
        return inner()

    def generator(x):
        yield x

    class Box:
        def method(self, x):
            return super().__repr__() and x

    def run():
        plain(1); documented(1); guarded(1); looping(2); catches(1); comprehension(2); closure(3)
        list(generator(1)); Box().method(1)
        for call in (lambda: passes_on(1), lambda: guarded(0)):
            try:
                call()
            except (ValueError, ZeroDivisionError):
                pass
    ''')

FUNCTIONS = ("plain", "documented", "guarded", "looping", "raises", "catches", "passes_on", "comprehension", "closure")


class RestartPointsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        signal.install()
        cls.folder = tempfile.mkdtemp(prefix="dapper-restart-points-")
        cls.path = os.path.join(cls.folder, "sample.py")
        with open(cls.path, "w", encoding="utf-8") as handle:
            handle.write(SAMPLE)
        cls.plain = cls._load(compile(SAMPLE, cls.path, "exec", dont_inherit=True))
        cls.instrumented = cls._load(POINTS.compile_file(SAMPLE.encode(), cls.path))

    @classmethod
    def tearDownClass(cls):
        os.unlink(cls.path)
        os.rmdir(cls.folder)

    @classmethod
    def _load(cls, code):
        module = types.ModuleType("sample")
        module.__file__ = cls.path
        exec(code, module.__dict__)
        return module

    def test_every_def_has_a_restart_point(self):
        for name in FUNCTIONS:
            self.assertTrue(has_restart_point(getattr(self.instrumented, name).__code__), name)
            self.assertFalse(has_restart_point(getattr(self.plain, name).__code__), name)
        # A generator's is never used (restartFrame refuses generators) but costs nothing.
        self.assertTrue(has_restart_point(self.instrumented.generator.__code__))
        self.assertTrue(has_restart_point(self.instrumented.Box.method.__code__))

    def test_names_source_and_lines_are_unchanged(self):
        for name in FUNCTIONS + ("generator",):
            plain, instrumented = getattr(self.plain, name), getattr(self.instrumented, name)
            self.assertEqual(plain.__code__.co_varnames, instrumented.__code__.co_varnames, name)
            self.assertEqual(plain.__code__.co_firstlineno, instrumented.__code__.co_firstlineno, name)
            self.assertEqual(plain.__doc__, instrumented.__doc__, name)
            self.assertEqual(inspect.getsource(plain), inspect.getsource(instrumented), name)
            self.assertEqual(inspect.signature(plain), inspect.signature(instrumented), name)
            self.assertEqual(_lines(plain.__code__), _lines(instrumented.__code__), name)

    def test_line_events_are_the_same_as_the_tracer_sees_them(self):
        self.assertEqual(_events(self.plain.run), _events(self.instrumented.run))

    def test_tracebacks_are_the_same(self):
        for module in (self.plain, self.instrumented):
            try:
                module.passes_on(7)
            except ValueError as error:
                text = traceback.format_exception(type(error), error, error.__traceback__)
            if module is self.plain:
                expected = text
        self.assertEqual(expected, text)
        self.assertIn("passes_on", "".join(text))

    def test_too_many_nested_blocks_fall_back_to_plain_code(self):
        depth = 20 if sys.version_info < (3, 11) else 19
        lines = ["def deep():"]
        for level in range(depth):
            lines.append("    " * (level + 1) + "for i%d in range(1):" % level)
        lines.append("    " * (depth + 1) + "pass")
        text = "\n".join(lines) + "\n"
        code = POINTS.compile_file(text.encode(), "<deep>")
        namespace = {}
        exec(code, namespace)
        self.assertIsNone(namespace["deep"]())

    def test_one_definition_compiled_alone_gets_the_same_code(self):
        # Breakpoint probes and Apply Changes compile single definitions, not whole modules.
        import ast
        from dapper_agent.restart.points import add_restart_points  # finish(): as everything compiling a tree does

        node = ast.parse(SAMPLE).body[0]
        alone = finish(compile(ast.Module(body=[add_restart_points(node)], type_ignores=[]), self.path, "exec"))
        plain_code = [c for c in alone.co_consts if isinstance(c, types.CodeType)][0]
        self.assertEqual(plain_code, self.instrumented.plain.__code__)

    def test_the_handler_name_is_the_restart_signal(self):
        self.assertIs(getattr(builtins, "__dapper_restart__"), signal.RestartSignal)


def _lines(code):
    """Lines of a code object and its nested code, as breakpoints see them."""
    found = set()
    todo = [code]
    while todo:
        current = todo.pop()
        setup = setup_offset(current)  # before 3.11: the restart point's setup, on the def line
        found.update(line for offset, line in dis.findlinestarts(current) if line and offset != setup)
        todo.extend(c for c in current.co_consts if isinstance(c, types.CodeType))
    return found


def _events(run):
    """(function, event, line) for calls and lines, skipping what the agent's tracer skips:
    line events inside a restart point (an exception passing through it, before 3.11) and at
    its setup (the call's first instruction, before 3.11)."""
    events = []

    def tracer(frame, event, arg):
        if frame.f_code.co_filename.endswith("sample.py"):
            offset = handler_offset(frame.f_code)
            if event == "line" and offset is not None and (frame.f_lasti >= offset or frame.f_lasti == setup_offset(frame.f_code)):
                return tracer
            if event in ("call", "line", "exception"):
                events.append((frame.f_code.co_name, event, frame.f_lineno))
        return tracer

    sys.settrace(tracer)
    try:
        run()
    finally:
        sys.settrace(None)
    return events


if __name__ == "__main__":
    unittest.main()
