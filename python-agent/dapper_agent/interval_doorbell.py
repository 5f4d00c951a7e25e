"""`openDoorbell`: a second connection on which the adapter rings just before it sends a request
while the program runs, so that the agent's reader gets the GIL at once to read it.

Why: with the program's threads running Python, the reader, back from the socket with a
request, waits for the GIL, which CPython hands over once per switch interval (5 ms unless the
program set another), and tends to be served after every busy thread: about 5 ms per thread,
50-90 ms for an apply with 8 threads running (docs/benchmarks.md, "apply while running").
Lowering the interval from Python once the request arrives would need the GIL first. The apply hint
(hotreload/apply_hint.py) lowers it ahead, while the user edits; the doorbell lowers it at the
moment the request is sent, for any request, with or without a hint, and costs the program
nothing the rest of the time.

How: this thread waits in the C library's recv() with the GIL released, its buffer being
CPython's own copy of the interval (switch_interval_word.py finds it, proven by three values).
The adapter's ring is the new value's bytes, so the kernel writes it there the moment the ring
arrives: every thread waiting for the GIL, the reader among them, then waits at most 97 us
per hand-over, without any Python code having run. The agent then takes it as its own reason
for the lowered value (switch_interval.py, "rung"), until the request the adapter marked
`rang` is answered, and the program's own value comes back. A ring whose request never comes
is forgotten after 2 s.

Safety: only the 4 low bytes of that one word are ever written, and only what the adapter
sends on a connection that presented this doorbell's one-time token; the listener binds the
main connection's own local address (loopback unless the session was attached from another
machine) and takes one connection. The agent speaks first, with a second one-time value the
offer gave the adapter, so that an adapter whose connection reaches something else (a
tunnel that forwards only the main port, another network namespace) sends it nothing. Before each wait the word is checked to hold the interval
still; if not, the doorbell closes. Linux only (the search reads /proc/self/maps), and not on
builds without the GIL: elsewhere `openDoorbell` answers why it is unavailable, and requests
wait for the GIL as before.
"""

# Everything is imported with this module, on the reader's first `openDoorbell`, while the
# switch interval is lowered (channel.py): imported later, each of their files would wait for
# the GIL behind the program's busy threads.
import errno
import hmac
import os
import socket
import struct
import threading
import weakref

from .commands import command
from .switch_interval import RING_MICROSECONDS
from .switch_interval_word import NotFound, ring_bytes

try:
    import ctypes
except ImportError:  # a build without _ctypes: no doorbell (open_doorbell says so)
    ctypes = None

ACCEPT_TIMEOUT_SECONDS = 10.0
TOKEN_TIMEOUT_SECONDS = 5.0
# How long one wait in recv() lasts before the doorbell re-arms, which also notes the program's
# own interval again if the program changed it meanwhile.
REARM_SECONDS = 2.0

_OPEN = weakref.WeakSet()  # doorbell connections of this process, closed in a forked child
# session.switch_interval -> True once this process offered a doorbell (a forked child's
# session gets a new one, and may offer its own).
_OPENED = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _close_in_forked_child():
    # The parent's doorbell belongs to the parent: its thread is not in the child.
    for connection in list(_OPEN):
        try:
            connection.close()
        except OSError:
            pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_forked_child)


def _libc_recv():
    libc = ctypes.CDLL(None, use_errno=True)
    recv = libc.recv
    recv.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    recv.restype = ctypes.c_ssize_t
    return recv, ctypes.get_errno


def _read_token(connection, length):
    """The token line's `length` bytes and its newline, and not a byte more: a ring may follow
    at once."""
    connection.settimeout(TOKEN_TIMEOUT_SECONDS)
    received = b""
    while len(received) < length + 1:
        chunk = connection.recv(length + 1 - len(received))
        if not chunk:
            break
        received += chunk
    return received


def _serve(session, listener, token, reply, word, offset, size):
    switch = session.switch_interval
    try:
        try:
            connection, _ = listener.accept()
        except OSError:
            return  # nobody came: the adapter gave up on the doorbell
        finally:
            listener.close()
        try:
            connection.sendall(reply.encode("ascii") + b"\n")
            given = _read_token(connection, len(token))
        except OSError:
            given = b""
        if not hmac.compare_digest(given, token.encode("ascii") + b"\n"):
            session.console("Dapper agent: a connection to the doorbell did not present its token; it was closed.\n")
            connection.close()
            return
        _OPEN.add(connection)
        # Blocking, so that recv() below waits; SO_RCVTIMEO bounds each wait.
        connection.settimeout(None)
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", int(REARM_SECONDS), 0))
        _ring_loop(session, switch, connection, word, offset, size)
    finally:
        switch.close_doorbell()


def _ring_loop(session, switch, connection, word, offset, size):
    recv, get_errno = _libc_recv()
    descriptor = connection.fileno()
    try:
        while not session.disconnected:
            if not switch.arm_doorbell(word):
                session.console("Dapper agent: the switch interval moved in memory; the doorbell is closed.\n")
                return
            received = recv(descriptor, word + offset, size, socket.MSG_WAITALL)
            if received == size:
                switch.rung()
            elif received > 0:
                # Part of a ring (a signal cut the wait short): take the rest, so the next
                # ring is whole, and set the value again.
                rest = size - received
                while rest:
                    chunk = connection.recv(rest)
                    if not chunk:
                        return
                    rest -= len(chunk)
                switch.rung(torn=True)
            elif received == 0:
                return  # the adapter closed the doorbell
            elif get_errno() in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EINTR):
                continue  # re-arm
            else:
                return
            switch.wait_ring_answered()
    except OSError:
        return
    finally:
        _OPEN.discard(connection)
        try:
            connection.close()
        except OSError:
            pass


@command("openDoorbell")
def open_doorbell(session, arguments):
    """{} -> {port, token, reply, ring} (ring: the bytes to send, in hex), or {unavailable: why}.
    Asked while the program runs, with no ring yet: lowered as while a hold settles, so that
    starting the doorbell's thread does not wait 5 ms per busy thread for the GIL."""
    with session.switch_interval.settling():
        return _open(session)


def _open(session):
    if ctypes is None:
        return {"unavailable": "ctypes cannot be imported"}
    with _LOCK:
        if _OPENED.get(session.switch_interval):
            return {"unavailable": "this process's doorbell was opened already"}
        _OPENED[session.switch_interval] = True
    channel = session.channel
    host = channel.local_host() if channel is not None else None
    if host is None:
        return {"unavailable": "the connection to the adapter is not a network socket"}
    try:
        word = session.switch_interval.locate_word()
    except NotFound as why:
        return {"unavailable": str(why)}
    offset, ring = ring_bytes(RING_MICROSECONDS)
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind((host, 0))
        listener.listen(1)
        listener.settimeout(ACCEPT_TIMEOUT_SECONDS)
    except OSError as error:
        listener.close()
        return {"unavailable": "no port to listen on ({})".format(error)}
    token, reply = os.urandom(16).hex(), os.urandom(16).hex()
    session.start_agent_thread(_serve, "dapper-doorbell", session, listener, token, reply, word, offset, len(ring))
    return {"port": listener.getsockname()[1], "token": token, "reply": reply, "ring": ring.hex()}
