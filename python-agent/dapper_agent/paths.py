"""Which code is the user's (justMyCode) and how paths are compared."""

import os
import site
import stat
import sys

AGENT_ROOT = os.path.normcase(os.path.realpath(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
_AGENT_PREFIX = AGENT_ROOT.rstrip(os.sep) + os.sep


_real_folders = {}  # POSIX: folder -> its realpath (loaded modules share a few folders)


def normalize(path):
    """The form every path is compared in (docs/agent-protocol.md): os.path.realpath, which
    in Python costs a system call and a few hundred bytecodes per path component. On POSIX an
    absolute path whose last component is not a symlink resolves to its folder's resolved path
    plus that name, so each folder is resolved once (the agent normalizes every loaded
    module's file, and a child process pays for each)."""
    if os.name == "posix" and path.startswith("/"):
        folder, _slash, name = path.rpartition("/")
        parts = path.split("/")
        if name and "." not in parts and ".." not in parts:
            try:
                is_link = stat.S_ISLNK(os.lstat(path).st_mode)
            except OSError:  # realpath keeps a missing last component as it is, too
                is_link = False
            if not is_link:
                real_folder = _real_folders.get(folder)
                if real_folder is None:
                    real_folder = os.path.realpath(folder or "/")
                    if len(_real_folders) < 10000:
                        _real_folders[folder] = real_folder
                return os.path.join(real_folder, name)
    return os.path.normcase(os.path.realpath(path))


def is_agent_file(filename):
    """Code of the agent itself (uncached: CodeClassifier.is_agent caches it for hot paths)."""
    return is_real_file_name(filename) and normalize(filename).startswith(_AGENT_PREFIX)


def is_real_file_name(filename):
    """Code compiled from a file, as opposed to `<string>`, `<stdin>`, `<frozen …>`."""
    return bool(filename) and not (filename.startswith("<") and filename.endswith(">"))


# A child process is told its parent's library paths here (child_processes/process_hooks),
# so it never imports sysconfig (about 13M instructions of every child's start-up on 3.12).
LIBRARY_PATHS_VARIABLE = "DAPPER_AGENT_LIBRARY_PATHS"
_SYSCONFIG_KEYS = ("stdlib", "platstdlib", "purelib", "platlib")
# Environment variables sysconfig's default paths read (CPython's, and Debian's patched scheme).
_SYSCONFIG_ENVIRONMENT = ("_PYTHON_SYSCONFIGDATA_NAME", "_PYTHON_PROJECT_BASE", "_PYTHON_HOST_PLATFORM",
                          "DEB_PYTHON_INSTALL_LAYOUT")
_library_paths = []  # [{"sysconfig": {key: normalized path}, "site": [normalized paths]}] once known


def _interpreter():
    """What sysconfig.get_paths() and site.getsitepackages() answer from: a process whose
    interpreter differs in any of it computes the paths itself."""
    prefixes = getattr(site, "PREFIXES", None)
    return [sys.version, sys.executable, sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
            getattr(sys, "platlibdir", None), list(prefixes) if isinstance(prefixes, list) else None] + \
        [os.environ.get(name) for name in _SYSCONFIG_ENVIRONMENT]


def library_paths():
    """This interpreter's standard library and site-packages folders, normalized:
    {"sysconfig": {stdlib, platstdlib, purelib, platlib}, "site": site.getsitepackages()}."""
    if not _library_paths:
        import sysconfig  # not at the top: a child given its parent's paths never imports it

        paths = sysconfig.get_paths()
        found = {key: normalize(paths[key]) for key in _SYSCONFIG_KEYS if paths.get(key)}
        try:
            site_paths = [normalize(p) for p in site.getsitepackages()]
        except AttributeError:  # virtualenv's old site.py has no getsitepackages
            site_paths = []
        _library_paths.append({"sysconfig": found, "site": site_paths})
    return _library_paths[0]


def library_paths_for_children():
    """The value of LIBRARY_PATHS_VARIABLE in a child's environment."""
    from . import json_codec

    return json_codec.dumps(dict(library_paths(), interpreter=_interpreter()))


def accept_library_paths(value):
    """Take the parent's paths (LIBRARY_PATHS_VARIABLE) when its interpreter is this one, set
    up the same way; otherwise (or for anything malformed) they are computed here."""
    if not value or _library_paths:
        return False
    from . import json_codec

    try:
        data = json_codec.loads(value)
    except ValueError:
        return False
    if not isinstance(data, dict) or data.get("interpreter") != _interpreter():
        return False
    found, site_paths = data.get("sysconfig"), data.get("site")
    if not isinstance(found, dict) or not isinstance(site_paths, list) or \
            not all(isinstance(p, str) for p in list(found.values()) + site_paths):
        return False
    _library_paths.append({"sysconfig": found, "site": site_paths})
    return True


def _library_roots():
    paths = library_paths()
    roots = set(paths["sysconfig"].values())
    roots.update(paths["site"])
    user_site = getattr(site, "USER_SITE", None)
    if user_site:
        roots.add(normalize(user_site))
    roots.add(normalize(os.path.dirname(os.__file__)))
    return tuple(sorted(r.rstrip(os.sep) + os.sep for r in roots))


class CodeClassifier:
    """Answers "is this code the user's?" and "is this the agent's own code?", cached per file name."""

    def __init__(self):
        self._library_roots = _library_roots()
        self._user_cache = {}
        self._agent_cache = {}
        self._key_cache = {}
        self.just_my_code = True

    def key(self, filename):
        """Normalized path for a code object's co_filename (cached: called on hot paths)."""
        key = self._key_cache.get(filename)
        if key is None:
            key = normalize(filename) if is_real_file_name(filename) else filename
            self._key_cache[filename] = key
        return key

    def is_agent(self, filename):
        result = self._agent_cache.get(filename)
        if result is None:
            result = is_agent_file(filename)
            self._agent_cache[filename] = result
        return result

    def is_library(self, filename):
        """Standard library, site-packages, frozen modules, or the agent itself."""
        result = self._user_cache.get(filename)
        if result is None:
            if self.is_agent(filename):
                result = True
            elif filename.startswith("<frozen") or filename.startswith("<__array_function__"):
                result = True
            elif not is_real_file_name(filename):
                result = False  # exec'd strings, <stdin>: written by the user
            else:
                result = self.key(filename).startswith(self._library_roots)
            self._user_cache[filename] = result
        return result

    def may_stop_in(self, filename):
        """Whether the debugger may stop or step into code from this file."""
        if self.is_agent(filename):
            return False
        return not (self.just_my_code and self.is_library(filename))
