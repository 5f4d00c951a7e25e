"""Which frames can be restarted, and why not (the Call Stack shows the reason)."""

import gc
import os
import types

from ..code_flags import (CO_ASYNC_GENERATOR, CO_COROUTINE, CO_GENERATOR, CO_ITERABLE_COROUTINE, CO_OPTIMIZED,
                          CO_VARARGS, CO_VARKEYWORDS)
from ..code_identity import original_code
from .handlers_scan import swallowing_handler
from . import block_stack
from .points import POINTS, deferred_setup, handler_offset, has_restart_point, restart_point_ready

_SUSPENDING = CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR | CO_ITERABLE_COROUTINE


def own_refusal(session, frame):
    """Why this frame, by itself, cannot be restarted (None when it can)."""
    code = original_code(frame.f_code)
    name = code.co_name
    if name == "<module>":
        return ("This is the module body: restarting it means running the program again. "
                "Use Restart on the toolbar instead.")
    if code.co_flags & _SUSPENDING:
        kind = "coroutine" if code.co_flags & (CO_COROUTINE | CO_ITERABLE_COROUTINE) else "generator"
        return "%s() is a %s: its suspended state cannot be re-entered by a new call." % (name, kind)
    if session.classifier.is_library(code.co_filename):
        return "%s() is library code: only your own files are prepared for Restart Frame." % name
    if not has_restart_point(code):
        return _why_not_prepared(code)
    if not restart_point_ready(frame):
        return ("%s() is stopped at its very start, on its def line, before its restart point is set up "
                "(one-line functions on Python 3.9 and 3.10): restart the function that called it." % name)
    running = frame.f_code  # the running code's own restart point (probed code has its own offsets)
    if deferred_setup(running):
        try:
            block_stack.check(frame, handler_offset(running))
        except block_stack.Refusal as refusal:
            return "Restart Frame cannot re-enter %s(): %s." % (name, refusal)
    missing = [parameter for parameter in parameter_names(code) if parameter not in frame.f_locals]
    if missing:
        return "Parameter %r of %s() has no value any more (deleted), so the call cannot be repeated." % (missing[0], name)
    return None


def _why_not_prepared(code):
    if not POINTS.enabled:
        return "Restart Frame is turned off for this session (launch setting \"restartFrame\": false)."
    if code.co_name == "<lambda>" and not POINTS.adds_points_to_code():
        return ("A lambda cannot be restarted on this Python: its restart point is added to compiled code, "
                "which this interpreter's compiler does not allow (CPython 3.9–3.15 release builds do). "
                "Restart the function that called it.")
    if not code.co_flags & CO_OPTIMIZED:
        return "A class body cannot be restarted; restart the function that defines the class."
    return ("%s() was compiled before the debugger could prepare it for restarting (imported before the "
            "debugger started, or by an import system Dapper does not know)." % code.co_name)


ENDED = ("The program is stopped on an uncaught exception: these frames have already ended (the "
         "exception left them). Restart the program, or set a breakpoint and restart the frame there.")
NOT_IN_PYTHON = "This thread is not stopped in Python code (it waits in a C call), so its frames cannot be restarted."


def stack_refusals(session, frames, ident):
    """For the visible frames (top first) of thread `ident`: each frame's reason it cannot be
    restarted, or None. A frame is also refused when a frame that restarting it would drop
    swallows the signal."""
    parked = session.stops.parked.get(ident)
    if parked is None or parked.frames is not None:
        return [NOT_IN_PYTHON if parked is None else ENDED] * len(frames)
    result = []
    blocked = None
    for frame in frames:
        code = frame.f_code
        own_block = swallowing_handler(code.co_filename, frame.f_lineno, frame)
        if blocked is None and own_block is not None:
            line, what = own_block
            blocked = "Line %d of %s (%s()) would stop the restart: %s. Restart a frame above it, or continue." % (
                line, os.path.basename(code.co_filename), code.co_name, what)
        refusal = own_refusal(session, frame)
        result.append(refusal if refusal is not None else blocked)
    return result


def parameter_names(code):
    count = code.co_argcount + code.co_kwonlyargcount
    count += bool(code.co_flags & CO_VARARGS) + bool(code.co_flags & CO_VARKEYWORDS)
    return code.co_varnames[:count]


def call_arguments(frame):
    """(positional, keyword) arguments that repeat the call with the parameters' current values."""
    code = frame.f_code
    values = frame.f_locals
    names = code.co_varnames
    positional = [values[name] for name in names[: code.co_argcount]]
    index = code.co_argcount + code.co_kwonlyargcount
    keywords = {name: values[name] for name in names[code.co_argcount:index]}
    if code.co_flags & CO_VARARGS:
        positional.extend(values[names[index]])
        index += 1
    if code.co_flags & CO_VARKEYWORDS:
        keywords.update(values[names[index]])
    return positional, keywords


def find_function(frame):
    """The function object this frame is a call of — with its current code (new after Apply
    Changes) — or None. Closures are told apart by the values of their free variables."""
    code = original_code(frame.f_code)
    candidates = [f for f in gc.get_referrers(frame.f_globals)
                  if isinstance(f, types.FunctionType) and f.__globals__ is frame.f_globals]
    exact = [f for f in candidates if original_code(f.__code__) is code]
    if not exact:
        qualname = getattr(code, "co_qualname", None)
        exact = [f for f in candidates
                 if f.__code__.co_name == code.co_name and f.__code__.co_filename == code.co_filename
                 and (qualname is None or getattr(f.__code__, "co_qualname", None) == qualname)]
    matching = [f for f in exact if _same_closure(f, frame, code)]
    if not matching:
        return None
    codes = {id(original_code(f.__code__)) for f in matching}
    return matching[0] if len(codes) == 1 else None


def _same_closure(function, frame, code):
    if not code.co_freevars:
        return not function.__code__.co_freevars
    cells = dict(zip(function.__code__.co_freevars, function.__closure__ or ()))
    values = frame.f_locals
    for name in code.co_freevars:
        cell = cells.get(name)
        if cell is None:
            return False
        try:
            if cell.cell_contents is not values.get(name, cell):
                return False
        except ValueError:  # an empty cell: the frame has no value for it either
            if name in values:
                return False
    return True
