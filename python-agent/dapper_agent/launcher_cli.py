"""The launcher's command line (dapper_launcher.py, which only finds this package and calls
`main`: a script is compiled from source every time it runs, a module of the package is read
from its bytecode, and every child process of a debugged program starts through the launcher).

Imported by any Python 3 the program starts a child with, so it stays importable on versions
older than 3.9, which it refuses (a child of such a Python runs without the debugger).
"""

import gc
import os
import sys

USAGE = "usage: dapper_launcher.py --host H --port N [--child] -- (program.py | -m module | -c code) [args...]"


def _parse(argv):
    """(host, port, child, program argv) or raises ValueError. No argparse: children start
    this for every process, and each millisecond of start-up is paid by each of them."""
    if "--" not in argv:
        raise ValueError("no program given (nothing after --)")
    split = argv.index("--")
    options, rest = argv[:split], argv[split + 1 :]
    host, port, child = "127.0.0.1", None, False
    index = 0
    while index < len(options):
        option = options[index]
        if option in ("--host", "--port"):
            if index + 1 >= len(options):
                raise ValueError("%s needs a value" % option)
            value = options[index + 1]
            index += 2
            if option == "--host":
                host = value
            else:
                try:
                    port = int(value)
                except ValueError:
                    raise ValueError("--port must be a number, got %r" % value)
            continue
        if option == "--child":
            child = True
        elif option != "--wait":  # accepted for compatibility: the agent always waits for configurationDone
            raise ValueError("unknown option %r" % option)
        index += 1
    if port is None:
        raise ValueError("--port is required")
    if not rest:
        raise ValueError("no program given after --")
    return host, port, child, rest


def _run_plainly(program_argv):
    """A child on a Python the agent cannot run on: the program runs as if never patched."""
    os.execv(sys.executable, [sys.executable] + program_argv)


def main(argv, agent_dir):
    """dapper_launcher.py's work: `argv` its arguments, `agent_dir` its folder (the python-agent
    folder, no longer on sys.path). Returns the exit status."""
    try:
        host, port, child, program_argv = _parse(argv)
    except ValueError as error:
        sys.stderr.write("dapper_launcher: %s\n%s\n" % (error, USAGE))
        return 2
    if sys.version_info < (3, 9):
        if child:
            _run_plainly(program_argv)
        sys.stderr.write(
            "dapper: Python %d.%d is too old for the Dapper debugger; choose Python 3.9 or newer "
            "(the `python` launch setting).\n" % sys.version_info[:2]
        )
        return 2
    # `python launcher.py` put the agent's folder first on sys.path, where the program's own
    # folder belongs; without it (-I, -P) the program gets no such entry either.
    owns_path0 = bool(sys.path) and os.path.realpath(sys.path[0] or os.curdir) == os.path.realpath(agent_dir)
    # No collection while the agent imports itself: its modules make no garbage worth one, and
    # the collections their objects would set off cost each process about 3.5M instructions.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from . import main as agent_main
        from .program_target import ProgramTarget
        from .runner import ProgramError
    finally:
        if collecting:
            gc.enable()
    try:
        target = ProgramTarget.from_argv(program_argv)
    except ProgramError as error:
        sys.stderr.write("dapper_launcher: %s\n%s\n" % (error, USAGE))
        return 2
    return agent_main.run(host, port, target, child=child, set_path0=owns_path0)
