"""Every breakpoint stop, in order, matches CPython's own line events — across the statement
shapes probes must handle (branches, loops, try/except/finally, with, match, nested defs,
comprehensions, generators, continuation lines).

Each program below defines `target()`, called twice. A breakpoint goes on every line of it
that reports a line event. The oracle runs `target()` in this test's own interpreter under
`sys.settrace` (`sys.monitoring` from 3.12) and records the line events of the program's code; the debugger must stop
exactly at those events, in that order — with the breakpoints set before the program starts
(the main script is compiled with probes) and set while it runs (functions already defined get
probes from their own source).
"""

import os
import sys
import textwrap
import unittest

from tests.support import AgentHarness

PROGRAMS = {
    "branches": """
        def target(values=(0, 1, 2, 3)):
            out = []
            for v in values:
                if v == 0:
                    out.append("zero")
                elif (v ==
                      1):
                    out.append("one")
                elif v == 2: out.append("two")
                else:
                    out.append("many")
            return out
    """,
    "loops": """
        def target():
            total, i = 0, 0
            while (i <
                   5):
                i += 1
                if i == 2:
                    continue
                if i == 4:
                    break
                total += i
            else:
                total = -1
            for j in range(2):
                total += j
            else:
                total += 100
            return total
    """,
    "exceptions": """
        def target():
            log = []
            for n in (1, 0):
                try:
                    log.append(10 // n)
                except ZeroDivisionError as error:
                    log.append("zero")
                except (ValueError,
                        TypeError):
                    log.append("never")
                else:
                    log.append("fine")
                finally:
                    log.append("done")
            try:
                raise KeyError("k")
            except KeyError:
                pass
            return log
    """,
    "with_and_calls": """
        import contextlib
        @contextlib.contextmanager
        def managed(name):
            yield name.upper()
        def combine(a, b,
                    c=3):
            return a + b + c
        def target():
            with managed("a") as first, \\
                 managed("b") as second:
                joined = first + second
            value = combine(1,
                            2,
                            c=len(joined))
            return value
    """,
    "nested_and_comprehensions": """
        def target():
            def square(n):
                result = n * n
                return result
            class Box:
                size = 2
                def area(self):
                    return self.size * self.size
            squares = [square(n)
                       for n in range(3)
                       if n != 1]
            table = {k: v for k, v in
                     zip("ab", squares)}
            return squares, table, Box().area()
    """,
    "generators": """
        def numbers(limit):
            n = 0
            while n < limit:
                yield n
                n += 1
        def target():
            seen = []
            for value in numbers(3):
                seen.append(value)
            pairs = list(zip(numbers(2),
                             numbers(2)))
            return seen, pairs
    """,
    "async": """
        import asyncio
        async def fetch(n):
            await asyncio.sleep(0)
            return n * 2
        def target():
            async def main():
                first = await fetch(1)
                rest = await asyncio.gather(fetch(2),
                                            fetch(3))
                return [first] + rest
            return asyncio.run(main())
    """,
    "one_liners_and_returns": """
        def target(flag=True):
            a = 1; b = 2
            if flag: a += b
            while a < 10: a *= 2
            def inner(): return a
            assert inner() == a, "never"
            del b
            if not flag:
                return None
            return [inner()
                    for _ in range(2)]
    """,
}

if sys.version_info >= (3, 10):
    PROGRAMS["match"] = """
        def target(items=(1, "two", [3, 4], {"k": 5}, None)):
            out = []
            for item in items:
                match item:
                    case 1:
                        out.append("one")
                    case str() as text:
                        out.append(text)
                    case [first,
                          second]:
                        out.append(first + second)
                    case {"k": value}:
                        out.append(value)
                    case _:
                        out.append("other")
            return out
    """

CALLS = "\ntarget()\ntarget()\nprint('finished')\n"


def _oracle(source, path):
    """(lines of target's code that report events, the events of two calls) per CPython:
    `sys.settrace` line events before 3.12, `sys.monitoring` LINE events from 3.12 (what each
    version's debuggers are built on; with PY_START on, see _record_with_monitoring)."""
    namespace = {"__name__": "oracle", "__file__": path}
    exec(compile(source, path, "exec"), namespace)
    events = []
    if sys.version_info >= (3, 12):
        _record_with_monitoring(namespace["target"], path, events)
    else:
        _record_with_settrace(namespace["target"], path, events)
    own = [line for code, line in events if code is namespace["target"].__code__]
    events = [line for _code, line in events]
    first = namespace["target"].__code__.co_firstlineno
    lines = sorted({line for line in events if line >= first})
    return lines, [line for line in events if line >= first], own[:len(own) // 2]


def _record_with_settrace(target, path, events):
    def local(frame, event, arg):
        if event == "line":
            events.append((frame.f_code, frame.f_lineno))
        return local

    def hook(frame, event, arg):
        return local if frame.f_code.co_filename == path else None

    sys.settrace(hook)
    try:
        target()
        target()
    finally:
        sys.settrace(None)


def _record_with_monitoring(target, path, events):
    monitoring = sys.monitoring
    tool = next(tool for tool in range(6) if monitoring.get_tool(tool) is None)
    monitoring.use_tool_id(tool, "oracle")

    def on_line(code, line):
        if code.co_filename == path:
            events.append((code, line))

    monitoring.register_callback(tool, monitoring.events.LINE, on_line)
    # PY_START too: without it 3.13 reports no LINE for a body on its `def` line (CPython
    # gh-155992, a regression from 3.12; settrace reports it), e.g. `def inner(): return a`.
    monitoring.set_events(tool, monitoring.events.LINE | monitoring.events.PY_START)
    try:
        target()
        target()
    finally:
        monitoring.set_events(tool, 0)
        monitoring.register_callback(tool, monitoring.events.LINE, None)
        monitoring.free_tool_id(tool)


class BreakpointOracleTest(unittest.TestCase):
    def _check(self, name, while_running):
        source = textwrap.dedent(PROGRAMS[name]).lstrip("\n")
        waiting = ""
        if while_running:
            source = "import os, sys, time\n" + source
            waiting = ("print('ready', flush=True)\n"
                       "while not os.path.exists(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'go')):\n"
                       "    time.sleep(0.005)\n")
        with AgentHarness(source + waiting + CALLS) as agent:
            lines, expected, _stepped = _oracle(source, agent.program)
            if while_running:
                agent.configuration_done()
                agent.wait_event("output", predicate=lambda body: "ready" in body.get("output", ""))
                agent.set_breakpoints(agent.program, lines)
                with open(os.path.join(agent.folder, "go"), "w") as handle:
                    handle.write("go")
            else:
                agent.set_breakpoints(agent.program, lines)
                agent.configuration_done()
            stops = []
            while len(stops) <= len(expected):
                try:
                    agent.wait_stopped("breakpoint", timeout=20 if len(stops) < len(expected) else 2)
                except AssertionError:
                    break  # exited (or no further stop)
                stops.append(agent.stack()[0]["line"])
                agent.resume()
            self.assertEqual(stops, expected, name)
            self.assertEqual(agent.wait_exit()[1], 0, agent.output("stderr"))
            self.assertIn("finished", agent.output("stdout"))

    def test_stepping_over_every_line_of_target(self):
        """`next` from target's first line visits its lines exactly as the interpreter runs them
        (probes' own instructions are never a step)."""
        for name in PROGRAMS:
            with self.subTest(program=name):
                source = textwrap.dedent(PROGRAMS[name]).lstrip("\n")
                with AgentHarness(source + CALLS) as agent:
                    lines, _expected, stepped = _oracle(source, agent.program)
                    agent.set_breakpoints(agent.program, lines)  # probes everywhere in target
                    agent.configuration_done()
                    agent.wait_stopped("breakpoint")
                    agent.set_breakpoints(agent.program, [])
                    visited = [agent.stack()[0]["line"]]
                    while len(visited) <= len(stepped):
                        agent.resume("next")
                        agent.wait_stopped("step")
                        top = agent.stack()[0]
                        if not top["name"].endswith("target"):
                            break
                        visited.append(top["line"])
                    self.assertEqual(visited, stepped, name)
                    agent.resume()
                    self.assertEqual(agent.wait_exit()[1], 0)

    def test_breakpoints_set_before_the_program_starts(self):
        for name in PROGRAMS:
            with self.subTest(program=name):
                self._check(name, while_running=False)

    def test_breakpoints_set_while_the_program_runs(self):
        for name in PROGRAMS:
            with self.subTest(program=name):
                self._check(name, while_running=True)


if __name__ == "__main__":
    unittest.main()
