"""Starts a Python program under the Dapper debugger.

    python dapper_launcher.py --host 127.0.0.1 --port N [--child] -- program.py [args…]
    python dapper_launcher.py --host 127.0.0.1 --port N [--child] -- -m module [args…]
    python dapper_launcher.py --host 127.0.0.1 --port N [--child] -- -c code [args…]

Started by the Dapper adapter with DAPPER_AGENT_TOKEN in the environment (see
docs/agent-protocol.md). The program then runs as `python program.py args…` (or
`python -m module args…`, `python -c code args…`) would.
`--child` marks a child process the debugged program started: it never waits long for
the debugger, and runs without it when the debugger is not there.
"""

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


def main():
    try:
        host, port, child, program_argv = _parse(sys.argv[1:])
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
    agent_dir = os.path.dirname(os.path.abspath(__file__))
    # `python launcher.py` put this folder first on sys.path, where the program's own folder
    # belongs; without it (-I, -P) the program gets no such entry either.
    owns_path0 = bool(sys.path) and os.path.realpath(sys.path[0] or os.curdir) == os.path.realpath(agent_dir)
    # Put the agent on sys.path only long enough to import it (the program must not see it).
    sys.path.insert(0, agent_dir)
    try:
        from dapper_agent import main as agent_main
        from dapper_agent.program_target import ProgramTarget
        from dapper_agent.runner import ProgramError
    finally:
        sys.path.remove(agent_dir)
    try:
        target = ProgramTarget.from_argv(program_argv)
    except ProgramError as error:
        sys.stderr.write("dapper_launcher: %s\n%s\n" % (error, USAGE))
        return 2
    return agent_main.run(host, port, target, child=child, set_path0=owns_path0)


if __name__ == "__main__":
    sys.exit(main())
