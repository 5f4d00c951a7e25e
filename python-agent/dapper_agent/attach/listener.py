"""`--listen`: the agent waits for debuggers on a TCP port (docs/agent-protocol.md, "Attach").

The debugger connects and sends `{"type":"attach","token":…,"protocol":1}` as its first line.
A right token while nobody is attached gets `hello` and a Session; anything else gets
`{"type":"refused","reason":…,"message":…}` and the connection is closed, leaving the program
and any attached debugger untouched. Handshakes run on their own threads, so a client that
connects and says nothing cannot block the next one, and each has one deadline for the whole
first line: a client that trickles bytes is cut off when it passes, like one that says nothing.
"""

import hmac
import json
import os
import socket
import threading
import time

from ..channel import Channel
from .attachments import ATTACHMENTS, hello_message

HANDSHAKE_TIMEOUT = 10.0
MAX_HANDSHAKE_BYTES = 64 * 1024


class ListenError(Exception):
    """The port cannot be listened on."""


class Listener:
    def __init__(self, host, port, token, attachments=ATTACHMENTS, handshake_timeout=HANDSHAKE_TIMEOUT):
        self._token = token
        self._handshake_timeout = handshake_timeout
        self._attachments = attachments
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            infos = socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)
            self._server = socket.socket(family, socket.SOCK_STREAM)
            self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._server.bind(infos[0][4])
            self._server.listen(8)
        except (OSError, IndexError) as error:
            raise ListenError("cannot listen on %s:%s (%s)" % (host, port, error))
        self.address = self._server.getsockname()[:2]
        self._closed = False
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self.close)

    def start(self):
        thread = threading.Thread(target=self._accept_loop, name="dapper-listener", daemon=True)
        thread._dapper_agent_thread = True
        thread.start()
        return thread

    def close(self):
        self._closed = True
        try:
            self._server.close()
        except OSError:
            pass

    def _accept_loop(self):
        self._attachments.agent_idents.add(threading.get_ident())
        while not self._closed:
            try:
                sock, peer = self._server.accept()
            except OSError:
                if self._closed:
                    return
                continue
            thread = threading.Thread(target=self._handshake, args=(sock, peer), name="dapper-handshake", daemon=True)
            thread._dapper_agent_thread = True
            thread.start()

    def _handshake(self, sock, peer):
        ident = threading.get_ident()
        self._attachments.agent_idents.add(ident)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            # A debugger whose machine vanished must not hold the one slot forever.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            request = _read_first_line(sock, time.monotonic() + self._handshake_timeout)
            refusal = self._check(request)
            peer_name = "%s:%s" % peer[:2]
            if refusal is None:
                holder = self._attachments.claim(peer_name)
                if holder is not None:
                    refusal = ("busy", "Another debugger (%s) is attached to this program; it stays attached. "
                                       "Detach it first." % holder)
            if refusal is not None:
                _refuse(sock, *refusal)
                return
            sock.settimeout(None)
            self._attachments.begin(Channel(sock), peer_name, hello=hello_message(token=request["token"], attached=True))
        except Exception:  # a bad client must never disturb the program
            try:
                sock.close()
            except OSError:
                pass
        finally:
            self._attachments.agent_idents.discard(ident)

    def _check(self, request):
        if not isinstance(request, dict) or request.get("type") != "attach":
            return ("protocol", "This port belongs to a Dapper agent; it expects a Dapper debugger.")
        token = request.get("token")
        if not isinstance(token, str) or not token:
            return ("token", "This program requires a token to attach (give \"token\" in the attach configuration).")
        if not hmac.compare_digest(token.encode("utf-8"), self._token.encode("utf-8")):
            return ("token", "Wrong token: this program was started with a different one.")
        return None


def _read_first_line(sock, deadline):
    """The first line as JSON, or None; socket.timeout once `deadline` (monotonic) has passed."""
    data = b""
    while b"\n" not in data:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("the handshake took too long")
        sock.settimeout(remaining)
        chunk = sock.recv(4096)
        if not chunk:
            return None
        data += chunk
        if len(data) > MAX_HANDSHAKE_BYTES:
            return None
    try:
        return json.loads(data.split(b"\n", 1)[0].decode("utf-8"))
    except ValueError:
        return None


def _refuse(sock, reason, message):
    try:
        sock.sendall((json.dumps({"type": "refused", "reason": reason, "message": message}) + "\n").encode("utf-8"))
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()
