"""Agent overhead on a call-heavy program: repeated fib(24), with one breakpoint set in a
function that is never called, compared with plain `python program.py`.

    python bench/agent_overhead.py [python ...]     (default: bench/interpreters.py's)

Targets (docs/benchmarks.md): at most 1.1x on 3.12+ (sys.monitoring), at most 4x on 3.9-3.11.
The program times its own workload in process CPU time (all its threads, the agent's included),
so start-up, connection time and other jobs on a shared machine are not counted.
"""

import os
import subprocess
import sys

ROUNDS = 5
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python-agent"))

from interpreters import installed_pythons  # noqa: E402
from tests.support import AgentHarness

PROGRAM = """\
import time


def never_called():
    return "unreachable"          # line 5: the breakpoint


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


best = float("inf")
for _ in range(20):
    start = time.process_time()
    fib(24)
    best = min(best, time.process_time() - start)
print("BEST", best)
"""


def plain(python, path, floor=False):
    """Best fib(24) time of `python program.py`; with floor=True under a do-nothing
    sys.settrace hook, the least any settrace-based debugger can cost."""
    command = [python, path]
    if floor:
        runner = "import runpy, sys; sys.settrace(lambda frame, event, arg: None); runpy.run_path(sys.argv[1], run_name='__main__')"
        command = [python, "-c", runner, path]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return float(out.split("BEST")[1])


def debugged(python, restart_frame=True):
    """Best fib(24) under the agent; restart_frame=False compiles no restart points (the
    "restartFrame": false launch setting), to see what Restart Frame's instrumentation costs."""
    with AgentHarness(PROGRAM, python=python) as agent:
        agent.set_breakpoints(agent.program, [5])
        agent.configuration_done(restartFrame=restart_frame)
        _exited, code = agent.wait_exit(timeout=300)
        if code != 0:
            raise RuntimeError("the benchmark program failed under the agent (exit %s): %s %s"
                               % (code, agent.process_stderr(), [e["body"] for e in agent.all_events]))
        best = float(agent.output("stdout").split("BEST")[1])
        return best, agent.program


def main():
    pythons = sys.argv[1:] or installed_pythons()
    print("| Python | plain fib(24) | under the agent | ratio | target | do-nothing settrace hook "
          "| agent, restart points off | restart points cost |")
    print("|---|---|---|---|---|---|---|---|")
    for python in pythons:
        version = subprocess.run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                                 capture_output=True, text=True).stdout.strip()
        # Alternate plain and debugged runs and keep the best of each: the machine is shared,
        # and a burst of someone else's work must not decide the ratio.
        minor = int(version.split(".")[1])
        plain_best = with_agent = floor = without_points = float("inf")
        for _round in range(ROUNDS):
            with AgentHarness(PROGRAM, python=python) as agent:
                plain_best = min(plain_best, plain(python, agent.program))
                if minor < 12:
                    floor = min(floor, plain(python, agent.program, floor=True))
            with_agent = min(with_agent, debugged(python)[0])
            without_points = min(without_points, debugged(python, restart_frame=False)[0])
        target = 1.1 if minor >= 12 else 4.0
        ratio = with_agent / plain_best
        floor_text = "%.2fx" % (floor / plain_best) if minor < 12 else "n/a"
        print("| %s | %.1f ms | %.1f ms | %.2fx | <= %.1fx %s | %s | %.1f ms | %+.1f %% |"
              % (version, plain_best * 1000, with_agent * 1000, ratio, target,
                 "ok" if ratio <= target else "MISSED", floor_text, without_points * 1000,
                 (with_agent / without_points - 1) * 100))


if __name__ == "__main__":
    main()
