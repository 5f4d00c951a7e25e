"""Agent start-up: connect, say hello, wait for configuration, run the program, report the exit."""

import os
import sys
import threading

from . import PROTOCOL_VERSION, commands, paths, restart
from .channel import Channel
from .restart import main_code
from .restart.points import POINTS
from .child_processes import ChildProcessConfig, command_code, forked_child, install_process_hooks
from .program_target import prepare_main
from .runner import ProgramError, install_thread_excepthook, run_main, wait_for_program_threads
from .session import Session
from .threads import install_thread_events
from .stopping import StepRequest, frame_depth
from .tracing import create_tracer
from .tracing.engine import Engine

TOKEN_VARIABLE = "DAPPER_AGENT_TOKEN"


# A child process waits this long for the debugger's configuration, then runs without it.
CHILD_CONFIGURATION_TIMEOUT = 120.0
CHILD_CONNECT_TIMEOUT = 10.0


def run(host, port, target, child=False, set_path0=True):
    """Runs `target` (a program_target.ProgramTarget: script, -m module or -c code) as
    `python` would; returns the program's exit code. `child` marks a process the debugged
    program started: it never waits long for the debugger and runs without it if need be."""
    token = os.environ.pop(TOKEN_VARIABLE, None)
    paths.accept_library_paths(os.environ.pop(paths.LIBRARY_PATHS_VARIABLE, None))
    main_code.accept(os.environ.pop(main_code.MAIN_CODE_VARIABLE, None))
    command_code.accept(os.environ.pop(command_code.COMMAND_CODE_VARIABLE, None))
    if not token:
        if child:
            return _run_undebugged(target, set_path0)
        sys.stderr.write("dapper: %s is not set; the launcher is started by the Dapper adapter, not by hand.\n" % TOKEN_VARIABLE)
        return 2
    try:
        channel = Channel.connect(host, port, timeout=CHILD_CONNECT_TIMEOUT if child else 30.0)
    except OSError as error:
        if not child:
            sys.stderr.write("dapper: cannot connect to the debug adapter at %s:%s (%s); running without debugger.\n" % (host, port, error))
        return _run_undebugged(target, set_path0)

    session = Session(channel)
    session.command_line = target.command_line()
    if child:
        session.child_processes = ChildProcessConfig(host, port, token)
    _start_agent(session, channel, token, child={"forked": False} if child else None)

    if child:
        if not session.configured.wait(CHILD_CONFIGURATION_TIMEOUT):
            session.detach()
    else:
        session.configured.wait()
    if session.terminate_requested:
        return 0
    restart.start(session)
    # A module is found after tracing starts: finding it imports its parent packages,
    # traced like the program's own imports.
    if not target.finds_imports:
        try:
            main_module, code, source = prepare_main(target, set_path0, restart_points=POINTS.enabled)
        except ProgramError as error:
            return _refuse_program(session, error)
        session.main_globals = main_module.__dict__

    original_stdout, original_stderr = sys.stdout, sys.stderr
    # A child's output stays where its parent sent it (often a pipe the parent reads).
    if not session.disconnected and not child:
        from .output import OutputCapture  # here: a child's output is never captured

        session.output = OutputCapture(session, original_stdout, original_stderr)
        sys.stdout, sys.stderr = session.output.stdout, session.output.stderr
    _install_exit_hook(session)
    install_thread_excepthook(session)
    install_thread_events(session)
    _install_breakpoint_hook(session)
    if session.child_processes is not None and not session.disconnected:
        install_process_hooks(session)
    if not session.disconnected:
        session.tracer.start()
    if target.finds_imports:
        try:
            main_module, code, source = prepare_main(
                target, set_path0, restart_points=POINTS.enabled and (lambda path: not session.classifier.is_library(path)))
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


def _start_agent(session, channel, token, child=None):
    """Hello, command handlers, tracer and the channel's reader thread, for a new connection.
    `child` is None for the launched program, else {"forked": bool}."""
    channel.on_lost = session.detach
    hello = {
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
    if child is not None:
        hello["child"] = {"parentPid": os.getppid(), "commandLine": list(session.command_line or []), "forked": child["forked"]}
    channel.send(hello)
    commands.load_handlers(report_problem=session.console, session=session)
    session.engine = Engine(session)
    session.tracer = create_tracer(session, session.engine)
    session.start_agent_thread(channel.serve, "dapper-channel", session)


def _continue_forked_child(session, config):
    """In a forked child (forked_child.on_fork_in_child): a connection of its own, then the
    program carries on under the debugger, or without it if nobody configures it in time."""
    channel = Channel.connect(config.host, config.port, timeout=forked_child.CONNECT_TIMEOUT)
    session.restart_in_forked_child(channel)
    session.child_processes = config
    _start_agent(session, channel, config.token, child={"forked": True})
    if not session.configured.wait(forked_child.CONFIGURATION_TIMEOUT):
        session.detach()
    if session.disconnected:
        return
    # Output goes where the parent's does (the capture inherited from it now writes there).
    session.tracer.start()
    session.program_started = True


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

    def _exit(status):
        try:
            # A forked child has its own session by now, or is disconnected (forked_child).
            if not session.disconnected:
                if session.output is not None:
                    session.output.flush()
                session.send_event("exited", {"exitCode": status})
        except BaseException:  # exiting regardless
            pass
        real_exit(status)

    os._exit = _exit
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=lambda: forked_child.on_fork_in_child(session, _continue_forked_child))


def _run_undebugged(target, set_path0):
    try:
        module, code, _source = prepare_main(target, set_path0)
    except ProgramError as error:
        sys.stderr.write(error.report())
        return error.exit_code
    session = Session()
    return run_main(session, module, code)
