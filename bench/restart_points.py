"""What restart points (Restart Frame) cost: calls, and importing a 10,000-line module.

    python bench/restart_points.py [python ...]     (default: bench/interpreters.py's)

Per interpreter, in one process each (the agent's restart/points.py and restart/importer.py,
no debugger around them), best of many alternating rounds so other work on a shared machine
counts for neither side:

- calls: fib(20) compiled plainly vs with restart points (the per-call cost: none from 3.11,
  a block push/pop before), and the bytecode instructions fib(12) executes (exact, whatever
  the load);
- import, warm: a generated 10,000-line module imported through the normal loader from its
  __pycache__ .pyc vs through the restart-point loader from its own cached .pyc (what every
  debug session after the first pays);
- import, cold: the same module compiled from source, plainly vs with restart points (the
  first debug session after an edit; cached afterwards);
- the warm import's halves: `marshal.loads` of the cached code and running the module body,
  plain vs with restart points.

Target (docs/benchmarks.md, "Restart points"): at most 3 % over today on calls and warm imports.
"""

import json
import os
import subprocess
import sys
import tempfile

from interpreters import installed_pythons

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT = os.path.join(HERE, "..", "python-agent")

MEASURE = r'''
import importlib, importlib.machinery, importlib.util, json, os, shutil, sys, time
sys.path.insert(0, AGENT)
from dapper_agent.restart import importer, signal
from dapper_agent.restart.points import POINTS
signal.install()

def best_pair(first, second, rounds):
    """Best process CPU time of each, alternating (other processes' load counts for neither)."""
    a = b = float("inf")
    for _ in range(rounds):
        t = time.process_time(); first(); a = min(a, time.process_time() - t)
        t = time.process_time(); second(); b = min(b, time.process_time() - t)
    return a, b

FIB = "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
def load(code):
    namespace = {}
    exec(code, namespace)
    return namespace["fib"]
plain_fib = load(compile(FIB, "plain_fib.py", "exec"))
point_fib = load(POINTS.compile_file(FIB.encode(), "point_fib.py"))
calls = best_pair(lambda: plain_fib(20), lambda: point_fib(20), 80)

def executed_instructions(function):
    """Bytecode instructions fib(12) executes: a count the machine's load cannot change."""
    count = [0]
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is not None:
        def on_instruction(code, offset):
            count[0] += 1
        monitoring.use_tool_id(4, "bench")
        monitoring.register_callback(4, monitoring.events.INSTRUCTION, on_instruction)
        monitoring.set_local_events(4, function.__code__, monitoring.events.INSTRUCTION)
        try:
            function(12)
        finally:
            monitoring.set_local_events(4, function.__code__, 0)
            monitoring.free_tool_id(4)
        return count[0]
    def tracer(frame, event, arg):
        frame.f_trace = tracer
        frame.f_trace_opcodes = True
        if event == "opcode":
            count[0] += 1
        return tracer
    sys.settrace(tracer)
    try:
        function(12)
    finally:
        sys.settrace(None)
    return count[0]
instructions = (executed_instructions(plain_fib), executed_instructions(point_fib))

sys.path.insert(0, FOLDER)
source_path = os.path.join(FOLDER, "big_module.py")
with open(source_path, "rb") as handle:
    source = handle.read()

def import_plain():
    sys.modules.pop("big_module", None)
    spec = importlib.util.spec_from_file_location("big_module", source_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

def import_points():
    sys.modules.pop("big_module", None)
    loader = importer.RestartPointLoader("big_module", source_path)
    spec = importlib.util.spec_from_file_location("big_module", source_path, loader=loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)

import_plain(); import_points()  # both caches written
warm = best_pair(import_plain, import_points, 25)
cold = best_pair(lambda: compile(source, source_path, "exec", dont_inherit=True),
                 lambda: POINTS.compile_file(source, source_path), 8)

# The warm import's two halves: unmarshalling the cached code, and running the module body.
import marshal
plain_data = marshal.dumps(compile(source, source_path, "exec", dont_inherit=True))
point_data = marshal.dumps(POINTS.compile_file(source, source_path))
loads = best_pair(lambda: marshal.loads(plain_data), lambda: marshal.loads(point_data), 60)
plain_code, point_code = marshal.loads(plain_data), marshal.loads(point_data)
body = best_pair(lambda: exec(plain_code, {"__name__": "big_module"}), lambda: exec(point_code, {"__name__": "big_module"}), 60)
print(json.dumps({"calls": calls, "warm": warm, "cold": cold, "instructions": instructions, "loads": loads,
                  "body": body, "sizes": (len(plain_data), len(point_data))}))
'''


def big_module(lines=10000):
    """A module of ordinary code: functions with branches and loops, a class every few."""
    parts, count, index = [], 0, 0
    while count < lines:
        if index % 5 == 0:
            block = ("class Thing%d:\n    def __init__(self, value):\n        self.value = value\n\n"
                     "    def scaled(self, factor):\n        return self.value * factor\n\n\n" % index)
        else:
            block = ("def work_%d(items, limit=10):\n    total = 0\n    for item in items:\n"
                     "        if item > limit:\n            total += item * 2\n        else:\n"
                     "            total -= 1\n    return total\n\n\n" % index)
        parts.append(block)
        count += block.count("\n")
        index += 1
    return "".join(parts)


def measure(python, folder):
    script = "AGENT = %r\nFOLDER = %r\n" % (AGENT, folder) + MEASURE
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # the caches are the point
    out = subprocess.run([python, "-c", script], capture_output=True, text=True, check=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    pythons = sys.argv[1:] or installed_pythons()
    folder = tempfile.mkdtemp(prefix="dapper-restart-bench-")
    with open(os.path.join(folder, "big_module.py"), "w") as handle:
        handle.write(big_module())
    print("| Python | fib(12) instructions plain | with restart points | fib(20) plain | with restart points "
          "| import warm: .pyc | restart-point .pyc | import cold: compile | with restart points |")
    print("|---|---|---|---|---|---|---|---|---|")
    warm_pieces = []
    for python in pythons:
        version = subprocess.run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                                 capture_output=True, text=True).stdout.strip()
        result = measure(python, folder)

        def pair(key, unit=1000.0):
            plain, points = result[key]
            return "%.2f ms" % (plain * unit), "%.2f ms (%+.1f %%)" % (points * unit, (points / plain - 1) * 100)

        plain_count, point_count = result["instructions"]
        counts = ("%d" % plain_count, "%d (%+.1f %%)" % (point_count, (point_count / plain_count - 1) * 100))
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %s |"
              % ((version,) + counts + pair("calls") + pair("warm") + pair("cold")))
        warm_pieces.append("| %s | %d / %d bytes | %s | %s | %s | %s |"
                           % ((version,) + tuple(result["sizes"]) + pair("loads") + pair("body")))
    print("\nThe warm import's halves, in one process:\n")
    print("| Python | marshalled code: plain / restart points | marshal.loads plain | restart points "
          "| module body plain | restart points |")
    print("|---|---|---|---|---|---|")
    for line in warm_pieces:
        print(line)


if __name__ == "__main__":
    main()
