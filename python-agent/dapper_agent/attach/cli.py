"""`python -m dapper_agent --listen [HOST:]PORT [--token T] [--wait-for-client]
(script.py | -m module | -c code) [args…]`: run a program that debuggers can attach to.

Only the standard library is used: copying `python-agent/` to another machine and putting it
on PYTHONPATH is all that is needed there.
"""

import ipaddress
import os
import secrets
import sys

from ..runner import ProgramError, run_main, wait_for_program_threads
from .attachments import ATTACHMENTS
from .listener import Listener, ListenError
from .program import prepare_program

USAGE = (
    "usage: python -m dapper_agent --listen [HOST:]PORT [--token TOKEN] [--wait-for-client] "
    "(script.py | -m module | -c code) [args...]"
)
TOKEN_VARIABLE = "DAPPER_TOKEN"
DEFAULT_HOST = "127.0.0.1"


class UsageError(Exception):
    pass


def parse(argv):
    """-> dict(host, port, token, wait, kind, target, args)."""
    options = {"host": DEFAULT_HOST, "port": None, "token": None, "wait": False}
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--listen" or arg.startswith("--listen="):
            value, index = _value(argv, index, "--listen")
            options["host"], options["port"] = parse_address(value)
        elif arg == "--token" or arg.startswith("--token="):
            options["token"], index = _value(argv, index, "--token")
        elif arg == "--wait-for-client":
            options["wait"] = True
            index += 1
        elif arg in ("-m", "-c"):
            if index + 1 >= len(argv):
                raise UsageError("%s needs an argument" % arg)
            options["kind"] = "module" if arg == "-m" else "code"
            options["target"] = argv[index + 1]
            options["args"] = argv[index + 2 :]
            break
        elif arg.startswith("-"):
            raise UsageError("unknown option %s" % arg)
        else:
            options["kind"], options["target"], options["args"] = "script", arg, argv[index + 1 :]
            break
    else:
        raise UsageError("no program given (script.py, -m module or -c code)")
    if options["port"] is None:
        raise UsageError("--listen [HOST:]PORT is required")
    return options


def _value(argv, index, name):
    arg = argv[index]
    if arg.startswith(name + "="):
        return arg[len(name) + 1 :], index + 1
    if index + 1 >= len(argv):
        raise UsageError("%s needs a value" % name)
    return argv[index + 1], index + 2


def parse_address(text):
    host, _, port = text.rpartition(":")
    host = host.strip("[]") or DEFAULT_HOST
    try:
        number = int(port)
    except ValueError:
        raise UsageError("--listen wants [HOST:]PORT, got %r" % text)
    if not 0 <= number <= 65535:
        raise UsageError("port %d is out of range (0-65535)" % number)
    return host, number


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv=None):
    if sys.version_info < (3, 9):
        sys.stderr.write("dapper: Python %d.%d is too old for the Dapper debugger; use 3.9 or newer.\n" % sys.version_info[:2])
        return 2
    try:
        options = parse(sys.argv[1:] if argv is None else argv)
    except UsageError as error:
        sys.stderr.write("dapper: %s\n%s\n" % (error, USAGE))
        return 2
    _hide_agent_from_program()
    token = options["token"] or os.environ.pop(TOKEN_VARIABLE, None)
    os.environ.pop(TOKEN_VARIABLE, None)  # child processes must not inherit it
    if not token:
        token = secrets.token_hex(16)
        sys.stderr.write("dapper: token for attaching: %s\n" % token)
    try:
        listener = Listener(options["host"], options["port"], token)
    except ListenError as error:
        sys.stderr.write("dapper: %s\n" % error)
        return 2
    host, port = listener.address
    if not is_loopback(host):
        sys.stderr.write(
            "dapper: WARNING: listening on %s, which other machines may reach: anyone who can connect to "
            "port %d and knows the token can run code in this program.\n" % (host, port)
        )
    listener.start()
    sys.stderr.write("dapper: listening for a debugger on %s:%d%s\n" % (host, port, " (waiting for it before starting)" if options["wait"] else ""))
    sys.stderr.flush()
    try:
        if options["wait"]:
            ATTACHMENTS.first_ready.wait()
        return _run(options)
    finally:
        listener.close()


def _run(options):
    try:
        module, code, source = prepare_program(options["kind"], options["target"], options["args"])
    except ProgramError as error:
        sys.stderr.write(error.report())
        ATTACHMENTS.end_program(error.exit_code)
        return error.exit_code
    ATTACHMENTS.main_globals = module.__dict__
    session = ATTACHMENTS.session
    if session is not None and not session.disconnected:
        session.main_globals = module.__dict__
        if source is not None and session.tracer is not None:
            code = session.tracer.instrument_program(code, source)
        session.program_started = True
    ATTACHMENTS.program_started = True
    current = ATTACHMENTS.current
    exit_code = run_main(current, module, code)
    wait_for_program_threads(current)
    ATTACHMENTS.end_program(exit_code)
    if current.died_of_interrupt:
        from ..main import _die_of_sigint

        _die_of_sigint()
    return exit_code


def _hide_agent_from_program():
    """PYTHONPATH put python-agent/ on sys.path; the program should not see it there."""
    agent_root = os.path.realpath(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    sys.path[:] = [entry for entry in sys.path if not entry or os.path.realpath(entry) != agent_root]
