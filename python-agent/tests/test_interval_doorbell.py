"""`openDoorbell`: a ring from the adapter lowers the program's GIL switch interval at once,
without the GIL (the kernel writes it into CPython's own copy), until the request it announced
is answered; then the program's own value comes back. A ring whose request never comes is
forgotten; a connection without the doorbell's token changes nothing.

The program prints its switch interval each time it sees it change (test_apply_hint's
program), so what it observes is what is asserted.
"""

import os
import sys
import threading
import time
import unittest

from dapper_agent.child_processes.forked_child import forget_parent_connection
from dapper_agent.switch_interval import HINTED_SWITCH_INTERVAL, RING_LIFETIME_SECONDS, RING_MICROSECONDS, SwitchInterval, gil_enabled

from tests.support import AgentHarness
from tests.test_apply_hint import NO_EXPIRY, PROGRAM

NO_GIL = "free-threaded build without the GIL: there is no switch interval to lower"
NOT_LINUX = "the doorbell finds the interval through /proc/self/maps, which only Linux has"
RUNG = RING_MICROSECONDS / 1e6
LOWERED = (RUNG, HINTED_SWITCH_INTERVAL)


# Prints its interval when asked (a file named "report"), whatever it is.
REPORTING_PROGRAM = """\
import os, sys, time
HERE = os.path.dirname(os.path.abspath(__file__))
def value():
    return "old"
sys.setswitchinterval(0.002)
print("started", flush=True)
while not os.path.exists(os.path.join(HERE, "stop")):
    report = os.path.join(HERE, "report")
    if os.path.exists(report):
        os.remove(report)
        print("interval %r value %s" % (sys.getswitchinterval(), value()), flush=True)
        break
    time.sleep(0.005)
"""


def lowered_lines(output):
    return [line for line in output.splitlines() if line.startswith("interval ") and float(line.split()[1]) in LOWERED]


@unittest.skipUnless(gil_enabled(), NO_GIL)
@unittest.skipUnless(sys.platform.startswith("linux"), NOT_LINUX)
class TheWordOfTheInterval(unittest.TestCase):
    def test_the_word_found_follows_setswitchinterval_and_the_interval_is_kept(self):
        from dapper_agent.switch_interval_word import holds

        before = sys.getswitchinterval()
        address = SwitchInterval().locate_word()
        self.assertEqual(sys.getswitchinterval(), before)
        self.assertTrue(holds(address, before))
        try:
            sys.setswitchinterval(0.0031)
            self.assertTrue(holds(address, sys.getswitchinterval()))
        finally:
            sys.setswitchinterval(before)


@unittest.skipUnless(gil_enabled(), NO_GIL)
@unittest.skipUnless(sys.platform.startswith("linux"), NOT_LINUX)
class DoorbellInTheProgram(unittest.TestCase):
    def start(self, agent):
        agent.configuration_done()
        agent.wait_output("interval 0.002 value old")
        body = agent.open_doorbell()
        self.assertEqual(sorted(body), ["port", "reply", "ring", "token"], body)
        self.wait_settled(agent)

    def wait_settled(self, agent):
        """Until the program prints nothing new for a while and its last line is its own value:
        opening the doorbell lowers the interval for that moment, which it may print late."""
        deadline = time.monotonic() + 10
        while True:
            seen = agent.output("stdout")
            time.sleep(0.2)
            if agent.output("stdout") == seen and seen.endswith("interval 0.002 value old\n"):
                return len(seen)
            self.assertLess(time.monotonic(), deadline, seen)

    def test_a_ring_lowers_the_interval_until_its_request_is_answered(self):
        with AgentHarness(PROGRAM, env=NO_EXPIRY) as agent:
            self.start(agent)
            printed = len(agent.output("stdout"))
            agent.ring()
            self.wait_lowered(agent, printed)
            # Still lowered while its request has not come (well within the ring's lifetime).
            time.sleep(RING_LIFETIME_SECONDS / 4)
            self.assertNotIn("interval 0.002", agent.output("stdout")[printed:])
            # The request the ring announced, marked `rang` without ringing again.
            seq = agent._seq = agent._seq + 1
            agent.send({"type": "request", "seq": seq, "command": "threads", "arguments": {}, "rang": True})
            self.assertTrue(agent.wait_response(seq)["success"])
            agent.wait_output("interval 0.002 value old", after=printed)
            # Each later rang request goes the same way, and the program's value comes back.
            for _ in range(5):
                self.assertTrue(agent.rang_request("threads")["success"])
            time.sleep(0.1)
            self.assertTrue(agent.output("stdout").endswith("interval 0.002 value old\n"), agent.output("stdout"))
            open(os.path.join(agent.folder, "stop"), "w").close()
            self.assertEqual(agent.wait_exit()[1], 0)

    def wait_lowered(self, agent, after):
        deadline = time.monotonic() + 5
        while not lowered_lines(agent.output("stdout")[after:]):
            self.assertLess(time.monotonic(), deadline, agent.output("stdout"))
            time.sleep(0.01)
        return len(agent.output("stdout"))

    def test_a_ring_whose_request_never_comes_is_forgotten(self):
        with AgentHarness(PROGRAM, env=NO_EXPIRY) as agent:
            self.start(agent)
            before = len(agent.output("stdout"))
            agent.ring()
            printed = self.wait_lowered(agent, before)
            agent.wait_output("interval 0.002 value old", after=printed, timeout=RING_LIFETIME_SECONDS + 10)

    def test_an_apply_while_running_after_a_ring_restores_the_programs_interval(self):
        with AgentHarness(REPORTING_PROGRAM, env=NO_EXPIRY) as agent:
            agent.configuration_done()
            agent.wait_output("started")
            self.assertIn("port", agent.open_doorbell())
            with open(agent.program, "w", encoding="utf-8") as handle:
                handle.write(REPORTING_PROGRAM.replace('return "old"', 'return "new"'))
            response = agent.rang_request("hotReload", path=agent.program, options={})
            self.assertTrue(response["success"], response)
            self.assertEqual(response["body"]["patchedFunctions"], 1)
            open(os.path.join(agent.folder, "report"), "w").close()
            agent.wait_output("interval 0.002 value new")

    def test_a_connection_without_the_token_changes_nothing(self):
        with AgentHarness(PROGRAM, env=NO_EXPIRY) as agent:
            agent.configuration_done()
            agent.wait_output("interval 0.002 value old")
            body = agent.open_doorbell(token="0" * 32)
            agent.wait_output("did not present its token", category="console")
            printed = self.wait_settled(agent)
            try:
                agent.ring()
            except OSError:
                pass  # already closed by the agent: nothing could arrive
            time.sleep(0.3)
            self.assertEqual(agent.output("stdout")[printed:], "")
            # Offered once per process.
            self.assertIn("unavailable", agent.request("openDoorbell"))
            self.assertIn("port", body)


@unittest.skipUnless(gil_enabled(), NO_GIL)
class RingBookkeeping(unittest.TestCase):
    """switch_interval.SwitchInterval's side, in this process: whichever of the ring and its
    request the agent sees first, the interval comes back once the request is answered."""

    def setUp(self):
        self.before = sys.getswitchinterval()
        sys.setswitchinterval(0.004)
        self.addCleanup(sys.setswitchinterval, self.before)
        self.switch = SwitchInterval()
        self.switch._doorbell_open = True  # as arm_doorbell leaves it, without the word
        self.switch._armed_program_value = sys.getswitchinterval()

    def kernel_writes_the_ring(self):
        sys.setswitchinterval((RING_MICROSECONDS + 0.25) / 1e6)

    def test_ring_seen_first(self):
        self.kernel_writes_the_ring()
        self.switch.rung()
        self.assertEqual(sys.getswitchinterval(), RUNG)  # until the reader has the request
        self.switch.rang_request_read()
        self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)  # while it is handled
        self.switch.rang_request_answered()
        self.assertEqual(sys.getswitchinterval(), 0.004)

    def test_request_seen_first(self):
        self.kernel_writes_the_ring()
        self.switch.rang_request_read()
        self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)
        self.switch.rang_request_answered()
        self.assertEqual(sys.getswitchinterval(), 0.004)
        self.switch.rung()  # the doorbell's thread, late: nothing is left to lower
        self.assertEqual(sys.getswitchinterval(), 0.004)

    def test_a_ring_during_a_hold_keeps_the_held_value(self):
        self.switch.set_held(True)
        held = sys.getswitchinterval()
        self.kernel_writes_the_ring()
        self.switch.rung()
        self.assertEqual(sys.getswitchinterval(), held)
        self.switch.set_held(False)
        self.assertEqual(sys.getswitchinterval(), RUNG)  # its request is still to come
        self.switch.rang_request_read()
        self.switch.rang_request_answered()
        self.assertEqual(sys.getswitchinterval(), 0.004)

    def test_a_torn_ring_is_set_whole(self):
        sys.setswitchinterval(0.000123)  # neither the program's value nor the ring's
        self.switch.rung(torn=True)
        self.switch.rang_request_read()
        self.switch.rang_request_answered()
        self.assertEqual(sys.getswitchinterval(), 0.004)

    def test_an_unmatched_ring_is_forgotten(self):
        self.kernel_writes_the_ring()
        self.switch.rung()
        waiter = threading.Thread(target=self.switch.wait_ring_answered, args=(0.05,))
        waiter.start()
        waiter.join(5)
        self.assertEqual(sys.getswitchinterval(), 0.004)


@unittest.skipUnless(gil_enabled(), NO_GIL)
class ForkedWhileLowered(unittest.TestCase):
    """A child forked while the agent had the interval lowered (a hint, a ring) gets the
    program's own value back: nothing of the parent's agent would restore it there."""

    def setUp(self):
        self.before = sys.getswitchinterval()
        sys.setswitchinterval(0.004)
        self.addCleanup(sys.setswitchinterval, self.before)

    def test_hinted(self):
        from dapper_agent.session import Session

        session = Session(None)
        session.switch_interval.set_hinted(True)
        self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)
        forget_parent_connection(session)  # what every forked child does first
        self.assertEqual(sys.getswitchinterval(), 0.004)

    def test_rung(self):
        from dapper_agent.session import Session

        session = Session(None)
        switch = session.switch_interval
        switch._doorbell_open = True  # as arm_doorbell leaves it, without the word
        switch._armed_program_value = sys.getswitchinterval()
        sys.setswitchinterval((RING_MICROSECONDS + 0.25) / 1e6)  # the ring, not yet seen
        forget_parent_connection(session)
        self.assertEqual(sys.getswitchinterval(), 0.004)

    def test_untouched(self):
        from dapper_agent.session import Session

        session = Session(None)
        forget_parent_connection(session)
        self.assertEqual(sys.getswitchinterval(), 0.004)


if __name__ == "__main__":
    unittest.main()
