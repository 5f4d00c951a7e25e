"""disconnect and terminate."""

import os

from ..commands import command


def _exit_soon(session, code):
    """Answer first, then leave: the adapter must see the response before the process ends."""

    def leave():
        if session.output is not None:
            try:
                session.output.flush()
            except Exception:
                pass
        os._exit(code)

    session.start_agent_thread(_after_response(session, leave), "dapper-exit")


def _after_response(session, action):
    def run():
        import time

        time.sleep(0.05)
        action()

    return run


@command("disconnect")
def disconnect(session, arguments):
    if arguments.get("terminateDebuggee"):
        session.terminate_requested = True
        _exit_soon(session, 1)
        return {}
    session.send_event_after_response("output", {"category": "console", "output": "Debugger detached; the program continues.\n"})
    session.start_agent_thread(_after_response(session, session.detach), "dapper-detach")
    return {}


@command("terminate")
def terminate(session, arguments):
    session.terminate_requested = True
    _exit_soon(session, 1)
    return {}
