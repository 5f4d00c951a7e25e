"""restartFrame: drop the frames above the chosen one and call its function again.

The response comes first; then the stopped thread raises the restart signal (the other
threads resume as for a step), the dropped frames unwind, the chosen frame's restart point
calls the function — with its current code and the values its parameters hold now — and the
thread stops on the new call's first line with reason `restart`.
"""

import sys

from ..commands import CommandError, command
from ..program_hold import program_entry
from . import block_stack
from .eligibility import call_arguments, find_function, stack_refusals
from .points import deferred_setup, handler_offset, in_restart_point, restart_point_ready
from .signal import RestartSignal
from .swallow import swallowed_stop

# Before 3.12 an exception raised by a trace function turns tracing off for its thread, so the
# dropped frames' lines would go unseen, and with them a swallowed restart (swallow.py).
_TRACER_DROPPED_BY_RAISE = sys.version_info < (3, 12)


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
    parked = session.stops.parked.get(ident)
    try:
        _set_up_restart_points(parked.frame if parked is not None else frames[0], frame)
    except block_stack.Refusal as refusal:
        raise CommandError("Restart Frame cannot re-enter %s(): %s." % (frame.f_code.co_name, refusal))

    @program_entry
    def call_again(_frame):
        # On the program's thread, in the frame's restart point: before 3.12 the exception
        # raised from the trace function turned tracing off for this thread.
        session.rearm_thread()
        step = session.stops.step
        if step is not None and step.kind == "restart" and step.thread_id == ident:
            step.caller = sys._getframe()
        return function(*positional, **keywords)

    signal = RestartSignal(frame, call_again)
    if _TRACER_DROPPED_BY_RAISE:
        signal.on_pass = session.rearm_thread  # when the program's own profiler leaves no room for ours

    def raise_signal(_parked):
        if _TRACER_DROPPED_BY_RAISE:
            _rearm_on_next_event(session)
        raise signal.set_off()

    def start():
        with session.stops.lock:  # the thread sees the action and the resume together
            if session.post_to_stopped_thread(ident, raise_signal):
                session.resume(step_kind="restart", ident=ident, reason="restart", frame=frame)
                step = session.stops.step
                if step is not None and step.kind == "restart":
                    # Each line the thread reports until the new call starts: was the signal swallowed?
                    step.swallow_check = lambda line_frame: swallowed_stop(
                        signal, line_frame, session.classifier.is_agent, session.classifier.may_stop_in)

    session.after_response(start)
    return {}


def _set_up_restart_points(top, target):
    """Before 3.11, a restart point whose setup was taken off the call path (deferred_setup.py)
    gets its block now, in every frame the signal will reach, from the top frame down to the
    target, as if each call had set it up at its start (block_stack.py). A frame already in
    its handler (a restarted call) or not past its setup is left as it is, as before. Only a
    failure for the target refuses the restart: another frame without its block lets the
    signal pass, as a frame without a restart point does."""
    if deferred_setup(target.f_code):
        block_stack.check(target, handler_offset(target.f_code))  # before any frame is changed
    frame = top
    while frame is not None:
        code = frame.f_code
        if deferred_setup(code) and restart_point_ready(frame) and not in_restart_point(frame):
            try:
                block_stack.push(frame, handler_offset(code))
            except block_stack.Refusal:
                if frame is target:
                    raise
        if frame is target:
            return
        frame = frame.f_back


def _rearm_on_next_event(session):
    """Before 3.12: a one-shot profile function, which CPython keeps when it drops the
    thread's tracer, puts the tracer back on the thread's next call or return after the
    raise (an `__exit__`, a call in a `finally`, the frame's exit, its restart point). Not
    when the program profiles itself (its profiler stays untouched; the first restart point
    the signal passes re-arms the tracer then, later: signal.on_pass)."""
    if sys.getprofile() is not None:
        return

    def once(_frame, _event, _arg):
        sys.setprofile(None)
        session.rearm_thread()

    sys.setprofile(once)
