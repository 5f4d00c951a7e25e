"""A child's `-c` command compiled by its parent (child_processes/command_code.py): used by
the child only for the same text, Python bytecode and optimization level; otherwise the child
compiles it as before."""

import json
import os
import subprocess
import sys
import unittest

from dapper_agent.child_processes import command_code

from .support import AGENT_DIR

COMMAND = "import sys; print('ran', sys.argv[1:])"
LAUNCHER_ARGV = [sys.executable, "/agent/dapper_launcher.py", "--host", "127.0.0.1", "--port", "4000", "--child", "--"]

# Runs `-c` text as the agent does for a child (program_target), reporting whether it compiled.
CHILD = """
import json, os, sys
sys.path.insert(0, sys.argv[1])
compiled = []
sys.addaudithook(lambda event, args: compiled.append(event) if event == "compile" else None)
from dapper_agent.child_processes import command_code
from dapper_agent.program_target import ProgramTarget, prepare_main
command_code.accept(os.environ.pop(command_code.COMMAND_CODE_VARIABLE, None))
try:
    module, code, source = prepare_main(ProgramTarget("code", sys.argv[2], ["a"]))
except Exception as error:
    print(json.dumps({"error": type(error).__name__}))
    sys.exit(0)
result = {"compiled": bool(compiled), "names": sorted(code.co_names)}
sys.stdout.flush()
exec(code, module.__dict__)
print(json.dumps(result))
"""


def run_child(text, value, *options):
    env = dict(os.environ)
    env.pop(command_code.COMMAND_CODE_VARIABLE, None)
    if value is not None:
        env[command_code.COMMAND_CODE_VARIABLE] = value
    result = subprocess.run([sys.executable, *options, "-c", CHILD, AGENT_DIR, text], capture_output=True, text=True,
                            env=env, timeout=60, check=True)
    lines = result.stdout.splitlines()
    return lines[:-1], json.loads(lines[-1])


class CommandCodeTest(unittest.TestCase):
    def test_the_parent_compiles_only_a_c_command_that_compiles_and_is_small(self):
        self.assertIsNotNone(command_code.value_for(LAUNCHER_ARGV + ["-c", COMMAND, "x"]))
        self.assertIsNone(command_code.value_for(LAUNCHER_ARGV + ["script.py", "-c", COMMAND]))
        self.assertIsNone(command_code.value_for(LAUNCHER_ARGV + ["-m", "module"]))
        self.assertIsNone(command_code.value_for(LAUNCHER_ARGV + ["-c", "def broken(:"]))
        self.assertIsNone(command_code.value_for(LAUNCHER_ARGV + ["-c", "x = 1\n" * 10000]))
        self.assertIsNone(command_code.value_for([sys.executable, "-c", COMMAND]))  # not a launcher command line
        self.assertIsNone(command_code.value_for(None))

    def test_the_child_runs_the_parents_code_for_the_same_text_without_compiling(self):
        value = command_code.value_for(LAUNCHER_ARGV + ["-c", COMMAND])
        output, report = run_child(COMMAND, value)
        self.assertEqual(output, ["ran ['a']"])
        self.assertEqual(report, {"compiled": False, "names": ["argv", "print", "sys"]})

    def test_the_child_compiles_itself_for_other_text_optimization_or_a_damaged_value(self):
        value = command_code.value_for(LAUNCHER_ARGV + ["-c", COMMAND])
        other = "import sys; print('other', sys.argv[1:])"
        self.assertEqual(run_child(other, value), (["other ['a']"], {"compiled": True, "names": ["argv", "print", "sys"]}))
        self.assertEqual(run_child(COMMAND, value, "-O")[1]["compiled"], True)
        self.assertEqual(run_child(COMMAND, value[:-8])[1]["compiled"], True)
        self.assertEqual(run_child(COMMAND, "not hex")[1]["compiled"], True)
        self.assertEqual(run_child(COMMAND, "00" * 40)[1]["compiled"], True)
        self.assertEqual(run_child(COMMAND, None)[1]["compiled"], True)

    def test_a_command_that_does_not_compile_is_refused_by_the_child_as_before(self):
        self.assertEqual(run_child("def broken(:", None)[1], {"error": "CompileError"})


if __name__ == "__main__":
    unittest.main()
