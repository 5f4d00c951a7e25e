"""Breakpoints while threads run untraced (Python 3.9–3.11: probes in the functions that hold
breakpoints, threads woken on demand; 3.12+: sys.monitoring). Every behaviour here holds on
every version; on 3.9–3.11 these are the cases where a breakpoint is reached without a
trace function having been installed from the start."""

import os
import sys
import unittest

from tests.support import AgentHarness

# The program waits for this file before going on: the test sets breakpoints first.
WAIT_FOR_GO = """\
import os, sys, time
def wait_for_go():
    print("ready", flush=True)
    while not os.path.exists(os.path.join(os.path.dirname(os.path.abspath(__file__)), "go")):
        time.sleep(0.005)
"""


def go(agent):
    with open(os.path.join(agent.folder, "go"), "w") as handle:
        handle.write("go")


def wait_ready(agent):
    agent.wait_event("output", predicate=lambda body: "ready" in body.get("output", ""))


class UntracedUntilNeededTest(unittest.TestCase):
    def test_threads_run_untraced_until_they_reach_a_breakpoint_and_after_it(self):
        script = """\
            import sys, threading
            def with_breakpoint(x):
                y = x + 1
                return y
            def report(where):
                print(where, "traced:", sys.gettrace() is not None)
            report("main before")
            worker = threading.Thread(target=report, args=("worker",))
            worker.start(); worker.join()
            print("result", with_breakpoint(1))
            report("main after")
        """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [3])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            self.assertEqual((agent.stack()[0]["name"], agent.stack()[0]["line"]), ("with_breakpoint", 3))
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), [
                "main before traced: False", "worker traced: False", "result 2", "main after traced: False"])

    def test_breakpoint_set_on_entry_in_a_function_not_defined_yet(self):
        script = """\
            import sys
            def with_breakpoint(x):
                y = x + 1
                return y
            def main():
                print("traced:", sys.gettrace() is not None)
                print("result", with_breakpoint(1))
            main()
        """
        with AgentHarness(script) as agent:
            agent.configuration_done(stop_on_entry=True)
            agent.wait_stopped("entry")
            agent.set_breakpoints(agent.program, [3])
            agent.resume()
            agent.wait_stopped("breakpoint")
            self.assertEqual((agent.stack()[0]["name"], agent.stack()[0]["line"]), ("with_breakpoint", 3))
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["traced: False", "result 2"])

    def test_lines_and_stops_match_the_interpreter_exactly_around_probes(self):
        body = (
            "def work(items):\n"
            "    total = 0\n"
            "    for item in items:\n"
            "        if item > 1:\n"
            "            total += item\n"
            "        else:\n"
            "            total -= 1\n"
            "    return total\n"
        )
        expected_lines = _lines_run(body, "work", [1, 2])  # CPython's own line events: the oracle
        script = body + "print(work([1, 2]))\n"
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [2, 3, 5])
            agent.configuration_done()
            expected_hits = [line for line in expected_lines if line in (2, 3, 5)]
            hits = []
            for _ in expected_hits:
                agent.wait_stopped("breakpoint")
                hits.append(agent.stack()[0]["line"])
                agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(hits, expected_hits)
            self.assertEqual([e["body"]["reason"] for e in agent.all_events if e["event"] == "stopped"],
                             ["breakpoint"] * len(expected_hits))

        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [2])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            stepped = [agent.stack()[0]["line"]]
            while agent.stack()[0]["name"] == "work":
                agent.resume("next")
                agent.wait_stopped("step")
                stepped.append(agent.stack()[0]["line"])
            self.assertEqual(stepped[:-1], expected_lines)
            self.assertEqual(agent.stack()[0]["name"], "<module>")
            agent.resume()
            agent.wait_exit()

    def test_breakpoint_added_while_a_function_spins_without_calls(self):
        script = """\
            def spin():
                count = 0
                print("ready", flush=True)
                while True:
                    count += 1
                    if count < 0:
                        break
            spin()
        """
        with AgentHarness(script) as agent:
            agent.configuration_done()
            wait_ready(agent)
            agent.set_breakpoints(agent.program, [5])
            agent.wait_stopped("breakpoint")
            self.assertEqual((agent.stack()[0]["name"], agent.stack()[0]["line"]), ("spin", 5))
            agent.request("terminate")


class CodeMadeBeforeTheBreakpointTest(unittest.TestCase):
    def test_closure_made_before_the_breakpoint_was_set(self):
        script = WAIT_FOR_GO + (
            "def make(n):\n"
            "    def inner():\n"
            "        value = n * 2\n"  # line 9
            "        return value\n"
            "    return inner\n"
            "def main():\n"
            "    callback = make(21)\n"
            "    wait_for_go()\n"
            "    print('value', callback())\n"
            "    print('traced:', sys.gettrace() is not None)\n"  # probes, not a fallback to tracing
            "main()\n"
        )
        with AgentHarness(script) as agent:
            agent.configuration_done()
            wait_ready(agent)
            (bp,) = agent.set_breakpoints(agent.program, [9])
            self.assertTrue(bp["verified"])
            go(agent)
            agent.wait_stopped("breakpoint")
            self.assertEqual((agent.stack()[0]["name"].rsplit(".", 1)[-1], agent.locals()["n"]), ("inner", "21"))
            agent.resume()
            agent.wait_exit()
            self.assertIn("value 42\ntraced: False", agent.output("stdout"))

    def test_generator_suspended_before_the_breakpoint_was_set(self):
        script = WAIT_FOR_GO + (
            "def numbers():\n"
            "    yield 1\n"
            "    value = 2\n"  # line 8
            "    yield value\n"
            "gen = numbers()\n"
            "print('first', next(gen))\n"
            "wait_for_go()\n"
            "print('second', next(gen))\n"
        )
        with AgentHarness(script) as agent:
            agent.configuration_done()
            wait_ready(agent)
            agent.set_breakpoints(agent.program, [8])
            go(agent)
            agent.wait_stopped("breakpoint")
            self.assertEqual((agent.stack()[0]["name"], agent.stack()[0]["line"]), ("numbers", 8))
            agent.resume()
            agent.wait_exit()
            self.assertIn("second 2", agent.output("stdout"))

    def test_decorated_function_defined_before_the_breakpoint_was_set(self):
        script = WAIT_FOR_GO + (
            "import functools\n"
            "def logged(fn):\n"
            "    @functools.wraps(fn)\n"
            "    def wrapper(*args):\n"
            "        return fn(*args)\n"
            "    return wrapper\n"
            "@logged\n"
            "def greet(name):\n"
            "    text = 'hi ' + name\n"  # line 14
            "    return text\n"
            "wait_for_go()\n"
            "print(greet('bob'))\n"
            "print('traced:', sys.gettrace() is not None)\n"
        )
        with AgentHarness(script) as agent:
            agent.configuration_done()
            wait_ready(agent)
            agent.set_breakpoints(agent.program, [14])
            go(agent)
            agent.wait_stopped("breakpoint")
            self.assertEqual((agent.stack()[0]["name"], agent.locals()["name"]), ("greet", "'bob'"))
            agent.resume()
            agent.wait_exit()
            self.assertIn("hi bob\ntraced: False", agent.output("stdout"))

    def test_function_calling_methods_of_imported_modules_gets_probes(self):
        # From 3.11 the compiler calls methods of imported names differently: the probes'
        # copy must be compiled knowing the module's imports, or it would not match.
        helpers = (
            "import math, os.path\n"
            "from json import dumps\n"
            "def helper(x):\n"
            "    y = math.floor(x * 1.5)\n"  # line 4
            "    return dumps([y, os.path.basename('/a/b')])\n"
        )
        script = WAIT_FOR_GO + (
            "import helpers\n"
            "wait_for_go()\n"
            "print(helpers.helper(3))\n"
            "print('traced:', sys.gettrace() is not None)\n"
        )
        with AgentHarness(script, extra_files={"helpers.py": helpers}) as agent:
            agent.configuration_done()
            wait_ready(agent)
            agent.set_breakpoints(os.path.join(agent.folder, "helpers.py"), [4])
            go(agent)
            agent.wait_stopped("breakpoint")
            self.assertEqual((agent.stack()[0]["name"], agent.stack()[0]["line"]), ("helper", 4))
            agent.resume()
            agent.wait_exit()
            self.assertEqual(agent.output("stdout").splitlines()[-2:], ['[4, "b"]', "traced: False"])

    def test_breakpoint_in_a_lambda(self):
        script = (
            "def apply(fn, value):\n"
            "    return fn(value)\n"
            "square = (lambda n:\n"
            "          n * n)\n"  # line 4: only the lambda runs it
            "print(apply(square, 7))\n"
        )
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [4])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            self.assertEqual((agent.stack()[0]["name"], agent.locals()["n"]), ("<lambda>", "7"))
            agent.resume()
            agent.wait_exit()
            self.assertIn("49", agent.output("stdout"))

    def test_module_imported_later_gets_probes_and_the_thread_runs_untraced_meanwhile(self):
        helpers = "def helper(x):\n    y = x * 3\n    return y\n"
        script = (
            "import sys\n"
            "import helpers\n"
            "print('traced:', sys.gettrace() is not None)\n"
            "print(helpers.helper(4))\n"
        )
        with AgentHarness(script, extra_files={"helpers.py": helpers}) as agent:
            agent.set_breakpoints(os.path.join(agent.folder, "helpers.py"), [2])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            self.assertEqual((agent.stack()[0]["name"], agent.locals()["x"]), ("helper", "4"))
            agent.resume()
            agent.wait_exit()
            self.assertEqual(agent.output("stdout").splitlines(), ["traced: False", "12"])


@unittest.skipIf(sys.version_info >= (3, 12), "3.12+ uses sys.monitoring: there are no probes or ctypes to set up")
class SetUpWhenNeededTest(unittest.TestCase):
    """What a process pays for on 3.9-3.11 (most child processes have breakpoints only in
    files they never load): the probe compiler and ctypes are loaded by the first function
    that needs a probe and the first wake of another thread, and everything still works."""

    def test_probes_and_ctypes_are_set_up_by_the_first_breakpoint_and_stop_that_need_them(self):
        helpers = "def helper(x):\n    y = x * 3\n    return y\n"
        script = (
            "import sys, threading\n"
            "def loaded():\n"
            "    return sorted(n for n in ('ctypes', 'dapper_agent.tracing.probes') if n in sys.modules)\n"
            "print('at start:', loaded(), 'traced:', sys.gettrace() is not None, flush=True)\n"
            "running = [True]\n"
            "def spin():\n"
            "    n = 0\n"
            "    while running[0]:\n"
            "        n += 1\n"
            "spinner = threading.Thread(target=spin, name='spinner')\n"
            "spinner.start()\n"
            "import helpers\n"
            "print('imported:', loaded(), flush=True)\n"
            "print(helpers.helper(4))\n"
            "running[0] = False\n"
            "spinner.join()\n"
            "print('at the end:', loaded())\n"
        )
        with AgentHarness(script, extra_files={"helpers.py": helpers}) as agent:
            agent.set_breakpoints(os.path.join(agent.folder, "helpers.py"), [2])
            agent.configuration_done()
            stopped = agent.wait_stopped("breakpoint")
            self.assertTrue(stopped["allThreadsStopped"])
            self.assertEqual((agent.stack()[0]["name"], agent.locals()["x"]), ("helper", "4"))
            # The spinning thread, which never made a call since it started, was reached and parked.
            threads = {t["name"]: t["id"] for t in agent.request("threads")["threads"]}
            self.assertEqual(agent.stack(threads["spinner"])[0]["name"], "spin")
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), [
                "at start: [] traced: False",
                "imported: ['dapper_agent.tracing.probes']",
                "12",
                "at the end: ['ctypes', 'dapper_agent.tracing.probes']",
            ])


class ProgramInstallsCodeTest(unittest.TestCase):
    def test_code_the_program_assigns_itself_hits_breakpoints_and_then_gets_probes(self):
        script = (
            "import sys, types\n"
            "def f(x):\n"
            "    y = x * 10\n"  # line 3
            "    return y\n"
            # as a hot reloader does after the file was edited: the new code matches the file
            "text = open(__file__).read().replace('x * 10', 'x * 100')\n"
            "open(__file__, 'w').write(text)\n"
            "new = compile(text, __file__, 'exec')\n"
            "f.__code__ = [c for c in new.co_consts if isinstance(c, types.CodeType) and c.co_name == 'f'][0]\n"
            "print('value', f(2))\n"
            "print('value', f(3))\n"
            "print('traced:', sys.gettrace() is not None)\n"
        )
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [3])
            agent.configuration_done()
            for x in ("2", "3"):
                agent.wait_stopped("breakpoint")
                self.assertEqual((agent.stack()[0]["name"], agent.locals()["x"]), ("f", x))
                agent.resume()
            agent.wait_exit()
            self.assertEqual(agent.output("stdout").splitlines(), ["value 200", "value 300", "traced: False"])


class ApplyChangesWithProbesTest(unittest.TestCase):
    def test_counts_and_stale_frames_are_those_of_the_edit_alone(self):
        script = (
            "def a():\n"
            "    return 'old a'\n"
            "def b(i):\n"
            "    marker = i\n"  # line 4: breakpoint, so b holds probes
            "    return marker\n"
            "for i in range(2):\n"
            "    print(a(), b(i))\n"
        )
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [4])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            with open(agent.program, "w") as handle:
                handle.write(script.replace("'old a'", "'new a'"))
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["patchedFunctions"], 1)
            self.assertEqual(body["staleFrames"], [])
            self.assertFalse(agent.stack()[0]["name"].endswith("[old code]"))
            agent.resume()
            agent.wait_stopped("breakpoint")  # b still holds its breakpoint after the apply
            self.assertEqual(agent.locals()["i"], "1")
            agent.resume()
            agent.wait_exit()
            self.assertEqual(agent.output("stdout").splitlines(), ["old a 0", "new a 1"])


def _lines_run(source, name, argument):
    """The line events CPython reports for one call of `name` (relative to the script)."""
    namespace = {}
    exec(compile(source, "<oracle>", "exec"), namespace)
    lines = []

    def local(frame, event, arg):
        if event == "line":
            lines.append(frame.f_lineno)
        return local

    def hook(frame, event, arg):
        return local if frame.f_code.co_name == name else None

    sys.settrace(hook)
    try:
        namespace[name](argument)
    finally:
        sys.settrace(None)
    return lines


if __name__ == "__main__":
    unittest.main()
