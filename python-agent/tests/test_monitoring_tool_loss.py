"""A program that frees (or takes over) the sys.monitoring tool id the debugger uses (3.12+).

The agent notices, says so in the Debug Console, registers again, and breakpoints, pause
and terminate keep working.
"""

import sys
import time
import unittest

from tests.support import AgentHarness

NEEDS_MONITORING = unittest.skipUnless(sys.version_info >= (3, 12), "sys.monitoring exists from Python 3.12 on")

FREES_THE_TOOL = """\
import sys
def work(i):
    return i * 2          # line 3
work(0)
sys.monitoring.free_tool_id(sys.monitoring.DEBUGGER_ID)
print("freed", flush=True)
work(1)
print("after", flush=True)
n = 0
while True:
    n += 1
"""

# Nothing of the debugger's runs between the takeover and the next call (the program replaced
# its events), so the program waits until the debugger has registered elsewhere: within the
# agent's periodic check (half a second), however long that takes on a loaded machine.
TAKES_THE_TOOL = """\
import sys, time
m = sys.monitoring
lines_seen = []
def work(i):
    return i * 2          # line 5
work(0)
m.free_tool_id(m.DEBUGGER_ID)
m.use_tool_id(m.DEBUGGER_ID, "my-profiler")
m.register_callback(m.DEBUGGER_ID, m.events.LINE, lambda code, line: lines_seen.append(line))
m.set_events(m.DEBUGGER_ID, m.events.LINE)
while "dapper" not in [m.get_tool(i) for i in range(6)]:
    time.sleep(0.01)
work(1)
m.set_events(m.DEBUGGER_ID, 0)
print("profiler saw lines:", len(lines_seen) > 0, "holder:", m.get_tool(m.DEBUGGER_ID), flush=True)
n = 0
while True:
    n += 1
"""


@NEEDS_MONITORING
class MonitoringToolLossTest(unittest.TestCase):
    def _wait_output(self, agent, text, category="stdout", timeout=20):
        deadline = time.monotonic() + timeout
        while text not in agent.output(category):
            if time.monotonic() > deadline:
                self.fail("no %s output %r; got %r" % (category, text, agent.output(category)[-500:]))
            time.sleep(0.02)

    def _pause_then_terminate(self, agent):
        threads = agent.request("threads")["threads"]
        agent.request("pause", threadId=threads[0]["id"])
        stopped = agent.wait_stopped("pause")
        self.assertEqual(stopped["reason"], "pause")
        self.assertTrue(agent.request_raw("terminate", timeout=10)["success"])
        _exited, code = agent.wait_exit()
        self.assertNotEqual(code, 0)

    def test_freed_tool_is_registered_again_and_breakpoints_pause_terminate_work(self):
        with AgentHarness(FREES_THE_TOOL) as agent:
            agent.set_breakpoints(agent.program, [3])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            self.assertEqual(agent.locals()["i"], "0")
            agent.resume()
            again = agent.wait_stopped("breakpoint")
            self.assertEqual(agent.stack(again["threadId"])[0]["line"], 3)
            self.assertEqual(agent.locals()["i"], "1")
            self.assertIn("freed", agent.output("stdout"))
            console = agent.output("console")
            self.assertIn("freed sys.monitoring tool 0", console)
            self.assertIn("registered again", console)
            self.assertNotIn("internal error", console)
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self._wait_output(agent, "after")
            self._pause_then_terminate(agent)

    def test_tool_taken_by_the_program_moves_the_debugger_to_a_free_id(self):
        with AgentHarness(TAKES_THE_TOOL) as agent:
            agent.set_breakpoints(agent.program, [5])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            agent.resume()
            agent.wait_stopped("breakpoint")
            self.assertEqual(agent.locals()["i"], "1")
            console = agent.output("console")
            self.assertIn("'my-profiler'", console)
            self.assertNotIn("internal error", console)
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            # The program's own tool keeps its id and its events.
            self._wait_output(agent, "profiler saw lines: True holder: my-profiler")
            self._pause_then_terminate(agent)


if __name__ == "__main__":
    unittest.main()
