"""Dapper's debug agent: runs inside the debuggee, speaks docs/agent-protocol.md.

Standard library only; CPython 3.9 through 3.13.
"""

PROTOCOL_VERSION = 1
