"""Which command lines start a Python child under the agent, and how they are rewritten."""

import sys
import unittest

from dapper_agent.child_processes.command_line import is_python, launcher_argv, split_interpreter_argv

LAUNCHER = "/agent/dapper_launcher.py"


def rewrite(argv):
    return launcher_argv(argv, LAUNCHER, "127.0.0.1", 4000)


AGENT = [LAUNCHER, "--host", "127.0.0.1", "--port", "4000", "--child", "--"]


class PythonExecutables(unittest.TestCase):
    def test_interpreter_names(self):
        for name in ("python", "python3", "python3.12", "/usr/bin/python3.11", "/venv/bin/python", "python3.13t", "pythonw.exe", sys.executable):
            self.assertTrue(is_python(name), name)

    def test_other_programs(self):
        for name in ("/bin/sh", "ls", "python2", "python2.7", "pypy3", "mypython-tool", "", None):
            self.assertFalse(is_python(name), name)


class Rewriting(unittest.TestCase):
    def test_script_with_arguments(self):
        self.assertEqual(rewrite(["python3", "work.py", "-x", "7"]), ["python3"] + AGENT + ["work.py", "-x", "7"])

    def test_interpreter_options_stay_before_the_launcher(self):
        self.assertEqual(rewrite(["python", "-u", "-W", "ignore", "-Xdev", "-B", "w.py"]), ["python", "-u", "-W", "ignore", "-Xdev", "-B"] + AGENT + ["w.py"])

    def test_module_and_code(self):
        self.assertEqual(rewrite(["python", "-m", "pkg.tool", "a"]), ["python"] + AGENT + ["-m", "pkg.tool", "a"])
        self.assertEqual(rewrite(["python", "-mpkg"]), ["python"] + AGENT + ["-m", "pkg"])
        self.assertEqual(rewrite(["python", "-c", "print(1)", "x"]), ["python"] + AGENT + ["-c", "print(1)", "x"])
        self.assertEqual(rewrite(["python", "-uc", "print(1)"]), ["python", "-u"] + AGENT + ["-c", "print(1)"])

    def test_multiprocessing_spawn_worker(self):
        argv = ["/usr/bin/python3", "-B", "-s", "-c", "from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=7)", "--multiprocessing-fork"]
        self.assertEqual(rewrite(argv), ["/usr/bin/python3", "-B", "-s"] + AGENT + argv[3:])

    def test_bytes_arguments(self):
        self.assertEqual(rewrite([b"python3", b"w.py"]), ["python3"] + AGENT + ["w.py"])

    def test_left_alone(self):
        for argv in (
            ["python"],
            ["python", "-i"],
            ["python", "-"],
            ["python", "--version"],
            ["python", "-V"],
            ["python", "-c"],
            ["python", "-c", "from multiprocessing.resource_tracker import main;main(5)"],
        ):
            self.assertIsNone(rewrite(argv), argv)

    def test_split(self):
        self.assertEqual(split_interpreter_argv(["python", "-O", "--", "x.py", "y"]), (["-O"], ["x.py", "y"]))


if __name__ == "__main__":
    unittest.main()
