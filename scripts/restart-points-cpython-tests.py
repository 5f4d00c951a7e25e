"""CPython's own tests with the standard library compiled with restart points, both ways.

    python3 scripts/restart-points-cpython-tests.py [python ...]
        (default: ~/.pyenv 3.11+, and the 3.14/3.15 of scripts/install-debian-pythons.sh)

Per interpreter, runs some of CPython's test modules twice in a fresh process, every pure-Python
standard-library module and the tests themselves loaded through the agent's restart-point
loader (python-agent/dapper_agent/restart/importer.py): once with restart points added to the
compiled code (restart/bytecode.py), once with the `ast` wrapper (restart/transform.py). A test
that fails only with the bytecode path is a bug of it; tests both paths fail are what having
a restart point changes (docs/apply-changes.md, "Known differences"). Exits 1 on the former.
Where the bytecode path is not used (3.14+), the `ast` wrapper is compared with no restart
points at all instead, and the tests only it fails are listed. (Debian's interpreters need
their `libpython3.N-testsuite` package in the same tree for CPython's tests.)
"""

import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT = os.path.join(HERE, "..", "python-agent")

MODULES = [
    "test.test_sys_settrace", "test.test_exceptions", "test.test_inspect", "test.test_traceback",
    "test.test_generators", "test.test_coroutines", "test.test_contextlib", "test.test_with", "test.test_scope",
    "test.test_grammar", "test.test_exception_group", "test.test_typing", "test.test_dataclasses",
    "test.test_enum", "test.test_functools", "test.test_argparse", "test.test_json", "test.test_difflib",
    "test.test_statistics", "test.test_textwrap",
]

RUN = r'''
import importlib.util, os, sys, unittest
sys.dont_write_bytecode = True
sys.path.insert(0, AGENT)
from dapper_agent.restart import importer, signal
import dapper_agent.restart.points as points
signal.install()
if MODE == "ast":
    points._rewriter = False  # as on a Python bytecode.py does not know
elif MODE == "bytecode" and points._bytecode_rewriter() is None:
    print("NO-BYTECODE-PATH")
    sys.exit(2)
if MODE != "plain":
    importer.install(lambda path: "/encodings/" not in path and "/importlib/" not in path)
names = [name for name in MODULES if importlib.util.find_spec(name) is not None]
result = unittest.TextTestRunner(stream=open(os.devnull, "w"), verbosity=0).run(
    unittest.defaultTestLoader.loadTestsFromNames(names))
for test, _trace in result.failures + result.errors:
    print("FAILED", test.id())
print("RAN", result.testsRun)
'''


def run(python, mode):
    script = "AGENT = %r\nMODULES = %r\nMODE = %r\n" % (AGENT, MODULES, mode) + RUN
    done = subprocess.run([python, "-c", script], capture_output=True, text=True, timeout=1200)
    out = done.stdout
    if "NO-BYTECODE-PATH" in out:
        return None, None
    if "RAN " not in out:
        sys.exit("%s (%s path) did not run the tests:\n%s" % (python, mode, done.stderr[-2000:]))
    failed = {line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("FAILED ")}
    ran = next((int(line.split()[1]) for line in out.splitlines() if line.startswith("RAN ")), 0)
    return ran, failed


def main():
    debian = os.environ.get("DEBIAN_PYTHONS_ROOT", "/opt/dapper-debian-pythons")
    pythons = sys.argv[1:] or sorted(
        p for p in glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/bin/python3"))
        if tuple(int(x) for x in p.split("/versions/")[1].split("/")[0].split(".")[:2]) >= (3, 11))
    pythons = pythons or []
    if not sys.argv[1:]:
        pythons += sorted(glob.glob(os.path.join(debian, "usr", "bin", "python3.*-host")))
    worse = False
    for python in pythons:
        ran, bytecode_failed = run(python, "bytecode")
        if ran is None:
            ran, ast_failed = run(python, "ast")
            _ran, plain_failed = run(python, "plain")
            only_points = sorted(ast_failed - plain_failed)
            print("%s: restart points are added with the ast wrapper there; %d tests; it fails %d, no restart "
                  "points %d; only with restart points: %d" % (python, ran, len(ast_failed), len(plain_failed),
                                                              len(only_points)))
            for name in only_points:
                print("    " + name)
            continue
        _ran, ast_failed = run(python, "ast")
        only_bytecode = sorted(bytecode_failed - ast_failed)
        print("%s: %d tests; bytecode path fails %d, ast path %d; only the bytecode path: %d" % (
            python, ran, len(bytecode_failed), len(ast_failed), len(only_bytecode)))
        for name in only_bytecode:
            print("    " + name)
        worse = worse or bool(only_bytecode)
    sys.exit(1 if worse else 0)


if __name__ == "__main__":
    main()
