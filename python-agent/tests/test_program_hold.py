"""ProgramHold.checkpoint: where a program thread waits while Apply Changes holds the program."""

import sys
import threading
import unittest

from dapper_agent.program_hold import RECENT_HOLDS, ProgramHold, program_entry
from dapper_agent.switch_interval import HELD_SWITCH_INTERVAL, HINTED_SWITCH_INTERVAL, SwitchInterval, gil_enabled

AGENT_DIR = "/opt/dapper/python-agent/"


class _Threads:
    @staticmethod
    def is_agent(_ident):
        return False


class _Classifier:
    @staticmethod
    def is_agent(filename):
        return filename.startswith(AGENT_DIR)


class _SwitchInterval:
    @staticmethod
    def set_held(_held):
        return False


class _Session:
    """What checkpoint(), begin() and end() ask of the Session (no tracer: no settle)."""

    threads = _Threads()
    classifier = _Classifier()
    tracer = None
    switch_interval = _SwitchInterval()


def frame_of_code_from(filename):
    namespace = {"sys": sys}
    exec(compile("def here():\n    return sys._getframe()\n", filename, "exec"), namespace)
    return namespace["here"]()


def caller_from(filename, entry=False):
    """A function compiled as if from `filename` that calls its argument: a frame of that file
    below the callee's on the thread's stack."""
    namespace = {}
    exec(compile("def call(function):\n    return function()\n", filename, "exec"), namespace)
    return program_entry(namespace["call"]) if entry else namespace["call"]


class CheckpointTest(unittest.TestCase):
    def setUp(self):
        self.hold = ProgramHold(_Session())
        # The gate as begin() leaves it, without a tracer or a settle.
        self.hold._opened.clear()
        self.hold._closed = True
        self.addCleanup(self.hold._opened.set)

    def run_checkpoint(self, frame):
        thread = threading.Thread(target=self.hold.checkpoint, args=(frame,), daemon=True)
        thread.start()
        thread.join(0.5)
        return thread

    def run_checkpoint_below(self, *callers):
        """A thread reaches a line of program code through these callers (outermost first)."""
        line = frame_of_code_from("/work/program.py")

        def reach(index=0):
            if index == len(callers):
                return self.hold.checkpoint(line if index == 0 else sys._getframe(1))
            return callers[index](lambda: reach(index + 1))

        thread = threading.Thread(target=reach, daemon=True)
        thread.start()
        thread.join(0.5)
        return thread

    def test_a_thread_in_the_programs_code_waits_until_the_gate_opens(self):
        thread = self.run_checkpoint(frame_of_code_from("/work/program.py"))
        self.assertTrue(thread.is_alive())
        self.hold._opened.set()
        thread.join(5)
        self.assertFalse(thread.is_alive())

    def test_a_thread_inside_the_import_machinery_goes_on(self):
        # It may hold the import lock there: every import the agent makes would wait for it.
        for filename in ("<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>"):
            thread = self.run_checkpoint(frame_of_code_from(filename))
            self.assertFalse(thread.is_alive(), filename)


    def test_a_thread_running_a_module_body_it_imports_goes_on(self):
        # Its import holds that module's lock: an import of the same module by the apply (a
        # library module the engine needs, say) would wait for it forever.
        thread = self.run_checkpoint_below(caller_from("<frozen importlib._bootstrap>"),
                                           caller_from("/usr/lib/python3.9/dis.py"))
        self.assertFalse(thread.is_alive())

    def test_a_thread_running_library_code_for_the_agent_goes_on(self):
        # Start-up, output, a wrapper of the agent's: the agent's code may hold its own locks.
        thread = self.run_checkpoint_below(caller_from(AGENT_DIR + "dapper_agent/main.py"),
                                           caller_from("/usr/lib/python3.9/tokenize.py"))
        self.assertFalse(thread.is_alive())

    def test_a_thread_in_the_program_below_the_agents_program_entry_waits(self):
        thread = self.run_checkpoint_below(caller_from(AGENT_DIR + "dapper_agent/main.py"),
                                           caller_from(AGENT_DIR + "dapper_agent/runner.py", entry=True),
                                           caller_from("/work/program.py"))
        self.assertTrue(thread.is_alive())
        self.hold._opened.set()
        thread.join(5)
        self.assertFalse(thread.is_alive())


class _RecordingTracer:
    """Records the switch interval each time the hold turns every line on (before closing the
    gate, and before each look while it waits for the running threads to settle)."""

    def __init__(self):
        self.intervals = []

    def set_all_lines(self, _on):
        self.intervals.append(sys.getswitchinterval())


class _Stops:
    parked = ()
    stopped = False
    pause_requested = False
    step = None


@unittest.skipUnless(gil_enabled(), "the build runs without the GIL: the switch interval is not used")
class SettleSwitchIntervalTest(unittest.TestCase):
    def setUp(self):
        program_value = sys.getswitchinterval()
        self.addCleanup(sys.setswitchinterval, program_value)
        sys.setswitchinterval(0.004)

    def test_the_interval_is_lowered_while_the_hold_settles_then_raised_then_restored(self):
        me = threading.get_ident()
        tracer = _RecordingTracer()
        session = type("Session", (), {
            "threads": type("Threads", (), {"agent_idents": {me}, "is_agent": staticmethod(lambda ident: ident == me)})(),
            "classifier": _Classifier(), "tracer": tracer, "switch_interval": SwitchInterval(), "stops": _Stops()})()
        blocked = threading.Event()
        thread = threading.Thread(target=blocked.wait, daemon=True)  # a program thread blocked in C
        thread.start()
        self.addCleanup(thread.join, 5)
        self.addCleanup(blocked.set)
        hold = ProgramHold(session)
        hold.begin()
        try:
            self.assertTrue(hold.last_settled)
            self.assertEqual(sys.getswitchinterval(), HELD_SWITCH_INTERVAL)
        finally:
            hold.end()
        self.assertEqual(sys.getswitchinterval(), 0.004)
        # Lines turned on as the gate closed and before each look of the settle: lowered;
        # as the hold ended (the last): the program's value again.
        self.assertGreaterEqual(len(tracer.intervals), 3)
        self.assertEqual(set(tracer.intervals[:-1]), {HINTED_SWITCH_INTERVAL})
        self.assertEqual(tracer.intervals[-1], 0.004)


class HoldRecordTest(unittest.TestCase):
    def test_each_hold_records_how_long_its_threads_were_held(self):
        hold = ProgramHold(_Session())
        line = frame_of_code_from("/work/program.py")
        hold.begin()
        threads = [threading.Thread(target=hold.checkpoint, args=(line,), daemon=True) for _ in range(3)]
        for thread in threads:
            thread.start()
        threading.Event().wait(0.2)
        hold.begin()  # nested (an apply inside its arrival's hold): still the same hold
        hold.end()
        self.assertTrue(all(thread.is_alive() for thread in threads))
        hold.end()
        for thread in threads:
            thread.join(5)
        record = RECENT_HOLDS[-1]
        self.assertEqual(record.parks, 3)
        self.assertGreaterEqual(record.longest_held, 0.15)
        # Held only while the hold lasted; running again may take longer (the GIL).
        self.assertLessEqual(record.longest_held, record.ended - record.started)
        self.assertGreaterEqual(record.longest_wait, record.longest_held)
        # Settled as the gate first closed (no tracer here: nothing to wait for), before the threads came.
        self.assertLessEqual(record.started, record.settled)
        self.assertLess(record.settled, record.started + 0.15)
        # A hold no thread met records none.
        hold.begin()
        hold.end()
        self.assertIsNot(RECENT_HOLDS[-1], record)
        self.assertEqual((RECENT_HOLDS[-1].parks, RECENT_HOLDS[-1].longest_held), (0, 0.0))


if __name__ == "__main__":
    unittest.main()
