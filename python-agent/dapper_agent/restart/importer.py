"""User modules get restart points when they are imported.

A finder placed just before `PathFinder` on `sys.meta_path` asks `PathFinder` itself (so
nothing is looked up twice) and, for a `.py` file of the user's, swaps in a loader that
compiles with restart points. Its bytecode is cached beside the normal one under its own
name (`name.cpython-312.opt-dapperrestart7.pyc`): a plain `python` run never reads it, and
a debug session that imports the module again loads it as fast as a normal `.pyc`.

pytest compiles test modules itself (assertion rewriting): the code it compiles gets restart
points too (its tree, where they are not added to compiled code), and its own bytecode cache
is neither read nor written in a debug session, so no instrumented code ever lands in
pytest's cache.

A main script compiled with restart points is cached the same way (runner.py), and a script
`runpy.run_path` runs — a spawn worker's `__mp_main__` — is loaded from that cache.
"""

import importlib.machinery
import os
import sys

from .. import bytecode_cache
from ..bytecode_cache import cache_from_source
from .points import CACHE_TAG, POINTS


class RestartPointLoader(importlib.machinery.SourceFileLoader):
    """SourceFileLoader whose code has restart points, cached under CACHE_TAG."""

    def get_code(self, fullname):
        source_path = self.get_filename(fullname)
        try:
            stat = os.stat(source_path)
        except OSError:
            return super().get_code(fullname)
        code = cached_code(source_path, stat)
        if code is not None:
            return code
        source = self.get_data(source_path)
        code = POINTS.compile_file(source, source_path)
        store_code(source_path, stat, code)
        return code


def cached_code(source_path, stat, filename=None):
    """The file's code with restart points from its cache when that was made from the file as
    `stat` describes it (and, given `filename`, compiled under that name), else None. A hit
    marks the file as compiled with restart points."""
    cache = _cache_path(source_path)
    code = bytecode_cache.read(cache, stat) if cache else None
    if code is None or (filename is not None and code.co_filename != filename):
        return None
    POINTS.mark_instrumented(source_path)
    return code


def store_code(source_path, stat, code):
    """Cache code compiled with restart points from the file as `stat` describes it (read
    before the file was), unless Python writes no bytecode or the compile had no points."""
    cache = _cache_path(source_path)
    if cache and not sys.dont_write_bytecode and POINTS.is_instrumented_file(source_path):
        bytecode_cache.write(cache, stat, code)


def _cache_path(source_path):
    try:
        return cache_from_source(source_path, optimization=CACHE_TAG)
    except (NotImplementedError, ValueError):
        return None


class RestartPointFinder:
    """On sys.meta_path just before PathFinder; answers with PathFinder's own spec."""

    def __init__(self, is_user_file):
        self._is_user_file = is_user_file

    def find_spec(self, fullname, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or not POINTS.enabled:
            return spec
        loader = spec.loader
        if type(loader) is importlib.machinery.SourceFileLoader and spec.origin and self._is_user_file(spec.origin):
            spec.loader = RestartPointLoader(loader.name, loader.path)
        elif fullname == "_pytest.assertion.rewrite":
            spec.loader = _PatchingLoader(loader, _prepare_pytest)
        return spec

    def invalidate_caches(self):
        pass


class _RunpyFinder:
    """First on sys.meta_path until `runpy` is imported (from 3.11 it is a frozen module, which
    PathFinder never sees): its spec, found by the finders after this one, gets a loader that
    prepares runpy for scripts with restart points (_prepare_runpy)."""

    def __init__(self, is_user_file):
        self._is_user_file = is_user_file

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "runpy":
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)  # once: runpy is about to be imported
        for finder in sys.meta_path:
            find_spec = getattr(finder, "find_spec", None)
            spec = find_spec(fullname, path, target) if find_spec is not None else None
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None:
            is_user_file = self._is_user_file
            spec.loader = _PatchingLoader(spec.loader, lambda runpy: _prepare_runpy(runpy, is_user_file))
        return spec

    def invalidate_caches(self):
        pass


class _PatchingLoader:
    """Runs the module as its own loader would, then adjusts it (pytest's rewriter)."""

    def __init__(self, loader, patch):
        self._loader = loader
        self._patch = patch

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        module.__loader__ = self._loader
        self._loader.exec_module(module)
        self._patch(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


def _prepare_pytest(rewrite):
    """Test modules compiled by pytest get restart points, and pytest's cache is bypassed.

    Where restart points are added to compiled code (bytecode.py, bytecode_blocks.py), they are
    added to the code pytest compiles (its `_rewrite_test`), as to any user file: the test
    functions run exactly the instructions pytest made. Otherwise, or with a pytest whose
    `_rewrite_test` has another shape, its tree gets the `ast` wrapper (`rewrite_asserts`)."""
    rewrite_asserts = getattr(rewrite, "rewrite_asserts", None)
    if not callable(rewrite_asserts) or not hasattr(rewrite, "_read_pyc") or not hasattr(rewrite, "_write_pyc"):
        return  # an unknown pytest: test functions stay unrestartable ("compiled before…")
    rewrite_test = getattr(rewrite, "_rewrite_test", None)
    if POINTS.adds_points_to_code() and getattr(getattr(rewrite_test, "__code__", None), "co_argcount", None) == 2:

        def rewrite_test_with_restart_points(fn, config):
            stat, code = rewrite_test(fn, config)
            return stat, POINTS.add_points_to_code(code, str(fn))

        rewrite._rewrite_test = rewrite_test_with_restart_points
    else:

        def rewrite_with_restart_points(mod, source, module_path=None, config=None, *args, **kwargs):
            rewrite_asserts(mod, source, module_path, config, *args, **kwargs)
            POINTS.add_points(mod, str(module_path) if module_path is not None else None)

        rewrite.rewrite_asserts = rewrite_with_restart_points
    rewrite._read_pyc = lambda *args, **kwargs: None
    rewrite._write_pyc = lambda *args, **kwargs: False


def _prepare_runpy(runpy, is_user_file):
    """A script `runpy.run_path` runs (a spawn worker of multiprocessing runs the program's own
    file again as `__mp_main__`) gets the code with restart points its debugged parent compiled
    when it ran that file as its main script (main_code.py), or that a debugged process cached
    beside it (runner.py), instead of a plain compile: its functions can be restarted there
    too, and nothing is compiled with `ast` for it. Otherwise runpy compiles as always. Patched
    only where runpy's private helper has a shape we know, read from its parameters' names:
    (run_name, fname) -> (code, fname) up to 3.12, (fname) -> code in 3.13 and 3.14,
    (fname, module) -> code from 3.15."""
    original = getattr(runpy, "_get_code_from_file", None)
    code = getattr(original, "__code__", None)
    parameters = code.co_varnames[:code.co_argcount] if code is not None else None
    if parameters not in _RUNPY_SHAPES or getattr(original, "_dapper_restart_points", False):
        return
    where, returns_pair = _RUNPY_SHAPES[parameters]
    arguments = len(parameters)

    def get_code_from_file(*args):
        fname = args[where] if len(args) == arguments else None
        code = _code_for_run_path(fname, is_user_file) if fname is not None else None
        if code is None:
            return original(*args)
        return (code, fname) if returns_pair else code

    get_code_from_file._dapper_restart_points = True
    runpy._get_code_from_file = get_code_from_file


# runpy._get_code_from_file's parameters -> (the position of the file name, returns (code, fname))
_RUNPY_SHAPES = {("run_name", "fname"): (1, True), ("fname",): (0, False), ("fname", "module"): (0, False)}


def _code_for_run_path(fname, is_user_file):
    if not POINTS.enabled or not isinstance(fname, str) or not fname.endswith(".py"):
        return None
    try:
        path = os.path.abspath(fname)
        if not is_user_file(path):
            return None
        from . import main_code

        return main_code.code_for(fname) or cached_code(path, os.stat(path), filename=fname)
    except (OSError, ValueError):
        return None


def install(is_user_file):
    """Put the finder on sys.meta_path (once), just before PathFinder."""
    if any(isinstance(finder, RestartPointFinder) for finder in sys.meta_path):
        return
    if "runpy" in sys.modules:
        _prepare_runpy(sys.modules["runpy"], is_user_file)
    else:
        sys.meta_path.insert(0, _RunpyFinder(is_user_file))
    finder = RestartPointFinder(is_user_file)
    index = next((i for i, f in enumerate(sys.meta_path) if f is importlib.machinery.PathFinder), len(sys.meta_path))
    sys.meta_path.insert(index, finder)
