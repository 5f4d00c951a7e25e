"""Runs a module as `python -m module` would: found from the working directory, its
parent packages imported first, a package's `__main__` run, and executed as `__main__` with
runpy's globals (`__spec__`, `__package__`, `__file__`, `__loader__`, `__cached__`)."""

import builtins
import os
import sys
import types

from .restart.points import POINTS
from .runner import CompileError, ProgramError


class ModuleNotRunnable(ProgramError):
    """`python -m` would refuse this module; the interpreter exits with status 1 then."""

    exit_code = 1


def prepare_module_main(module_name, args, restart_points=None):
    """A fresh `__main__` for the module; sys.argv and sys.path[0] as `python -m`.
    Imports the module's parent packages (as `python -m` does). `restart_points(path)` says
    whether the file gets restart points (restart/points.py). Returns (module, code, source)."""
    sys.path[0] = os.getcwd()
    sys.argv = ["-m"] + list(args)  # as the interpreter has it while the module is found
    name, spec, code = _module_details(module_name)
    origin = spec.origin if spec.has_location else None
    source = _source_of(spec, name, origin)
    if source is not None and origin is not None:
        # Compiled here like a script, so breakpoints and Apply Changes see the same code
        # the file holds (not a stale bytecode cache).
        try:
            if restart_points and restart_points(origin):
                code = POINTS.compile_file(source, origin)
            else:
                code = compile(source, origin, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            raise CompileError(error)
    module = types.ModuleType("__main__")
    module.__dict__.update(
        {
            "__file__": origin,
            "__cached__": spec.cached,
            "__package__": spec.parent,
            "__spec__": spec,
            "__loader__": spec.loader,
            "__doc__": None,
            "__builtins__": builtins,
        }
    )
    if origin is None:
        del module.__dict__["__file__"]
    sys.modules["__main__"] = module
    sys.argv = [origin or module_name] + list(args)
    return module, code, source


def _module_details(module_name):
    """(name, spec, code) of what `python -m module_name` runs; ModuleNotRunnable otherwise,
    with the traceback when importing a parent package raised."""
    import runpy  # here, not at the top: only `-m` runs need it, and every start-up pays imports

    finder = getattr(runpy, "_get_module_details", None) or (lambda name, _error: _find_module(name))
    try:
        return finder(module_name, ModuleNotRunnable)
    except ModuleNotRunnable:
        raise
    except BaseException as error:  # a parent package's own code raised
        import traceback

        text = "".join(traceback.format_exception(type(error), error, error.__traceback__)).rstrip()
        raise ModuleNotRunnable("while finding module %r:\n%s" % (module_name, text))


def _find_module(module_name):
    """The same search without runpy's private helper (should a future Python drop it)."""
    import importlib.util

    if module_name.startswith("."):
        raise ModuleNotRunnable("Relative module names not supported")
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, AttributeError, TypeError, ValueError) as error:
        raise ModuleNotRunnable("Error while finding module specification for %r (%s: %s)"
                                % (module_name, type(error).__name__, error))
    if spec is None:
        raise ModuleNotRunnable("No module named %s" % module_name)
    if spec.submodule_search_locations is not None:
        if module_name == "__main__" or module_name.endswith(".__main__"):
            raise ModuleNotRunnable("Cannot use package as __main__ module")
        try:
            return _find_module(module_name + ".__main__")
        except ModuleNotRunnable as error:
            raise ModuleNotRunnable("%s; %r is a package and cannot be directly executed" % (error, module_name))
    code = spec.loader.get_code(module_name) if spec.loader is not None else None
    if code is None:
        raise ModuleNotRunnable("No code object available for %s" % module_name)
    return module_name, spec, code


def _source_of(spec, name, origin):
    """The module's source bytes when it comes from a .py file; None otherwise."""
    if origin is None or not origin.endswith(".py"):
        return None
    try:
        with open(origin, "rb") as handle:
            return handle.read()
    except OSError:
        return None
