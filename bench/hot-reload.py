"""Benchmark: Apply Changes request -> response time against the compile() floor.

For modules of 100, 1,000 and 10,000 lines, with the program holding a million objects
(and the reloaded module itself a dict of 100,000 lists), change one function and time
HotReloadEngine.reload (read, compile, plan, patch, frames) against compile() of the same
text, measured in the same run and process. The million objects are held by the locals of a
parked thread's frames (with a closure of the module in a local and in a list), as in a
program stopped in a function, so the search of live frames for closures is measured too. Target: median
<= 1.5 x floor + 3 ms. Results go in docs/benchmarks.md ("Apply Changes").

    python bench/hot-reload.py [--runs 30] [--objects 1000000]
"""

import argparse
import gc
import importlib
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-agent"))

from dapper_agent.hotreload import HotReloadEngine
from dapper_agent.hotreload.frames import current_frames


def module_text(lines, variant):
    """A module of about `lines` lines: functions and a class; function f_0 returns `variant`."""
    parts = ['"""Generated for the Apply Changes benchmark."""', "import math", "", "LIMIT = 10",
             "CACHE = {}  # filled by the benchmark: data held by the module itself", "",
             "def make_closure():\n    base = 0\n    def closure():\n        return base + %s\n"
             "    return closure\n" % variant]
    index = 0
    while len("\n".join(parts).splitlines()) < lines - 8:
        if index % 10 == 9:
            parts.append("class Shape%d:\n    def __init__(self, size):\n        self.size = size\n"
                         "    def area(self):\n        return self.size * %d\n" % (index, index))
        else:
            body = variant if index == 0 else index
            parts.append("def f_%d(x, y=%d):\n    total = x + y\n    return math.floor(total * %s)\n"
                         % (index, index, body))
        index += 1
    return "\n".join(parts) + "\n"


def measure(directory, lines, runs, engine, holder):
    name = "bench_module_%d" % lines
    path = os.path.join(directory, name + ".py")
    with open(path, "w") as handle:
        handle.write(module_text(lines, 1))
    importlib.invalidate_caches()
    module = importlib.import_module(name)
    module.CACHE.update((key, [key, str(key)]) for key in range(100_000))
    engine.snapshots.snapshot(path)
    skip = (threading.get_ident(),)
    closure = module.make_closure()
    holder.hold(closure)
    reload_ms, floor_ms, first_ms = [], [], None
    for run in range(runs):
        text = module_text(lines, run + 2)
        with open(path, "w") as handle:
            handle.write(text)
        started = time.perf_counter()
        compile(text, path, "exec", dont_inherit=True)
        floor_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        body = engine.reload(path, {}, current_frames(skip)).body
        elapsed = (time.perf_counter() - started) * 1000
        assert body["patchedFunctions"] == 3, body  # f_0, make_closure and the closure
        assert module.f_0(1) == run + 2, "the new code must run"
        assert closure() == run + 2, "the closure held by a parked frame must run the new code"
        if first_ms is None:
            first_ms = elapsed  # also loads the old code (from __pycache__, as after an import)
        else:
            reload_ms.append(elapsed)
    assert module.f_0(0, 0) == 0
    return {
        "lines": len(text.splitlines()),
        "floor": statistics.median(floor_ms),
        "reload": statistics.median(reload_ms),
        "p90": sorted(reload_ms)[int(len(reload_ms) * 0.9) - 1],
        "first": first_ms,
    }


class ParkedThread:
    """A thread stopped in a call three frames deep whose locals hold the program's heap."""

    def __init__(self, objects):
        self._objects = objects
        self._closures = []
        self._release = threading.Event()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._outer, args=(ready,), daemon=True)
        self._thread.start()
        ready.wait(10)

    def hold(self, closure):
        self._closures.append(closure)  # the parked frame's local 'callbacks' is this list

    def stop(self):
        self._release.set()
        self._thread.join(10)

    def _outer(self, ready):
        objects = self._objects  # a list of a million lists
        table = {index: [index] for index in range(100_000)}
        return self._inner(ready, objects, table)

    def _inner(self, ready, objects, table):
        callbacks = self._closures
        ready.set()
        self._release.wait()
        return len(objects) + len(table) + len(callbacks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--objects", type=int, default=1_000_000)
    arguments = parser.parse_args()
    sys.dont_write_bytecode = False  # imports write __pycache__, as they do for a user's program
    ballast = [[index] for index in range(arguments.objects)]  # the program's heap
    holder = ParkedThread(ballast)
    gc.collect()
    directory = tempfile.mkdtemp(prefix="dapper-bench-")
    sys.path.insert(0, directory)
    engine = HotReloadEngine()
    try:
        results = [measure(directory, lines, arguments.runs, engine, holder) for lines in (100, 1000, 10000)]
    finally:
        holder.stop()
        shutil.rmtree(directory, ignore_errors=True)
    print("Python %s on %s, %d runs, %s live objects held (gc tracks %d)" % (
        platform.python_version(), platform.machine(), arguments.runs, f"{len(ballast):,}",
        len(gc.get_objects()) if arguments.objects <= 2_000_000 else -1))
    print("| lines | compile() floor (median) | reload (median) | reload p90 | target 1.5x floor + 3 ms | met | first reload |")
    print("|---:|---:|---:|---:|---:|:-:|---:|")
    failed = False
    for result in results:
        target = 1.5 * result["floor"] + 3
        met = result["reload"] <= target
        failed = failed or not met
        print("| %d | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %s | %.2f ms |" % (
            result["lines"], result["floor"], result["reload"], result["p90"], target,
            "yes" if met else "NO", result["first"]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
