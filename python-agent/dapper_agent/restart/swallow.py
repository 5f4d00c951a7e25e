"""A restart signal swallowed on its way down: seen when the program goes on without it.

Not everything that can catch the signal shows in the source (handlers_scan.py refuses what
does): a context manager whose `__exit__` returns true, C code that calls the program back
and discards what it raises (a weakref callback, `__del__`, …). The program then simply
continues after that point. While the restart step waits for the target frame's new call,
every user line the thread reports is checked: if the signal is not being handled at that
moment (a `finally` block, an `__exit__`, an `except … raise` of a dropped frame), it was
swallowed, and the thread stops right there with reason "exception" saying so.
"""

import dis
import os
import sys
import types

from .handlers_scan import catching_statement
from .points import handler_offset

# 3.11+: a handler's first instruction pushes the exception it handles (PUSH_EXC_INFO), and
# the handler's line is reported before it runs: the signal has arrived but is not in
# sys.exc_info() yet.
_PUSH_EXC_INFO = None
if sys.version_info >= (3, 11):
    import opcode

    _PUSH_EXC_INFO = opcode.opmap.get("PUSH_EXC_INFO")


def is_in_flight(signal, frame):
    """Whether `signal` is still on its way: being handled on this thread (on 3.9–3.13
    sys.exc_info() in a trace callback is the program's), directly or as the context of an
    exception handled meanwhile, or just caught by `frame`'s handler about to run."""
    exception = sys.exc_info()[1]
    depth = 0
    while exception is not None and depth < 100:
        if exception is signal:
            return True
        exception = exception.__context__
        depth += 1
    head = signal.__traceback__
    if _PUSH_EXC_INFO is not None and head is not None and head.tb_frame is frame:
        code = frame.f_code.co_code
        return 0 <= frame.f_lasti < len(code) and code[frame.f_lasti] == _PUSH_EXC_INFO
    return False


def swallowed_stop(signal, frame, is_agent, may_stop_in):
    """None while the signal is on its way; else the `suspend()` keywords of the stop that
    says it was swallowed (description, text, exception for exceptionInfo). The signal's
    text becomes that description."""
    if signal.target is None or is_in_flight(signal, frame) or _called_through_library(frame, signal.target, may_stop_in):
        return None
    entries = _program_entries(signal.__traceback__, is_agent)
    description = "Restart Frame of %s() was swallowed %s: nothing was restarted; the program is stopped where it " \
                  "continued, at %s:%s." % (signal.target_name, _where(entries, frame),
                                            os.path.basename(frame.f_code.co_filename), frame.f_lineno)
    signal.args = (description,)
    signal.done()  # no reference to the frame, and never reported twice
    return {
        "description": description,
        "text": "Restart Frame swallowed",
        "exception": (type(signal), signal, _traceback(entries)),
        "break_mode": "always",
    }


def _called_through_library(frame, target, may_stop_in):
    """Whether library code stands between `frame` and the restarted frame below it: a line
    the interpreter's own Python code leads to while C code discards the signal (3.15 prints
    "Exception ignored" with the traceback module, whose named tuples run `<string>` code),
    not the program going on."""
    through_library = False
    caller = frame if frame is target else frame.f_back
    while caller is not None:
        if caller is target:
            return through_library
        through_library = through_library or not may_stop_in(caller.f_code.co_filename)
        caller = caller.f_back
    return False  # not called by the restarted frame: the frame went on after it returned


def _where(entries, frame):
    """Where and by what: the last program frame the signal reached, and what there could
    catch it (a `with`, a `try`), or C code that called that frame."""
    if not entries:
        return "before it left the stopped frame"
    reached, line, _lasti = entries[0]
    code = reached.f_code
    place = "%s:%s" % (os.path.basename(code.co_filename), line)
    caught = catching_statement(code.co_filename, line)
    if caught is not None:
        statement_line, kind = caught
        if kind == "with":
            what = "the `with` statement on line %d (its context manager's __exit__ returned true)" % statement_line
        else:
            what = "the `try` statement on line %d (one of its `except` clauses caught it)" % statement_line
        return "at %s in %s() by %s" % (place, code.co_name, what)
    if reached is frame:
        return "at %s in %s()" % (place, code.co_name)
    return ("at %s: %s() passed it to the C code that called it (a weakref callback, __del__, a C library's "
            "callback…), which discarded it" % (place, code.co_name))


def _program_entries(head, is_agent):
    """(frame, line, instruction offset) of each traceback entry in the program's own code,
    outermost (the last reached) first; the entries of restart points passing it on (no
    line) left out."""
    entries = []
    while head is not None:
        frame = head.tb_frame
        if not is_agent(frame.f_code.co_filename):
            line = _entry_line(head)
            # Before 3.11 an exception raised by the tracer is entered twice for its frame.
            if line and (not entries or entries[-1][:2] != (frame, line)):
                entries.append((frame, line, head.tb_lasti))
        head = head.tb_next
    return entries


def _entry_line(tb):
    """The line of a traceback entry; None for a restart point handing the signal on. Before
    3.11 tb_lineno is the frame's f_lineno when it has a tracer, which for a frame armed
    while suspended (a generator) is not where it was: read the line table instead."""
    code = tb.tb_frame.f_code
    handler = handler_offset(code)
    if handler is not None and tb.tb_lasti >= handler:
        return None
    if sys.version_info >= (3, 11) or tb.tb_lasti < 0:
        return tb.tb_lineno
    line = None
    for offset, number in dis.findlinestarts(code):
        if offset > tb.tb_lasti:
            break
        line = number
    return line


def _traceback(entries):
    """The signal's traceback without the debugger's frames (exceptionInfo's stack trace)."""
    tb = None
    for frame, line, lasti in reversed(entries):
        try:
            tb = types.TracebackType(tb, frame, lasti, line)
        except (TypeError, ValueError):
            return None
    return tb
