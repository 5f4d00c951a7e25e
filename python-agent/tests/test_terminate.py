"""terminate while stopped, with and without justMyCode."""

import unittest

from tests.support import AgentHarness

LOOP = """\
import time
for i in range(100):
    time.sleep(0.05)
    print(i)
"""


class TerminateTest(unittest.TestCase):
    def _terminate_while_stopped(self, just_my_code):
        with AgentHarness(LOOP) as agent:
            agent.set_breakpoints(agent.program, [3])
            agent.request("configurationDone", stopOnEntry=False, justMyCode=just_my_code)
            self.assertEqual(agent.wait_event("stopped")["reason"], "breakpoint")
            response = agent.request_raw("terminate", timeout=5)
            self.assertTrue(response["success"], response)
            _, returncode = agent.wait_exit()
            self.assertNotEqual(returncode, 0)
            self.assertNotIn("99", agent.output("stdout"))

    def test_terminate_is_answered_and_ends_the_program(self):
        self._terminate_while_stopped(just_my_code=True)

    def test_terminate_is_answered_with_just_my_code_off(self):
        # The agent's own threads start in threading.py, which may stop when justMyCode is off:
        # they must never be parked, or the agent cannot answer.
        self._terminate_while_stopped(just_my_code=False)


if __name__ == "__main__":
    unittest.main()
