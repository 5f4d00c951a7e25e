"""`-m module` through the launcher: runpy's semantics, breakpoints, Apply Changes, errors."""

import json
import os
import textwrap
import unittest

from tests.support import AgentHarness

CLI = """\
import json, sys
from . import READY

def greet(name):
    return "hello " + name

def main():
    for name in sys.argv[1:]:
        text = greet(name)  # BP
        print(text)

print(json.dumps({
    "name": __name__, "file": __file__, "spec": __spec__.name, "package": __package__,
    "argv": sys.argv, "path0": sys.path[0], "ready": READY,
    "main_is_me": sys.modules["__main__"].__dict__ is globals(),
}))
if __name__ == "__main__":
    main()
"""

PACKAGE = {"tools/__init__.py": "READY = 'package imported first'\n", "tools/cli.py": CLI}


def write(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(textwrap.dedent(text))


class ModuleLaunch(unittest.TestCase):
    def test_module_runs_as_main_with_runpy_globals_argv_and_cwd_on_path(self):
        with AgentHarness("", module="tools.cli", args=["ann"], extra_files=PACKAGE) as agent:
            agent.configuration_done()
            self.assertEqual(agent.wait_exit()[1], 0)
            lines = agent.output("stdout").splitlines()
        cli = os.path.join(agent.folder, "tools", "cli.py")
        facts = json.loads(lines[0])
        self.assertEqual(lines[1], "hello ann")
        self.assertEqual(facts["name"], "__main__")
        self.assertEqual(facts["spec"], "tools.cli")
        self.assertEqual(facts["package"], "tools")
        self.assertEqual(os.path.realpath(facts["file"]), os.path.realpath(cli))
        self.assertEqual(facts["argv"][1:], ["ann"])
        self.assertEqual(os.path.realpath(facts["argv"][0]), os.path.realpath(cli))
        self.assertEqual(os.path.realpath(facts["path0"]), os.path.realpath(agent.folder))
        self.assertEqual(facts["ready"], "package imported first")
        self.assertTrue(facts["main_is_me"])

    def test_breakpoint_and_apply_changes_in_the_module(self):
        with AgentHarness("", module="tools.cli", args=["ann", "bob"], extra_files=PACKAGE) as agent:
            cli = os.path.join(agent.folder, "tools", "cli.py")
            agent.set_breakpoints(cli, [9])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            self.assertEqual(agent.locals()["name"], "'ann'")
            write(cli, CLI.replace('"hello " + name', '"goodbye " + name'))
            body = agent.request("hotReload", path=cli, options={})
            self.assertEqual(body["module"], "__main__")
            agent.set_breakpoints(cli, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            lines = agent.output("stdout").splitlines()
        self.assertEqual(lines[1:], ["goodbye ann", "goodbye bob"])

    def test_stop_on_entry_stops_on_the_modules_first_line(self):
        with AgentHarness("", module="tools.cli", extra_files=PACKAGE) as agent:
            agent.configuration_done(stop_on_entry=True)
            agent.wait_stopped("entry")
            top = agent.stack()[0]
            self.assertEqual(os.path.realpath(top["source"]["path"]), os.path.realpath(os.path.join(agent.folder, "tools", "cli.py")))
            self.assertEqual(top["line"], 1)
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)

    def test_package_runs_its_main_submodule(self):
        files = dict(PACKAGE, **{"tools/__main__.py": "import sys\nprint('package main', __spec__.name, sys.argv[1:])\n"})
        with AgentHarness("", module="tools", args=["x"], extra_files=files) as agent:
            agent.configuration_done()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").strip(), "package main tools.__main__ ['x']")

    def test_missing_module_exits_1_naming_it(self):
        with AgentHarness("", module="tools.absent", extra_files=PACKAGE) as agent:
            agent.configuration_done()
            exited, code = agent.wait_exit()
            self.assertEqual((exited, code), ({"exitCode": 1}, 1))
            self.assertIn("No module named tools.absent", agent.output("stderr"))

    def test_parent_package_that_raises_exits_1_with_its_traceback(self):
        files = {"broken/__init__.py": "raise RuntimeError('package cannot load')\n", "broken/cli.py": "print('never')\n"}
        with AgentHarness("", module="broken.cli", extra_files=files) as agent:
            agent.configuration_done()
            exited, code = agent.wait_exit()
            self.assertEqual(code, 1)
            stderr = agent.output("stderr")
            self.assertIn("RuntimeError: package cannot load", stderr)
            self.assertNotIn("never", agent.output("stdout"))


if __name__ == "__main__":
    unittest.main()
