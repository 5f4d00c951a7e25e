"""Finding and reading the file an apply names (snapshots of loaded files: snapshots.py)."""

import importlib.machinery
import os
import stat
import sys
import tokenize

from . import diagnostics as d
from .livedefs import normalize_path
from .snapshots import PYTHON_SUFFIXES as _PYTHON_SUFFIXES
_CASE_SENSITIVE = os.path.normcase("A") == "A"  # normcase is the identity (POSIX)


def read_source(path):
    """The file's text, decoded as Python would (PEP 263 coding cookie, UTF-8 by default)."""
    with tokenize.open(path) as handle:
        return handle.read()


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
    """Every loaded module whose source is this file (usually one), each once: one module in
    sys.modules under two names (a spawned multiprocessing worker's `__mp_main__` is also its
    `__main__`) is one module to apply to."""
    wanted = normalize_path(path)
    base = os.path.basename(wanted)
    found = []
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        # Cheap test first (a file ending in the same name): realpath of every module would
        # cost milliseconds; the full comparison below settles the few candidates.
        if not isinstance(file, str) or not (file if _CASE_SENSITIVE else os.path.normcase(file)).endswith(base):
            continue
        if normalize_path(file) == wanted and not any(module is seen for seen in found):
            found.append(module)
    if not found:
        raise _refusal(d.FILE_NOT_LOADED, path,
                       "'{}' is not loaded by the program, so there is nothing to apply it to. "
                       "It will be used as it is when the program imports it.".format(path))
    found.sort(key=lambda module: module.__name__ != "__main__")
    return found


def _refusal(code, path, message):
    return d.HotReloadRefused(message, [d.diagnostic(code, d.ERROR, message, path, 1)])
