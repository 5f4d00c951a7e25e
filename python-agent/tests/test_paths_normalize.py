"""Paths are compared in one form, os.path.realpath's (paths.normalize), which resolves each
folder once: a breakpoint set on a file's real path stops in a module imported through a
symlink to it, or from a folder reached through a symlinked folder."""

import os
import sys
import tempfile
import unittest

from dapper_agent import paths
from tests.support import AgentHarness


@unittest.skipIf(os.name != "posix", "symlinks and the folder cache are POSIX-only")
class NormalizeTest(unittest.TestCase):
    def test_same_answer_as_realpath_for_links_missing_files_and_dots(self):
        folder = os.path.realpath(tempfile.mkdtemp(prefix="dapper-normalize-"))
        os.makedirs(os.path.join(folder, "real", "inner"))
        with open(os.path.join(folder, "real", "mod.py"), "w") as handle:
            handle.write("")
        os.symlink(os.path.join(folder, "real"), os.path.join(folder, "linked"))
        os.symlink(os.path.join(folder, "real", "mod.py"), os.path.join(folder, "alias.py"))
        os.symlink("nowhere.py", os.path.join(folder, "dangling.py"))
        cases = [
            "real/mod.py", "linked/mod.py", "alias.py", "dangling.py", "missing.py", "linked/missing.py",
            "linked/inner/../mod.py", "real/./mod.py", "linked", "linked/", "real//mod.py",
        ]
        for case in cases:
            path = os.path.join(folder, case)
            self.assertEqual(paths.normalize(path), os.path.normcase(os.path.realpath(path)), case)
            self.assertEqual(paths.normalize(path), os.path.normcase(os.path.realpath(path)), case + " (cached)")
        self.assertEqual(paths.normalize(sys.executable), os.path.realpath(sys.executable))

    def test_breakpoint_on_the_real_file_stops_in_a_module_imported_through_a_symlink(self):
        module = "def helper(x):\n    y = x + 1\n    return y\n"
        script = "import sys, os\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), 'linked'))\nimport helper\nprint(helper.helper(1))\n"
        with AgentHarness(script, extra_files={"real/helper.py": module}) as agent:
            os.symlink(os.path.join(agent.folder, "real"), os.path.join(agent.folder, "linked"))
            agent.set_breakpoints(os.path.join(os.path.realpath(agent.folder), "real", "helper.py"), [2])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            top = agent.stack()[0]
            self.assertEqual((top["name"], top["line"], agent.locals()["x"]), ("helper", 2, "1"))
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["2"])


if __name__ == "__main__":
    unittest.main()
