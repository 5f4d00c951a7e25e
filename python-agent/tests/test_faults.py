"""Programs that misbehave, and adapters that go away: clean ends, right exit codes, no hangs."""

import os
import sys
import unittest

from tests.support import AgentHarness


class FaultTest(unittest.TestCase):
    def test_infinite_recursion_is_reported_not_fatal_to_the_agent(self):
        script = """\
            def down(n):
                return down(n + 1)
            down(0)
        """
        with AgentHarness(script) as agent:
            agent.configuration_done()
            stopped = agent.wait_stopped("exception")
            self.assertEqual(stopped["text"], "RecursionError")
            body = agent.request("stackTrace", threadId=stopped["threadId"], levels=5)
            self.assertGreater(body["totalFrames"], 100)
            self.assertEqual(body["stackFrames"][0]["name"], "down")
            self.assertEqual(agent.locals(body["stackFrames"][0]["id"]).keys(), {"n"})
            agent.resume()
            _exited, code = agent.wait_exit()
            self.assertEqual(code, 1)
            self.assertIn("RecursionError", agent.output("stderr"))

    def test_caught_recursion_error_with_breakpoints_keeps_the_program_going(self):
        script = """\
            def down(n):
                return down(n + 1)
            try:
                down(0)
            except RecursionError:
                print("recovered")
            done = True        # line 7
        """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [7])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertIn("recovered", agent.output("stdout"))

    def test_program_that_calls_settrace_itself(self):
        script = """\
            import sys
            calls = []
            def tracer(frame, event, arg):
                calls.append(event)
                return None
            def f():
                return 1
            sys.settrace(tracer)
            f()
            sys.settrace(None)
            print("tracer saw calls:", "call" in calls)
            value = f()        # line 12
            print("value", value)
        """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [12])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            agent.resume()
            _exited, code = agent.wait_exit()
            self.assertEqual(code, 0)
            self.assertIn("tracer saw calls: True", agent.output("stdout"))
            self.assertIn("value 1", agent.output("stdout"))
            warning = "called sys.settrace() itself" in agent.output("console")
            self.assertEqual(warning, sys.version_info < (3, 12))

    def test_adapter_going_away_lets_the_program_finish(self):
        script = """\
            import time, sys
            for i in range(30):
                time.sleep(0.02)
                x = i          # line 4
            open(sys.argv[1], "w").write("finished")
        """
        marker = os.path.join(os.path.realpath("/tmp"), "dapper-finished-%d" % os.getpid())
        with AgentHarness(script, args=[marker]) as agent:
            agent.set_breakpoints(agent.program, [4])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            agent.sock.shutdown(2)
            agent.sock.close()
            code = agent.process.wait(20)
        self.assertEqual(code, 0)
        with open(marker) as handle:
            self.assertEqual(handle.read(), "finished")
        os.remove(marker)

    def test_disconnect_resumes_without_hooks(self):
        script = """\
            for i in range(3):
                x = i          # line 2
            print("ran to the end")
        """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [2])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            agent.request("disconnect", terminateDebuggee=False)
            code = agent.process.wait(20)
            self.assertEqual(code, 0)
            self.assertIn("ran to the end", agent.process_stdout())

    def test_terminate_ends_the_process(self):
        with AgentHarness("import time\nprint('running', flush=True)\nwhile True:\n    time.sleep(0.05)\n") as agent:
            agent.configuration_done()
            agent.wait_output("running")
            agent.request("terminate")
            self.assertIsNotNone(agent.process.wait(20))


if __name__ == "__main__":
    unittest.main()
