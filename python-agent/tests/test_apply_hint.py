"""`prepareApply`: while the client says an apply may come, the program's GIL switch interval is
lowered; it goes back to the program's own value when the apply is done, on `active: false`,
and by itself when the hint is not renewed in time; holding the program for an apply restores
whichever of the two is current.

The program of the end-to-end tests prints its switch interval each time it sees it change,
so what it observes is what is asserted.
"""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import unittest

from dapper_agent.hotreload.apply_hint import EXPIRY_VARIABLE, ApplyHints, hints_of, hold_ended, prepare_apply
from dapper_agent.switch_interval import HELD_SWITCH_INTERVAL, HINTED_SWITCH_INTERVAL, SwitchInterval, gil_enabled

from tests.support import TIMEOUT, AgentHarness

NO_GIL = "free-threaded build without the GIL: the hint changes nothing there"

PROGRAM = """\
import os, sys, time
HERE = os.path.dirname(os.path.abspath(__file__))
def running():
    return not os.path.exists(os.path.join(HERE, "stop"))
def value():
    return "old"
sys.setswitchinterval(0.002)  # the program's own value
seen = None
while running():
    retune = os.path.join(HERE, "retune")
    if os.path.exists(retune):
        os.remove(retune)
        sys.setswitchinterval(0.003)
    now = sys.getswitchinterval()
    if now != seen:
        seen = now
        print("interval %r value %s" % (now, value()), flush=True)
    time.sleep(0.005)
"""


# Long enough that nothing in these tests is restored by expiry unless the test means it.
NO_EXPIRY = {EXPIRY_VARIABLE: "600"}


def write(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(textwrap.dedent(text))


@unittest.skipUnless(gil_enabled(), NO_GIL)
class PrepareApplyInTheProgram(unittest.TestCase):
    def start(self, agent):
        agent.configuration_done()
        agent.wait_output("interval 0.002 value old")

    def hint(self, agent, active):
        printed = len(agent.output("stdout"))
        self.assertEqual(agent.request("prepareApply", path=agent.program, active=active), {})
        return printed

    def test_a_hint_lowers_the_interval_and_the_apply_restores_the_programs(self):
        with AgentHarness(PROGRAM, env=NO_EXPIRY) as agent:
            self.start(agent)
            printed = self.hint(agent, True)
            agent.wait_output("interval %r value old" % HINTED_SWITCH_INTERVAL, after=printed)
            write(agent.program, PROGRAM.replace('return "old"', 'return "new"'))
            printed = len(agent.output("stdout"))
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["patchedFunctions"], 1)
            agent.wait_output("interval 0.002 value new", after=printed)
            self.assertNotIn("interval %r" % HELD_SWITCH_INTERVAL, agent.output("stdout"))
            open(os.path.join(agent.folder, "stop"), "w").close()
            self.assertEqual(agent.wait_exit()[1], 0)

    def test_active_false_restores_the_programs_interval_even_one_it_set_meanwhile(self):
        with AgentHarness(PROGRAM, env=NO_EXPIRY) as agent:
            self.start(agent)
            printed = self.hint(agent, True)
            agent.wait_output("interval %r" % HINTED_SWITCH_INTERVAL, after=printed)
            printed = len(agent.output("stdout"))
            open(os.path.join(agent.folder, "retune"), "w").close()  # the program sets 3 ms itself
            agent.wait_output("interval 0.003", after=printed)
            printed = self.hint(agent, True)  # renewed: lowered again
            agent.wait_output("interval %r" % HINTED_SWITCH_INTERVAL, after=printed)
            printed = self.hint(agent, False)
            agent.wait_output("interval 0.003", after=printed)  # the program's latest value, not 2 ms
            open(os.path.join(agent.folder, "stop"), "w").close()
            self.assertEqual(agent.wait_exit()[1], 0)

    def test_a_hint_not_renewed_ends_by_itself(self):
        with AgentHarness(PROGRAM, env={EXPIRY_VARIABLE: "0.3"}) as agent:
            self.start(agent)
            printed = self.hint(agent, True)
            agent.wait_output("interval %r" % HINTED_SWITCH_INTERVAL, after=printed)
            agent.wait_output("interval 0.002", after=printed)
            open(os.path.join(agent.folder, "stop"), "w").close()
            self.assertEqual(agent.wait_exit()[1], 0)

    def test_malformed_arguments_are_refused_and_change_nothing(self):
        with AgentHarness(PROGRAM, env=NO_EXPIRY) as agent:
            self.start(agent)
            # The command's first request imports its module, with the interval lowered for
            # that moment (channel.py); what the malformed requests do is counted after it.
            self.assertEqual(agent.request("prepareApply", path=agent.program, active=False), {})
            time.sleep(0.2)
            self.assertTrue(agent.output("stdout").endswith("interval 0.002 value old\n"), agent.output("stdout"))
            printed = agent.output("stdout").count("interval ")
            for arguments, named in (({"active": True}, "'path'"), ({"path": 7, "active": True}, "'path'"),
                                     ({"path": agent.program}, "'active'"),
                                     ({"path": agent.program, "active": "yes"}, "'active'")):
                response = agent.request_raw("prepareApply", **arguments)
                self.assertFalse(response["success"], arguments)
                self.assertIn(named, response["message"])
                self.assertIn("Nothing was changed", response["message"])
            # The agent still answers, and the interval is the program's.
            self.assertEqual(agent.request("prepareApply", path=agent.program, active=False), {})
            time.sleep(0.2)
            self.assertEqual(agent.output("stdout").count("interval "), printed)
            open(os.path.join(agent.folder, "stop"), "w").close()
            self.assertEqual(agent.wait_exit()[1], 0)


def watching(state, shown):
    """A program that prints `shown % (state..., value())` each time that changes, until told
    to stop; `state` is a Python expression (a tuple's items)."""
    return """\
import os, sys, threading, time
STOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stop")
def value():
    return "old"
seen = None
while not os.path.exists(STOP):
    now = (%s, value())
    if now != seen:
        seen = now
        print(%r %% now, flush=True)
    time.sleep(0.005)
""" % (state, shown)


# (a thread still starting has no ident yet: seen on the next round)
REQUEST_THREADS = watching('sorted(t.ident for t in threading.enumerate() if t.name == "dapper-request" and t.ident is not None)',
                           "request threads %r value %s")
READY = watching('"ctypes" in sys.modules, "dapper_agent.hotreload.commands" in sys.modules', "ctypes %s engine %s value %s")


def started_then_hinted(agent, first_output):
    """Start the program, wait for its first output, send the hint; returns the output's
    length before the hint."""
    agent.configuration_done()
    agent.wait_output(first_output)
    printed = len(agent.output("stdout"))
    assert agent.request("prepareApply", path=agent.program, active=True) == {}
    return printed


@unittest.skipUnless(gil_enabled(), NO_GIL)
class ReadyAheadOfTheFirstApply(unittest.TestCase):
    def test_the_first_hint_imports_what_the_first_apply_needs(self):
        # Imported by the first apply, while it holds the program, they kept a busy program
        # held 0.1-0.5 s longer (docs/benchmarks.md, "apply while running").
        with AgentHarness(READY, env=NO_EXPIRY) as agent:
            printed = started_then_hinted(agent, "ctypes False engine False value old")
            # Before 3.12 the agent needs ctypes to turn tracing on in other threads; from 3.12
            # sys.monitoring does that, and nothing imports ctypes.
            ctypes = sys.version_info < (3, 12)
            agent.wait_output("ctypes %s engine True value old" % ctypes, after=printed)
            write(agent.program, READY.replace('return "old"', 'return "new"'))
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["patchedFunctions"], 1)
            agent.wait_output("ctypes %s engine True value new" % ctypes)
            open(os.path.join(agent.folder, "stop"), "w").close()
            self.assertEqual(agent.wait_exit()[1], 0)


class RequestThreadOfAHintedApply(unittest.TestCase):
    def test_the_hint_starts_the_thread_that_answers_the_apply(self):
        # Started when the apply arrived, the request's thread waited for the GIL behind the
        # program's busy threads: 5-35 ms of an apply while 8 threads run (request_threads.py).
        with AgentHarness(REQUEST_THREADS, env=NO_EXPIRY) as agent:
            printed = started_then_hinted(agent, "request threads [] value old")
            agent.wait_output("value old", after=printed)
            hinted = agent.output("stdout")[printed:].strip().splitlines()
            self.assertEqual(len(hinted), 1, hinted)
            self.assertRegex(hinted[0], r"^request threads \[\d+\] value old$")
            waiting = hinted[0].split(" value ")[0]
            for run in range(3):
                write(agent.program, REQUEST_THREADS.replace('return "old"', 'return "new %d"' % run))
                printed = len(agent.output("stdout"))
                self.assertEqual(agent.request("prepareApply", path=agent.program, active=True), {})
                body = agent.request("hotReload", path=agent.program, options={})
                self.assertEqual(body["patchedFunctions"], 1)
                # The same thread answered, and waits again: no other was started.
                agent.wait_output("%s value new %d" % (waiting, run), after=printed)
            self.assertNotIn("value new 2\nrequest threads", agent.output("stdout"))
            open(os.path.join(agent.folder, "stop"), "w").close()
            self.assertEqual(agent.wait_exit()[1], 0)


SPINNING = """\
import os, sys, threading, time
sys.setswitchinterval(0.0001)  # short: the agent loses the GIL at any step of its work
STOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stop")
def value():
    return 0
done = []
def spin():  # Python only: gives the GIL up by itself once in 20,000 rounds
    total = rounds = 0
    while rounds % 20000 or not os.path.exists(STOP):
        total += value()
        rounds += 1
    done.append(total)
threads = [threading.Thread(target=spin) for _ in range(8)]
for thread in threads:
    thread.start()
print("spinning", flush=True)
for thread in threads:
    thread.join()
print("done", len(done), flush=True)
"""


@unittest.skipUnless(gil_enabled(), NO_GIL)
class HintedAppliesUnderLoad(unittest.TestCase):
    def test_every_hinted_apply_while_threads_spin_is_answered_and_held(self):
        # With a short interval (the program's own here; a hint's the same), the agent used to
        # lose the GIL while turning every line on for the hold; the lines the spinning threads
        # ran meanwhile were switched off, so they never parked, and held applies waited
        # seconds to minutes for the GIL.
        # faulthandler: if the program does not end, its threads' stacks say where they are.
        with AgentHarness(SPINNING, env=dict(NO_EXPIRY, PYTHONFAULTHANDLER="1")) as agent:
            agent.configuration_done()
            agent.wait_output("spinning")
            for run in range(1, 16):
                write(agent.program, SPINNING.replace("return 0", "return %d" % run))
                self.assertEqual(agent.request("prepareApply", path=agent.program, active=True), {})
                body = agent.request("hotReload", path=agent.program, options={})
                self.assertEqual((run, body["patchedFunctions"], body["diagnostics"]), (run, 1, []))
            open(os.path.join(agent.folder, "stop"), "w").close()
            # Ending takes each thread up to 20,000 traced rounds (before 3.12 every line of a
            # frame that was held stays traced): 1-4 s here, so a minute means it is stuck.
            try:
                code = agent.process.wait(60)
            except subprocess.TimeoutExpired:
                stopped = self._stops_reported(agent)  # a stop nobody asked for: which, and why
                agent.process.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
                agent.process.wait(10)
                self.fail("the program did not end within 60 s of the last apply; " + stopped + "; its threads:\n"
                          + agent.process_stderr()[-8000:])
            self.assertEqual(code, 0, agent.process_stderr()[-2000:])
            self.assertIn("done 8", agent.output("stdout"))

    @staticmethod
    def _stops_reported(agent):
        stops = [message["body"] for message in list(agent.all_events) if message.get("event") == "stopped"]
        if not stops:
            return "no stop was reported"
        try:
            info = agent.request("exceptionInfo", threadId=stops[-1]["threadId"], timeout=5)
        except Exception as error:  # not stopped on an exception, or no answer
            info = "no exceptionInfo (%s)" % error
        return "stops reported: %r; exceptionInfo: %r" % (stops, info)


class _Session:
    """What ApplyHints and prepare_apply use of the agent's Session."""

    def __init__(self):
        self.switch_interval = SwitchInterval()
        self.threads = []
        self.channel = None  # not connected
        self.hold = _Hold()
        self.tracer = _Tracer()

    def console(self, text):
        raise AssertionError("unexpected message: " + text)

    def start_agent_thread(self, target, name, *args):
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        self.threads.append(thread)
        return thread


class _Hold:
    closed = False


class _Tracer:
    def __init__(self):
        self.prepared = threading.Event()

    def prepare_wake(self):
        self.prepared.set()


class _Channel:
    def __init__(self):
        self.prepared = 0

    def prepare_request_thread(self):
        self.prepared += 1


class _Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@unittest.skipUnless(gil_enabled(), NO_GIL)
class SwitchIntervalRules(unittest.TestCase):
    def setUp(self):
        self.program_value = sys.getswitchinterval()
        self.addCleanup(sys.setswitchinterval, self.program_value)
        sys.setswitchinterval(0.004)

    def test_a_hold_during_a_hint_restores_the_lowered_value_then_the_programs(self):
        switch = SwitchInterval()
        switch.set_hinted(True)
        self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)
        switch.set_held(True)
        self.assertEqual(sys.getswitchinterval(), HELD_SWITCH_INTERVAL)
        switch.set_held(False)
        self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)
        switch.set_hinted(False)
        self.assertEqual(sys.getswitchinterval(), 0.004)

    def test_the_hint_ending_during_a_hold_leaves_it_raised_then_restores_the_programs(self):
        switch = SwitchInterval()
        switch.set_hinted(True)
        switch.set_held(True)
        switch.set_hinted(False)
        self.assertEqual(sys.getswitchinterval(), HELD_SWITCH_INTERVAL)
        switch.set_held(False)
        self.assertEqual(sys.getswitchinterval(), 0.004)

    def test_a_hint_never_raises_a_shorter_interval_the_program_set(self):
        sys.setswitchinterval(0.0001)
        shorter = sys.getswitchinterval()  # as CPython stores it
        self.assertLess(shorter, HINTED_SWITCH_INTERVAL)
        switch = SwitchInterval()
        switch.set_hinted(True)
        self.assertEqual(sys.getswitchinterval(), shorter)
        switch.set_hinted(False)
        self.assertEqual(sys.getswitchinterval(), shorter)

    def test_a_settling_hold_lowers_the_interval_until_it_is_raised_or_let_go(self):
        switch = SwitchInterval()
        with switch.settling():
            self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)
            with switch.settling():  # nested (a hold released and closed again)
                switch.set_held(True)
                self.assertEqual(sys.getswitchinterval(), HELD_SWITCH_INTERVAL)
            self.assertEqual(sys.getswitchinterval(), HELD_SWITCH_INTERVAL)
        self.assertEqual(sys.getswitchinterval(), HELD_SWITCH_INTERVAL)  # held outlives the settle
        switch.set_held(False)
        self.assertEqual(sys.getswitchinterval(), 0.004)
        with switch.settling():  # a settle that failed: nothing raised, the program's value after
            pass
        self.assertEqual(sys.getswitchinterval(), 0.004)

    def test_a_settle_during_a_hint_leaves_it_lowered(self):
        switch = SwitchInterval()
        switch.set_hinted(True)
        with switch.settling():
            self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)
        self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)
        switch.set_hinted(False)
        self.assertEqual(sys.getswitchinterval(), 0.004)

    def test_a_program_value_cpython_reads_back_inexactly_is_restored_as_it_was(self):
        # 0.1 ms is kept as 100 microseconds and read back as 9.999999999999999e-05 s, which
        # set again as it is would be 99.
        for value in (0.0001, 0.0003, 0.000123, 0.0071):
            sys.setswitchinterval(value)
            program = sys.getswitchinterval()
            switch = SwitchInterval()
            switch.set_held(True)
            switch.set_held(False)
            self.assertEqual(sys.getswitchinterval(), program, value)
            with switch.settling():
                pass
            self.assertEqual(sys.getswitchinterval(), program, value)

    def test_a_value_the_program_sets_during_a_hint_is_the_one_restored(self):
        switch = SwitchInterval()
        switch.set_hinted(True)
        sys.setswitchinterval(0.003)  # the program, meanwhile
        switch.set_held(True)
        switch.set_held(False)
        self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)
        switch.set_hinted(False)
        self.assertEqual(sys.getswitchinterval(), 0.003)


@unittest.skipUnless(gil_enabled(), NO_GIL)
class HintLifetime(unittest.TestCase):
    def setUp(self):
        self.program_value = sys.getswitchinterval()
        self.addCleanup(sys.setswitchinterval, self.program_value)
        sys.setswitchinterval(0.004)

    def test_a_hint_not_renewed_expires_and_a_renewed_one_does_not(self):
        clock = _Clock()
        hints = ApplyHints(_Session(), expiry_seconds=20.0, clock=clock)
        hints.renew("/work/a.py")
        clock.now += 15
        hints.renew("/work/a.py")  # the user typed again
        clock.now += 15
        self.assertEqual(hints.expire(), 5.0)
        self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)
        clock.now += 5
        self.assertIsNone(hints.expire())
        self.assertEqual(hints.active_paths, [])
        self.assertEqual(sys.getswitchinterval(), 0.004)

    def test_the_interval_stays_lowered_until_the_last_files_hint_ends(self):
        hints = ApplyHints(_Session(), clock=_Clock())
        hints.renew("/work/a.py")
        hints.renew("/work/b.py")
        hints.withdraw("/work/a.py")  # its apply finished
        self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)
        hints.withdraw("/work/c.py")  # never hinted: nothing changes
        self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)
        hints.withdraw("/work/b.py")
        self.assertEqual(sys.getswitchinterval(), 0.004)

    def test_a_hint_for_a_file_this_process_has_not_loaded_changes_nothing(self):
        # The app hints every process of the session; a child that never imported the file
        # keeps its interval (and the hint for a file it runs still works).
        session = _Session()
        self.assertEqual(prepare_apply(session, {"path": "/nowhere/never_imported.py", "active": True}), {})
        self.assertIsNone(hints_of(session, create=False))
        self.assertEqual(sys.getswitchinterval(), 0.004)
        loaded = os.path.abspath(sys.modules[__name__].__file__)
        self.assertEqual(prepare_apply(session, {"path": loaded, "active": True}), {})
        self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)
        self.assertEqual(prepare_apply(session, {"path": loaded, "active": False}), {})
        self.assertEqual(sys.getswitchinterval(), 0.004)

    def test_a_hint_gets_a_request_thread_ready_but_not_while_the_program_is_held(self):
        session = _Session()
        session.channel = _Channel()
        loaded = os.path.abspath(sys.modules[__name__].__file__)
        session.hold.closed = True  # another file's apply holds the program
        self.assertEqual(prepare_apply(session, {"path": loaded, "active": True}), {})
        self.assertEqual(session.channel.prepared, 0)
        session.hold.closed = False
        self.assertEqual(prepare_apply(session, {"path": loaded, "active": True}), {})
        self.assertEqual(session.channel.prepared, 1)
        self.assertEqual(prepare_apply(session, {"path": loaded, "active": False}), {})
        self.assertEqual(session.channel.prepared, 1)

    def test_a_hint_during_a_hold_gets_its_agent_thread_when_the_hold_ends(self):
        # Starting a thread while the program is held can wait for good on threading's lock.
        session = _Session()
        loaded = os.path.abspath(sys.modules[__name__].__file__)
        session.hold.closed = True  # another file's apply holds the program
        self.assertEqual(prepare_apply(session, {"path": loaded, "active": True}), {})
        self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)
        self.assertEqual(session.threads, [])
        session.hold.closed = False
        hold_ended(session)
        self.assertEqual(len(session.threads), 1)
        hold_ended(session)  # once
        self.assertEqual(len(session.threads), 1)
        self.assertEqual(prepare_apply(session, {"path": loaded, "active": False}), {})

    def test_the_agent_thread_gets_the_tracer_ready_to_wake_threads_first(self):
        session = _Session()
        hints = ApplyHints(session, clock=_Clock())
        hints.renew("/work/a.py")
        self.assertTrue(session.tracer.prepared.wait(TIMEOUT))
        hints.withdraw("/work/a.py")

    def test_the_agent_thread_ends_an_expired_hint_by_itself(self):
        session = _Session()
        hints = ApplyHints(session, expiry_seconds=0.05)
        hints.renew("/work/a.py")
        self.assertEqual(sys.getswitchinterval(), HINTED_SWITCH_INTERVAL)
        deadline = time.monotonic() + TIMEOUT
        while sys.getswitchinterval() != 0.004 and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertEqual(sys.getswitchinterval(), 0.004)
        self.assertEqual(hints.active_paths, [])
        self.assertEqual(len(session.threads), 1)
        hints.renew("/work/a.py")  # the same thread serves the next hint
        self.assertEqual(len(session.threads), 1)


if __name__ == "__main__":
    unittest.main()
