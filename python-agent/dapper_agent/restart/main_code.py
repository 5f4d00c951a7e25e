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
On 3.9–3.11 the file also holds that code as the tracer compiled it with breakpoint probes
(tracing/probe_code.py): a child with the same breakpoints in the file runs it, so it neither
traces the module body nor compiles probes for its functions with `ast`.
"""

import marshal
import os

from .points import POINTS

MAIN_CODE_VARIABLE = "DAPPER_AGENT_MAIN_CODE"

_own = []  # [(path, (mtime_ns, size), code)]: this process's main script, compiled with restart points
_own_probes = []  # [(path, tracing.probe_code.ProbedTemplate)]: that code with breakpoint probes (3.9–3.11)
_file = []  # [path of the file children read]: written by this process, or inherited from its parent
_loaded = {}  # path -> (path, key, code, probes as a tuple or None) read from the inherited file
_instrumenter = []  # [function(code, template) -> code]: the 3.9–3.11 tracer's, while it runs


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
        _own_probes[:] = []
        _file[:] = []


def remember_probes(path, template):
    """The tracer compiled this process's main script with breakpoint probes (3.9–3.11): a
    child whose breakpoints in that file are the same runs that code too, compiling nothing."""
    if _own and _own[0][0] == path and not _file:
        _own_probes[:] = [(path, template)]


def set_instrumenter(function):
    """function(code, template) -> the code a child runs (None: no tracer wants probes)."""
    _instrumenter[:] = [function] if function is not None else []


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
    probes = _own_probes[0][1].to_tuple() if _own_probes else None
    try:
        payload = _magic() + marshal.dumps((path, key[0], key[1], code, probes))
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
    is this process's own main script or the parent's and the file is unchanged; else None.
    With probes for this process's breakpoints when the parent compiled them for the same."""
    try:
        key = _key(os.stat(fname))
    except (OSError, ValueError, TypeError):
        return None
    if _own:
        path, own_key, code = _own[0]
        if path != fname or own_key != key:
            return None
        probes = _own_probes[0][1] if _own_probes else None
    else:
        entry = _loaded.get(fname)
        if entry is None and _file and not _loaded:
            entry = _read(_file[0])
        if entry is None or entry[0] != fname or entry[1] != key:
            return None
        POINTS.mark_instrumented(fname)
        code = entry[2]
        probes = _template(entry[3])
    if probes is not None and _instrumenter:
        code = _instrumenter[0](code, probes)
    return code


def _template(value):
    if value is None:
        return None
    from ..tracing.probe_code import ProbedTemplate

    try:
        return ProbedTemplate.from_tuple(value)
    except (TypeError, ValueError):
        return None


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
        path, mtime_ns, size, code, probes = marshal.loads(data[len(magic):])
    except (EOFError, ValueError, TypeError):
        return None
    entry = (path, (mtime_ns, size), code, probes)
    _loaded[path] = entry
    return entry
