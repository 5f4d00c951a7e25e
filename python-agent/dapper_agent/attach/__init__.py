"""Attaching to a program that is already running (docs/agent-protocol.md, "Attach").

- `listener`: `python -m dapper_agent --listen`: the agent waits for debuggers on a port.
- `bootstrap`: the code a debugger injects into a plain Python process (attach by process
  id) to connect back to it.
- `attachments`: one debugger at a time, each with a fresh Session; detaching leaves the
  program running untraced, and a later attach starts over.
"""
