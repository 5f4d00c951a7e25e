"""Line, conditional, hit-count, log and function breakpoints, as a DAP client sees them."""

import os
import unittest

from tests.support import AgentHarness

LOOP = """\
total = 0
for i in range(10):
    total += i          # line 3

    # a comment         (line 5)
    marker = i          # line 6
print("total", total)
"""


class LineBreakpointTest(unittest.TestCase):
    def test_stops_at_line_and_reports_hit_id(self):
        with AgentHarness(LOOP) as agent:
            (bp,) = agent.set_breakpoints(agent.program, [3])
            self.assertEqual((bp["verified"], bp["line"]), (True, 3))
            agent.configuration_done()
            stopped = agent.wait_stopped("breakpoint")
            self.assertEqual(stopped["hitBreakpointIds"], [bp["id"]])
            self.assertTrue(stopped["allThreadsStopped"])
            self.assertEqual(agent.stack()[0]["line"], 3)
            self.assertEqual(agent.locals()["i"], "0")
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            exited, code = agent.wait_exit()
            self.assertEqual(code, 0)
            self.assertIn("total 45", agent.output("stdout"))

    def test_blank_or_comment_line_moves_to_next_code_line(self):
        with AgentHarness(LOOP) as agent:
            blank, comment = agent.set_breakpoints(agent.program, [4, 5])
            self.assertEqual((blank["verified"], blank["line"]), (True, 6))
            self.assertEqual((comment["verified"], comment["line"]), (True, 6))
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            self.assertEqual(agent.stack()[0]["line"], 6)

    def test_impossible_breakpoints_are_unverified_with_a_message(self):
        with AgentHarness(LOOP, extra_files={"broken.py": "def f(:\n    pass\n"}) as agent:
            (past_end,) = agent.set_breakpoints(agent.program, [50])
            self.assertFalse(past_end["verified"])
            self.assertIn("past the end", past_end["message"])
            (missing,) = agent.set_breakpoints(os.path.join(agent.folder, "nope.py"), [1])
            self.assertFalse(missing["verified"])
            self.assertIn("not found", missing["message"])
            (broken,) = agent.set_breakpoints(os.path.join(agent.folder, "broken.py"), [2])
            self.assertFalse(broken["verified"])
            self.assertIn("does not compile", broken["message"])
            agent.configuration_done()
            _exited, code = agent.wait_exit()
            self.assertEqual(code, 0)

    def test_condition(self):
        with AgentHarness(LOOP) as agent:
            agent.set_breakpoints(agent.program, [{"line": 3, "condition": "i == 7"}])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            self.assertEqual(agent.locals()["i"], "7")
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)

    def test_condition_error_stops_and_explains(self):
        with AgentHarness(LOOP) as agent:
            agent.set_breakpoints(agent.program, [{"line": 3, "condition": "undefined_name > 1"}])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            self.assertIn("Breakpoint condition 'undefined_name > 1' raised NameError", agent.output("console"))

    def test_hit_conditions(self):
        cases = {"5": [4], "==5": [4], ">7": [7, 8, 9], ">=9": [8, 9], "%3": [2, 5, 8]}
        for condition, expected in cases.items():
            with self.subTest(hitCondition=condition):
                self.assertEqual(self._hits_for_fast(condition), expected)

    def _hits_for_fast(self, hit_condition):
        with AgentHarness(LOOP) as agent:
            agent.set_breakpoints(agent.program, [{"line": 3, "hitCondition": hit_condition}])
            agent.configuration_done()
            seen = []
            while True:
                stopped_or_exit = self._next_stop_or_exit(agent)
                if stopped_or_exit is None:
                    return seen
                seen.append(int(agent.locals()["i"]))
                agent.resume()

    @staticmethod
    def _next_stop_or_exit(agent):
        while True:
            message = agent.events.get(timeout=20)
            if message is None or message["event"] == "exited":
                return None
            if message["event"] == "stopped":
                agent.stopped_thread = message["body"]["threadId"]
                return message["body"]

    def test_invalid_hit_condition_is_unverified(self):
        with AgentHarness(LOOP) as agent:
            (bp,) = agent.set_breakpoints(agent.program, [{"line": 3, "hitCondition": "often"}])
            self.assertFalse(bp["verified"])
            self.assertIn("not understood", bp["message"])

    def test_logpoint_interpolates_and_does_not_stop(self):
        with AgentHarness(LOOP) as agent:
            agent.set_breakpoints(agent.program, [{"line": 6, "logMessage": "i={i} double={i * 2} {{literal}} {missing}"}])
            agent.configuration_done()
            _exited, code = agent.wait_exit()
            self.assertEqual(code, 0)
            console = agent.output("console")
            self.assertFalse([e for e in agent.all_events if e["event"] == "stopped"])
        self.assertIn("i=0 double=0 {literal} <NameError: name 'missing' is not defined>\n", console)
        self.assertIn("i=9 double=18", console)

    def test_breakpoint_in_imported_module_before_import(self):
        module = """\
            def helper(x):
                y = x * 3
                return y
        """
        script = "import helpers\nprint(helpers.helper(4))\n"
        with AgentHarness(script, extra_files={"helpers.py": module}) as agent:
            (bp,) = agent.set_breakpoints(os.path.join(agent.folder, "helpers.py"), [2])
            self.assertTrue(bp["verified"])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            frames = agent.stack()
            self.assertEqual(frames[0]["name"], "helper")
            self.assertEqual(frames[0]["source"]["path"], os.path.join(agent.folder, "helpers.py"))
            self.assertEqual(frames[1]["name"], "<module>")
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)

    def test_user_modules_are_reported_as_loaded_sources(self):
        script = "import json, helpers\nprint(helpers.helper(1))\n"
        module = "def helper(x):\n    return x + 1\n"
        with AgentHarness(script, extra_files={"helpers.py": module}) as agent:
            agent.configuration_done()
            agent.wait_exit()
            loaded = [e["body"] for e in agent.all_events if e["event"] == "loadedSource"]
        self.assertEqual([b["reason"] for b in loaded], ["new", "new"])
        self.assertEqual([b["source"]["name"] for b in loaded], ["program.py", "helpers.py"])

    def test_breakpoint_added_while_a_loop_runs(self):
        script = """\
            import time
            count = 0
            print("looping", flush=True)
            while count < 10_000_000:
                count += 1
                time.sleep(0.001)
        """
        with AgentHarness(script) as agent:
            agent.configuration_done()
            agent.wait_output("looping")
            agent.set_breakpoints(agent.program, [5])
            agent.wait_stopped("breakpoint")
            self.assertEqual(agent.stack()[0]["line"], 5)


class SharedLineBreakpointTest(unittest.TestCase):
    """Lines whose statement starts no line of its own once a breakpoint probe (3.9–3.11) is
    put in front of it: the first line of the main script, a one-line `def` or class. Every
    hit is reported, once, as on every Python."""

    CASES = (
        ("x = 1\nprint(x)\n", [1], [1]),
        ("x = 1; y = 2\nprint(x)\n", [1], [1]),
        # The definition, then each call; the class statement, then its body; a lambda's
        # definition, then each call. On 3.13 too, whose sys.monitoring reports no line for a
        # body on its def/class line (CPython gh-155992): the debugger reports it from PY_START.
        ("def f(): return 1\nf()\nf()\n", [1], [1, 1, 1]),
        ("class A: pass\nprint(A)\n", [1], [1, 1]),
        ("g = lambda: 1\ng()\ng()\n", [1], [1, 1, 1]),
        ("if True: x = 1\nprint(x)\n", [1, 2], [1, 2]),
    )

    def test_each_hit_is_reported_once(self):
        for script, lines, expected in self.CASES:
            with self.subTest(script=script), AgentHarness(script) as agent:
                agent.set_breakpoints(agent.program, lines)
                agent.configuration_done()
                seen = []
                for _ in expected:
                    agent.wait_stopped("breakpoint")
                    seen.append(agent.stack()[0]["line"])
                    agent.resume()
                self.assertEqual(seen, expected)
                _exited, code = agent.wait_exit()
                self.assertEqual(code, 0)
                self.assertEqual(sum(1 for e in list(agent.all_events) if e["event"] == "stopped"), len(expected), "no further stop")


class ThreadedBreakpointTest(unittest.TestCase):
    def test_every_hit_in_every_thread_is_reported_once(self):
        script = """\
            import threading
            def work(n):
                for i in range(20):
                    x = n * i          # line 4
            threads = [threading.Thread(target=work, args=(k,), name="w%d" % k) for k in range(4)]
            for t in threads: t.start()
            for t in threads: t.join()
            print("all done")
        """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [4])
            agent.configuration_done()
            hits = {}
            while True:
                message = agent.events.get(timeout=20)
                if message is None or message["event"] == "exited":
                    break
                if message["event"] == "stopped":
                    thread_id = message["body"]["threadId"]
                    self.assertEqual(agent.stack(thread_id)[0]["line"], 4)
                    hits[thread_id] = hits.get(thread_id, 0) + 1
                    agent.request("continue", threadId=thread_id)
            self.assertEqual(sorted(hits.values()), [20, 20, 20, 20])
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertIn("all done", agent.output("stdout"))

    def test_a_thread_started_by_a_main_script_without_probes_stops_in_its_functions(self):
        # Before 3.12: a breakpoint line no probe can reach (a one-line def) leaves the main
        # script traced while it runs, its functions without probes until it ends; a thread it
        # starts meanwhile, or one already running, must be traced too, or the hit is missed.
        script = (
            "import threading\n"
            "def get(extra): return extra + 1\n"
            "def slow(n):\n"
            "    return n * 2  # line 4\n"
            "out = []\n"
            "t = threading.Thread(target=lambda: out.append((get(10), slow(3))))\n"
            "t.start(); t.join()\n"
            "print(out)\n"
        )
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [2, 4])
            agent.configuration_done()
            stops = []
            for _ in range(3):
                body = agent.wait_stopped("breakpoint")
                top = agent.stack(body["threadId"])[0]
                stops.append((top["name"], top["line"], body["threadId"]))
                agent.resume()
            self.assertEqual([(name, line) for name, line, _thread in stops], [("<module>", 2), ("get", 2), ("slow", 4)])
            self.assertNotEqual(stops[0][2], stops[1][2])  # get and slow stopped in the thread
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["[(11, 6)]"])


class ThreadIdTest(unittest.TestCase):
    def test_a_thread_started_after_another_ended_has_its_own_id(self):
        # The system gives the new thread the ended one's ident (glibc reuses it at once).
        script = """\
            import threading
            def work(n):
                x = n              # line 3
            for k in range(3):
                t = threading.Thread(target=work, args=(k,))
                t.start()
                t.join()
        """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [3])
            agent.configuration_done()
            stopped_in = []
            for _ in range(3):
                body = agent.wait_stopped("breakpoint")
                stopped_in.append(body["threadId"])
                agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(len(set(stopped_in)), 3, stopped_in)
            started = [e["body"]["threadId"] for e in list(agent.all_events)
                       if e["event"] == "thread" and e["body"]["reason"] == "started"]
            self.assertEqual(started, stopped_in)


class ReplacedCodeTest(unittest.TestCase):
    def test_breakpoints_hit_in_code_installed_through_dunder_code(self):
        script = """\
            def square(n):
                result = n * n
                return result          # line 3

            for i in range(3):
                print("value", square(i + 2))
        """
        swap = (
            "import types\n"
            "source = open(__file__).read().replace('n * n', 'n * 100')\n"
            "module_code = compile(source, __file__, 'exec')\n"
            "square.__code__ = [c for c in module_code.co_consts if isinstance(c, types.CodeType) and c.co_name == 'square'][0]\n"
        )
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [3])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            self.assertEqual(agent.locals()["result"], "4")
            module_frame = agent.stack()[1]["id"]
            agent.evaluate(swap, frame_id=module_frame)
            agent.resume()  # this call still runs the old code
            agent.wait_stopped("breakpoint")
            self.assertEqual(agent.locals()["result"], "300")  # the next call runs the new code
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            agent.wait_exit()
            self.assertIn("value 4\nvalue 300\nvalue 400\n", agent.output("stdout"))


class BuiltinBreakpointTest(unittest.TestCase):
    def test_breakpoint_call_stops_in_the_debugger_and_steps_on(self):
        script = """\
            def check(value):
                breakpoint()
                doubled = value * 2
                return doubled
            print("doubled", check(21))
        """
        with AgentHarness(script) as agent:
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            top = agent.stack()[0]
            self.assertEqual((top["name"], top["line"]), ("check", 2))
            self.assertEqual(agent.locals()["value"], "21")
            agent.resume("next")
            agent.wait_stopped("step")
            self.assertEqual(agent.stack()[0]["line"], 3)
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertIn("doubled 42", agent.output("stdout"))


class FunctionBreakpointTest(unittest.TestCase):
    def test_function_and_method_names(self):
        script = """\
            class Shop:
                def buy(self, item):
                    return item.upper()

            def greet(name):
                message = "hi " + name
                return message

            greet("ann")
            Shop().buy("tea")
        """
        with AgentHarness(script) as agent:
            result = agent.request("setFunctionBreakpoints", breakpoints=[{"name": "greet"}, {"name": "Shop.buy"}])
            self.assertTrue(all(bp["verified"] for bp in result["breakpoints"]))
            agent.configuration_done()
            stopped = agent.wait_stopped("function breakpoint")
            self.assertEqual(stopped["hitBreakpointIds"], [result["breakpoints"][0]["id"]])
            top = agent.stack()[0]
            self.assertEqual((top["name"], top["line"]), ("greet", 6))
            agent.resume()
            agent.wait_stopped("function breakpoint")
            top = agent.stack()[0]
            self.assertEqual((top["name"], top["line"]), ("Shop.buy" if "." in top["name"] else "buy", 3))
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)

    def test_a_one_line_function_stops_on_its_only_line_at_each_call(self):
        # From 3.13 sys.monitoring reports no line there (CPython gh-155992): reported from PY_START.
        script = "def double(x): return x * 2\nprint(double(1), double(2))\n"
        with AgentHarness(script) as agent:
            result = agent.request("setFunctionBreakpoints", breakpoints=[{"name": "double"}])
            agent.configuration_done()
            for _call in range(2):
                stopped = agent.wait_stopped("function breakpoint")
                self.assertEqual(stopped["hitBreakpointIds"], [result["breakpoints"][0]["id"]])
                self.assertEqual([(f["name"], f["line"]) for f in agent.stack()], [("double", 1), ("<module>", 2)])
                agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["2 4"])


class BreakpointLocationsTest(unittest.TestCase):
    def test_lines_with_code(self):
        with AgentHarness(LOOP) as agent:
            body = agent.request("breakpointLocations", source={"path": agent.program}, line=1, endLine=7)
            self.assertEqual([b["line"] for b in body["breakpoints"]], [1, 2, 3, 6, 7])


if __name__ == "__main__":
    unittest.main()
