"""A child process classifies files exactly as it would on its own when it takes its parent's
library paths (paths.LIBRARY_PATHS_VARIABLE), and computes them itself when they are not for
its interpreter."""

import json
import os
import subprocess
import sys
import unittest

from tests import support
from tests.support import AgentHarness

AGENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Run in a fresh interpreter: what it computes, and whether it needed sysconfig for it.
PROBE = """
import json, os, sys
sys.path.insert(0, %r)
from dapper_agent import paths
accepted = paths.accept_library_paths(os.environ.pop(paths.LIBRARY_PATHS_VARIABLE, None))
from dapper_agent.hotreload.snapshots import SourceSnapshots
classifier = paths.CodeClassifier()
files = [os.__file__, json.__file__, paths.__file__, os.path.join(os.getcwd(), "program.py"), "<string>",
         "<frozen importlib._bootstrap>"] + [os.path.join(p, "pkg", "m.py") for p in sys.path if p]
print(json.dumps({
    "accepted": accepted,
    "sysconfig imported": "sysconfig" in sys.modules,
    "roots": list(paths._library_roots()),
    "snapshot roots": sorted(SourceSnapshots()._library_roots),
    "library": [classifier.is_library(f) for f in files],
    "for children": paths.library_paths_for_children(),
}))
""" % AGENT


def probe(variable=None):
    env = dict(os.environ)
    env.pop("DAPPER_AGENT_LIBRARY_PATHS", None)
    if variable is not None:
        env["DAPPER_AGENT_LIBRARY_PATHS"] = variable
    output = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(output)


class ParentLibraryPaths(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.own = probe()  # a process computing everything itself, as the launched program does

    def test_computed_without_a_parent(self):
        self.assertFalse(self.own["accepted"])
        self.assertTrue(self.own["sysconfig imported"])
        self.assertIn(True, self.own["library"])  # os.py is the standard library
        self.assertIn(False, self.own["library"])  # program.py in the working folder is the user's

    def test_child_of_the_same_interpreter_classifies_the_same_without_sysconfig(self):
        child = probe(self.own["for children"])
        self.assertTrue(child["accepted"])
        self.assertFalse(child["sysconfig imported"])
        for key in ("roots", "snapshot roots", "library"):
            self.assertEqual(child[key], self.own[key], key)
        # A grandchild is handed the same paths again.
        self.assertEqual(json.loads(child["for children"]), json.loads(self.own["for children"]))

    def test_paths_from_another_interpreter_are_not_used(self):
        value = json.loads(self.own["for children"])
        value["interpreter"][1] = "/elsewhere/bin/python3"  # sys.executable
        value["sysconfig"] = {"stdlib": "/elsewhere/lib"}
        child = probe(json.dumps(value))
        self.assertFalse(child["accepted"])
        self.assertTrue(child["sysconfig imported"])
        self.assertEqual(child["roots"], self.own["roots"])

    def test_malformed_values_are_ignored(self):
        for value in ("", "not json", "[1, 2]", json.dumps({"interpreter": None})):
            child = probe(value)
            self.assertFalse(child["accepted"], value)
            self.assertEqual(child["roots"], self.own["roots"], value)


class ChildProgram(unittest.TestCase):
    def test_program_never_sees_the_variable_and_breakpoints_work(self):
        script = """import os
variables = sorted(name for name in os.environ if name.startswith("DAPPER_AGENT"))
print("seen", variables)  # BP
"""
        value = probe()["for children"]
        with ChildHarness(script, env={"DAPPER_AGENT_LIBRARY_PATHS": value}) as agent:
            agent.set_breakpoints(agent.program, [3])
            agent.configuration_done()
            stopped = agent.wait_stopped("breakpoint")
            self.assertEqual(agent.stack(stopped["threadId"])[0]["line"], 3)
            agent.request("continue", threadId=stopped["threadId"])
            exited, code = agent.wait_exit()
            self.assertEqual(code, 0)
            self.assertIn("seen []", agent.output("stdout") + agent.process_stdout())


class ChildHarness(AgentHarness):
    """Starts the launcher with `--child`, as a debugged program's child is started."""

    def start(self):
        real_popen = subprocess.Popen

        def popen(argv, **kwargs):
            split = argv.index("--")
            return real_popen(argv[:split] + ["--child"] + argv[split:], **kwargs)

        support.subprocess.Popen = popen
        try:
            super().start()
        finally:
            support.subprocess.Popen = real_popen


if __name__ == "__main__":
    unittest.main()
