"""Agent start-up: connect, say hello, wait for configuration, run the program, report the exit."""

import os
import sys
import threading

from . import PROTOCOL_VERSION, commands, restart
from .channel import Channel
from .output import OutputCapture
from .restart.points import POINTS
from .module_main import prepare_module_main
from .runner import ProgramError, install_thread_excepthook, prepare_main_module, run_main, wait_for_program_threads
from .session import Session
from .threads import install_thread_events
from .stopping import StepRequest, frame_depth
from .tracing import create_tracer
from .tracing.engine import Engine

TOKEN_VARIABLE = "DAPPER_AGENT_TOKEN"


def run(host, port, program, args, module=None):
    """Runs `program` (a script path), or `module` as `python -m` would when it is given;
    returns the program's exit code."""
    token = os.environ.pop(TOKEN_VARIABLE, None)
    if not token:
        sys.stderr.write("dapper: %s is not set; the launcher is started by the Dapper adapter, not by hand.\n" % TOKEN_VARIABLE)
        return 2
    try:
        channel = Channel.connect(host, port)
    except OSError as error:
        sys.stderr.write("dapper: cannot connect to the debug adapter at %s:%s (%s); running without debugger.\n" % (host, port, error))
        return _run_undebugged(program, args, module)

    session = Session(channel)
    channel.on_lost = session.detach
    channel.send(
        {
            "type": "hello",
            "token": token,
            "pid": os.getpid(),
            "python": {
                "version": _python_version(),
                "implementation": sys.implementation.name,
                "executable": sys.executable,
            },
            "protocol": PROTOCOL_VERSION,
        }
    )
    commands.load_handlers(report_problem=session.console)
    session.engine = Engine(session)
    session.tracer = create_tracer(session, session.engine)
    session.start_agent_thread(channel.serve, "dapper-channel", session)

    session.configured.wait()
    if session.terminate_requested:
        return 0
    restart.start(session)
    if module is None:
        try:
            main_module, code, source = prepare_main_module(program, args, restart_points=POINTS.enabled)
        except ProgramError as error:
            return _refuse_program(session, error)
        session.main_globals = main_module.__dict__

    original_stdout, original_stderr = sys.stdout, sys.stderr
    session.output = OutputCapture(session, original_stdout, original_stderr)
    sys.stdout, sys.stderr = session.output.stdout, session.output.stderr
    _install_exit_hook(session)
    install_thread_excepthook(session)
    install_thread_events(session)
    _install_breakpoint_hook(session)
    if not session.disconnected:
        session.tracer.start()
    if module is not None:
        # Finding the module imports its parent packages: traced like the program's own imports.
        try:
            main_module, code, source = prepare_module_main(
                module, args, restart_points=POINTS.enabled and (lambda path: not session.classifier.is_library(path)))
        except ProgramError as error:
            _finish(session, None, original_stdout, original_stderr)
            return _refuse_program(session, error)
        session.main_globals = main_module.__dict__
    if not session.disconnected:
        # Before the entry step exists: the agent's own work here must not count as the entry.
        if source is not None:
            code = session.tracer.instrument_program(code, source)
        if session.stop_on_entry:
            session.stops.step = StepRequest(threading.get_ident(), "entry", None, frame_depth(sys._getframe()), "entry")
            session.tracer.set_all_lines(True)
    session.program_started = True
    exit_code = run_main(session, main_module, code)
    wait_for_program_threads(session)
    _finish(session, exit_code, original_stdout, original_stderr)
    if session.died_of_interrupt:
        _die_of_sigint()
    return exit_code


def _python_version():
    """What platform.python_version() returns (its first word of sys.version), without
    importing platform, which costs a noticeable part of the agent's start-up."""
    return sys.version.split()[0]


def _die_of_sigint():
    """Like the interpreter: a program ended by Ctrl+C exits through SIGINT, not status 1."""
    import signal

    if hasattr(signal, "SIGINT") and os.name != "nt":
        sys.stdout.flush()
        sys.stderr.flush()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)


def _finish(session, exit_code, original_stdout, original_stderr):
    """Stops tracing, flushes output, restores stdout/stderr; reports `exited` unless
    exit_code is None (the caller reports it)."""
    if session.tracer is not None:
        session.tracer.stop()
    try:
        if session.output is not None:
            session.output.flush()
        if exit_code is not None:
            session.send_event("exited", {"exitCode": exit_code})
    finally:
        if exit_code is not None:
            session.detach()
        sys.stdout, sys.stderr = original_stdout, original_stderr


def _refuse_program(session, error):
    """The program cannot start (missing, does not compile, no such module): say so, exit."""
    exit_code = error.exit_code
    session.send_event("output", {"category": "stderr", "output": error.report()})
    session.send_event("exited", {"exitCode": exit_code})
    session.detach()
    return exit_code


def _install_breakpoint_hook(session):
    """`breakpoint()` in the program stops in this debugger (pdb would fight over stdin),
    unless PYTHONBREAKPOINT chooses something else, as Python's own rules say."""
    if os.environ.get("PYTHONBREAKPOINT") is not None:
        return

    def breakpointhook(*args, **kwargs):
        if session.disconnected or session.threads.is_agent(threading.get_ident()):
            return None
        session.stops.suspend(sys._getframe(1), "breakpoint", event="call")
        return None

    sys.breakpointhook = breakpointhook


def _install_exit_hook(session):
    """os._exit skips every cleanup: send buffered output and `exited` first."""
    real_exit = os._exit
    pid = os.getpid()

    def _exit(status):
        try:
            if not session.disconnected and os.getpid() == pid:
                session.output.flush()
                session.send_event("exited", {"exitCode": status})
        except BaseException:  # noqa: BLE001 - exiting regardless
            pass
        real_exit(status)

    os._exit = _exit
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=lambda: _forget_in_child(session))


def _forget_in_child(session):
    """A forked child shares our socket: it must never write to it, nor trace."""
    session.channel = None
    if session.tracer is not None:
        session.tracer.stop()
    session.stops.close()
    session.disconnected = True
    if session.output is not None:
        session.output.detach()


def _run_undebugged(program, args, module_name=None):
    try:
        if module_name is None:
            module, code, _source = prepare_main_module(program, args)
        else:
            module, code, _source = prepare_module_main(module_name, args)
    except ProgramError as error:
        sys.stderr.write(error.report())
        return error.exit_code
    session = Session()
    return run_main(session, module, code)
