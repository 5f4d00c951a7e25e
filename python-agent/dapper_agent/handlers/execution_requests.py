"""configurationDone, continue, next, stepIn, stepOut, pause, gotoTargets, goto."""

import threading

from ..child_processes import ChildProcessConfig
from ..code_lines import line_numbers
from ..commands import CommandError, command
from ..restart.points import POINTS


@command("configurationDone")
def configuration_done(session, arguments):
    session.stop_on_entry = bool(arguments.get("stopOnEntry", False))
    session.classifier.just_my_code = bool(arguments.get("justMyCode", True))
    POINTS.enabled = bool(arguments.get("restartFrame", True))
    child_processes = ChildProcessConfig.from_arguments(arguments.get("subProcess"))
    if child_processes is not None:
        session.child_processes = child_processes
    session.configured.set()
    return {}


def _stopped_thread(session, arguments, action):
    if not session.is_stopped:
        raise CommandError("Cannot %s: the program is running. Pause it or wait for a breakpoint first." % action)
    ident = session.threads.ident_of(arguments.get("threadId"))
    if ident is None or ident not in session.stops.parked:
        # The thread is blocked outside Python code (e.g. in sleep): step the thread that stopped.
        ident = session.stops.stop_thread
    return ident


@command("continue")
def continue_(session, arguments):
    if session.is_stopped:
        session.after_response(session.resume)
    return {"allThreadsContinued": True}


def _step(session, arguments, kind, action):
    ident = _stopped_thread(session, arguments, action)
    parked = session.stops.parked.get(ident)
    if parked is not None and parked.event == "exception" and parked.frames is not None and kind != "in":
        # Stopped on an uncaught exception: the frames are a traceback; nothing left to step.
        session.after_response(session.resume)
    else:
        session.after_response(lambda: session.resume(step_kind=kind, ident=ident))
    return {"allThreadsContinued": True}


@command("next")
def next_(session, arguments):
    return _step(session, arguments, "over", "step over")


@command("stepIn")
def step_in(session, arguments):
    return _step(session, arguments, "in", "step into")


@command("stepOut")
def step_out(session, arguments):
    return _step(session, arguments, "out", "step out")


@command("pause")
def pause(session, arguments):
    session.stops.request_pause()
    return {}


def _top_frame(session, ident):
    frames = session.frames.visible_frames(ident)
    if not frames:
        raise CommandError("This thread has no Python frame to jump in.")
    return frames[0]


@command("gotoTargets")
def goto_targets(session, arguments):
    ident = session.stops.stop_thread
    if not session.is_stopped or ident is None:
        raise CommandError("Jump to line works only while the program is stopped.")
    frame = _top_frame(session, ident)
    line = int(arguments.get("line", 0))
    path = (arguments.get("source") or {}).get("path")
    code = frame.f_code
    if session.is_stale(code):
        raise CommandError("This frame runs code that Apply Changes replaced, so its lines belong to the old text; "
                           "jumping in it is not possible. Continue: the next call runs the new code.")
    if path and session.classifier.key(path) != session.classifier.key(code.co_filename):
        raise CommandError("You can only jump within the current function (%s)." % code.co_name)
    if line not in line_numbers(code):
        raise CommandError("Line %d has no code in %s; pick a line with a statement." % (line, code.co_name))
    return {"targets": [{"id": line, "label": "Line %d" % line, "line": line}]}


@command("goto")
def goto(session, arguments):
    ident = _stopped_thread(session, arguments, "jump")
    parked = session.stops.parked.get(ident)
    if parked is None or parked.event != "line" or parked.frames is not None:
        raise CommandError("Jumping is possible only when stopped on a line (not on an exception or in a blocked thread).")
    line = int(arguments.get("targetId", 0))
    frame = _top_frame(session, ident)
    if frame is not parked.frame:
        raise CommandError("You can only jump within the frame where the thread stopped.")
    outcome = {}
    done = threading.Event()

    def jump(parked_thread):
        try:
            parked_thread.frame.f_lineno = line
            outcome["ok"] = True
        except (ValueError, AttributeError) as error:
            outcome["error"] = str(error)
        done.set()

    session.post_to_stopped_thread(ident, jump)
    if not done.wait(5):
        raise CommandError("The stopped thread did not respond to the jump request.")
    if "error" in outcome:
        raise CommandError("Cannot jump to line %d: %s." % (line, outcome["error"]))
    session.frames.clear()
    session.variables.clear()
    # DAP: the response first, then the stopped event.
    session.send_event_after_response(
        "stopped", {"reason": "goto", "threadId": session.threads.dap_id(ident), "allThreadsStopped": True}
    )
    return {}
