"""evaluate (repl, watch, hover, clipboard), setExpression, completions."""

from ..commands import CommandError, command
from ..evaluation import EvaluationError, complete, evaluate_in, main_globals
from ..safe_repr import REPL_LIMIT, VARIABLE_LIMIT


def _frame(session, arguments):
    frame_id = arguments.get("frameId")
    if frame_id is None:
        return None
    frame = session.frame_by_id(frame_id)
    if frame is None:
        raise CommandError("Unknown or expired frame id %s; the program has moved on since." % frame_id)
    return frame


@command("evaluate", slow=True)
def evaluate(session, arguments):
    text = (arguments.get("expression") or "").strip("\n")
    if not text.strip():
        raise CommandError("Nothing to evaluate: type an expression or a statement.")
    context = arguments.get("context") or "repl"
    frame = _frame(session, arguments)
    allow_statements = context == "repl"
    try:
        mode, value = evaluate_in(frame, session.main_globals or main_globals(), text, allow_statements)
    except EvaluationError as error:
        raise CommandError(str(error))
    finally:
        if session.output is not None:
            session.output.flush()
    if mode == "exec":
        return {"result": "", "variablesReference": 0}
    limit = REPL_LIMIT if context in ("repl", "clipboard") else VARIABLE_LIMIT
    described = session.variables.describe(text, value, text, frame, limit=limit)
    body = {"result": described["value"], "type": described["type"], "variablesReference": described["variablesReference"]}
    for key in ("indexedVariables", "namedVariables", "presentationHint"):
        if key in described:
            body[key] = described[key]
    return body


@command("setExpression", slow=True)
def set_expression(session, arguments):
    expression = arguments.get("expression") or ""
    value_text = arguments.get("value") or ""
    frame = _frame(session, arguments)
    globals_ = session.main_globals or main_globals()
    try:
        evaluate_in(frame, globals_, "%s = (%s)" % (expression, value_text), allow_statements=True)
        _mode, value = evaluate_in(frame, globals_, expression, allow_statements=False)
    except EvaluationError as error:
        raise CommandError("Cannot set %s: %s" % (expression, error))
    described = session.variables.describe(expression, value, expression, frame)
    return {"value": described["value"], "type": described["type"], "variablesReference": described["variablesReference"]}


@command("completions", slow=True)
def completions(session, arguments):
    frame = _frame(session, arguments)
    text = arguments.get("text") or ""
    column = int(arguments.get("column") or len(text) + 1)
    return {"targets": complete(frame, session.main_globals or main_globals(), text, column)}
