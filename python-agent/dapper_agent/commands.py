"""The command registry: request name -> handler(session, arguments) -> response body.

Handlers live in `dapper_agent.handlers.*` and in the optional `dapper_agent.hotreload`
package (Apply Changes), which registers its own commands when imported.
"""

import importlib
import traceback

from .code_identity import original_code

_HANDLERS = {}

# fn(code, line) -> line: where a line of code replaced by Apply Changes is in the file now.
# stackTrace shows lines through these, and breakpoints (set on the edited file) are matched
# through them, so old code never stops on a line that now means something else.
LINE_TRANSLATORS = []



def translated_line(code, line, on_error=None):
    """`line` of `code` in today's file. An instrumented copy (code_identity) may carry the
    translation itself (a running module body) or through its original (a replaced function)."""
    original = original_code(code)
    for translate in LINE_TRANSLATORS:
        try:
            new_line = translate(code, line) or line
            if new_line == line and original is not code:
                new_line = translate(original, line) or line
            line = new_line
        except Exception as error:  # no translation: keep the line
            if on_error is not None:
                on_error(error)
    return line


# Commands that may run user code for a long time; the channel runs them on a worker thread
# so that it keeps answering other requests (pause, threads…) meanwhile.
_SLOW_COMMANDS = set()


class CommandError(Exception):
    """A request failed in a way the user should read: becomes success:false + message."""

    def __init__(self, message, body=None):
        super().__init__(message)
        self.message = message
        self.body = body or {}


# name -> fn(session, arguments): runs on the reader thread as a slow command arrives, before
# its agent thread starts (Apply Changes holds a running program from that moment).
_ARRIVAL_HOOKS = {}


def command(name, slow=False, on_arrival=None):
    """Decorator: register `handler(session, arguments) -> dict` for request `name`.

    `slow=True` runs the handler on its own agent thread (use it for commands that run user
    code, e.g. evaluate); the response is still sent exactly once. `on_arrival(session,
    arguments)` runs on the reader thread first; it must be quick and the handler must undo
    whatever it started, whatever happens.
    """

    def register(handler):
        if name in _HANDLERS and _HANDLERS[name] is not handler:
            raise ValueError("command %r is already registered by %r" % (name, _HANDLERS[name]))
        _HANDLERS[name] = handler
        if slow:
            _SLOW_COMMANDS.add(name)
        if on_arrival is not None:
            _ARRIVAL_HOOKS[name] = on_arrival
        return handler

    return register


def arrived(session, request):
    """Run the arrival hook of a request, if its command has one (never raises)."""
    hook = _ARRIVAL_HOOKS.get(request.get("command"))
    arguments = request.get("arguments")
    if hook is None or not isinstance(arguments, dict):
        return
    try:
        hook(session, arguments)
    except Exception as error:  # the request itself still gets its answer
        session.console("Dapper agent: preparing '%s' failed: %s: %s\n" % (request.get("command"), type(error).__name__, error))


def handler_for(name):
    return _HANDLERS.get(name)


def is_slow(name):
    return name in _SLOW_COMMANDS


def registered_commands():
    return sorted(_HANDLERS)


_HANDLER_MODULES = (
    "dapper_agent.handlers.breakpoint_requests",
    "dapper_agent.handlers.execution_requests",
    "dapper_agent.handlers.inspection_requests",
    "dapper_agent.handlers.evaluation_requests",
    "dapper_agent.handlers.lifecycle_requests",
    "dapper_agent.restart.request",
)


def load_handlers(report_problem=None, session=None):
    """Import every handler module, then Apply Changes if it is installed, and let it
    `attach(session)` (to listen for stops and module loads).

    A broken `hotreload` package must not take the debugger down: its import error is
    reported through `report_problem(text)` and the other commands keep working.
    """
    for module_name in _HANDLER_MODULES:
        importlib.import_module(module_name)
    try:
        hotreload = importlib.import_module("dapper_agent.hotreload")
        translate = getattr(hotreload, "translate_line", None)
        if callable(translate) and translate not in LINE_TRANSLATORS:
            LINE_TRANSLATORS.append(translate)
        attach = getattr(hotreload, "attach", None)
        if session is not None and callable(attach):
            attach(session)
    except ModuleNotFoundError as error:
        if error.name != "dapper_agent.hotreload":
            _report(report_problem, "Apply Changes is unavailable: " + "".join(traceback.format_exception_only(type(error), error)))
    except Exception as error:  # any import failure must be reported, not fatal
        _report(report_problem, "Apply Changes is unavailable: " + "".join(traceback.format_exception(type(error), error, error.__traceback__)))


def _report(report_problem, text):
    if report_problem is not None:
        report_problem(text)


def dispatch(session, request):
    """Run one request; returns the response message (never raises)."""
    name = request.get("command")
    response = {"type": "response", "request_seq": request.get("seq", 0), "command": name, "success": True}
    handler = _HANDLERS.get(name)
    if handler is None:
        response.update(success=False, message="Unknown request '%s'" % (name,))
        return response
    try:
        body = handler(session, request.get("arguments") or {})
        response["body"] = body if body is not None else {}
    except CommandError as error:
        response.update(success=False, message=error.message, body=error.body)
    except BaseException as error:  # every request gets an answer (SystemExit from user code too)
        response.update(
            success=False,
            message="Internal error in the Dapper agent while handling '%s': %s: %s (please report this)"
            % (name, type(error).__name__, error),
            body={"stackTrace": traceback.format_exc()},
        )
    return response
