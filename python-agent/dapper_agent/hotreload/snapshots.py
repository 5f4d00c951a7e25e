"""Source snapshots of loaded files: the OLD text an edit is compared with.

Snapshots are taken from start-up on (each user module as its body starts, every loaded user
file at each stop), long before the first apply, so this module is imported with the agent and
the engine is not: it keeps each file's bytes as read and decodes them the first time an apply
asks (as `tokenize.open` would have then), and loads the code tree's helpers only for an apply.
"""

import os
import sys

from ..paths import library_paths
from .livedefs import normalize_path

PYTHON_SUFFIXES = (".py", ".pyw")


def decode_source(data):
    """Text of a Python file's bytes, decoded as Python would (PEP 263 coding cookie, UTF-8 by
    default, universal newlines): what `tokenize.open(path).read()` returns for that file."""
    import io
    import tokenize

    buffer = io.BytesIO(data)
    encoding, _ = tokenize.detect_encoding(buffer.readline)
    buffer.seek(0)
    return io.TextIOWrapper(buffer, encoding, line_buffering=True).read()


def _library_roots():
    """Folders whose files are not the user's: the standard library, site-packages, the agent."""
    roots = {normalize_path(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))}
    roots.update(library_paths()["sysconfig"].values())  # already normalized
    return tuple(root + os.sep for root in roots)


class SourceSnapshots:
    """The text each loaded user file had when the program loaded it or last applied it."""

    def __init__(self):
        self._texts = {}  # normalized path -> text, or the file's bytes until first asked for
        self._trees = {}  # normalized path -> CodeTree of that text
        self._pending = {}  # normalized path -> keys of statements reported as not applied
        self._seen_files = set()  # module __file__ strings already considered
        self._stats = {}  # normalized path -> (size, mtime) of the snapshot, to trust a .pyc
        self._library_roots = _library_roots()

    def is_user_file(self, path):
        return path.endswith(PYTHON_SUFFIXES) and not normalize_path(path).startswith(self._library_roots)

    def snapshot(self, path):
        key = normalize_path(path)
        if key not in self._texts:
            try:
                stat = os.stat(path)
                with open(path, "rb") as handle:
                    self._texts[key] = handle.read()
            except OSError:
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
        key = normalize_path(path)
        text = self._texts.get(key)
        if isinstance(text, bytes):
            try:
                text = decode_source(text)
            except (SyntaxError, UnicodeDecodeError):  # not Python text: as if never read
                self.forget(path)
                return None
            self._texts[key] = text
        return text

    def old_tree(self, path, text, loaded_code=None):
        """Code objects of the old text: the code the program loaded when it is known (a
        running module body, or a .pyc written from the snapshotted file), else compiled."""
        from .codeinfo import CodeTree
        from ..restart.points import POINTS

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
        import importlib.util
        import marshal
        from ..restart.points import POINTS

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
