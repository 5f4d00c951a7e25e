"""`python -m dapper_agent --listen`: its command line, the token, and the attach handshake
(a wrong or missing token and a second debugger refused, the program untouched)."""

import json
import os
import select
import socket
import subprocess
import sys
import time
import unittest

from dapper_agent.attach.attachments import Attachments
from dapper_agent.attach.cli import UsageError, is_loopback, parse
from dapper_agent.attach.listener import Listener

from .protocol_check import check

AGENT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAM = "import os, sys, time\nprint('token in env:', 'DAPPER_TOKEN' in os.environ, flush=True)\nprint('agent on path:', any(p and os.path.realpath(p) == %r for p in sys.path), flush=True)\nwhile True:\n    print('tick', flush=True)\n    time.sleep(0.05)\n" % os.path.realpath(AGENT_DIR)


class CommandLine(unittest.TestCase):
    def test_program_kinds_and_their_arguments(self):
        self.assertEqual(
            parse(["--listen", "5678", "app.py", "--port", "1"]),
            {"host": "127.0.0.1", "port": 5678, "token": None, "wait": False, "kind": "script", "target": "app.py", "args": ["--port", "1"]},
        )
        options = parse(["--listen=0.0.0.0:0", "--token", "t", "--wait-for-client", "-m", "pkg.tool", "-x"])
        self.assertEqual((options["host"], options["port"], options["token"], options["wait"]), ("0.0.0.0", 0, "t", True))
        self.assertEqual((options["kind"], options["target"], options["args"]), ("module", "pkg.tool", ["-x"]))
        self.assertEqual(parse(["--listen", "[::1]:7", "-c", "pass", "a"])["host"], "::1")
        self.assertEqual(parse(["--listen", "7", "-c", "pass", "a"])["args"], ["a"])

    def test_bad_command_lines_say_what_is_wrong(self):
        for argv, message in [
            (["app.py"], "--listen"),
            (["--listen", "5678"], "no program"),
            (["--listen", "host:http", "app.py"], "[HOST:]PORT"),
            (["--listen", "70000", "app.py"], "out of range"),
            (["--listen", "1", "--frobnicate", "app.py"], "unknown option"),
            (["--listen", "1", "-m"], "-m needs an argument"),
        ]:
            with self.assertRaises(UsageError) as caught:
                parse(argv)
            self.assertIn(message, str(caught.exception))

    def test_loopback_addresses(self):
        for host in ("127.0.0.1", "127.0.0.2", "::1", "localhost"):
            self.assertTrue(is_loopback(host), host)
        for host in ("0.0.0.0", "10.0.0.2", "::", "example.org"):
            self.assertFalse(is_loopback(host), host)


class HandshakeDeadline(unittest.TestCase):
    def test_a_client_that_trickles_bytes_is_cut_off_at_the_handshake_deadline(self):
        # One byte every 50 ms would have renewed a per-read timeout forever; the deadline covers
        # the whole first line, so the listener closes the connection once it has passed.
        attachments = Attachments()
        listener = Listener("127.0.0.1", 0, "right", attachments=attachments, handshake_timeout=0.5)
        self.addCleanup(listener.close)
        listener.start()
        sock = socket.create_connection(tuple(listener.address), timeout=10)
        self.addCleanup(sock.close)
        sock.sendall(b'{"type": "attach", "token": "right"')
        sent = 0
        closed = False
        while sent < 400 and not closed:  # 400 bytes take 20 s, forty times the deadline
            readable, _, _ = select.select([sock], [], [], 0.05)
            if readable:
                try:
                    closed = sock.recv(4096) == b""
                except ConnectionResetError:
                    closed = True
                break
            try:
                sock.sendall(b" ")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
            sent += 1
        self.assertTrue(closed, "the listener kept a client that trickled %d bytes" % sent)
        self.assertIsNone(attachments.peer)
        self.assertIsNone(attachments.session)


class Listening(unittest.TestCase):
    def start(self, *options, env=None):
        environment = dict(os.environ, PYTHONPATH=AGENT_DIR, PYTHONUNBUFFERED="1")
        environment.pop("DAPPER_TOKEN", None)
        environment.update(env or {})
        process = subprocess.Popen(
            [sys.executable, "-m", "dapper_agent", "--listen", "127.0.0.1:0", *options, "-c", PROGRAM],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment, cwd=AGENT_DIR,
        )
        self.addCleanup(process.stderr.close)
        self.addCleanup(process.stdout.close)
        self.addCleanup(process.wait)
        self.addCleanup(process.kill)
        stderr = b""
        while b"listening for a debugger on" not in stderr:
            line = process.stderr.readline()
            if not line:
                self.fail("the listener did not start: %r" % stderr)
            stderr += line
        port = int(stderr.split(b"listening for a debugger on 127.0.0.1:")[1].split()[0])
        return process, port, stderr.decode()

    def attach(self, port, token):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.addCleanup(sock.close)
        reader = sock.makefile("rb")
        self.addCleanup(reader.close)
        message = {"type": "attach", "protocol": 1}
        if token is not None:
            message["token"] = token
        self.assertIsNone(check("AgentAttachRequest", message))
        sock.sendall((json.dumps(message) + "\n").encode())
        return sock, json.loads(reader.readline()), reader

    def assert_still_running(self, process):
        first = process.stdout.readline()
        second = process.stdout.readline()
        self.assertEqual((first, second), (b"tick\n", b"tick\n"))
        self.assertIsNone(process.poll())

    def test_token_from_the_environment_is_hidden_from_the_program(self):
        process, _port, _stderr = self.start(env={"DAPPER_TOKEN": "from-env"})
        self.assertEqual(process.stdout.readline(), b"token in env: False\n")
        self.assertEqual(process.stdout.readline(), b"agent on path: False\n")

    def test_a_token_is_generated_and_printed_when_none_is_given(self):
        process, port, stderr = self.start()
        token = stderr.split("token for attaching: ")[1].split()[0]
        self.assertEqual(len(token), 32)
        _sock, answer, _reader = self.attach(port, token)
        self.assertEqual(answer["type"], "hello")

    def test_refusals_leave_the_program_and_the_attached_debugger_alone(self):
        process, port, _stderr = self.start("--token", "right")
        _sock, wrong, _ = self.attach(port, "wrong")
        self.assertEqual((wrong["type"], wrong["reason"]), ("refused", "token"))
        self.assertIn("Wrong token", wrong["message"])
        self.assertIsNone(check("AgentRefusal", wrong))
        _sock, missing, _ = self.attach(port, None)
        self.assertEqual((missing["type"], missing["reason"]), ("refused", "token"))
        raw = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.addCleanup(raw.close)
        raw.sendall(b"GET / HTTP/1.0\r\n\r\n")
        with raw.makefile("rb") as raw_reader:
            self.assertEqual(json.loads(raw_reader.readline())["reason"], "protocol")
        for _ in range(2):
            process.stdout.readline()
        self.assert_still_running(process)

        first, hello, reader = self.attach(port, "right")
        self.assertEqual((hello["type"], hello["attached"], hello["token"]), ("hello", True, "right"))
        self.assertIsNone(check("AgentHello", hello))
        _sock, busy, _ = self.attach(port, "right")
        self.assertEqual((busy["type"], busy["reason"]), ("refused", "busy"))
        self.assertIsNone(check("AgentRefusal", busy))
        # The first debugger is still served.
        first.sendall((json.dumps({"type": "request", "seq": 1, "command": "threads", "arguments": {}}) + "\n").encode())
        while True:
            message = json.loads(reader.readline())
            if message.get("type") == "response":
                break
        self.assertTrue(message["success"])
        self.assertEqual(message["body"]["threads"][0]["name"], "MainThread")

        # Once it goes, the next one is welcome.
        first.shutdown(socket.SHUT_RDWR)
        reader.close()
        first.close()
        deadline = time.monotonic() + 10
        while True:
            _sock, answer, _ = self.attach(port, "right")
            if answer["type"] == "hello" or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(answer["type"], "hello")
        self.assert_still_running(process)

    def test_a_non_loopback_address_is_warned_about(self):
        environment = dict(os.environ, PYTHONPATH=AGENT_DIR)
        process = subprocess.Popen(
            [sys.executable, "-m", "dapper_agent", "--listen", "0.0.0.0:0", "--token", "t", "-c", "pass"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment, cwd=AGENT_DIR,
        )
        _out, err = process.communicate(timeout=30)
        self.assertIn(b"WARNING: listening on 0.0.0.0, which other machines may reach", err)
        self.assertEqual(process.returncode, 0)
