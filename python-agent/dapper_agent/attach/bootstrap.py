"""What a debugger runs inside a plain Python process to attach to it by process id.

The debugger (adapter/processAttach.ts) injects one short statement — with gdb on 3.9–3.13,
with `sys.remote_exec` (PEP 768) on 3.14+ — that imports this module from the debugger's own
python-agent/ folder and calls `connect_back(host, port, token)`. That returns at once: an
agent thread connects to the debugger's loopback listener and presents the token the
debugger created for this attach, exactly as a launched program's agent does. Nothing here
listens, and nothing runs code sent by anyone but that debugger.
"""

import threading

from ..channel import Channel
from .attachments import ATTACHMENTS, hello_message


def connect_back(host, port, token):
    """Called on whichever program thread the injection ran on: start the agent, return."""
    thread = threading.Thread(target=_attach, args=(host, port, token), name="dapper-attach", daemon=True)
    thread._dapper_agent_thread = True
    thread.start()


def _attach(host, port, token):
    import sys

    ident = threading.get_ident()
    ATTACHMENTS.agent_idents.add(ident)
    try:
        sys.settrace(None)
        main = sys.modules.get("__main__")
        if ATTACHMENTS.main_globals is None and main is not None:
            ATTACHMENTS.main_globals = main.__dict__
        ATTACHMENTS.program_started = True
        try:
            channel = Channel.connect(host, port, timeout=15.0)
        except OSError as error:
            sys.stderr.write("dapper: could not connect back to the debugger at %s:%s (%s)\n" % (host, port, error))
            return
        peer = "the debugger at %s:%s" % (host, port)
        holder = ATTACHMENTS.claim(peer)
        if holder is not None:
            channel.send({"type": "refused", "reason": "busy", "token": token,
                          "message": "Another debugger (%s) is attached to this program; it stays attached. "
                                     "Detach it first." % holder})
            channel.close()
            return
        ATTACHMENTS.begin(channel, peer, hello=hello_message(token=token, attached=True))
    finally:
        ATTACHMENTS.agent_idents.discard(ident)
