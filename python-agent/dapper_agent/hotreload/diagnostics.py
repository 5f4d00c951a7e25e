"""Diagnostics of an apply: stable codes, severities and the error that aborts a reload.

Every code is declared, with what the user should do about it, in
common/protocol/dapper.schema.json (`DiagnosticCode`); tests/test_protocol.py fails when this
module and the schema disagree.
"""

ERROR = "error"
WARNING = "warning"
INFO = "info"

# Refusals: nothing was changed.
FILE_NOT_FOUND = "file-not-found"
NOT_PYTHON_FILE = "not-python-file"
C_EXTENSION = "c-extension"
FILE_NOT_LOADED = "file-not-loaded"
DECODE_ERROR = "decode-error"
NOT_STOPPED = "not-stopped"  # no longer sent: Apply Changes works while the program runs
RELOAD_IN_PROGRESS = "reload-in-progress"
SYNTAX_ERROR = "syntax-error"
COMPILE_ERROR = "compile-error"
DEFINITION_RAISED = "definition-raised"
MODULE_BODY_RAISED = "module-body-raised"
APPLY_FAILED = "apply-failed"
APPLY_TIMED_OUT = "apply-timed-out"
# not-running and invalid-request are sent by the adapter itself, never by the agent: the
# schema marks them "sentBy": "adapter".

# Per-definition outcomes: the rest of the change is applied.
CLOSURE_FREEVARS_CHANGED = "closure-freevars-changed"
CLOSURE_NOT_IN_SOURCE = "closure-not-in-source"
SUPER_CELL_CHANGED = "super-cell-changed"
MODULE_STATEMENT_NOT_APPLIED = "module-statement-not-applied"
CLASS_STATEMENT_NOT_APPLIED = "class-statement-not-applied"
CLASS_HEADER_CHANGED = "class-header-changed"
DECORATOR_CHANGED = "decorator-changed"
DEFINITION_REMOVED = "definition-removed"
GENERATOR_RUNNING = "generator-running"
MAIN_BODY_NOT_REEXECUTED = "main-body-not-reexecuted"
# A module body still running the code it started with (body_plan.py).
MODULE_STATEMENT_RUNS_OLD_CODE = "module-statement-runs-old-code"
DEFINITION_NOT_REACHED = "definition-not-reached"
MODULE_BODY_RUNNING = "module-body-running"


def diagnostic(code, severity, message, path, line, column=None, end_line=None, end_column=None):
    """One diagnostic in the shape of HotReloadDiagnostic (common/protocol/dapper.schema.json)."""
    result = {
        "code": code,
        "severity": severity,
        "message": message,
        "path": path,
        "line": max(1, int(line or 1)),
    }
    if column:
        result["column"] = int(column)
    if end_line:
        result["endLine"] = int(end_line)
    if end_column:
        result["endColumn"] = int(end_column)
    return result


class HotReloadRefused(Exception):
    """The reload cannot be applied at all; the program was left exactly as it was."""

    def __init__(self, message, diagnostics=()):
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics)
