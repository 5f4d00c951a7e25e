"""Bytecode cache files (`__pycache__/*.pyc`), and the agent's own modules' cache.

`read`/`write` handle Python's timestamp-based .pyc format (magic number, flags 0, the
source's mtime and size, then the marshalled code): the restart-point importer keeps its
instrumented code in such files under its own name.

The agent's own modules are always loaded from bytecode written beside them, even when the
debugged program runs with PYTHONDONTWRITEBYTECODE (or `-B`), which is about the program's
files, not the debugger's: without it every debugged process, and every child process of a
Pool, compiled the agent's ~45 modules from source (about 220M instructions, 3-4x what the
rest of the agent's start-up costs). With bytecode writing on, Python's own import system
does this and nothing here is installed.
"""

import importlib.machinery
import marshal
import os
import sys

try:  # what importlib.util re-exports, without importing it: on 3.9 and 3.10 that imports typing
    from importlib._bootstrap_external import MAGIC_NUMBER, cache_from_source
except ImportError:  # a later Python that moves them
    from importlib.util import MAGIC_NUMBER, cache_from_source

PACKAGE = __name__.rpartition(".")[0]


def header(stat):
    """The first 16 bytes of a timestamp-based .pyc for a source file as `stat` describes it."""
    return MAGIC_NUMBER + (0).to_bytes(4, "little") + \
        (int(stat.st_mtime) & 0xFFFFFFFF).to_bytes(4, "little") + (stat.st_size & 0xFFFFFFFF).to_bytes(4, "little")


def read(cache, stat):
    """The code in `cache` if it was written for the source as `stat` describes it, else None."""
    try:
        with open(cache, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if data[:16] != header(stat):
        return None
    try:
        return marshal.loads(memoryview(data)[16:])  # not data[16:]: a 10,000-line module's code is 0.2-0.4 MB
    except (EOFError, ValueError, TypeError):
        return None


def write(cache, stat, code):
    """Writes `cache` whole or not at all (a reader never sees half a file); errors are ignored:
    a folder that cannot be written only means the next process compiles again."""
    temporary = "%s.%d.tmp" % (cache, os.getpid())
    data = marshal.dumps(code)
    try:
        try:
            handle = open(temporary, "wb")
        except FileNotFoundError:  # no __pycache__ yet (looked for only then: a cold import pays this)
            os.makedirs(os.path.dirname(cache), exist_ok=True)
            handle = open(temporary, "wb")
        with handle:
            handle.write(header(stat))
            handle.write(data)  # not joined first: a 10,000-line module's code is about 1 MB
        os.replace(temporary, cache)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


class _AgentModuleLoader(importlib.machinery.SourceFileLoader):
    """SourceFileLoader that writes the module's .pyc whatever sys.dont_write_bytecode says."""

    def get_code(self, fullname):
        source_path = self.get_filename(fullname)
        try:
            cache = cache_from_source(source_path)
            stat = os.stat(source_path)
        except (NotImplementedError, ValueError, OSError):
            return super().get_code(fullname)
        code = read(cache, stat)
        if code is None:
            code = self.source_to_code(self.get_data(source_path), source_path)
            write(cache, stat, code)
        return code


class _AgentModuleFinder:
    """First on sys.meta_path; answers only for the agent's own modules, with PathFinder's spec
    and a loader that caches their bytecode."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != PACKAGE and not fullname.startswith(PACKAGE + "."):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and type(spec.loader) is importlib.machinery.SourceFileLoader:
            spec.loader = _AgentModuleLoader(spec.loader.name, spec.loader.path)
        return spec

    def invalidate_caches(self):
        pass


def cache_own_modules(loaded):
    """When Python writes no bytecode: the agent's modules imported from now on are read from
    (and written to) their .pyc all the same, and those in `loaded` (imported before this could
    be in place: the package and this module) get theirs written now if they have none, so the
    next process reads them. Called by the package's __init__, once."""
    if not sys.dont_write_bytecode or any(isinstance(finder, _AgentModuleFinder) for finder in sys.meta_path):
        return
    sys.meta_path.insert(0, _AgentModuleFinder())
    for name in loaded:
        module = sys.modules.get(name)
        source_path = getattr(module, "__file__", None)
        if type(getattr(module, "__loader__", None)) is not importlib.machinery.SourceFileLoader or not source_path:
            continue
        try:
            cache = cache_from_source(source_path)
            stat = os.stat(source_path)
            if read(cache, stat) is None:
                with open(source_path, "rb") as handle:
                    write(cache, stat, compile(handle.read(), source_path, "exec", dont_inherit=True))
        except (NotImplementedError, ValueError, OSError, SyntaxError):
            pass
