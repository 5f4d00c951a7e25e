"""Dapper's debug agent: runs inside the debuggee, speaks docs/agent-protocol.md.

Standard library only; CPython 3.9 through 3.13.
"""

PROTOCOL_VERSION = 1

from . import bytecode_cache

bytecode_cache.cache_own_modules((__name__, bytecode_cache.__name__))
