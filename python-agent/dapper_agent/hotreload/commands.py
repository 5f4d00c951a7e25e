"""The agent commands of Apply Changes: `hotReload` {path, options} -> HotReloadResponseBody.

Wires the engine to the agent's Session (python-agent/README.md, "Extension points for
Apply Changes"): stopped threads' frames, breakpoint remapping, stale-code marking and
tracer re-arming. Registered on import of the package.
"""

from ..commands import CommandError, command
from . import diagnostics as d
from .body_watch import BodyWatch
from .engine import HotReloadEngine
from .frames import LiveFrame
from .livedefs import normalize_path

ENGINE = HotReloadEngine()
KNOWN_OPTIONS = {"reExecuteModuleBody": bool, "rebindFrameLocals": bool}


def snapshot_sources():
    """Remember the text of every loaded user file not remembered yet (call on each stop)."""
    ENGINE.snapshots.snapshot_loaded_modules()


def translate_line(code, line):
    """The current-file line of `line` in a frame still running code Apply Changes replaced."""
    return ENGINE.translate_line(code, line)


@command("hotReload", slow=True)
def hot_reload(session, arguments):
    path = arguments.get("path")
    options = _checked_options(arguments.get("options"), path)
    if not session.is_stopped:
        message = ("The program is running. Pause it or stop at a breakpoint, then apply the "
                   "changes again.")
        raise CommandError(message, {"diagnostics": [
            d.diagnostic(d.NOT_STOPPED, d.ERROR, message, path or "", 1)]})
    frames = [
        LiveFrame(frame, frame_id, thread["threadId"])
        for thread in session.stopped_threads()
        for frame_id, frame in thread["frames"]
    ]
    breakpoint_lines = _breakpoint_lines(session, path)
    with session.code_change():
        try:
            outcome = ENGINE.reload(path, options, frames, breakpoint_lines)
        except d.HotReloadRefused as refusal:
            raise CommandError(refusal.message, {"diagnostics": refusal.diagnostics})
        body = outcome.body
        if outcome.line_map.changed and breakpoint_lines:
            mapping = {line: outcome.line_map.new_line(line) for line in breakpoint_lines}
            body["breakpointRemaps"] = session.breakpoints.remap_lines(path, mapping)
        session.mark_stale(outcome.stale_codes)
        if outcome.running_body is not None:
            # The module body runs on with its old code: watch it to finish the apply as it goes
            # (this replaces the watch of an earlier apply: the last text wins).
            frame, plan = outcome.running_body
            session.watch_frame(frame, None if plan.is_empty else BodyWatch(plan, session.console))
    return body


def _checked_options(options, path):
    if options is None:
        return {}
    problem = None
    if not isinstance(options, dict):
        problem = "'options' must be an object, not {}".format(type(options).__name__)
    else:
        for name, value in options.items():
            if name not in KNOWN_OPTIONS:
                problem = "unknown option '{}' (known: {})".format(name, ", ".join(sorted(KNOWN_OPTIONS)))
            elif not isinstance(value, KNOWN_OPTIONS[name]):
                problem = "option '{}' must be true or false".format(name)
    if problem is None:
        return options
    message = "Apply Changes was not run: {}. Nothing was changed.".format(problem)
    raise CommandError(message, {"diagnostics": []})


def _breakpoint_lines(session, path):
    if not isinstance(path, str):
        return []
    wanted = normalize_path(path)
    return sorted({
        bp.line for bp in session.breakpoints.all_line_breakpoints()
        if bp.line is not None and normalize_path(bp.path) == wanted
    })


def _install_stop_snapshots():
    """Snapshot sources whenever the program stops, before the user can edit them.

    The Session has no stop-listener list, so this wraps Session.on_stopped once.
    """
    from .. import session as session_module

    original = session_module.Session.on_stopped
    if getattr(original, "_dapper_snapshots", False):
        return

    def on_stopped(self):
        original(self)
        try:
            snapshot_sources()
        except Exception as error:  # never let a snapshot failure break a stop
            self.console("Apply Changes could not snapshot the loaded sources: {}\n".format(error))

    on_stopped._dapper_snapshots = True
    session_module.Session.on_stopped = on_stopped


_install_stop_snapshots()
