"""Apply Changes (dapper/hotReload): patch the running program with an edited source file.

The engine is a plain library (engine.HotReloadEngine). In the agent, `registration` registers
the `hotReload` command and snapshots sources from start-up; the engine itself is imported on
the first apply. Importing this package imports nothing else: the names below load on first use.
"""

import importlib

_EXPORTS = {
    "HotReloadEngine": "engine",
    "ReloadOutcome": "engine",
    "HotReloadRefused": "diagnostics",
    "LiveFrame": "frames",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    value = getattr(importlib.import_module("." + module, __name__), name)
    globals()[name] = value
    return value
