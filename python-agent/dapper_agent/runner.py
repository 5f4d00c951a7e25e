"""Runs the program as `python program.py` would, and turns its end into an exit code."""

import builtins
import os
import sys
import threading
import types

from .program_hold import program_entry
from .restart.points import POINTS, handler_offset


class ProgramError(Exception):
    """The program cannot be started (missing, unreadable, does not compile).

    `exit_code` and `report()` (the text for stderr) are what `python program.py` would give: 2 and "can't open file" for a missing file, 1
    and the SyntaxError with its file, line, source and caret for one that does not compile."""

    exit_code = 2

    def report(self):
        return "dapper: %s\n" % self


class CompileError(ProgramError):
    exit_code = 1

    def __init__(self, error):
        import traceback

        super().__init__("".join(traceback.format_exception_only(type(error), error)))

    def report(self):
        return str(self)


def prepare_main_module(program, args, restart_points=False):
    """A fresh `__main__` for the program; sys.argv and sys.path[0] as `python program.py`.
    With `restart_points`, its functions can be restarted (restart/points.py).
    Returns (module, code, source bytes)."""
    path = os.path.abspath(program)
    try:
        stat = os.stat(path) if restart_points else None  # before reading: the cache says what was read
        with open(path, "rb") as handle:
            source = handle.read()
    except OSError as error:
        raise ProgramError("can't open file %r: [Errno %s] %s" % (program, error.errno, error.strerror))
    try:
        if restart_points:
            code = _compile_with_restart_points(source, path, stat)
        else:
            code = compile(source, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:  # ValueError: null bytes, before 3.11.4
        raise CompileError(error)
    module = types.ModuleType("__main__")
    module.__dict__.update(
        {
            "__file__": path,
            "__cached__": None,
            "__package__": None,
            "__spec__": None,
            "__loader__": _loader_for(path),
            "__builtins__": builtins,
        }
    )
    sys.modules["__main__"] = module
    sys.argv = [program] + list(args)
    sys.path[0] = os.path.dirname(os.path.realpath(path))
    return module, code, source


def _compile_with_restart_points(source, path, stat):
    """The main script with restart points, from the restart-point bytecode cache when the
    file is unchanged (no `ast` at start-up), else compiled and cached for the next run.
    Child processes that run this file again as `__mp_main__` get it too (restart/main_code.py)."""
    from .restart import importer, main_code

    code = importer.cached_code(path, stat, filename=path)
    if code is None:
        code = POINTS.compile_file(source, path)
        importer.store_code(path, stat, code)
    main_code.remember(path, stat, code)
    return code


def _loader_for(path):
    import importlib.machinery

    return importlib.machinery.SourceFileLoader("__main__", path)


def exit_code_of(system_exit):
    """Exit status for a SystemExit, printing its message like the interpreter does."""
    code = system_exit.code
    if code is None:
        return 0
    if isinstance(code, bool):
        return int(code)
    if isinstance(code, int):
        return code & 0xFF if code >= 0 or os.name != "nt" else code
    try:
        sys.stderr.write(str(code) + "\n")
    except Exception:
        pass
    return 1


def strip_agent_frames(tb, classifier):
    """The traceback as the user's program sees it: without the agent's frames, on top (the
    runner) or where Restart Frame made a new call (restart/signal.py, request.py), nor the
    entry of the restarted frame itself, which stood in its restart point while the new call
    ran: an exception from a restarted call reads as if its caller had made the call."""
    while tb is not None and _not_the_programs(tb, classifier):
        tb = tb.tb_next
    link = tb
    while link is not None:
        following = link.tb_next
        while following is not None and _not_the_programs(following, classifier):
            following = following.tb_next
        if following is not link.tb_next:
            link.tb_next = following
        link = following
    return tb


def _not_the_programs(tb, classifier):
    code = tb.tb_frame.f_code
    if classifier.is_agent(code.co_filename):
        return True
    handler = handler_offset(code)  # an entry in a restart point: a restarted frame's
    return handler is not None and tb.tb_lasti >= handler


@program_entry
def run_main(session, module, code):
    """Execute the program; returns its exit code. Never lets an exception escape."""
    try:
        exec(code, module.__dict__)
        return 0
    except SystemExit as system_exit:
        return exit_code_of(system_exit)
    except BaseException as error:  # the program's own uncaught exception
        tb = strip_agent_frames(error.__traceback__, session.classifier)
        error.__traceback__ = tb  # 3.11+ print the exception's own traceback, not the argument
        if session.engine is not None:
            session.engine.on_uncaught(type(error), error, tb)
        try:
            sys.excepthook(type(error), error, tb)
        except Exception:
            pass
        if isinstance(error, KeyboardInterrupt):
            session.died_of_interrupt = True
        return 1


def install_thread_excepthook(session):
    """Stop on uncaught exceptions in threads too, before the thread dies."""
    original = threading.excepthook

    def hook(args):
        if args.exc_type is not SystemExit and session.engine is not None and not session.disconnected:
            try:
                tb = strip_agent_frames(args.exc_traceback, session.classifier)
                session.engine.on_uncaught(args.exc_type, args.exc_value, tb)
            except Exception as error:
                session.engine.report_internal_error("thread excepthook", error)
        original(args)

    threading.excepthook = hook


def wait_for_program_threads(session):
    """Like interpreter shutdown: wait for non-daemon threads before reporting the exit."""
    current = threading.current_thread()
    while True:
        pending = [
            t
            for t in threading.enumerate()
            if t is not current and not t.daemon and t.is_alive() and t.ident not in session.threads.agent_idents
        ]
        if not pending:
            return
        for thread in pending:
            thread.join()
