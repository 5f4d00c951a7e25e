"""Benchmark: Apply Changes of an edit that changes thousands of functions at once.

A module of N three-line functions, every one of them edited (4N lines), applied with
HotReloadEngine.reload, against compile() of the new text in the same run. The cost must grow
linearly with N (it grew quadratically before: 4,000 functions took 5 s, 8,000 took 20 s;
the step was matching the old text's lines to the new text's). The counted test
python-agent/tests/test_hotreload_scaling.py guards the same property without timing.
Results go in docs/benchmarks.md ("Apply Changes: large edits").

    python bench/large-edit.py [--sizes 1000,2000,4000,8000]
"""

import argparse
import importlib
import os
import platform
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-agent"))

from dapper_agent.hotreload import HotReloadEngine


def module_text(count, tag):
    return "".join("def f{0}(x):\n    y = x + {0}\n    return '{1}' + str(y)\n\n".format(index, tag)
                   for index in range(count))


def measure(directory, count):
    name = "large_edit_%d" % count
    path = os.path.join(directory, name + ".py")
    with open(path, "w") as handle:
        handle.write(module_text(count, "old"))
    importlib.invalidate_caches()
    module = importlib.import_module(name)
    engine = HotReloadEngine()
    engine.snapshots.snapshot(path)
    text = module_text(count, "new")
    with open(path, "w") as handle:
        handle.write(text)
    started = time.perf_counter()
    compile(text, path, "exec", dont_inherit=True)
    floor = time.perf_counter() - started
    started = time.perf_counter()
    body = engine.reload(path, {}, []).body
    elapsed = time.perf_counter() - started
    assert body["patchedFunctions"] == count and module.f0(1) == "new1", body["patchedFunctions"]
    return floor, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,4000,8000")
    arguments = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="dapper-bench-")
    sys.path.insert(0, directory)
    sys.dont_write_bytecode = True
    try:
        rows = [(int(size),) + measure(directory, int(size)) for size in arguments.sizes.split(",")]
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print("Python %s on %s" % (platform.python_version(), platform.machine()))
    print("| changed functions | lines | compile() | apply | apply per 1,000 functions |")
    print("|---:|---:|---:|---:|---:|")
    for count, floor, elapsed in rows:
        print("| {:,} | {:,} | {:.2f} s | {:.2f} s | {:.2f} s |".format(count, count * 4, floor, elapsed,
                                                                        elapsed / count * 1000))


if __name__ == "__main__":
    main()
