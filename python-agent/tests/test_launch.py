"""Launcher and channel: hello, token, __main__ semantics, exit codes."""

import json
import os
import subprocess
import sys
import unittest

from tests.support import AgentHarness


class LaunchTest(unittest.TestCase):
    def test_program_runs_as_main_with_its_argv_and_path(self):
        script = """
            import json, os, sys
            print(json.dumps({
                "name": __name__, "file": __file__, "spec": repr(__spec__), "argv": sys.argv,
                "path0": sys.path[0], "token": os.environ.get("DAPPER_AGENT_TOKEN"),
                "agent_on_path": any(p.endswith("python-agent") for p in sys.path),
                "isatty": sys.stdout.isatty(), "fileno": sys.stdout.fileno(), "encoding": sys.stdout.encoding,
            }))
            if __name__ == "__main__":
                print("main block ran")
        """
        with AgentHarness(script, args=["one", "two words"]) as agent:
            self.assertEqual(agent.hello["type"], "hello")
            self.assertEqual(agent.hello["protocol"], 1)
            self.assertEqual(agent.hello["pid"], agent.process.pid)
            self.assertEqual(agent.hello["python"]["implementation"], "cpython")
            agent.configuration_done()
            exited, code = agent.wait_exit()
            self.assertEqual((exited, code), ({"exitCode": 0}, 0))
            lines = agent.output("stdout").splitlines()
            facts = json.loads(lines[0])
            self.assertEqual(lines[1], "main block ran")
        self.assertEqual(facts["name"], "__main__")
        self.assertEqual(facts["file"], agent.program)
        self.assertEqual(facts["spec"], "None")
        self.assertEqual(facts["argv"], [agent.program, "one", "two words"])
        self.assertEqual(facts["path0"], os.path.realpath(agent.folder))
        self.assertIsNone(facts["token"])
        self.assertFalse(facts["agent_on_path"])
        self.assertFalse(facts["isatty"])
        self.assertEqual(facts["fileno"], 1)
        self.assertEqual(facts["encoding"].lower().replace("-", ""), "utf8")

    def test_sys_exit_code_is_the_process_exit_code(self):
        with AgentHarness("import sys\nprint('bye')\nsys.exit(3)\n") as agent:
            agent.configuration_done()
            exited, code = agent.wait_exit()
        self.assertEqual((exited, code), ({"exitCode": 3}, 3))

    def test_sys_exit_with_message_prints_it_and_exits_1(self):
        with AgentHarness("import sys\nsys.exit('fatal: no config')\n") as agent:
            agent.configuration_done()
            exited, code = agent.wait_exit()
            self.assertEqual(code, 1)
            self.assertIn("fatal: no config", agent.output("stderr"))

    def test_uncaught_exception_without_filter_exits_1_with_traceback(self):
        script = """
            def fail():
                raise ValueError("bad value")
            fail()
        """
        with AgentHarness(script) as agent:
            agent.configuration_done(exception_filters=())
            exited, code = agent.wait_exit()
            self.assertEqual((exited, code), ({"exitCode": 1}, 1))
            stderr = agent.output("stderr")
        self.assertIn("Traceback (most recent call last):", stderr)
        self.assertIn("ValueError: bad value", stderr)
        self.assertIn('line 3, in fail', stderr)
        self.assertNotIn("dapper_agent", stderr)

    def test_os_exit_code_reaches_the_adapter(self):
        with AgentHarness("import os\nprint('before', flush=False)\nos._exit(7)\n") as agent:
            agent.configuration_done()
            exited, code = agent.wait_exit()
            self.assertEqual(code, 7)
            self.assertIn("before", agent.output("stdout"))

    @unittest.skipIf(os.name == "nt", "POSIX signals")
    def test_program_killing_itself_ends_cleanly(self):
        script = "import os, signal\nprint('dying')\nos.kill(os.getpid(), signal.SIGTERM)\nprint('unreachable')\n"
        with AgentHarness(script) as agent:
            agent.configuration_done()
            _exited, code = agent.wait_exit()
        self.assertEqual(code, -15)

    @unittest.skipIf(os.name == "nt", "POSIX signals")
    def test_uncaught_keyboard_interrupt_exits_through_sigint(self):
        with AgentHarness("raise KeyboardInterrupt\n") as agent:
            agent.configuration_done(exception_filters=())
            _exited, code = agent.wait_exit()
            self.assertEqual(code, -2)
            self.assertIn("KeyboardInterrupt", agent.output("stderr"))

    def test_stdout_reconfigure_is_accepted(self):
        with AgentHarness("import sys\nsys.stdout.reconfigure(encoding='utf-8')\nprint('ok')\n") as agent:
            agent.configuration_done()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout"), "ok\n")

    def test_missing_program_is_reported(self):
        with AgentHarness("pass\n") as agent:
            agent.program += ".missing"
            # Point the launcher at a file that does not exist by removing it.
            import os

            os.remove(agent.program[: -len(".missing")])
            agent.configuration_done()
            exited, code = agent.wait_exit()
            self.assertEqual(code, 2)
            self.assertIn("can't open file", agent.output("stderr"))

    def test_syntax_error_exits_1_with_the_report_python_gives(self):
        with AgentHarness("x = 1\ny = (\nz = 2\n") as agent:
            undebugged = subprocess.run([sys.executable, agent.program], capture_output=True, text=True, timeout=60)
            agent.configuration_done()
            _exited, code = agent.wait_exit()
            self.assertEqual(code, 1)
            self.assertEqual(code, undebugged.returncode)
            self.assertEqual(agent.output("stderr"), undebugged.stderr)
            self.assertIn('File "%s", line' % agent.program, agent.output("stderr"))
            self.assertRegex(agent.output("stderr"), r"\n +\^+\nSyntaxError: ")

    def test_undecodable_program_exits_1_with_the_line_and_the_decoding_error(self):
        with AgentHarness("pass\n") as agent:
            with open(agent.program, "wb") as handle:
                handle.write(b'x = 1\nname = "caf\xe9"\n')
            agent.configuration_done()
            _exited, code = agent.wait_exit()
            self.assertEqual(code, 1)
            report = agent.output("stderr")
            self.assertIn('File "%s", line 2' % agent.program, report)
            # 3.14 words the decoding error as the interpreter's own reading of a file does.
            self.assertRegex(report, r"\n +\^+\nSyntaxError: .*(utf-8.*can't decode byte 0xe9|Non-UTF-8 code starting with '\\xe9')")

    def test_module_with_a_syntax_error_exits_1_with_the_line_and_caret(self):
        with AgentHarness("pass\n", module="broken", extra_files={"broken.py": "x = 1\ndef f(:\n    pass\n"}) as agent:
            agent.configuration_done()
            _exited, code = agent.wait_exit()
            self.assertEqual(code, 1)
            report = agent.output("stderr")
            self.assertIn('broken.py", line 2', report)
            self.assertRegex(report, r"def f\(:\n +\^+\nSyntaxError: ")

    def test_unknown_request_is_answered(self):
        with AgentHarness("pass\n") as agent:
            response = agent.request_raw("frobnicate")
            self.assertFalse(response["success"])
            self.assertEqual(response["message"], "Unknown request 'frobnicate'")
            agent.configuration_done()
            agent.wait_exit()


if __name__ == "__main__":
    unittest.main()
