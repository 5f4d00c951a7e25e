"""The adapter connection: JSON lines over loopback TCP (docs/agent-protocol.md)."""

import os
import socket
import threading

from . import commands, json_codec
from .request_threads import RequestThreads


class Channel:
    def __init__(self, sock):
        self._sock = sock
        self._send_lock = threading.Lock()
        self._closed = False
        self._in_flight = 0
        self._idle = threading.Condition()
        self.on_lost = None  # callable, run once when the adapter goes away
        self._request_threads = None  # RequestThreads, once serve() runs

    @classmethod
    def connect(cls, host, port, timeout=30.0):
        # An ASCII host as bytes: getaddrinfo encodes a str with the idna codec, whose import
        # (encodings.idna, stringprep, unicodedata) is a noticeable part of a child's start-up.
        if isinstance(host, str) and host.isascii():
            host = host.encode("ascii")
        sock = socket.create_connection((host, port), timeout=timeout)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(sock)

    def local_host(self):
        """The address this end of the connection is bound to (the doorbell listens there), or
        None if the connection is not a network socket."""
        try:
            address = self._sock.getsockname()
        except OSError:
            return None
        return address[0] if isinstance(address, tuple) else None

    def send(self, message):
        """One sendall per message, under a lock; blocks while the adapter is slow."""
        data = (json_codec.dumps(message) + "\n").encode("ascii")
        with self._send_lock:
            if self._closed:
                return False
            try:
                self._sock.sendall(data)
                return True
            except OSError:
                self._closed = True
        self._lost()
        return False

    def _lost(self):
        callback, self.on_lost = self.on_lost, None
        if callback is not None:
            callback()

    def serve(self, session):
        """Reader loop (runs on an agent thread): dispatch every request, answer every one."""
        reader = self._sock.makefile("rb")
        self._request_threads = RequestThreads(lambda run: session.start_agent_thread(run, "dapper-request"))
        try:
            for raw in reader:
                try:
                    message = json_codec.loads(raw.decode("utf-8"))
                except ValueError as error:
                    session.console("Dapper agent: ignored a malformed message from the adapter (%s).\n" % error)
                    continue
                if not isinstance(message, dict) or message.get("type") != "request":
                    continue
                if message.get("rang") is True:
                    # The adapter rang the doorbell for this request (interval_doorbell.py).
                    session.switch_interval.rang_request_read()
                if not commands.is_loaded(message.get("command")):
                    # The command's module is imported on its first request. While the program's
                    # threads run Python each file read is a wait for the GIL, 5 ms per busy
                    # thread at CPython's interval (seconds for a module tree): lowered meanwhile.
                    with session.switch_interval.settling():
                        commands.is_slow(message.get("command"))
                if commands.is_slow(message.get("command")):
                    # The request's thread is found (or started) before the arrival hook runs:
                    # starting a thread takes threading's own lock, which a program thread that
                    # hook holds (Apply Changes while running) may have been holding where it
                    # parked (request_threads.py).
                    arrived = threading.Event()
                    self._request_threads.run(lambda message=message, arrived=arrived: self._answer_once_arrived(session, message, arrived))
                    try:
                        commands.arrived(session, message)
                    finally:
                        arrived.set()
                else:
                    self._answer(session, message)
        except OSError:
            pass
        self._lost()

    def prepare_request_thread(self):
        """Have a thread waiting to answer the next slow request (an apply is expected soon).
        Call from the reader (a request's handler), never while the program is held."""
        if self._request_threads is not None:
            self._request_threads.prepare()

    def _answer_once_arrived(self, session, message, arrived):
        arrived.wait()
        self._answer(session, message)

    def _answer(self, session, message):
        with self._idle:
            self._in_flight += 1
        try:
            self.send(commands.dispatch(session, message))
            for action in session.take_actions_after_response():
                action()
        finally:
            if message.get("rang") is True:
                session.switch_interval.rang_request_answered()
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def drain(self, timeout=2.0):
        """Wait until requests being handled are answered (e.g. the `continue` that let the
        program finish must be answered before the channel closes)."""
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    def abandon(self):
        """In a forked child: let go of the parent's connection without shutting it down
        (that would end it for the parent too) and without taking its lock (a parent thread
        may have held it at the fork)."""
        self._closed = True
        self.on_lost = None
        try:
            # The reader's makefile() still refers to the socket, so close() would keep the
            # descriptor open, and the adapter would not see the parent's connection end
            # until this child exits too.
            os.close(self._sock.detach())
        except OSError:
            pass

    def close(self):
        with self._send_lock:
            self._closed = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self._sock.close()
        except OSError:
            pass
