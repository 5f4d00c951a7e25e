"""What Apply Changes puts in the agent at start-up: the `hotReload` command, the source
snapshots an edit is compared with, and stackTrace's line translation.

The engine (commands.py and everything it imports: the parser, planner, line maps) is imported
on the first `hotReload` request, not at start-up: a program that is never edited, and every
child process that is not, never pays for it. What must happen earlier is here and is small:
the sources are snapshotted as modules load and at each stop (snapshots.py), and before any
apply no code has moved, so lines need no translation.
"""

import sys
import threading

from ..commands import command
from .snapshots import SourceSnapshots

SNAPSHOTS = SourceSnapshots()
HELD_ON_ARRIVAL = "_dapperHeldOnArrival"  # internal: set by hold_on_arrival, never sent by an adapter
_ENGINE_MODULE = __package__ + ".commands"


def hold_on_arrival(session, arguments):
    """A running program is held from the moment the request arrives: otherwise each time the
    agent's threads (reading the request, starting the request thread) wait for the GIL
    behind the program's busy threads costs a few switch intervals.

    The first request also imports the engine. Held, that takes a few milliseconds; with 8
    threads running Python it takes seconds (each step of the import waits for the GIL). So
    it is imported while held, unless a program thread is in the middle of an import: held
    there, it would keep that module's lock, which the engine's own imports (ast, difflib…)
    may need; then the program is let go for the import."""
    if session.is_stopped:
        import_engine()
        return
    session.hold.begin()
    arguments[HELD_ON_ARRIVAL] = True
    if _ENGINE_MODULE in sys.modules:
        return
    if _program_thread_importing(session):
        with session.hold.released():
            import_engine()
    else:
        import_engine()


def _program_thread_importing(session):
    """Whether a program thread has an import under way (importlib's frames on its stack)."""
    agent = session.threads.agent_idents
    me = threading.get_ident()
    for ident, frame in sys._current_frames().items():
        if ident == me or ident in agent:
            continue
        while frame is not None:
            if frame.f_code.co_filename.startswith("<frozen importlib._bootstrap"):
                return True
            frame = frame.f_back
    return False


def import_engine():
    """Import the engine now (apply_hint.py does ahead of an expected apply); never raises."""
    try:
        __import__(_ENGINE_MODULE)
    except Exception:  # the request imports it again and answers with the error
        pass


@command("hotReload", slow=True, on_arrival=hold_on_arrival)
def hot_reload(session, arguments):
    try:
        from .commands import hot_reload as apply_changes
    except BaseException:
        if arguments.pop(HELD_ON_ARRIVAL, False) is True:  # the program must not stay held
            session.hold.end()
        raise
    return apply_changes(session, arguments)


def translate_line(code, line):
    """The current-file line of `line` in a frame still running code Apply Changes replaced."""
    engine = sys.modules.get(_ENGINE_MODULE)
    if engine is None:  # nothing was applied yet: every line is where it was
        return line
    return engine.translate_line(code, line)


def snapshot_sources():
    """Remember the text of every loaded user file not remembered yet (call on each stop)."""
    SNAPSHOTS.snapshot_loaded_modules()


def attach(session):
    """Snapshot sources before the user can edit them: the text of every loaded user file at
    each stop, and each user file as its module body starts (so a program that never stopped
    can be edited and applied while it runs; the import just read the file, so this is cheap)."""
    session.add_stop_listener(_snapshot_on_stop)
    session.add_module_load_listener(_snapshot_on_load)


def _snapshot_on_stop(session):
    try:
        snapshot_sources()
    except Exception as error:  # never let a snapshot failure break a stop
        session.console("Apply Changes could not snapshot the loaded sources: {}\n".format(error))


def _snapshot_on_load(session, filename):
    try:
        SNAPSHOTS.snapshot(filename)
    except Exception as error:  # never let a snapshot failure break an import
        session.console("Apply Changes could not snapshot {}: {}\n".format(filename, error))
