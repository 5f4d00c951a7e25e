"""Helpers for the Apply Changes tests: real module files on disk, imported, edited, applied."""

import importlib
import os
import shutil
import sys
import tempfile
import textwrap
import unittest
import uuid

from dapper_agent.hotreload import HotReloadEngine, HotReloadRefused

from .protocol_check import check


class ReloadTestCase(unittest.TestCase):
    def setUp(self):
        sys.dont_write_bytecode = True
        self.directory = tempfile.mkdtemp(prefix="dapper-hotreload-")
        sys.path.insert(0, self.directory)
        self.engine = HotReloadEngine()
        self.module_names = []
        importlib.invalidate_caches()

    def tearDown(self):
        for name in self.module_names:
            sys.modules.pop(name, None)
        sys.path.remove(self.directory)
        shutil.rmtree(self.directory, ignore_errors=True)

    def write(self, relative, source):
        path = os.path.join(self.directory, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(textwrap.dedent(source).lstrip("\n"))
        return path

    def load(self, source, package=None):
        """Write `source` as a fresh module (or a package's submodule), import it, snapshot it."""
        name = "hr_" + uuid.uuid4().hex[:10]
        if package:
            self.write(os.path.join(package, "__init__.py"), "")
            relative = os.path.join(package, name + ".py")
            name = package + "." + name
            self.module_names.append(package)
        else:
            relative = name + ".py"
        self.write(relative, source)
        importlib.invalidate_caches()
        module = importlib.import_module(name)
        self.module_names.append(name)
        self.engine.snapshots.snapshot(module.__file__)
        return module

    def edit(self, module, source):
        self.write(os.path.relpath(module.__file__, self.directory), source)

    def apply(self, module, frames=(), options=None, breakpoint_lines=()):
        body = self.engine.reload(module.__file__, options, list(frames), breakpoint_lines).body
        self.assertIsNone(check("HotReloadResponseBody", body), "the body breaks common/protocol/dapper.schema.json")
        return body

    def refused(self, module_or_path, options=None):
        path = getattr(module_or_path, "__file__", module_or_path)
        with self.assertRaises(HotReloadRefused) as caught:
            self.engine.reload(path, options, [])
        body = {"diagnostics": caught.exception.diagnostics}
        self.assertIsNone(check("HotReloadFailureBody", body), "the refusal breaks common/protocol/dapper.schema.json")
        return caught.exception

    def codes(self, body_or_error):
        diagnostics = getattr(body_or_error, "diagnostics", None)
        if diagnostics is None:
            diagnostics = body_or_error["diagnostics"]
        return [item["code"] for item in diagnostics]
