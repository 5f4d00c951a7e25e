"""Benchmark (Python 3.9-3.11): what breakpoint probes add to Apply Changes.

Before 3.12 a function that holds a breakpoint runs instrumented code (probes); after Apply
Changes replaces it, the tracer instruments the new code again before the response is sent.
For modules of 100, 1,000 and 10,000 lines (bench/hot-reload.py's modules) with a breakpoint
in the changed function, and the program holding a million objects, this times that
re-instrumentation (ProbeInstaller.update: find the module's functions, parse the changed
function from its own lines, compile it twice, install) against compile() of the whole file
in the same run. It must not grow with the file or the heap. Results: docs/benchmarks.md.

    python bench/breakpoint-probes.py [--runs 30] [--objects 1000000]
"""

import argparse
import importlib
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python-agent"))
sys.path.insert(0, HERE)

from dapper_agent.hotreload import HotReloadEngine
from dapper_agent.hotreload.frames import current_frames
from dapper_agent.session import Session
from dapper_agent.tracing.engine import Engine
from dapper_agent.tracing.probe_installer import ProbeInstaller

module_text = importlib.import_module("hot-reload").module_text


def measure(directory, lines, runs, session, installer, engine):
    name = "probe_bench_%d" % lines
    path = os.path.join(directory, name + ".py")
    with open(path, "w") as handle:
        handle.write(module_text(lines, 1))
    importlib.invalidate_caches()
    module = importlib.import_module(name)
    breakpoint_line = module.f_0.__code__.co_firstlineno + 2  # `return math.floor(...)` in f_0
    session.breakpoints.set_file(path, [{"line": breakpoint_line}])
    installer.update()
    assert installer.covered.get(module.f_0.__code__) is not None, "f_0 was not instrumented"
    engine.snapshots.snapshot(path)
    floors, updates = [], []
    for run in range(runs):
        text = module_text(lines, run + 2)
        with open(path, "w") as handle:
            handle.write(text)
        started = time.perf_counter()
        compile(text, path, "exec", dont_inherit=True)
        floors.append(time.perf_counter() - started)
        installer.restore()  # as Session.code_change does: the apply sees the program's own code
        engine.reload(path, {}, current_frames(), [breakpoint_line])
        started = time.perf_counter()
        coverage = installer.update()
        updates.append(time.perf_counter() - started)
        assert coverage.complete and installer.covered.get(module.f_0.__code__) is not None
        assert module.f_0(1) == run + 2, "the new code does not run"
    return statistics.median(floors) * 1000, statistics.median(updates) * 1000, max(updates) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--objects", type=int, default=1_000_000)
    options = parser.parse_args()
    if sys.version_info >= (3, 12):
        print("Python %s uses sys.monitoring: no probes to measure." % platform.python_version())
        return
    held = [[i] for i in range(options.objects)]  # the program's heap
    session = Session()  # the agent's state, no debugger connected
    session.engine = Engine(session)
    installer = ProbeInstaller(session, lambda probe: None)
    engine = HotReloadEngine()
    directory = tempfile.mkdtemp(prefix="dapper-probe-bench-")
    sys.path.insert(0, directory)
    try:
        print("Python %s, %d runs, %s objects held" % (platform.python_version(), options.runs,
                                                        format(len(held), ",")))
        print("| lines | compile() of the file (median) | re-instrument after the apply (median) | max |")
        print("|---:|---:|---:|---:|")
        for lines in (100, 1000, 10000):
            floor, median, worst = measure(directory, lines, options.runs, session, installer, engine)
            print("| %s | %.2f ms | %.2f ms | %.2f ms |" % (format(lines, ","), floor, median, worst))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
