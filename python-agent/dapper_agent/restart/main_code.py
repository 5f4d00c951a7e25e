"""The main script's code with restart points, handed on to child processes.

A spawn (or forkserver) worker of multiprocessing runs the program's own file again, as
`__mp_main__`, through `runpy.run_path`, which compiles it plainly: its functions would have
no restart points, and compiling them with restart points would import `ast` in every worker.
So the process that compiled its main script with restart points (runner.py) writes that
code, once, when it starts its first child, to a private file in the temporary folder, and
names the file in the child's environment (MAIN_CODE_VARIABLE, set by
child_processes/process_hooks). A child's `runpy.run_path` of that same, unchanged file loads
the code from there (restart/importer.py patches runpy). The file starts with the
interpreter's bytecode magic number, so a child running another Python version ignores it;
the file's path, modification time and size must match, so an edited file is compiled again.
"""

import marshal
import os

from .points import POINTS

MAIN_CODE_VARIABLE = "DAPPER_AGENT_MAIN_CODE"

_own = []  # [(path, (mtime_ns, size), code)]: this process's main script, compiled with restart points
_file = []  # [path of the file children read]: written by this process, or inherited from its parent
_loaded = {}  # path -> (key, code) read from the inherited file


def _magic():
    try:  # what importlib.util re-exports, without importing it (see importer.py)
        from importlib._bootstrap_external import MAGIC_NUMBER
    except ImportError:
        from importlib.util import MAGIC_NUMBER
    return MAGIC_NUMBER


def _key(stat):
    return (stat.st_mtime_ns, stat.st_size)


def remember(path, stat, code):
    """This process's main script `path` (as `stat` described it before it was read) compiled
    with restart points: what its children get."""
    if POINTS.is_instrumented_file(path):
        _own[:] = [(path, _key(stat), code)]
        _file[:] = []


def accept(value):
    """A child's inherited MAIN_CODE_VARIABLE: the file its parent wrote (read on first use,
    and handed on to this process's own children unless it has a main script of its own)."""
    if value and not _own and os.path.isabs(value):
        _file[:] = [value]


def file_for_children():
    """The file to name in a child's environment (written now, once), or None."""
    if _file:
        return _file[0]
    if not _own:
        return None
    path, key, code = _own[0]
    try:
        payload = _magic() + marshal.dumps((path, key[0], key[1], code))
    except ValueError:  # code holding something marshal cannot write
        return None
    folder = os.environ.get("TMPDIR") or os.environ.get("TEMP") or os.environ.get("TMP") or "/tmp"
    name = os.path.join(folder, "dapper-main-code-%d-%s" % (os.getpid(), os.urandom(8).hex()))
    try:
        handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(handle, payload)
        finally:
            os.close(handle)
    except OSError:
        return None
    _file[:] = [name]
    _remove_at_exit(name, os.getpid())
    return name


def _remove_at_exit(name, owner):
    import atexit

    def remove():
        if os.getpid() == owner:  # not in a forked child, which inherits this hook
            try:
                os.unlink(name)
            except OSError:
                pass

    atexit.register(remove)


def code_for(fname):
    """The main-script code with restart points for `fname` (a path runpy was given), when it
    is this process's own main script or the parent's and the file is unchanged; else None."""
    try:
        key = _key(os.stat(fname))
    except (OSError, ValueError, TypeError):
        return None
    if _own:
        path, own_key, code = _own[0]
        return code if path == fname and own_key == key else None
    entry = _loaded.get(fname)
    if entry is None and _file and not _loaded:
        entry = _read(_file[0])
    if entry is None or entry[0] != fname or entry[1] != key:
        return None
    POINTS.mark_instrumented(fname)
    return entry[2]


def _read(name):
    magic = _magic()
    try:
        with open(name, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if data[:len(magic)] != magic:
        return None  # another Python version's bytecode
    try:
        path, mtime_ns, size, code = marshal.loads(data[len(magic):])
    except (EOFError, ValueError, TypeError):
        return None
    entry = (path, (mtime_ns, size), code)
    _loaded[path] = entry
    return entry
