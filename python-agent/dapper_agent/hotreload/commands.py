"""The agent command of Apply Changes: `hotReload` {path, options} -> HotReloadResponseBody.

Wires the engine to the agent's Session (python-agent/README.md, "Extension points for
Apply Changes"): stopped threads' frames, breakpoint remapping, stale-code marking and
tracer re-arming. Imported on the first request (registration.py registers the command).
"""

import contextlib
import sys
import time

from ..commands import CommandError
from . import diagnostics as d
from .apply_hint import apply_finished, hold_ended
from .body_watch import BodyWatch
from .engine import HotReloadEngine
from .frames import LiveFrame
from .livedefs import normalize_path
from .registration import HELD_ON_ARRIVAL, SNAPSHOTS

ENGINE = HotReloadEngine(SNAPSHOTS)
KNOWN_OPTIONS = {"reExecuteModuleBody": bool, "rebindFrameLocals": bool}


def translate_line(code, line):
    """The current-file line of `line` in a frame still running code Apply Changes replaced."""
    return ENGINE.translate_line(code, line)


def hot_reload(session, arguments):
    """The request (registration.hot_reload calls it; hold_on_arrival may have held the program)."""
    held_on_arrival = arguments.pop(HELD_ON_ARRIVAL, False) is True
    path = arguments.get("path")
    try:
        return _hot_reload(session, arguments)
    finally:
        # The file's prepareApply hint has done its work. While the program is held this only
        # decides what the hold's end restores: the program's own switch interval.
        apply_finished(session, path)
        if held_on_arrival:
            # Let the program go once the answer (and dapper/hotReloadResult) is sent: the
            # threads let go would otherwise take the GIL from the thread sending it, each for
            # a switch interval, and the client would wait that much longer.
            session.after_response(session.hold.end)
            session.after_response(lambda: hold_ended(session))


def _hot_reload(session, arguments):
    path = arguments.get("path")
    options = _checked_options(arguments.get("options"), path)
    deadline = _deadline(arguments.get("deadlineMs"))
    text = arguments.get("text")  # the client's text, when the program's copy is not the truth
    if text is not None and not isinstance(text, str):
        raise CommandError("Apply Changes was not run: 'text' must be a string. Nothing was changed.", {"diagnostics": []})
    if session.is_stopped:
        frames = _stopped_frames(session)
        live_frames, hold = None, None
    else:
        # Running: the apply happens with every program thread held off bytecode
        # (program_hold.py), except while the user's own code runs (user_code.py).
        frames = None
        live_frames, hold = (lambda: _running_frames(session)), session.hold
    breakpoint_lines = _breakpoint_lines(session, path)
    # While running, the program is held until the answer is sent (see hold_on_arrival).
    with hold.held() if hold is not None else contextlib.nullcontext(), session.code_change():
        try:
            outcome = ENGINE.reload(path, options, frames, breakpoint_lines, hold=hold,
                                    live_frames=live_frames, deadline=deadline, text=text)
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


def _stopped_frames(session):
    return [
        LiveFrame(frame, frame_id, thread["threadId"])
        for thread in session.stopped_threads()
        for frame_id, frame in thread["frames"]
    ]


def _running_frames(session):
    """Frames of running program threads: they have no frame ids (those exist while stopped).

    Threads are found through sys._current_frames(), not threading.enumerate(): that takes a
    lock a held thread may own (parked inside threading.py while starting a thread)."""
    agent = session.threads.agent_idents
    return [
        LiveFrame(frame, 0, session.threads.dap_id(ident))
        for ident in sorted(sys._current_frames())
        if ident not in agent
        for frame in session.frames.visible_frames(ident)
    ]


def _deadline(deadline_ms):
    """The monotonic time after which the apply gives up unapplied (the client's timeout)."""
    if isinstance(deadline_ms, bool) or not isinstance(deadline_ms, (int, float)) or deadline_ms <= 0:
        return None
    return time.monotonic() + deadline_ms / 1000.0


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
