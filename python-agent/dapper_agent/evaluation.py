"""Evaluating what the user typed: repl (expressions and statements), watch, hover; completions."""

import builtins
import keyword
import re
import sys

from .locals_access import FRAME_LOCALS

_TRAILING_NAME = re.compile(r"((?:[A-Za-z_][A-Za-z0-9_]*\s*\.\s*)*)([A-Za-z_][A-Za-z0-9_]*)?$")


class EvaluationError(Exception):
    """The user's expression failed: the message is what they should read."""


def compile_user_code(text, allow_statements):
    """('eval' | 'exec', code). Statements only when allowed (repl)."""
    try:
        return "eval", compile(text, "<debug console>", "eval", dont_inherit=True)
    except SyntaxError as eval_error:
        if not allow_statements:
            raise EvaluationError(_syntax_message(eval_error, text))
        try:
            return "exec", compile(text, "<debug console>", "exec", dont_inherit=True)
        except SyntaxError as exec_error:
            raise EvaluationError(_syntax_message(exec_error, text))


def _syntax_message(error, text):
    return "SyntaxError: %s (line %s of %r)" % (error.msg, error.lineno, text if len(text) < 80 else text[:77] + "...")


def evaluate_in(frame, globals_, text, allow_statements):
    """Run the user's text; returns (mode, value). Local writes stick (see locals_access)."""
    mode, code = compile_user_code(text, allow_statements)
    if frame is not None:
        namespace = FRAME_LOCALS.namespace(frame)
        globals_ = frame.f_globals
    else:
        namespace = globals_
    try:
        value = eval(code, globals_, namespace)
    except Exception as error:  # the user's error, shown to them
        raise EvaluationError(_format_user_error(error))
    finally:
        if frame is not None:
            FRAME_LOCALS.commit(frame)
    return mode, value


def _format_user_error(error):
    # Imported here: from 3.14 `traceback` imports `_colorize`, and with it dataclasses,
    # inspect and ast (16 ms), which an evaluation that does not fail never needs.
    import traceback

    lines = traceback.format_exception_only(type(error), error)
    return "".join(lines).strip()


def complete(frame, globals_, text, column):
    """Completion targets for `text` with the cursor at 1-based `column`."""
    prefix = text[: max(0, column - 1)] if column else text
    match = _TRAILING_NAME.search(prefix)
    owner_text = re.sub(r"\s+", "", match.group(1) or "").rstrip(".") if match else ""
    partial = (match.group(2) or "") if match else ""
    if owner_text:
        try:
            owner = eval(owner_text, frame.f_globals if frame else globals_, FRAME_LOCALS.namespace(frame) if frame else globals_)
        except Exception:  # nothing to complete
            return []
        names = [(n, _kind_of(getattr(owner, n, None))) for n in dir(owner)]
    else:
        names = {}
        if frame is not None:
            for name, value in FRAME_LOCALS.namespace(frame).items():
                names.setdefault(name, _kind_of(value))
            scope = frame.f_globals
        else:
            scope = globals_ or {}
        for name, value in scope.items():
            names.setdefault(name, _kind_of(value))
        for name in dir(builtins):
            names.setdefault(name, _kind_of(getattr(builtins, name, None)))
        for name in keyword.kwlist:
            names.setdefault(name, "keyword")
        names = list(names.items())
    targets = []
    for name, kind in sorted(names, key=lambda item: (item[0].startswith("_"), item[0])):
        if name.startswith(partial) and (partial.startswith("_") or not name.startswith("__") or partial):
            target = {"label": name, "type": kind}
            if partial:
                target["start"] = len(prefix) - len(partial)
                target["length"] = len(partial)
            targets.append(target)
    return targets


def _kind_of(value):
    if isinstance(value, type):
        return "class"
    if type(value).__name__ == "module":
        return "module"
    if callable(value):
        return "function"
    return "variable"


def main_globals():
    module = sys.modules.get("__main__")
    return getattr(module, "__dict__", {})
