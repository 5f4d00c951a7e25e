"""Before 3.11: restart points cost no block on the call path; restartFrame pushes the block."""

import dis
import opcode
import sys
import textwrap
import types
import unittest

from dapper_agent.restart import block_stack, signal
from dapper_agent.restart.points import (POINTS, _bytecode_rewriter, deferred_setup, handler_offset, restart_point_ready,
                                         setup_offset)

BEFORE_311 = sys.version_info < (3, 11)
SKIP_REASON = "from 3.11 a try costs no instruction (exception tables): nothing is taken off the call path"
# 3.9/3.10 release builds: bytecode_blocks.py appends the handler to plainly compiled code (no
# SETUP_FINALLY, no NOP); deferred_setup.py is the ast path's, kept where that template is unknown.
APPENDED = BEFORE_311 and _bytecode_rewriter() is not None

SOURCE = textwrap.dedent('''\
    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    def nested(path, n):
        """Docstring."""
        total = 0
        with open(path) as handle:
            try:
                for i in range(n):
                    try:
                        if i == 2:
                            return total
                        total += i
                    except ValueError:
                        pass
            finally:
                total = -total
        while n:
            n -= 1
        return total

    def empty():
        pass

    def long(a):
    ''') + "".join("    a = a + %d\n" % i for i in range(150)) + "    return a\n"


def _executed(function, *arguments):
    """Names of the bytecode instructions a call runs (opcode tracing)."""
    names = []

    def tracer(frame, event, arg):
        frame.f_trace_opcodes = True
        if event == "opcode":
            names.append(opcode.opname[frame.f_code.co_code[frame.f_lasti]])
        return tracer

    sys.settrace(tracer)
    try:
        function(*arguments)
    finally:
        sys.settrace(None)
    return names


def _load(code):
    namespace = {}
    exec(code, namespace)
    return namespace


@unittest.skipUnless(BEFORE_311, SKIP_REASON)
class DeferredSetupTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        signal.install()
        cls.plain = compile(SOURCE, "deferred.py", "exec", dont_inherit=True)
        cls.code = POINTS.compile_file(SOURCE.encode(), "deferred.py")
        import ast
        from dapper_agent.restart.points import add_restart_points

        cls.with_blocks = compile(add_restart_points(ast.parse(SOURCE)), "deferred.py", "exec", dont_inherit=True)

    def _function_codes(self, module):
        return {c.co_name: c for c in module.co_consts if isinstance(c, types.CodeType)}

    def test_a_call_runs_no_block_instruction_of_its_restart_point(self):
        functions = _load(self.code)
        ran = _executed(functions["fib"], 6)
        self.assertNotIn("SETUP_FINALLY", ran)
        self.assertNotIn("POP_BLOCK", ran)
        plain = _executed(_load(self.plain)["fib"], 6)
        if APPENDED:  # the handler is after the code: a call runs exactly the plain compile's instructions
            self.assertEqual(ran, plain)
        else:
            calls = 25  # fib(6) calls fib 25 times: one NOP each (where SETUP_FINALLY was) is all that is added
            self.assertEqual(len(ran), len(plain) + calls)
        self.assertEqual(functions["fib"](20), 6765)

    @unittest.skipIf(APPENDED, "3.9/3.10 release build: restart points are appended to compiled code (bytecode_blocks.py), "
                     "deferred_setup.py is not used; test_restart_bytecode compares that code with the plain compile")
    def test_nothing_else_moves(self):
        deferred, blocks = self._function_codes(self.code), self._function_codes(self.with_blocks)
        for name in ("fib", "nested", "empty", "long"):
            new, old = deferred[name], blocks[name]
            self.assertTrue(deferred_setup(new), name)
            self.assertFalse(deferred_setup(old), name)
            self.assertEqual(len(new.co_code), len(old.co_code), name)
            self.assertEqual(list(dis.findlinestarts(new)), list(dis.findlinestarts(old)), name)
            self.assertEqual(new.co_varnames, old.co_varnames, name)
            self.assertEqual(handler_offset(new), handler_offset(old), name)
            self.assertEqual(setup_offset(new), setup_offset(old), name)
            changed = [(a.offset, a.opname, b.opname) for a, b in zip(dis.get_instructions(old), dis.get_instructions(new))
                       if (a.opname, a.arg) != (b.opname, b.arg) and a.opname != "EXTENDED_ARG"]
            self.assertEqual(changed[0][1:], ("SETUP_FINALLY", "NOP"), name)
            self.assertTrue(all((before == "POP_BLOCK" and after in ("NOP", "RETURN_VALUE"))
                                or (before in ("JUMP_FORWARD", "JUMP_ABSOLUTE") and after == "RETURN_VALUE")
                                for _offset, before, after in changed[1:]), (name, changed))
        # A long function's SETUP_FINALLY has an EXTENDED_ARG prefix: it stays, with argument 0.
        first = list(dis.get_instructions(deferred["long"]))[:2]
        self.assertEqual([(i.opname, i.arg) for i in first], [("EXTENDED_ARG", 0), ("NOP", None)])
        self.assertEqual(_load(self.code)["long"](0), sum(range(150)))

    def test_the_inner_blocks_still_work(self):
        import os
        functions, plain = _load(self.code), _load(self.plain)
        for n in range(5):
            self.assertEqual(functions["nested"](os.devnull, n), plain["nested"](os.devnull, n))
        self.assertIsNone(functions["empty"]())

    def test_a_pushed_block_catches_the_signal_under_the_frames_own_blocks(self):
        # What restartFrame does with a parked frame, done here with a frame of this thread:
        # the block goes under the `with` and `try` blocks the frame is in; the signal runs
        # their finally and __exit__, then the restart point calls the function again.
        source = textwrap.dedent('''\
            import contextlib, sys
            log = []

            @contextlib.contextmanager
            def managed():
                try:
                    yield
                finally:
                    log.append("exit")

            def work(n):
                log.append("start %d" % n)
                with managed():
                    try:
                        try:
                            hook(sys._getframe())
                        except ValueError:
                            pass
                    finally:
                        log.append("finally")
                return n * 10
            ''')
        namespace = _load(POINTS.compile_file(source.encode(), "pushed.py"))
        seen = []

        def hook(frame):
            seen.append(block_stack.blocks(frame))
            if len(seen) == 1:
                code = frame.f_code
                self.assertTrue(deferred_setup(code) and restart_point_ready(frame))
                block_stack.check(frame, handler_offset(code))
                block_stack.push(frame, handler_offset(code))
                block_stack.push(frame, handler_offset(code))  # once only
                seen.append(block_stack.blocks(frame))
                raise signal.RestartSignal(frame, lambda _frame: namespace["work"](7)).set_off()

        namespace["hook"] = hook
        self.assertEqual(namespace["work"](3), 70)
        self.assertEqual(namespace["log"], ["start 3", "finally", "exit", "start 7", "finally", "exit"])
        handler = handler_offset(namespace["work"].__code__)
        before, after = seen[0], seen[1]
        self.assertEqual(len(before), 3)  # with, try/finally, try/except
        self.assertEqual(after, [(opcode.opmap["SETUP_FINALLY"], handler, 0)] + before)
        self.assertEqual(len(seen[2]), 3)  # the new call: no block of its restart point

    def test_a_frame_with_twenty_blocks_has_no_room(self):
        depth = 20
        lines = ["def deep(check):"]
        for level in range(depth):
            lines.append("    " * (level + 1) + "try:")
        lines.append("    " * (depth + 1) + "return check(__import__('sys')._getframe())")
        for level in reversed(range(depth)):
            lines.append("    " * (level + 1) + "finally:")
            lines.append("    " * (level + 2) + "pass")
        deep = _load(compile("\n".join(lines) + "\n", "deep.py", "exec"))["deep"]

        def check(frame):
            with self.assertRaises(block_stack.Refusal) as refused:
                block_stack.check(frame, 0)
            self.assertEqual(len(block_stack.blocks(frame)), 20)
            return str(refused.exception)

        self.assertIn("20 nested try/with/except blocks", deep(check))


if __name__ == "__main__":
    unittest.main()
