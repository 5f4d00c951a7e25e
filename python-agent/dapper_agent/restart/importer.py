"""User modules get restart points when they are imported.

A finder placed just before `PathFinder` on `sys.meta_path` asks `PathFinder` itself (so
nothing is looked up twice) and, for a `.py` file of the user's, swaps in a loader that
compiles with restart points. Its bytecode is cached beside the normal one under its own
name (`name.cpython-312.opt-dapperrestart1.pyc`): a plain `python` run never reads it, and
a debug session that imports the module again loads it as fast as a normal `.pyc`.

pytest compiles test modules itself (assertion rewriting): its rewritten tree gets restart
points too, and its own bytecode cache is neither read nor written in a debug session, so
no instrumented code ever lands in pytest's cache.
"""

import importlib.machinery
import marshal
import os
import sys

from .points import CACHE_TAG, POINTS

try:  # what importlib.util re-exports, without importing it: on 3.9 and 3.10 that imports typing
    from importlib._bootstrap_external import MAGIC_NUMBER, cache_from_source
except ImportError:  # a later Python that moves them
    from importlib.util import MAGIC_NUMBER, cache_from_source


class RestartPointLoader(importlib.machinery.SourceFileLoader):
    """SourceFileLoader whose code has restart points, cached under CACHE_TAG."""

    def get_code(self, fullname):
        source_path = self.get_filename(fullname)
        try:
            stat = os.stat(source_path)
        except OSError:
            return super().get_code(fullname)
        cache = _cache_path(source_path)
        code = _read_cache(cache, stat) if cache else None
        if code is not None:
            POINTS.mark_instrumented(source_path)
            return code
        source = self.get_data(source_path)
        code = POINTS.compile_file(source, source_path)
        if cache and not sys.dont_write_bytecode and POINTS.is_instrumented_file(source_path):
            _write_cache(cache, stat, code)
        return code


def _cache_path(source_path):
    try:
        return cache_from_source(source_path, optimization=CACHE_TAG)
    except (NotImplementedError, ValueError):
        return None


def _header(stat):
    return MAGIC_NUMBER + (0).to_bytes(4, "little") + \
        (int(stat.st_mtime) & 0xFFFFFFFF).to_bytes(4, "little") + (stat.st_size & 0xFFFFFFFF).to_bytes(4, "little")


def _read_cache(cache, stat):
    try:
        with open(cache, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    header = _header(stat)
    if data[:16] != header:
        return None
    try:
        return marshal.loads(data[16:])
    except (EOFError, ValueError, TypeError):
        return None


def _write_cache(cache, stat, code):
    temporary = "%s.%d.tmp" % (cache, os.getpid())
    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(_header(stat) + marshal.dumps(code))
        os.replace(temporary, cache)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


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
    """Test modules compiled by pytest get restart points, and pytest's cache is bypassed."""
    rewrite_asserts = getattr(rewrite, "rewrite_asserts", None)
    if not callable(rewrite_asserts) or not hasattr(rewrite, "_read_pyc") or not hasattr(rewrite, "_write_pyc"):
        return  # an unknown pytest: test functions stay unrestartable ("compiled before…")

    def rewrite_with_restart_points(mod, source, module_path=None, config=None, *args, **kwargs):
        rewrite_asserts(mod, source, module_path, config, *args, **kwargs)
        POINTS.add_points(mod, str(module_path) if module_path is not None else None)

    rewrite.rewrite_asserts = rewrite_with_restart_points
    rewrite._read_pyc = lambda *args, **kwargs: None
    rewrite._write_pyc = lambda *args, **kwargs: False


def install(is_user_file):
    """Put the finder on sys.meta_path (once), just before PathFinder."""
    if any(isinstance(finder, RestartPointFinder) for finder in sys.meta_path):
        return
    finder = RestartPointFinder(is_user_file)
    index = next((i for i, f in enumerate(sys.meta_path) if f is importlib.machinery.PathFinder), len(sys.meta_path))
    sys.meta_path.insert(index, finder)
