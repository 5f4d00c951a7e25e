"""Apply Changes (dapper/hotReload): patch the running program with an edited source file.

Importing this package registers the agent commands when the agent's command registry is
present (see commands.py); the engine itself is a plain library (engine.HotReloadEngine).
"""

from .diagnostics import HotReloadRefused
from .engine import HotReloadEngine, ReloadOutcome
from .frames import LiveFrame

__all__ = ["HotReloadEngine", "HotReloadRefused", "LiveFrame", "ReloadOutcome"]

try:
    from ..commands import command as _agent_command_registry  # noqa: F401
except ImportError:  # used as a plain library, outside the agent
    pass
else:
    from . import commands  # noqa: F401  (registers hotReload)
    from .commands import snapshot_sources, translate_line  # noqa: F401  for the agent's stackTrace
