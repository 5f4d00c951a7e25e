"""The agent's own modules are loaded from bytecode even when the program writes none
(PYTHONDONTWRITEBYTECODE / -B): every debugged process, and every worker of a Pool, would
otherwise compile the whole agent from source. The program's own files keep the setting."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

from .support import AGENT_DIR

# Imports the agent as the launcher does, and a module of the program's; prints which files
# were compiled from source, which modules' .pyc exist, and what the program sees.
PROBE = textwrap.dedent(
    """
    import importlib.machinery, json, sys
    compiled = []
    original = importlib.machinery.SourceFileLoader.source_to_code
    def source_to_code(self, data, path, *args, **kwargs):
        compiled.append(path)
        return original(self, data, path, *args, **kwargs)
    importlib.machinery.SourceFileLoader.source_to_code = source_to_code
    sys.path.insert(0, sys.argv[1])
    from dapper_agent import main, switch_interval
    sys.path.insert(0, sys.argv[2])
    import helper
    print(json.dumps({
        "compiled": compiled,
        "marker": getattr(switch_interval, "MARKER", None),
        "finders": [type(finder).__name__ for finder in sys.meta_path],
        "helper": helper.VALUE,
    }))
    """
)


class AgentBytecodeTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="dapper-agent-bytecode-")
        self.addCleanup(shutil.rmtree, self.folder, True)
        self.agent = os.path.join(self.folder, "agent")
        shutil.copytree(os.path.join(AGENT_DIR, "dapper_agent"), os.path.join(self.agent, "dapper_agent"),
                        ignore=shutil.ignore_patterns("__pycache__"))
        self.program = os.path.join(self.folder, "program")
        os.mkdir(self.program)
        with open(os.path.join(self.program, "helper.py"), "w", encoding="utf-8") as handle:
            handle.write("VALUE = 42\n")

    def run_probe(self, *options):
        env = {key: value for key, value in os.environ.items() if key not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
        result = subprocess.run([sys.executable, *options, "-c", PROBE, self.agent, self.program],
                                capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        report = json.loads(result.stdout)
        self.assertEqual(report["helper"], 42)
        return report

    def agent_compiled(self, report):
        return sorted(os.path.relpath(path, self.agent) for path in report["compiled"] if path.startswith(self.agent + os.sep))

    def cache_of(self, relative):
        return importlib.util.cache_from_source(os.path.join(self.agent, relative))

    def test_without_bytecode_writing_the_agent_is_compiled_once_and_the_program_is_not_cached(self):
        first = self.run_probe("-B")
        self.assertIn(os.path.join("dapper_agent", "main.py"), self.agent_compiled(first))
        for relative in ("__init__.py", "bytecode_cache.py", "main.py", "session.py", os.path.join("tracing", "engine.py")):
            self.assertTrue(os.path.exists(self.cache_of(os.path.join("dapper_agent", relative))), relative)
        self.assertFalse(os.path.exists(os.path.join(self.program, "__pycache__")))

        second = self.run_probe("-B")
        self.assertEqual(self.agent_compiled(second), [])
        self.assertFalse(os.path.exists(os.path.join(self.program, "__pycache__")))

        # An edited agent file is compiled again (its cache no longer matches), never read stale.
        with open(os.path.join(self.agent, "dapper_agent", "switch_interval.py"), "a", encoding="utf-8") as handle:
            handle.write("\nMARKER = 'edited'\n")
        third = self.run_probe("-B")
        self.assertEqual(third["marker"], "edited")
        self.assertEqual(self.agent_compiled(third), [os.path.join("dapper_agent", "switch_interval.py")])
        self.assertEqual(self.agent_compiled(self.run_probe("-B")), [])

    def test_with_bytecode_writing_python_caches_the_agent_itself(self):
        first = self.run_probe()
        self.assertNotIn("_AgentModuleFinder", first["finders"])
        self.assertTrue(os.path.exists(self.cache_of(os.path.join("dapper_agent", "main.py"))))
        self.assertTrue(os.path.exists(os.path.join(self.program, "__pycache__")))
        # What Python wrote is what the agent reads when the program writes no bytecode.
        self.assertEqual(self.agent_compiled(self.run_probe("-B")), [])


if __name__ == "__main__":
    unittest.main()
