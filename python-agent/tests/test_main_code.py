"""The main script's code handed to child processes (restart/main_code.py): written once a
child is started (never by an exec), private, read back only for the same unchanged file and
by the same Python version."""

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

AGENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PARENT = """
import json, os, sys
sys.path.insert(0, %r)
from dapper_agent.restart import main_code
from dapper_agent.runner import prepare_main_module
module, code, source = prepare_main_module(sys.argv[1], [], restart_points=True)
before = main_code.file_for_children(write=False)
written = main_code.file_for_children()
again = main_code.file_for_children()
print(json.dumps({"before": before, "written": written, "again": again,
                  "mode": oct(os.stat(written).st_mode & 0o777),
                  "exec": main_code.file_for_children(write=False)}))
sys.stdout.flush()
sys.stdin.read()  # alive until the test is done: a writer removes the files of writers that ended
os._exit(0)  # keep the file: the test removes it
""" % AGENT

CHILD = """
import json, os, sys
sys.path.insert(0, %r)
from dapper_agent.restart import main_code
main_code.accept(os.environ.get(main_code.MAIN_CODE_VARIABLE))
code = main_code.code_for(sys.argv[1])
print(json.dumps(None if code is None else sorted(code.co_names)))
""" % AGENT


# A child verifying breakpoints in the file: the lines with code, and whether it compiled it.
LINES_CHILD = """
import json, os, sys
sys.path.insert(0, %r)
compiled = []
sys.addaudithook(lambda event, args: compiled.append(args[1]) if event == "compile" and len(args) > 1 else None)
from dapper_agent.restart import main_code
from dapper_agent.code_lines import LineTable
main_code.accept(os.environ.get(main_code.MAIN_CODE_VARIABLE))
found = LineTable().for_file(sys.argv[1])
print(json.dumps({"lines": sorted(found.lines), "count": found.line_count, "error": found.error,
                  "names": {str(line): sorted(names) for line, names in found.names_by_line.items()},
                  "compiled": sys.argv[1] in compiled}))
""" % AGENT


def run(program, *args, env=None):
    result = subprocess.run([sys.executable, "-c", program] + list(args), capture_output=True, text=True,
                            env=dict(os.environ, **(env or {})), check=True)
    return json.loads(result.stdout)


def start_parent(test, script):
    """PARENT's report; it runs until the test's clean-up (its file is not an orphan meanwhile)."""
    process = subprocess.Popen([sys.executable, "-c", PARENT, script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True)

    def stop():
        process.stdin.close()
        process.wait(30)
        process.stdout.close()

    test.addCleanup(stop)
    return json.loads(process.stdout.readline())


class MainCodeForChildrenTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="dapper-main-code-test-")
        self.addCleanup(shutil.rmtree, self.folder, True)
        self.script = os.path.join(self.folder, "program.py")
        with open(self.script, "w") as handle:
            handle.write("def work(n):\n    return n * 2\n")

    def test_written_once_privately_and_read_back_for_the_same_unchanged_file(self):
        parent = start_parent(self, self.script)
        self.addCleanup(os.unlink, parent["written"])
        self.assertIsNone(parent["before"])  # an exec before any child: nothing written
        self.assertEqual(parent["again"], parent["written"])
        self.assertEqual(parent["exec"], parent["written"])
        self.assertEqual(parent["mode"], oct(stat.S_IRUSR | stat.S_IWUSR))
        env = {"DAPPER_AGENT_MAIN_CODE": parent["written"]}
        names = run(CHILD, self.script, env=env)
        self.assertIn("work", names)
        # Another file, or this one edited since: compiled by the child as usual.
        other = os.path.join(self.folder, "other.py")
        with open(other, "w") as handle:
            handle.write("x = 1\n")
        self.assertIsNone(run(CHILD, other, env=env))
        with open(self.script, "a") as handle:
            handle.write("# edited\n")
        self.assertIsNone(run(CHILD, self.script, env=env))

    def test_a_child_verifies_breakpoints_in_the_file_from_the_parents_table_without_compiling_it(self):
        with open(self.script, "w") as handle:
            handle.write("import os\n\n\nclass Box:\n    def get(self):\n        return [n for n in range(3)]\n\n"
                         "def work(n):\n    # a comment\n    return n * 2\n")
        parent = start_parent(self, self.script)
        self.addCleanup(os.unlink, parent["written"])
        own = run(LINES_CHILD, self.script)  # no inherited file: compiled, as always
        self.assertTrue(own["compiled"])
        self.assertIsNone(own["error"])
        self.assertEqual(own["lines"], [1, 4, 5, 6, 8, 10])
        inherited = run(LINES_CHILD, self.script, env={"DAPPER_AGENT_MAIN_CODE": parent["written"]})
        self.assertFalse(inherited["compiled"])
        self.assertEqual({key: inherited[key] for key in ("lines", "count", "error", "names")},
                         {key: own[key] for key in ("lines", "count", "error", "names")})
        # Edited since the parent wrote it: the child compiles the file and sees the edit.
        with open(self.script, "a") as handle:
            handle.write("work(1)\n")
        edited = run(LINES_CHILD, self.script, env={"DAPPER_AGENT_MAIN_CODE": parent["written"]})
        self.assertTrue(edited["compiled"])
        self.assertEqual(edited["lines"], [1, 4, 5, 6, 8, 10, 11])

    def test_a_file_left_by_a_killed_process_is_removed_by_the_next_writer(self):
        ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                               text=True, check=True)
        dead_pid = int(ended.stdout)
        first = start_parent(self, self.script)
        self.addCleanup(lambda: os.path.exists(first["written"]) and os.unlink(first["written"]))
        folder = os.path.dirname(first["written"])
        orphan = os.path.join(folder, "%d-0123456789abcdef" % dead_pid)
        with open(orphan, "wb") as handle:
            handle.write(b"left behind")
        second = start_parent(self, self.script)
        self.addCleanup(os.unlink, second["written"])
        self.assertFalse(os.path.exists(orphan))
        self.assertEqual(oct(os.stat(folder).st_mode & 0o777), oct(0o700))

    def test_another_python_version_ignores_the_file(self):
        parent = start_parent(self, self.script)
        self.addCleanup(os.unlink, parent["written"])
        with open(parent["written"], "r+b") as handle:
            handle.write(b"\0\0")  # not this interpreter's bytecode magic number
        self.assertIsNone(run(CHILD, self.script, env={"DAPPER_AGENT_MAIN_CODE": parent["written"]}))


if __name__ == "__main__":
    unittest.main()
