"""threads, stackTrace, scopes, variables, setVariable, exceptionInfo, source."""

import linecache
import os

from ..commands import CommandError, command, translated_line
from ..locals_access import set_local
from ..paths import is_real_file_name
from ..restart.eligibility import stack_refusals
from ..restart.points import in_restart_point
from ..tracing.engine import exception_type_name, format_exception_details
from ..variables import Container


@command("threads")
def threads(session, arguments):
    return {
        "threads": [
            {"id": session.threads.dap_id(thread.ident), "name": thread.name} for thread in session.threads.program_threads()
        ]
    }


@command("stackTrace")
def stack_trace(session, arguments):
    ident = session.threads.ident_of(arguments.get("threadId"))
    if ident is None:
        raise CommandError("Unknown thread %s; ask for `threads` again." % arguments.get("threadId"))
    if not session.is_stopped:
        raise CommandError("The call stack is available while the program is stopped.")
    frames = session.frames.visible_frames(ident)
    start = int(arguments.get("startFrame") or 0)
    levels = int(arguments.get("levels") or 0)
    selected = frames[start : start + levels] if levels else frames[start:]
    refusals = stack_refusals(session, frames[: start + len(selected)], ident)[start:]
    return {
        "stackFrames": [_frame_to_dap(session, frame, ident, refusal) for frame, refusal in zip(selected, refusals)],
        "totalFrames": len(frames),
    }


def _frame_to_dap(session, frame, ident, restart_refusal):
    code = frame.f_code
    name = getattr(code, "co_qualname", None) or code.co_name
    line = translated_line(code, _current_line(session, frame),
                           lambda error: session.engine.report_internal_error("line translation", error))
    result = {
        "id": session.frames.id_for(frame, ident),
        "name": name,
        "line": line,
        "column": 1,
        "source": _source_of(session, frame),
        "canRestart": restart_refusal is None,
    }
    if restart_refusal is not None:
        result["restartRefusal"] = restart_refusal  # docs/protocol.md: the Call Stack's tooltip
    if session.is_stale(code):
        result["name"] = name + " [old code]"
        result["presentationHint"] = "subtle"
    elif session.classifier.is_library(code.co_filename):
        result["source"]["presentationHint"] = "deemphasize"
    return result


def _current_line(session, frame):
    if in_restart_point(frame):  # an exception passing through: its traceback knows the line
        exception = (session.stops.stop_info or {}).get("exception")
        tb = exception[2] if exception else None
        while tb is not None:
            if tb.tb_frame is frame:
                return tb.tb_lineno
            tb = tb.tb_next
    return frame.f_lineno or frame.f_code.co_firstlineno


def _source_of(session, frame):
    filename = frame.f_code.co_filename
    if is_real_file_name(filename) and os.path.exists(filename):
        return {"name": os.path.basename(filename), "path": filename}
    return {"name": filename, "sourceReference": session.sources.reference_for_frame(frame), "origin": "not a file"}


@command("scopes")
def scopes(session, arguments):
    frame = session.frame_by_id(arguments.get("frameId"))
    if frame is None:
        raise CommandError("Unknown or expired frame id %s; the program has moved on since." % arguments.get("frameId"))
    registry = session.variables
    result = []
    info = session.stops.stop_info
    if info and info.get("exception") and _is_stop_frame(session, frame):
        exception = info["exception"][1]
        result.append(
            {"name": "Exception", "variablesReference": registry.add(Container("exception", exception, None, frame)), "expensive": False}
        )
    is_module = frame.f_code.co_name == "<module>"
    locals_ref = registry.add(Container("locals", None, None, frame))
    result.append({"name": "Locals", "presentationHint": "locals", "variablesReference": locals_ref, "expensive": False})
    if not is_module:
        globals_ref = registry.add(Container("globals", None, None, frame))
        result.append({"name": "Globals", "presentationHint": "globals", "variablesReference": globals_ref, "expensive": True})
    return {"scopes": result}


def _is_stop_frame(session, frame):
    ident = session.stops.stop_thread
    frames = session.frames.visible_frames(ident) if ident is not None else []
    return bool(frames) and frames[0] is frame


@command("variables")
def variables(session, arguments):
    children = session.variables.children(
        arguments.get("variablesReference"),
        int(arguments.get("start") or 0),
        int(arguments.get("count") or 0),
        arguments.get("filter"),
    )
    if children is None:
        raise CommandError("Unknown or expired variablesReference %s; the program has moved on since." % arguments.get("variablesReference"))
    return {"variables": children}


@command("setVariable", slow=True)
def set_variable(session, arguments):
    from ..evaluation import EvaluationError, evaluate_in

    container = session.variables.get(arguments.get("variablesReference"))
    if container is None:
        raise CommandError("Unknown or expired variablesReference; the program has moved on since.")
    name = arguments.get("name")
    text = arguments.get("value", "")
    frame = container.frame
    try:
        _mode, value = evaluate_in(frame, session.main_globals, text, allow_statements=False)
    except EvaluationError as error:
        raise CommandError("Cannot set %s: %s" % (name, error))
    try:
        if container.kind == "locals":
            set_local(frame, name, value)
        elif container.kind == "globals":
            frame.f_globals[name] = value
        elif container.kind == "value":
            _assign_child(container.value, name, value)
        else:
            raise CommandError("%s cannot be changed here." % name)
    except CommandError:
        raise
    except Exception as error:  # the user's value was rejected
        raise CommandError("Cannot set %s: %s: %s" % (name, type(error).__name__, error))
    described = session.variables.describe(name, value, None, frame)
    body = {"value": described["value"], "type": described["type"], "variablesReference": described["variablesReference"]}
    for key in ("indexedVariables", "namedVariables"):
        if key in described:
            body[key] = described[key]
    return body


def _assign_child(target, name, value):
    import ast

    if isinstance(target, dict):
        for key in target:
            if repr(key) == name:
                target[key] = value
                return
        target[ast.literal_eval(name)] = value
    elif isinstance(target, list):
        target[int(name)] = value
    elif isinstance(target, (tuple, str, frozenset, set)):
        raise CommandError("A %s cannot be changed in place; assign a new value to the variable holding it." % type(target).__name__)
    else:
        setattr(target, name, value)


@command("exceptionInfo")
def exception_info(session, arguments):
    info = session.stops.stop_info
    if not info or not info.get("exception"):
        raise CommandError("The program is not stopped on an exception.")
    exc_type, exception, tb = info["exception"]
    try:
        message = str(exception)
    except Exception:
        message = "<str() failed>"
    type_name = exception_type_name(exc_type)
    return {
        "exceptionId": type_name,
        "description": message,
        "breakMode": info.get("breakMode") or "always",
        "details": {
            "message": message,
            "typeName": type_name,
            "fullTypeName": type_name,
            "stackTrace": format_exception_details((exc_type, exception, tb)),
        },
    }


@command("source")
def source(session, arguments):
    reference = arguments.get("sourceReference") or (arguments.get("source") or {}).get("sourceReference")
    path = (arguments.get("source") or {}).get("path")
    if reference:
        content = session.sources.content(reference)
    elif path:
        lines = linecache.getlines(path)
        content = "".join(lines) if lines else None
    else:
        content = None
    if content is None:
        raise CommandError("The source of this code is not available (it was not loaded from a file and was not kept).")
    return {"content": content, "mimeType": "text/x-python"}
