"""Program output becomes `output` events: in order, stream-like, and bounded in memory."""

import os
import unittest

from tests.support import AgentHarness


class OutputTest(unittest.TestCase):
    def test_stdout_and_stderr_keep_their_order(self):
        script = """\
            import sys
            for i in range(5):
                print("out", i)
                print("err", i, file=sys.stderr)
            sys.stdout.buffer.write("bytes é\\n".encode("utf-8"))
            sys.stdout.flush()
            print("no newline at end", end="")
        """
        with AgentHarness(script) as agent:
            agent.configuration_done()
            self.assertEqual(agent.wait_exit()[1], 0)
            sequence = [(e["body"]["category"], e["body"]["output"]) for e in agent.all_events if e["event"] == "output"]
        text = "".join("[%s]%s" % item for item in sequence)
        flattened = []
        for category, chunk in sequence:
            for line in chunk.splitlines(True):
                flattened.append((category, line))
        expected = []
        for i in range(5):
            expected.append(("stdout", "out %d\n" % i))
            expected.append(("stderr", "err %d\n" % i))
        self.assertEqual(flattened[:10], expected, text)
        self.assertEqual(agent.output("stdout")[-len("bytes é\nno newline at end"):], "bytes é\nno newline at end")

    def test_input_reads_the_real_stdin(self):
        script = """\
            name = input("Your name? ")
            print("hello", name)
        """
        with AgentHarness(script) as agent:
            agent.configuration_done()
            agent.wait_event("output", predicate=lambda b: "Your name? " in b["output"])
            agent.process.stdin.write(b"Ada\n")
            agent.process.stdin.flush()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout"), "Your name? hello Ada\n")

    @unittest.skipIf(os.name == "nt", "peak memory is read with the resource module")
    def test_fifty_megabytes_of_output(self):
        script = """\
            import resource, sys
            line = "y" * 99
            for _ in range(500_000):
                print(line)
            peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print("PEAK", peak_kb, file=sys.stderr)
        """
        with AgentHarness(script) as agent:
            agent.configuration_done()
            _exited, code = agent.wait_exit(timeout=120)
            self.assertEqual(code, 0)
            stdout_length = sum(len(e["body"]["output"]) for e in agent.all_events
                                if e["event"] == "output" and e["body"]["category"] == "stdout")
            peak_kb = int(agent.output("stderr").split("PEAK")[1].split()[0])
        self.assertEqual(stdout_length, 50_000_000)
        self.assertLess(peak_kb, 120_000, "the agent must not hold the output in memory")


if __name__ == "__main__":
    unittest.main()
