"""Starts a Python program under the Dapper debugger.

    python dapper_launcher.py --host 127.0.0.1 --port N [--wait] -- program.py [args…]
    python dapper_launcher.py --host 127.0.0.1 --port N [--wait] -- -m module [args…]

Started by the Dapper adapter with DAPPER_AGENT_TOKEN in the environment (see
docs/agent-protocol.md). The program then runs as `python program.py args…` (or
`python -m module args…`) would.
"""

import argparse
import os
import sys


def _parse(argv):
    if "--" not in argv:
        sys.stderr.write("dapper_launcher: usage: dapper_launcher.py --host H --port N [--wait] -- (program.py | -m module) [args...]\n")
        sys.exit(2)
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="dapper_launcher.py")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--wait", action="store_true", help="accepted for compatibility; the agent always waits for configurationDone")
    options = parser.parse_args(argv[:split])
    rest = argv[split + 1 :]
    if not rest:
        parser.error("no program given after --")
    if rest[0] == "-m":
        if len(rest) < 2:
            parser.error("-m needs a module name")
        return options, (None, rest[1]), rest[2:]
    return options, (rest[0], None), rest[1:]


def main():
    if sys.version_info < (3, 9):
        sys.stderr.write(
            "dapper: Python %d.%d is too old for the Dapper debugger; choose Python 3.9 or newer "
            "(the `python` launch setting).\n" % sys.version_info[:2]
        )
        return 2
    options, (program, module), args = _parse(sys.argv[1:])
    agent_dir = os.path.dirname(os.path.abspath(__file__))
    # Put the agent on sys.path only long enough to import it (the program must not see it).
    sys.path.insert(0, agent_dir)
    try:
        from dapper_agent import main as agent_main
    finally:
        sys.path.remove(agent_dir)
    return agent_main.run(options.host, options.port, program, args, module=module)


if __name__ == "__main__":
    sys.exit(main())
