"""Live frames: which run replaced code, and planning to rebind their locals to replacement
objects (the writing itself is locals_access.set_local, the agent's one frame-locals writer).
"""

import inspect
import sys
from types import AsyncGeneratorType, CoroutineType, GeneratorType, MethodType

from .codeinfo import is_function_code

_SUSPENDABLE = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR


class LiveFrame:
    """A frame of a stopped thread, with the ids the debugger shows for it."""

    __slots__ = ("frame", "frame_id", "thread_id")

    def __init__(self, frame, frame_id=0, thread_id=None):
        self.frame = frame
        self.frame_id = frame_id
        self.thread_id = thread_id


def current_frames(skip_thread_ids=()):
    """Every frame of every thread but the caller's (used when no debugger session is given)."""
    frames = []
    for thread_id, top in sys._current_frames().items():
        if thread_id in skip_thread_ids:
            continue
        frame = top
        while frame is not None:
            frames.append(LiveFrame(frame, id(frame), thread_id))
            frame = frame.f_back
    return frames


def is_suspendable(code):
    return bool(code.co_flags & _SUSPENDABLE)


def suspended_codes(frames, namespaces):
    """Code objects of unfinished generators and coroutines held by live frames' locals or by
    module namespaces (a suspended one is on no stack, so the frames alone do not show it)."""
    codes = []
    holders = [live.frame.f_locals for live in frames if is_function_code(live.frame.f_code)]
    holders.extend(namespaces)
    for holder in holders:
        for value in list(holder.values()):
            frame = getattr(value, "gi_frame", None) or getattr(value, "cr_frame", None) \
                or getattr(value, "ag_frame", None) if _is_suspendable_object(value) else None
            if frame is not None:
                codes.append(frame.f_code)
    return codes


def _is_suspendable_object(value):
    return isinstance(value, (GeneratorType, CoroutineType, AsyncGeneratorType))


def replacement_for(value, replaced):
    """The object that replaces `value` after the apply, or None when it is not replaced."""
    entry = replaced.get(id(value))
    if entry is not None and entry[0] is value:
        return entry[1]
    if isinstance(value, MethodType):
        entry = replaced.get(id(value.__func__))
        if entry is not None and entry[0] is value.__func__:
            return MethodType(entry[1], value.__self__)
    return None


def plan_local_rebinds(frames, replaced):
    """(frame, name, old, new) for every local of a live frame that holds a replaced object."""
    if not replaced:
        return []
    rebinds = []
    for live in frames:
        frame = live.frame
        if not is_function_code(frame.f_code):
            continue  # a module or class body: its "locals" are the namespace already updated
        for name, value in list(frame.f_locals.items()):
            new = replacement_for(value, replaced)
            if new is not None:
                rebinds.append((frame, name, value, new))
    return rebinds
