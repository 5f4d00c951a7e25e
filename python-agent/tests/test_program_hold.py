"""ProgramHold.checkpoint: where a program thread waits while Apply Changes holds the program."""

import sys
import threading
import unittest

from dapper_agent.program_hold import ProgramHold


class _Agentless:
    """What checkpoint() asks of the Session: nothing here is the agent's."""

    @staticmethod
    def is_agent(_value):
        return False


class _Session:
    threads = _Agentless()
    classifier = _Agentless()


def frame_of_code_from(filename):
    namespace = {"sys": sys}
    exec(compile("def here():\n    return sys._getframe()\n", filename, "exec"), namespace)
    return namespace["here"]()


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


if __name__ == "__main__":
    unittest.main()
