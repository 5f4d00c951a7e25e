"""The main script's code with restart points, handed on to child processes.

A spawn (or forkserver) worker of multiprocessing runs the program's own file again, as
`__mp_main__`, through `runpy.run_path`, which compiles it plainly: its functions would have
no restart points, and compiling them with restart points would import `ast` in every worker.
So the process that compiled its main script with restart points (runner.py) writes that
code, when it starts its first child (and again once its breakpoints in the main script
changed), to a private file in the temporary folder (a 0700 folder of the user's own, where
files of processes that were killed are removed by the next writer), and names the file in
the child's environment (MAIN_CODE_VARIABLE, set by
child_processes/process_hooks). A child's `runpy.run_path` of that same, unchanged file loads
the code from there (restart/importer.py patches runpy). The file starts with the
interpreter's bytecode magic number, so a child running another Python version ignores it;
the file's path, modification time and size must match, so an edited file is compiled again.
On 3.9–3.11 the file also holds that code compiled with probes for the process's breakpoints
in the file at the time (tracing/probe_code.py): a child with the same breakpoints there runs
it, so it neither traces the module body nor compiles probes for its functions with `ast`.
The file also holds the script's lines with code (code_lines.FileLines, computed from a plain
compile of the file): a child given breakpoints in it verifies them from that table instead
of compiling the file itself, and so, as its runpy is given the code, calls compile() for
nothing (the first compile() of a process sets up every AST node type: 7–11M instructions).
"""

import marshal
import os

from .points import POINTS

MAIN_CODE_VARIABLE = "DAPPER_AGENT_MAIN_CODE"

_own = []  # [(path, (mtime_ns, size), code)]: this process's main script, compiled with restart points
_inherited = []  # [path of the file the parent wrote]: read on first use, and handed on
_written = {}  # breakpoint lines of the probes in it (None: no probes) -> file this process wrote
_last = []  # [the file last named to a child]
_loaded = {}  # path -> (path, key, code, probes as a tuple or None, lines) read from the inherited file
_lines = {}  # (path, key) -> this process's main script's lines with code, as written in the file
_instrumenter = []  # [function(code, template) -> code]: the 3.9–3.11 tracer's, while it runs
_template_source = []  # [function(code) -> ProbedTemplate or None]: the same tracer's


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
        _written.clear()
        _last[:] = []


def set_tracer_hooks(instrumenter, template_source):
    """The 3.9–3.11 tracer, while it runs: instrumenter(code, template) -> the code a child
    runs; template_source(main code) -> the main script's code with probes for this process's
    current breakpoints in it, as a ProbedTemplate (None: no probes there). None, None: off."""
    _instrumenter[:] = [instrumenter] if instrumenter is not None else []
    _template_source[:] = [template_source] if template_source is not None else []


def accept(value):
    """A child's inherited MAIN_CODE_VARIABLE: the file its parent wrote (read on first use,
    and handed on to this process's own children unless it has a main script of its own)."""
    if value and not _own and os.path.isabs(value):
        _inherited[:] = [value]


def file_for_children(write=True):
    """The file to name in a child's environment, or None. Written when first needed, and
    again when the breakpoints in the main script changed since (so a child started later
    gets probes for the breakpoints it will be given). `write` False (an exec: this process
    is replaced, or is a fork about to be, and would never remove a file it wrote; another
    thread may hold the tracer's lock in a fork): only a file written before."""
    if not _own:
        return _inherited[0] if _inherited else None
    if not write:
        return _last[0] if _last else None
    path, key, code = _own[0]
    template = None
    if _template_source:
        try:
            if _key(os.stat(path)) == key:  # probes are compiled from the file's text
                template = _template_source[0](code)
        except OSError:
            template = None
    lines = template.lines if template is not None else None
    name = _written.get(lines)
    if name is None:
        name = _write(path, key, code, template)
        if name is not None:
            _written[lines] = name
    if name is not None:
        _last[:] = [name]
    return name


def _write(path, key, code, template):
    try:
        payload = _magic() + marshal.dumps((path, key[0], key[1], code, template.to_tuple() if template else None,
                                            _lines_with_code(path, key)))
    except ValueError:  # code holding something marshal cannot write
        return None
    folder = _private_folder()
    if folder is None:
        return None
    _remove_orphans(folder)
    name = os.path.join(folder, "%d-%s" % (os.getpid(), os.urandom(8).hex()))
    try:
        handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(handle, payload)
        finally:
            os.close(handle)
    except OSError:
        return None
    _remove_at_exit(name, os.getpid())
    return name


def _lines_with_code(path, key):
    """(lines, line count, {line: code names}) of the main script as `key` describes it, from
    a plain compile of the file (what a child's LineTable would find), or None."""
    entry = _lines.get((path, key))
    if entry is None:
        from ..code_lines import LineTable

        try:
            if _key(os.stat(path)) != key:
                return None
        except OSError:
            return None
        found = LineTable.compile_file(path)
        if found.error is not None:
            return None
        entry = (frozenset(found.lines), found.line_count,
                 {line: frozenset(names) for line, names in found.names_by_line.items()})
        _lines[(path, key)] = entry
    return entry


def _private_folder():
    """This user's folder for these files in the temporary folder (mode 0700), or None when
    it cannot be made or is not safely this user's alone."""
    if not hasattr(os, "getuid"):
        return None  # POSIX only, as the process hooks that name the file
    base = os.environ.get("TMPDIR") or os.environ.get("TEMP") or os.environ.get("TMP") or "/tmp"
    folder = os.path.join(base, "dapper-main-code-%d" % os.getuid())
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        info = os.lstat(folder)
    except OSError:
        return None
    import stat

    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return folder


def _remove_orphans(folder):
    """Files of processes that ended without removing theirs (killed when the debug session
    was stopped): each file's name starts with its writer's process id."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        pid = name.split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass
        except OSError:  # alive, another user's (cannot be: the folder is ours), or unknown
            pass


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
        return code  # this process's own main script, run again: its probes come as for any import
    entry = _inherited_entry(fname)
    if entry is None or entry[1] != key:
        return None
    POINTS.mark_instrumented(fname)
    code = entry[2]
    probes = _template(entry[3])
    if probes is not None and _instrumenter:
        code = _instrumenter[0](code, probes)
    return code


def lines_for(path, key):
    """The parent's table of the lines with code in its main script `path`, when this process
    inherited it and the file is as `key` ((mtime_ns, size)) describes it: (lines, line
    count, {line: code names}), else None."""
    if _own:
        return None
    entry = _inherited_entry(path)
    if entry is None or entry[1] != key:
        return None
    return entry[4]


def _inherited_entry(path):
    entry = _loaded.get(path)
    if entry is None and _inherited and not _loaded:
        entry = _read(_inherited[0])
    return entry if entry is not None and entry[0] == path else None


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
        path, mtime_ns, size, code, probes, lines = marshal.loads(data[len(magic):])
    except (EOFError, ValueError, TypeError):
        return None
    entry = (path, (mtime_ns, size), code, probes, lines)
    _loaded[path] = entry
    return entry
