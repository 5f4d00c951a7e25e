"""What the agent runs, the three ways `python` itself runs a program: a script, `-m module`
or `-c code`, each with its arguments, and the fresh `__main__` module it runs in."""

import builtins
import sys
import types

from .runner import CompileError, ProgramError, prepare_main_module


class ProgramTarget:
    """kind is "script", "module" or "code"; value is the path, module name or source text."""

    def __init__(self, kind, value, args=()):
        if kind not in ("script", "module", "code"):
            raise ValueError("unknown program kind %r" % (kind,))
        self.kind = kind
        self.value = value
        self.args = list(args)

    @classmethod
    def from_argv(cls, argv):
        """`script.py args…`, `-m module args…` or `-c code args…` (the launcher's tail)."""
        if not argv:
            raise ProgramError("no program given")
        if argv[0] in ("-m", "-c"):
            if len(argv) < 2:
                raise ProgramError("Argument expected for the %s option" % argv[0])
            return cls("module" if argv[0] == "-m" else "code", argv[1], argv[2:])
        return cls("script", argv[0], argv[1:])

    @property
    def finds_imports(self):
        """Finding a module imports its parent packages: prepare it once tracing runs."""
        return self.kind == "module"

    def argv_tail(self):
        """The inverse of from_argv."""
        if self.kind == "module":
            return ["-m", self.value] + self.args
        if self.kind == "code":
            return ["-c", self.value] + self.args
        return [self.value] + self.args

    def command_line(self):
        """How a user would have typed it: the interpreter, then the program and arguments."""
        return [sys.executable] + self.argv_tail()


def prepare_main(target, set_path0=True, restart_points=False):
    """A fresh `__main__` for `target`, sys.argv and sys.path[0] as `python …` sets them
    (`set_path0` False when the interpreter runs isolated and adds no such entry).
    `restart_points` as prepare_main_module / prepare_module_main take it (restart/points.py).
    Returns (module, code, source bytes or None)."""
    path0 = sys.path[0] if sys.path else None
    try:
        if target.kind == "script":
            return prepare_main_module(target.value, target.args, restart_points=bool(restart_points))
        if target.kind == "module":
            from .module_main import prepare_module_main  # here: only `-m` needs it

            return prepare_module_main(target.value, target.args, restart_points=restart_points or None)
        return _prepare_code(target.value, target.args)
    finally:
        if not set_path0 and path0 is not None:
            sys.path[0] = path0


def _prepare_code(text, args):
    from .child_processes import command_code

    code = command_code.code_for(text)  # compiled by the parent, for a child
    if code is None:
        try:
            code = compile(text, "<string>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            raise CompileError(error)
    module = types.ModuleType("__main__")
    module.__dict__.update({"__package__": None, "__spec__": None, "__loader__": None, "__builtins__": builtins})
    sys.modules["__main__"] = module
    sys.argv = ["-c"] + list(args)
    sys.path[0] = ""
    return module, code, None
