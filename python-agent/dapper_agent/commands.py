"""The command registry: request name -> handler(session, arguments) -> response body.

Handlers live in `dapper_agent.handlers.*`, `dapper_agent.restart.request` and the optional
`dapper_agent.hotreload` package (Apply Changes); each module registers its commands when
imported, and is imported on the first request of one of them (_COMMAND_MODULES).
"""

import importlib

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
    _loaded(request.get("command"))
    hook = _ARRIVAL_HOOKS.get(request.get("command"))
    arguments = request.get("arguments")
    if hook is None or not isinstance(arguments, dict):
        return
    try:
        hook(session, arguments)
    except Exception as error:  # the request itself still gets its answer
        session.console("Dapper agent: preparing '%s' failed: %s: %s\n" % (request.get("command"), type(error).__name__, error))


# Request -> the module whose @command registers it. A module is imported on the first request
# of one of its commands (or by load_handlers for Apply Changes): what a process is never asked
# for (inspecting, evaluating, restarting frames in a child that never stops) it never loads,
# and nothing of it is paid before the program starts. tests/test_protocol.py checks this
# table against what each module registers.
_COMMAND_MODULES = {
    "setBreakpoints": "dapper_agent.handlers.breakpoint_requests",
    "setFunctionBreakpoints": "dapper_agent.handlers.breakpoint_requests",
    "setExceptionBreakpoints": "dapper_agent.handlers.breakpoint_requests",
    "breakpointLocations": "dapper_agent.handlers.breakpoint_requests",
    "configurationDone": "dapper_agent.handlers.execution_requests",
    "continue": "dapper_agent.handlers.execution_requests",
    "next": "dapper_agent.handlers.execution_requests",
    "stepIn": "dapper_agent.handlers.execution_requests",
    "stepOut": "dapper_agent.handlers.execution_requests",
    "pause": "dapper_agent.handlers.execution_requests",
    "gotoTargets": "dapper_agent.handlers.execution_requests",
    "goto": "dapper_agent.handlers.execution_requests",
    "threads": "dapper_agent.handlers.inspection_requests",
    "stackTrace": "dapper_agent.handlers.inspection_requests",
    "scopes": "dapper_agent.handlers.inspection_requests",
    "variables": "dapper_agent.handlers.inspection_requests",
    "setVariable": "dapper_agent.handlers.inspection_requests",
    "exceptionInfo": "dapper_agent.handlers.inspection_requests",
    "source": "dapper_agent.handlers.inspection_requests",
    "evaluate": "dapper_agent.handlers.evaluation_requests",
    "setExpression": "dapper_agent.handlers.evaluation_requests",
    "completions": "dapper_agent.handlers.evaluation_requests",
    "disconnect": "dapper_agent.handlers.lifecycle_requests",
    "terminate": "dapper_agent.handlers.lifecycle_requests",
    "restartFrame": "dapper_agent.restart.request",
    "hotReload": "dapper_agent.hotreload.registration",
    "prepareApply": "dapper_agent.hotreload.apply_hint",
    "openDoorbell": "dapper_agent.interval_doorbell",
}


def _load(name):
    """Import the module that registers command `name`, once (raises what the import raises)."""
    if isinstance(name, str) and name not in _HANDLERS and name in _COMMAND_MODULES:
        importlib.import_module(_COMMAND_MODULES[name])


def is_loaded(name):
    """Whether a request for `name` needs no import first (loaded, or not a known command)."""
    return not (isinstance(name, str) and name not in _HANDLERS and name in _COMMAND_MODULES)


def _loaded(name):
    """_load for the reader thread's questions: a failed import is answered by dispatch."""
    try:
        _load(name)
    except Exception:  # dispatch imports again and reports the error in the response
        pass


# What every client asks at every stop: loaded by the first stop (Session.on_stopped), before
# every line is traced (3.12+ traces lines in all threads while stopped, so a module body run
# then costs a callback per line); a process that never stops never loads them.
_STOP_COMMANDS = ("threads", "stackTrace", "scopes", "variables")


def load_for_stop():
    """Import the handlers of the requests that follow a stop (never raises: a failure here is
    reported by the request itself, which imports again)."""
    for name in _STOP_COMMANDS:
        _loaded(name)


def handler_for(name):
    _loaded(name)
    return _HANDLERS.get(name)


def is_slow(name):
    _loaded(name)
    return name in _SLOW_COMMANDS


def registered_commands():
    """Every command the agent answers (registered now, or on its first request)."""
    return sorted(set(_HANDLERS) | set(_COMMAND_MODULES))


def load_handlers(report_problem=None, session=None):
    """Import Apply Changes' agent side if it is installed, and let it `attach(session)` (to
    listen for stops and module loads). The other handler modules load on their commands'
    first requests (_COMMAND_MODULES).

    A broken `hotreload` package must not take the debugger down: its import error is
    reported through `report_problem(text)` and the other commands keep working.
    """
    try:
        # Registers hotReload; the engine itself is imported on the first apply.
        hotreload = importlib.import_module("dapper_agent.hotreload.registration")
        translate = getattr(hotreload, "translate_line", None)
        if callable(translate) and translate not in LINE_TRANSLATORS:
            LINE_TRANSLATORS.append(translate)
        attach = getattr(hotreload, "attach", None)
        if session is not None and callable(attach):
            attach(session)
    except ModuleNotFoundError as error:
        import traceback

        if error.name not in ("dapper_agent.hotreload", "dapper_agent.hotreload.registration"):
            _report(report_problem, "Apply Changes is unavailable: " + "".join(traceback.format_exception_only(type(error), error)))
    except Exception as error:  # any import failure must be reported, not fatal
        import traceback

        _report(report_problem, "Apply Changes is unavailable: " + "".join(traceback.format_exception(type(error), error, error.__traceback__)))


def _report(report_problem, text):
    if report_problem is not None:
        report_problem(text)


def dispatch(session, request):
    """Run one request; returns the response message (never raises)."""
    name = request.get("command")
    response = {"type": "response", "request_seq": request.get("seq", 0), "command": name, "success": True}
    try:
        _load(name)
        handler = _HANDLERS.get(name)
        if handler is None:
            response.update(success=False, message="Unknown request '%s'" % (name,))
            return response
        body = handler(session, request.get("arguments") or {})
        response["body"] = body if body is not None else {}
    except CommandError as error:
        response.update(success=False, message=error.message, body=error.body)
    except BaseException as error:  # every request gets an answer (SystemExit from user code too)
        import traceback  # not at start-up: only a failing request needs it

        response.update(
            success=False,
            message="Internal error in the Dapper agent while handling '%s': %s: %s (please report this)"
            % (name, type(error).__name__, error),
            body={"stackTrace": traceback.format_exc()},
        )
    return response
