"""The program `--listen` runs: a script, `-m module` or `-c code`, set up as `python` would."""

import os
import sys
import types

from ..runner import CompileError, ProgramError, prepare_main_module


def prepare_program(kind, target, args):
    """(module, code, source bytes or None) for `kind` "script", "module" or "code"."""
    if kind == "script":
        return prepare_main_module(target, args)
    if kind == "code":
        try:
            code = compile(target, "<string>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            raise CompileError(error)
        module = _fresh_main({"__file__": None})
        del module.__dict__["__file__"]
        sys.argv = ["-c"] + list(args)
        sys.path[0] = ""
        return module, code, None
    return _prepare_module(target, args)


def _prepare_module(name, args):
    import importlib.util
    import runpy

    sys.path[0] = os.getcwd()
    try:
        # What `python -m` itself uses to find the module (runpy has no public equivalent).
        mod_name, spec, code = runpy._get_module_details(name)
    except ImportError as error:
        raise ProgramError("No module named %s (%s)" % (name, error))
    except Exception as error:  # runpy raises its own error class
        raise ProgramError(error)
    module = _fresh_main(
        {
            "__file__": spec.origin,
            "__cached__": spec.cached,
            "__package__": spec.parent,
            "__spec__": spec,
            "__loader__": spec.loader,
        }
    )
    sys.argv = [spec.origin or name] + list(args)
    del importlib.util  # imported for runpy's use only
    return module, code, None


def _fresh_main(attributes):
    import builtins

    module = types.ModuleType("__main__")
    module.__dict__.update({"__builtins__": builtins, "__package__": None, "__spec__": None, "__loader__": None})
    module.__dict__.update(attributes)
    sys.modules["__main__"] = module
    return module
