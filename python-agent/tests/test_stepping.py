"""Continue, step over/into/out, stop on entry, pause, all threads stopping, goto, justMyCode."""

import time
import unittest

from tests.support import AgentHarness

PROGRAM = """\
import json


def square(n):
    result = n * n
    return result


def main():
    a = square(3)
    b = json.dumps(a)
    c = square(4)
    return a, b, c


main()
print("finished")
"""


class SteppingTest(unittest.TestCase):
    def _top(self, agent):
        frame = agent.stack()[0]
        return frame["name"], frame["line"]

    def test_step_over_into_and_out(self):
        with AgentHarness(PROGRAM) as agent:
            agent.set_breakpoints(agent.program, [10])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            self.assertEqual(self._top(agent), ("main", 10))
            agent.resume("next")
            agent.wait_stopped("step")
            self.assertEqual(self._top(agent), ("main", 11))
            agent.resume("stepIn")  # json.dumps is library code: justMyCode steps over it
            agent.wait_stopped("step")
            self.assertEqual(self._top(agent), ("main", 12))
            agent.resume("stepIn")
            agent.wait_stopped("step")
            self.assertEqual(self._top(agent), ("square", 5))
            agent.resume("stepOut")
            agent.wait_stopped("step")
            self.assertEqual(self._top(agent), ("main", 12))  # back on the call line, like VS Code
            agent.resume("stepOut")
            agent.wait_stopped("step")
            self.assertEqual(self._top(agent), ("<module>", 16))
            agent.resume("stepOut")  # out of the last frame: runs to the end
            exited, code = agent.wait_exit()
            self.assertEqual(code, 0)
            self.assertIn("finished", agent.output("stdout"))

    def test_step_over_a_return_lands_in_the_caller(self):
        with AgentHarness(PROGRAM) as agent:
            agent.set_breakpoints(agent.program, [6])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            agent.set_breakpoints(agent.program, [])
            agent.resume("next")
            agent.wait_stopped("step")
            self.assertEqual(self._top(agent), ("main", 10))
            self.assertEqual(agent.locals()["a"] if "a" in agent.locals() else None, None)
            agent.resume("next")
            agent.wait_stopped("step")
            self.assertEqual(self._top(agent), ("main", 11))
            self.assertEqual(agent.locals()["a"], "9")

    def test_step_into_a_one_line_function_and_a_lambda_stops_in_them(self):
        # 3.13's sys.monitoring reports no line for a body on its def line (CPython gh-155992):
        # the debugger reports it from PY_START, so stepping in stops there as on every Python.
        script = "def double(x): return x * 2\nhalf = lambda x: x / 2\nprint(double(4), half(4))\n"
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [3])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            agent.resume("stepIn")
            agent.wait_stopped("step")
            self.assertEqual(self._top(agent), ("double", 1))
            agent.resume("stepIn")  # its return, back on line 3, then into the lambda
            agent.wait_stopped("step")
            stops = [self._top(agent)]
            while stops[-1][0] == "<module>" and len(stops) < 4:
                agent.resume("stepIn")
                agent.wait_stopped("step")
                stops.append(self._top(agent))
            self.assertEqual(stops[-1], ("<lambda>", 2), stops)
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["8 2.0"])

    def test_step_into_library_without_just_my_code(self):
        with AgentHarness(PROGRAM) as agent:
            agent.set_breakpoints(agent.program, [11])
            agent.configuration_done(just_my_code=False)
            agent.wait_stopped("breakpoint")
            agent.resume("stepIn")
            agent.wait_stopped("step")
            top = agent.stack()[0]
            self.assertEqual(top["name"], "dumps")
            self.assertTrue(top["source"]["path"].endswith("__init__.py"))

    def test_stop_on_entry(self):
        with AgentHarness(PROGRAM) as agent:
            agent.configuration_done(stop_on_entry=True)
            stopped = agent.wait_stopped("entry")
            self.assertTrue(stopped["allThreadsStopped"])
            self.assertEqual(self._top(agent), ("<module>", 1))
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)


SPIN = """\
import threading

spinning = threading.Event()

def spin_forever():
    y = 0
    spinning.set()
    while True:
        y += 1

worker = threading.Thread(target=spin_forever, name="spinner", daemon=True)
worker.start()
spinning.wait()
x = 0
print("both threads spinning", flush=True)  # x exists once the test can pause
while True:
    x += 1
"""


class PauseTest(unittest.TestCase):
    def test_pause_stops_spinning_threads_and_continue_resumes_them(self):
        with AgentHarness(SPIN) as agent:
            agent.configuration_done()
            agent.wait_output("both threads spinning")
            agent.request("pause", threadId=1)
            stopped = agent.wait_stopped("pause")
            self.assertTrue(stopped["allThreadsStopped"])
            threads = {t["name"]: t["id"] for t in agent.request("threads")["threads"]}
            self.assertEqual(set(threads), {"MainThread", "spinner"})
            main_top = agent.stack(threads["MainThread"])[0]
            self.assertEqual(main_top["name"], "<module>")
            self.assertIn(main_top["line"], (16, 17))
            spinner_top = agent.stack(threads["spinner"])[0]
            self.assertEqual(spinner_top["name"], "spin_forever")
            # Every thread is parked: its counter no longer moves.
            frame_id = agent.stack(threads["spinner"])[0]["id"]
            first = agent.evaluate("y", frame_id=frame_id)["result"]
            time.sleep(0.2)
            self.assertEqual(agent.evaluate("y", frame_id=frame_id)["result"], first)
            x_before = int(agent.evaluate("x", frame_id=main_top["id"])["result"])
            # Continue resumes it: x moves on (paused again to read it, until it has).
            deadline = time.monotonic() + 20
            x_after = x_before
            while x_after == x_before and time.monotonic() < deadline:
                agent.resume()
                agent.request("pause", threadId=1)
                agent.wait_stopped("pause")
                x_after = int(agent.evaluate("x", frame_id=agent.stack(threads["MainThread"])[0]["id"])["result"])
            self.assertGreater(x_after, x_before)

    def test_low_level_thread_hits_breakpoints(self):
        script = """\
            import _thread, time
            done = []
            def low_level():
                value = 7             # line 4
                done.append(value)
            _thread.start_new_thread(low_level, ())
            while not done:
                time.sleep(0.01)
            print("done", done)
        """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [4])
            agent.configuration_done()
            stopped = agent.wait_stopped("breakpoint")
            self.assertEqual(agent.stack(stopped["threadId"])[0]["name"], "low_level")
            agent.resume()
            agent.wait_exit()
            self.assertIn("done [7]", agent.output("stdout"))

    def test_breakpoint_in_one_thread_stops_all(self):
        script = """\
            import threading, time
            def worker():
                n = 0
                while True:
                    n += 1
                    if n == 200_000:
                        hit = n       # line 7
            count = 0
            t = threading.Thread(target=worker, name="worker", daemon=True)
            t.start()
            while True:
                count += 1
        """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [7])
            agent.configuration_done()
            stopped = agent.wait_stopped("breakpoint", timeout=60)
            threads = {t["name"]: t["id"] for t in agent.request("threads")["threads"]}
            self.assertEqual(stopped["threadId"], threads["worker"])
            main_frame = agent.stack(threads["MainThread"])[0]["id"]
            first = agent.evaluate("count", frame_id=main_frame)["result"]
            time.sleep(0.2)
            self.assertEqual(agent.evaluate("count", frame_id=main_frame)["result"], first)


class AsyncSteppingTest(unittest.TestCase):
    def test_step_over_an_await_stays_in_the_same_task(self):
        script = """\
            import asyncio

            async def worker(name, log):
                for step in range(3):
                    log.append((name, step))
                    await asyncio.sleep(0)

            async def main():
                log = []
                other = asyncio.ensure_future(worker("other", log))
                value = 1
                await asyncio.sleep(0)        # line 13
                value = 2                      # line 14
                await other
                return value

            print("result", asyncio.run(main()))
        """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [13])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            agent.set_breakpoints(agent.program, [])
            agent.resume("next")
            agent.wait_stopped("step")
            top = agent.stack()[0]
            self.assertEqual((top["name"], top["line"]), ("main", 14))
            agent.resume()
            agent.wait_exit()
            self.assertIn("result 2", agent.output("stdout"))


class GotoTest(unittest.TestCase):
    def test_jump_back_reruns_a_line(self):
        script = """\
            counter = 0
            counter += 1
            counter += 10
            print("counter", counter)
        """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [3])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            targets = agent.request("gotoTargets", source={"path": agent.program}, line=2)["targets"]
            self.assertEqual(targets[0]["line"], 2)
            agent.request("goto", threadId=agent.stopped_thread, targetId=targets[0]["id"])
            agent.wait_stopped("goto")
            self.assertEqual(agent.stack()[0]["line"], 2)
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            agent.wait_exit()
            self.assertIn("counter 12", agent.output("stdout"))

    def test_jump_forward_skips_lines(self):
        script = """\
            a = 1
            a = 2
            a = 3
            print("a", a)
        """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [2])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            agent.request("goto", threadId=agent.stopped_thread, targetId=4)
            agent.wait_stopped("goto")
            agent.resume()
            agent.wait_exit()
            self.assertEqual(agent.output("stdout"), "a 1\n")

    def test_goto_target_without_code_is_refused(self):
        script = "a = 1\n\nb = 2\n"
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [3])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            response = agent.request_raw("gotoTargets", source={"path": agent.program}, line=2)
            self.assertFalse(response["success"])
            self.assertIn("no code", response["message"])


if __name__ == "__main__":
    unittest.main()
