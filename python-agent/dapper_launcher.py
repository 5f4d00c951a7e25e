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


def main():
    agent_dir = os.path.dirname(os.path.abspath(__file__))
    # The agent's folder is on sys.path only long enough to import it (the program must not
    # see it); everything else is in the package (dapper_agent/launcher_cli.py).
    sys.path.insert(0, agent_dir)
    try:
        from dapper_agent.launcher_cli import main as launch
    finally:
        sys.path.remove(agent_dir)
    return launch(sys.argv[1:], agent_dir)


if __name__ == "__main__":
    sys.exit(main())
