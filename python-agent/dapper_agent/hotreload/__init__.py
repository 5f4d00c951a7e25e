"""Apply Changes (dapper/hotReload): patch the running program with an edited source file.

Importing this package registers the agent commands when the agent's command registry is
present (see commands.py); the engine itself is a plain library (engine.HotReloadEngine).
"""

from .diagnostics import HotReloadRefused
from .engine import HotReloadEngine, ReloadOutcome
from .frames import LiveFrame

__all__ = ["HotReloadEngine", "HotReloadRefused", "LiveFrame", "ReloadOutcome"]

try:
    from .. import commands as _agent_commands
except ImportError:  # used as a plain library, outside the agent
    _agent_commands = None
if _agent_commands is not None:
    # Registers the hotReload command; the agent's stackTrace translates lines through these.
    from . import commands
    from .commands import attach, snapshot_sources, translate_line

    __all__ += ["attach", "commands", "snapshot_sources", "translate_line"]
