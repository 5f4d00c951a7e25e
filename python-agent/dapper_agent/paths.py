"""Which code is the user's (justMyCode) and how paths are compared."""

import os
import site
import sysconfig

AGENT_ROOT = os.path.normcase(os.path.realpath(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def normalize(path):
    """The form every path is compared in (docs/agent-protocol.md)."""
    return os.path.normcase(os.path.realpath(path))


def is_real_file_name(filename):
    """Code compiled from a file, as opposed to `<string>`, `<stdin>`, `<frozen …>`."""
    return bool(filename) and not (filename.startswith("<") and filename.endswith(">"))


def _library_roots():
    roots = set()
    paths = sysconfig.get_paths()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        if paths.get(key):
            roots.add(normalize(paths[key]))
    try:
        roots.update(normalize(p) for p in site.getsitepackages())
    except AttributeError:  # virtualenv's old site.py has no getsitepackages
        pass
    user_site = getattr(site, "USER_SITE", None)
    if user_site:
        roots.add(normalize(user_site))
    roots.add(normalize(os.path.dirname(os.__file__)))
    return tuple(sorted(r.rstrip(os.sep) + os.sep for r in roots))


class CodeClassifier:
    """Answers "is this code the user's?" and "is this the agent's own code?", cached per file name."""

    def __init__(self):
        self._library_roots = _library_roots()
        self._agent_prefix = AGENT_ROOT.rstrip(os.sep) + os.sep
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
            result = is_real_file_name(filename) and self.key(filename).startswith(self._agent_prefix)
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
