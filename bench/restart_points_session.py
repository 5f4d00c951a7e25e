"""What restart points (Restart Frame) cost a debug session's import of a 10,000-line module.

    python bench/restart_points_session.py [--pairs 4] [python ...]   (default: bench/interpreters.py's)

bench/restart_points.py times the compile alone, in one process. This times what the user
waits for: the program, running under the real agent, imports a 10,000-line module it has
never imported (no `.pyc` yet: the first debug session after an edit), with the agent's
default ("restartFrame" on: compiled with restart points by the agent's loader, its own
`.pyc` written) against "restartFrame": false (Python's own loader, its normal `.pyc`
written) — "today" before Restart Frame. The import is timed in the program, in process CPU
time; each session imports IMPORTS copies of the module (each a file of its own, so each is
compiled), and sessions alternate on and off (--pairs of them), so another job's burst on a
shared machine falls on both. Plain `python` (no debugger) is shown for scale. Then, as that
scatter is larger than what is measured, the import's pieces in one process: the compile,
adding the restart points, and the `.pyc` each loader writes.

Target (issue #10): at most 3 % over today on import of a 10,000-line module.
Results go in docs/benchmarks.md ("Restart points").
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "python-agent"))

from interpreters import installed_pythons  # noqa: E402
from restart_points import big_module  # noqa: E402  (the same module as the compile benchmark)
from tests.support import AgentHarness  # noqa: E402  (the agent test harness plays the adapter)

IMPORTS = 8

# Each import timed whole, and the compile() calls inside it: Python's loader looks `compile`
# up in importlib's own globals, the agent's in restart/points.py's, so both are wrapped there.
PROGRAM = """\
import builtins, importlib, importlib._bootstrap_external as external, json, os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
compiling = [0.0]
def timed_compile(*args, **kwargs):
    start = time.process_time()
    try:
        return builtins.compile(*args, **kwargs)
    finally:
        compiling[0] += time.process_time() - start
external.compile = timed_compile
points = sys.modules.get("dapper_agent.restart.points")
if points is not None:
    points.compile = timed_compile
times = []
for index in range(%d):
    compiling[0] = 0.0
    start = time.process_time()
    importlib.import_module("big_%%d" %% index)
    times.append((time.process_time() - start, compiling[0]))
print("TIMES", json.dumps(times), flush=True)
""" % IMPORTS

# glibc settings that keep freed memory in the process (--keep-memory): to show how much of
# the difference is the operating system handing pages back (minor page faults).
KEEP_MEMORY = {"MALLOC_TRIM_THRESHOLD_": "2000000000", "MALLOC_TOP_PAD_": "268435456",
               "MALLOC_MMAP_THRESHOLD_": "2000000000"}


def _files():
    source = big_module()
    return {"big_%d.py" % index: source for index in range(IMPORTS)}


def _times(output):
    return json.loads(output.split("TIMES", 1)[1].strip().splitlines()[0])


def debugged(python, restart_frame, env=None):
    with AgentHarness(PROGRAM, python=python, extra_files=_files(), env=env) as agent:
        agent.configuration_done(restartFrame=restart_frame)
        _exited, code = agent.wait_exit(timeout=300)
        if code != 0:
            raise RuntimeError("the benchmark program failed under the agent (exit %s): %s"
                               % (code, agent.process_stderr()[-2000:]))
        return _times(agent.output("stdout"))


def plain(python, extra_env=None):
    folder = tempfile.mkdtemp(prefix="dapper-bench-import-")
    for name, text in dict(_files(), **{"program.py": PROGRAM}).items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.write(text)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(extra_env or {})
    out = subprocess.run([python, os.path.join(folder, "program.py")], capture_output=True, text=True,
                         check=True, env=env).stdout
    return _times(out)


# The same import's pieces in one process (best of 12): what the restart points add is about
# 2 ms, far less than a whole import's scatter here, so it is also timed piece by piece.
PIECES = r'''
import importlib._bootstrap_external as external, json, marshal, os, sys, tempfile, time
sys.path[:0] = [BENCH, AGENT]
from restart_points import big_module
from dapper_agent import bytecode_cache
from dapper_agent.restart import bytecode
source = big_module().encode()
folder = tempfile.mkdtemp(prefix="dapper-bench-pieces-")
path = os.path.join(folder, "big.py")
with open(path, "wb") as handle:
    handle.write(source)
stat = os.stat(path)
bytecode.add_points(compile("def f(a):\n    return a\n", path, "exec"))  # the template, learned once
times = {"compile": [], "points": [], "pyc_points": [], "pyc_plain": []}
def timed(key, work):
    start = time.process_time()
    result = work()
    times[key].append(time.process_time() - start)
    return result
for index in range(12):
    code = timed("compile", lambda: compile(source, path, "exec", dont_inherit=True))
    with_points = timed("points", lambda: bytecode.add_points(code))
    timed("pyc_points", lambda: bytecode_cache.write(os.path.join(folder, "p%d.pyc" % index), stat, with_points))
    timed("pyc_plain", lambda: external._write_atomic(os.path.join(folder, "n%d.pyc" % index),
                                                      external._code_to_timestamp_pyc(code, stat.st_mtime, stat.st_size), 0o644))
print(json.dumps({key: min(values) for key, values in times.items()}))
'''


def pieces(python):
    script = PIECES.replace("BENCH", repr(HERE)).replace("AGENT", repr(os.path.join(HERE, "..", "python-agent")))
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run([python, "-c", script], capture_output=True, text=True, check=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--keep-memory", action="store_true",
                        help="run every program with glibc keeping freed memory (no trimming, no mmap)")
    parser.add_argument("pythons", nargs="*")
    arguments = parser.parse_args()
    pythons = arguments.pythons or installed_pythons()
    env = KEEP_MEMORY if arguments.keep_memory else None
    if env:
        print("glibc keeping freed memory: " + " ".join("%s=%s" % item for item in sorted(env.items())))
    print("| Python | plain python | under the agent, restartFrame off (today) | on (default) "
          "| on over off, best | on over off, median | compile() inside, best: off / on |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    parts = []
    for python in pythons:
        version = subprocess.run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                                 capture_output=True, text=True).stdout.strip()
        off, on, bare = [], [], []
        for _pair in range(arguments.pairs):
            bare += plain(python, env)
            off += debugged(python, False, env)
            on += debugged(python, True, env)
        best_off, best_on = min(total for total, _ in off), min(total for total, _ in on)
        median_off = statistics.median(total for total, _ in off)
        median_on = statistics.median(total for total, _ in on)
        print("| %s | %.1f ms | %.1f ms (median %.1f) | %.1f ms (median %.1f) | %+.1f %% | %+.1f %% | %.1f / %.1f ms |" % (
            version, min(total for total, _ in bare) * 1000, best_off * 1000, median_off * 1000, best_on * 1000,
            median_on * 1000, (best_on / best_off - 1) * 100, (median_on / median_off - 1) * 100,
            min(c for _, c in off) * 1000, min(c for _, c in on) * 1000))
        parts.append((version, pieces(python)))
    print("\nPieces, in one process (best of 12): plain compile, adding restart points, the .pyc "
          "written (marshal + write) for the restart points / by Python's loader")
    print("| Python | plain compile | adding restart points | .pyc written: restart-point / normal "
          "| added, of the plain loader's work |\n|---|---:|---:|---:|---:|")
    for version, part in parts:
        plain_work = part["compile"] + part["pyc_plain"]
        added = part["points"] + part["pyc_points"] - part["pyc_plain"]
        print("| %s | %.1f ms | %.2f ms | %.2f / %.2f ms | %+.1f %% |" % (
            version, part["compile"] * 1000, part["points"] * 1000, part["pyc_points"] * 1000,
            part["pyc_plain"] * 1000, added / plain_work * 100))


if __name__ == "__main__":
    main()
