"""restartFrame: drop the frames above the chosen one and call its function again.

The response comes first; then the stopped thread raises the restart signal (the other
threads resume as for a step), the dropped frames unwind, the chosen frame's restart point
calls the function — with its current code and the values its parameters hold now — and the
thread stops on the new call's first line with reason `restart`.
"""

import sys

from ..commands import CommandError, command
from .eligibility import call_arguments, find_function, stack_refusals
from .signal import RestartSignal


@command("restartFrame")
def restart_frame(session, arguments):
    frame_id = arguments.get("frameId")
    if not session.is_stopped:
        raise CommandError("Restart Frame works only while the program is stopped.")
    frame, ident = session.frames.get(frame_id)
    if frame is None:
        raise CommandError("Unknown or expired frame id %s; the program has moved on since." % frame_id)
    frames = session.frames.visible_frames(ident)
    if frame not in frames:
        raise CommandError("That frame is no longer on its thread's stack.")
    refusal = stack_refusals(session, frames[: frames.index(frame) + 1], ident)[-1]
    if refusal is not None:
        raise CommandError(refusal)
    function = find_function(frame)
    if function is None:
        raise CommandError("Cannot tell which function object %s() is a call of (several closures or "
                           "definitions match), so it cannot be called again." % frame.f_code.co_name)
    positional, keywords = call_arguments(frame)

    def call_again(_frame):
        # On the program's thread, in the frame's restart point: before 3.12 the exception
        # raised from the trace function turned tracing off for this thread.
        session.rearm_thread()
        step = session.stops.step
        if step is not None and step.kind == "restart" and step.thread_id == ident:
            step.caller = sys._getframe()
        return function(*positional, **keywords)

    signal = RestartSignal(frame, call_again)

    def raise_signal(_parked):
        raise signal

    def start():
        with session.stops.lock:  # the thread sees the action and the resume together
            if session.post_to_stopped_thread(ident, raise_signal):
                session.resume(step_kind="restart", ident=ident, reason="restart", frame=frame)

    session.after_response(start)
    return {}
