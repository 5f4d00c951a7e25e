"""What the agent's start-up costs, counted in machine instructions (load-independent).

    python3 bench/agent_startup.py [--wall 5] [python ...]   (default: bench/interpreters.py's)

For each interpreter, the real launcher (python-agent/dapper_launcher.py) runs a small program
(imports json, os and collections; one breakpoint in a function) under the test harness that
plays the adapter: hello, setBreakpoints, configurationDone, the stop, what an editor asks then
(threads, stackTrace, scopes, variables), continue, exit. It runs three times: as the launched
program, as a child process (`--child`, as every Python child the program starts), and as a
child whose breakpoint is never hit (most workers of a pool), each under `valgrind
--tool=callgrind`, which counts every instruction the process executes whatever else the
machine is doing; the same program run plainly (`python program.py`) is counted too. Reported:
those counts, what the agent adds over the plain run, and how many modules (the agent's own,
and all) were loaded when the program ended.

`--wall N` also times N launches and N never-stopping children without valgrind (median ms):
wall time on a shared machine depends on its load; the instruction counts do not.

A `--child` session gets the library paths a debugged parent puts in its children's environment
(DAPPER_AGENT_LIBRARY_PATHS), as every real child does.

Results: docs/benchmarks.md ("Agent start-up").
"""

import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT = os.path.abspath(os.path.join(HERE, "..", "python-agent"))
sys.path.insert(0, AGENT)

from interpreters import installed_pythons  # noqa: E402
from tests import support  # noqa: E402  (the harness that plays the adapter)

support.TIMEOUT = 300.0  # valgrind runs Python tens of times slower

PROGRAM = """import json
import os
import collections

def never_called():
    return 0  # NEVER


def handle(request):
    counts = collections.Counter(request.split())
    return json.dumps(counts)  # BP

print(handle("a b a"), os.getpid() > 0)
import sys
print("loaded", sum(1 for name in sys.modules if name.startswith("dapper_agent")), len(sys.modules))
"""
BP_LINE = PROGRAM.splitlines().index("    return json.dumps(counts)  # BP") + 1
NEVER_LINE = PROGRAM.splitlines().index("    return 0  # NEVER") + 1


def pythons(argv):
    if argv:
        return argv
    return installed_pythons()


def callgrind_wrapper(folder, python):
    """An executable that runs `python` under callgrind, writing its counts into `folder`."""
    wrapper = os.path.join(folder, "python-under-callgrind")
    with open(wrapper, "w") as handle:
        handle.write("#!/bin/sh\nexec valgrind --tool=callgrind --callgrind-out-file=%s/callgrind.%%p %s \"$@\"\n"
                     % (folder, python))
    os.chmod(wrapper, 0o755)
    return wrapper


def instructions(folder):
    """Total instructions over the callgrind outputs in `folder` (one process), then removes them."""
    total = 0
    for path in glob.glob(os.path.join(folder, "callgrind.*")):
        with open(path) as handle:
            for line in handle:
                if line.startswith("summary:") or line.startswith("totals:"):
                    total = max(total, int(line.split()[1]))
        os.remove(path)
    return total


class ChildHarness(support.AgentHarness):
    """The harness, starting the launcher as a child process (`--child`) is started."""

    def start(self):
        real_popen = subprocess.Popen

        def popen(argv, **kwargs):
            split = argv.index("--")
            return real_popen(argv[:split] + ["--child"] + argv[split:], **kwargs)

        support.subprocess.Popen = popen
        try:
            super().start()
        finally:
            support.subprocess.Popen = real_popen


def parent_library_paths(python):
    """What a debugged parent running `python` puts in its children's environment
    (paths.LIBRARY_PATHS_VARIABLE), so the counted child starts as a real one does."""
    python = python_of(python)
    code = "import sys; sys.path.insert(0, %r); from dapper_agent import paths; print(paths.library_paths_for_children())" % AGENT
    value = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    return {"DAPPER_AGENT_LIBRARY_PATHS": value}


def python_of(python):
    """The interpreter behind a callgrind wrapper (or `python` itself)."""
    if os.path.basename(python) == "python-under-callgrind":
        with open(python) as handle:
            return handle.read().split('"$@"')[0].split()[-1]
    return python


def run_session(python, child, env=None, stops=True):
    """One debug session; returns (seconds from start to the stop, or to the exit when the
    breakpoint is never hit, as for most child processes; (agent modules, all modules) loaded)."""
    harness_class = ChildHarness if child else support.AgentHarness
    if child:
        env = dict(env or {}, **parent_library_paths(python))
    started = time.perf_counter()
    agent = harness_class(PROGRAM, python=python, env=env)
    agent.start()
    try:
        agent.set_breakpoints(agent.program, [BP_LINE if stops else NEVER_LINE])
        agent.configuration_done()
        if stops:
            stopped = agent.wait_stopped("breakpoint")
            elapsed = time.perf_counter() - started
            # What an editor asks at a stop: threads, the stack, the top frame's scopes and locals.
            agent.request("threads")
            agent.locals(agent.stack(stopped["threadId"])[0]["id"])
            agent.request("continue", threadId=stopped["threadId"])
        agent.wait_exit()
        if not stops:
            elapsed = time.perf_counter() - started
        output = agent.output("stdout") + agent.process_stdout()
    finally:
        agent.close(check_protocol=False)  # the tests check the protocol; this only counts
    loaded = tuple(int(n) for n in re.search(r"loaded (\d+) (\d+)", output).groups())
    return elapsed, loaded


def plain_instructions(python, folder):
    program = os.path.join(folder, "program.py")
    with open(program, "w") as handle:
        handle.write(PROGRAM)
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=%s/callgrind.%%p" % folder, python, program],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, PYTHONHASHSEED="0"))
    return instructions(folder)


def main(argv):
    wall = 0
    if argv[:1] == ["--wall"]:
        wall, argv = int(argv[1]), argv[2:]
    if shutil.which("valgrind") is None:
        sys.exit("agent_startup: valgrind is needed (apt-get install valgrind)")
    print("| Python | plain run | launched, stops once | agent adds | child (`--child`), stops once | agent adds "
          "| child, never stops | agent adds | modules at the end: launched / child never stopped (agent's, all) |"
          + (" wall ms, median: launched spawn → stopped / child spawn → exit, never stopping |" if wall else ""))
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|" + ("---|" if wall else ""))
    for python in pythons(argv):
        version = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        folder = tempfile.mkdtemp(prefix="dapper-startup-bench-")
        try:
            env = {"PYTHONHASHSEED": "0"}
            # Warm both the agent's .pyc files and the program's before counting.
            run_session(python, False, env)
            plain = plain_instructions(python, folder)
            wrapper = callgrind_wrapper(folder, python)
            counts, loaded = [], []
            for child, stops in ((False, True), (True, True), (True, False)):
                loaded.append(run_session(wrapper, child, env, stops)[1])
                counts.append(instructions(folder))
            cells = [version, format(plain, ",")]
            for count in counts:
                cells += [format(count, ","), "+" + format(count - plain, ",")]
            cells.append("%d, %d / %d, %d" % (loaded[0] + loaded[2]))
            if wall:
                launched = [run_session(python, False, env)[0] * 1000 for _ in range(wall)]
                child = [run_session(python, True, env, stops=False)[0] * 1000 for _ in range(wall)]
                cells.append("%.0f / %.0f" % (statistics.median(launched), statistics.median(child)))
            print("| " + " | ".join(cells) + " |", flush=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
