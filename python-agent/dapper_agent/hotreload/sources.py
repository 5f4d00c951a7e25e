"""Source snapshots of loaded files (the OLD text an edit is compared with) and file lookup."""

import importlib.machinery
import importlib.util
import marshal
import os
import stat
import sys
import sysconfig
import tokenize

from . import diagnostics as d
from .codeinfo import CodeTree
from .livedefs import normalize_path
from ..restart.points import POINTS

_PYTHON_SUFFIXES = (".py", ".pyw")
_CASE_SENSITIVE = os.path.normcase("A") == "A"  # normcase is the identity (POSIX)


def read_source(path):
    """The file's text, decoded as Python would (PEP 263 coding cookie, UTF-8 by default)."""
    with tokenize.open(path) as handle:
        return handle.read()


def _library_roots():
    """Folders whose files are not the user's: the standard library, site-packages, the agent."""
    roots = {normalize_path(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            roots.add(normalize_path(sysconfig.get_paths()[key]))
        except KeyError:
            pass
    return tuple(root + os.sep for root in roots)


class SourceSnapshots:
    """The text each loaded user file had when the program loaded it or last applied it."""

    def __init__(self):
        self._texts = {}  # normalized path -> text
        self._trees = {}  # normalized path -> CodeTree of that text
        self._pending = {}  # normalized path -> keys of statements reported as not applied
        self._seen_files = set()  # module __file__ strings already considered
        self._stats = {}  # normalized path -> (size, mtime) of the snapshot, to trust a .pyc
        self._library_roots = _library_roots()

    def is_user_file(self, path):
        return path.endswith(_PYTHON_SUFFIXES) and not normalize_path(path).startswith(self._library_roots)

    def snapshot(self, path):
        key = normalize_path(path)
        if key not in self._texts:
            try:
                stat = os.stat(path)
                self._texts[key] = read_source(path)
            except (OSError, SyntaxError, UnicodeDecodeError):
                return
            self._stats[key] = (stat.st_size, int(stat.st_mtime))

    def snapshot_loaded_modules(self):
        """Call on every stop: remembers each loaded user file not remembered yet."""
        for module in list(sys.modules.values()):
            path = getattr(module, "__file__", None)
            if not isinstance(path, str) or path in self._seen_files:
                continue
            self._seen_files.add(path)  # so a stop costs one set lookup per module
            if self.is_user_file(path):
                self.snapshot(path)

    def old_text(self, path):
        return self._texts.get(normalize_path(path))

    def old_tree(self, path, text, loaded_code=None):
        """Code objects of the old text: the code the program loaded when it is known (a
        running module body, or a .pyc written from the snapshotted file), else compiled."""
        key = normalize_path(path)
        tree = self._trees.get(key)
        if tree is None:
            code = loaded_code or self._cached_bytecode(path, key) \
                or POINTS.compile_like_running(text, path)
            tree = CodeTree(code)
            self._trees[key] = tree
        return tree

    def _cached_bytecode(self, path, key):
        """The module code from its __pycache__ file if that was written from the snapshot."""
        stat = self._stats.get(key)
        if stat is None:
            return None
        try:
            optimization = POINTS.bytecode_optimization(path)  # with restart points: their own .pyc
            with open(importlib.util.cache_from_source(path, optimization=optimization), "rb") as handle:
                data = handle.read()
            if data[:4] != importlib.util.MAGIC_NUMBER or int.from_bytes(data[4:8], "little") != 0:
                return None  # another Python, or a hash-based .pyc
            mtime = int.from_bytes(data[8:12], "little")
            size = int.from_bytes(data[12:16], "little")
            if (size, mtime) != (stat[0] & 0xFFFFFFFF, stat[1] & 0xFFFFFFFF):
                return None
            return marshal.loads(data[16:])
        except (OSError, ValueError, EOFError, TypeError, NotImplementedError):
            return None

    def record_applied(self, path, text, tree, not_applied=frozenset()):
        key = normalize_path(path)
        self._texts[key] = text
        self._trees[key] = tree
        self._stats.pop(key, None)
        self._pending[key] = frozenset(not_applied)

    def pending(self, path):
        """Statements of the last applied text that were reported as not applied."""
        return self._pending.get(normalize_path(path), frozenset())

    def forget(self, path):
        key = normalize_path(path)
        self._texts.pop(key, None)
        self._trees.pop(key, None)
        self._stats.pop(key, None)
        self._pending.pop(key, None)


def check_reloadable_path(path):
    """Refuse paths that cannot be applied, before anything else is looked at."""
    if not isinstance(path, str) or not path:
        raise d.HotReloadRefused("Apply Changes needs the path of a Python file (source.path).")
    if path.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
        raise _refusal(d.C_EXTENSION, path,
                       "'{}' is a compiled extension module; only Python source (.py) files can be "
                       "applied. Rebuild the extension and restart the program.".format(path))
    if not path.endswith(_PYTHON_SUFFIXES):
        raise _refusal(d.NOT_PYTHON_FILE, path,
                       "'{}' is not a Python source file; Apply Changes works on .py files. "
                       "Restart the program to use changes to other files.".format(path))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise _refusal(d.FILE_NOT_FOUND, path,
                       "'{}' no longer exists. Save the file and apply again.".format(path))
    except OSError as error:
        raise _refusal(d.FILE_NOT_FOUND, path,
                       "'{}' cannot be read ({}). Check its permissions and apply again.".format(path, error.strerror or error))
    if not stat.S_ISREG(mode):
        raise _refusal(d.NOT_PYTHON_FILE, path,
                       "'{}' is {}, not a Python source file; Apply Changes works on .py files.".format(
                           path, _kind_of_special_file(mode)))


def _kind_of_special_file(mode):
    for test, kind in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "a special file"


def modules_for_path(path):
    """Every loaded module whose source is this file (usually one)."""
    wanted = normalize_path(path)
    base = os.path.basename(wanted)
    found = []
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        # Cheap test first (a file ending in the same name): realpath of every module would
        # cost milliseconds; the full comparison below settles the few candidates.
        if not isinstance(file, str) or not (file if _CASE_SENSITIVE else os.path.normcase(file)).endswith(base):
            continue
        if normalize_path(file) == wanted:
            found.append(module)
    if not found:
        raise _refusal(d.FILE_NOT_LOADED, path,
                       "'{}' is not loaded by the program, so there is nothing to apply it to. "
                       "It will be used as it is when the program imports it.".format(path))
    found.sort(key=lambda module: module.__name__ != "__main__")
    return found


def _refusal(code, path, message):
    return d.HotReloadRefused(message, [d.diagnostic(code, d.ERROR, message, path, 1)])
