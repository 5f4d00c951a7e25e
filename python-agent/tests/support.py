"""AgentHarness: plays the Dapper adapter against the real agent, for tests.

    with AgentHarness(SCRIPT_TEXT, python=sys.executable) as agent:
        agent.set_breakpoints(agent.program, [4])     # lines, or dicts with condition/logMessage…
        agent.configuration_done()                     # starts the program
        stopped = agent.wait_event("stopped")          # the event's body
        frames = agent.stack()                         # stackTrace body's stackFrames, top thread
        agent.request("continue", threadId=1)          # the response message (raises on failure)
        agent.wait_exit()                              # (exit event body or None, process return code)
        agent.output("stdout")                         # everything the program printed there

It listens on 127.0.0.1:0, starts `dapper_launcher.py` on a script written to a temp folder
with a fresh token, and checks the hello. Every wait has a timeout (TIMEOUT seconds), so a
hang fails the test instead of blocking the run. `extra_files={"mod.py": "..."}` writes more
files next to the script. `request_raw()` returns failed responses instead of raising.
"""

import json
import os
import queue
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time

from .protocol_check import problems

AGENT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(AGENT_DIR, "dapper_launcher.py")
TIMEOUT = 20.0


class AgentError(AssertionError):
    pass


class AgentHarness:
    def __init__(self, script, args=(), python=None, extra_files=None, env=None, script_name="program.py", token=None,
                 module=None):
        self.folder = tempfile.mkdtemp(prefix="dapper-agent-test-")
        self.program = os.path.join(self.folder, script_name)
        with open(self.program, "w", encoding="utf-8") as handle:
            handle.write(textwrap.dedent(script))
        for name, text in (extra_files or {}).items():
            path = os.path.join(self.folder, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(textwrap.dedent(text))
        self.python = python or sys.executable
        self.args = list(args)
        self.module = module  # run `-m module` (from self.folder) instead of the script
        self.env = env
        self.token = token or secrets.token_hex(16)
        self.hello = None
        self.received = []  # every message the agent sent, checked against the schema on close
        self.events = queue.Queue()
        self.all_events = []
        self._responses = {}
        self._response_ready = threading.Condition()
        self._seq = 0
        self._send_lock = threading.Lock()
        self._stderr_chunks = []
        self._stdout_chunks = []
        self.process = None
        self.sock = None
        self.doorbell = None  # the connection to the agent's doorbell, once open_doorbell() made it
        self.ring_bytes = None

    # -- lifecycle ---------------------------------------------------------------------------------

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, exc_type, exc, traceback):
        # A failing test's own error says more than a schema complaint it may have caused.
        self.close(check_protocol=exc_type is None)

    def start(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(TIMEOUT)
        port = listener.getsockname()[1]
        env = dict(os.environ)
        env.update(self.env or {})
        env["DAPPER_AGENT_TOKEN"] = self.token
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONIOENCODING"] = "utf-8"
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.process = subprocess.Popen(
            [self.python, LAUNCHER, "--host", "127.0.0.1", "--port", str(port), "--"]
            + (["-m", self.module] if self.module else [self.program])
            + self.args,
            cwd=self.folder,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        threading.Thread(target=self._pump, args=(self.process.stdout, self._stdout_chunks), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.process.stderr, self._stderr_chunks), daemon=True).start()
        try:
            self.sock, _ = listener.accept()
        except socket.timeout:
            self.process.kill()
            raise AgentError("the agent did not connect within %s s; stderr: %s" % (TIMEOUT, self.process_stderr()))
        finally:
            listener.close()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._reader = self.sock.makefile("rb")
        first = self._read_message(TIMEOUT)
        if not first or first.get("type") != "hello" or first.get("token") != self.token:
            raise AgentError("first message was not a hello with our token: %r" % (first,))
        self.hello = first
        threading.Thread(target=self._read_loop, daemon=True).start()

    def close(self, check_protocol=True):
        """Stops the program; then fails if the agent sent anything agent.schema.json forbids."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(TIMEOUT)
        if self.doorbell is not None:
            self.doorbell.close()
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr) if self.process else ():
            try:
                stream.close()
            except OSError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)
        if check_protocol:
            wrong = problems("AgentMessage", list(self.received))
            if wrong:
                raise AgentError("the agent sent %d message(s) that common/protocol/agent.schema.json does not allow:\n  %s"
                                 % (len(wrong), "\n  ".join(wrong)))

    @staticmethod
    def _pump(stream, chunks):
        for chunk in iter(lambda: stream.read1(65536) if hasattr(stream, "read1") else stream.read(4096), b""):
            chunks.append(chunk)

    def process_stdout(self):
        return b"".join(self._stdout_chunks).decode("utf-8", "replace")

    def process_stderr(self):
        return b"".join(self._stderr_chunks).decode("utf-8", "replace")

    # -- messages ---------------------------------------------------------------------------------

    def _read_message(self, timeout):
        self.sock.settimeout(timeout)
        line = self._reader.readline()
        self.sock.settimeout(None)
        if not line:
            return None
        message = json.loads(line.decode("utf-8"))
        self.received.append(message)
        return message

    def _read_loop(self):
        try:
            for line in self._reader:
                message = json.loads(line.decode("utf-8"))
                self.received.append(message)
                if message.get("type") == "response":
                    with self._response_ready:
                        self._responses[message["request_seq"]] = message
                        self._response_ready.notify_all()
                elif message.get("type") == "event":
                    self.all_events.append(message)
                    self.events.put(message)
        except (OSError, ValueError):
            pass
        self.events.put(None)

    def send(self, message):
        data = (json.dumps(message) + "\n").encode("utf-8")
        with self._send_lock:
            self.sock.sendall(data)

    def request_raw(self, command, timeout=TIMEOUT, **arguments):
        return self.wait_response(self.send_request(command, **arguments), timeout)

    def send_request(self, command, **arguments):
        """Send a request without waiting; returns its seq for wait_response()."""
        with self._send_lock:
            self._seq += 1
            seq = self._seq
        self.send({"type": "request", "seq": seq, "command": command, "arguments": arguments})
        return seq

    def open_doorbell(self, token=None):
        """`openDoorbell`, then connect to it as the adapter does (with `token` instead of the
        one offered, to test a wrong one); returns the request's body."""
        body = self.request("openDoorbell")
        if "port" in body:
            self.doorbell = socket.create_connection(("127.0.0.1", body["port"]), timeout=TIMEOUT)
            reply = b""
            while not reply.endswith(b"\n"):  # the agent speaks first
                chunk = self.doorbell.recv(1)
                if not chunk:
                    break
                reply += chunk
            if reply != body["reply"].encode("ascii") + b"\n":
                raise AgentError("the doorbell answered %r, not the offer's reply" % reply)
            self.doorbell.sendall((body["token"] if token is None else token).encode("ascii") + b"\n")
            self.ring_bytes = bytes.fromhex(body["ring"])
        return body

    def ring(self):
        self.doorbell.sendall(self.ring_bytes)

    def rang_request(self, command, timeout=TIMEOUT, **arguments):
        """Ring the doorbell, then send the request marked `rang`, as the adapter does while the
        program runs; returns the response message."""
        with self._send_lock:
            self._seq += 1
            seq = self._seq
        self.ring()
        self.send({"type": "request", "seq": seq, "command": command, "arguments": arguments, "rang": True})
        return self.wait_response(seq, timeout)

    def wait_response(self, seq, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        with self._response_ready:
            while seq not in self._responses:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AgentError("no response to request %s within %s s" % (seq, timeout))
                self._response_ready.wait(remaining)
            return self._responses.pop(seq)

    def request(self, command, timeout=TIMEOUT, **arguments):
        response = self.request_raw(command, timeout=timeout, **arguments)
        if not response.get("success"):
            raise AgentError("%s failed: %s" % (command, response.get("message")))
        return response.get("body") or {}

    def wait_event(self, name, timeout=TIMEOUT, predicate=None):
        """The body of the next event called `name` (others are kept in all_events)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AgentError("no %r event within %s s; events so far: %s; stderr: %s"
                                 % (name, timeout, [e["event"] for e in self.all_events], self.process_stderr()[-2000:]))
            try:
                message = self.events.get(timeout=remaining)
            except queue.Empty:
                continue
            if message is None:
                self.events.put(None)
                raise AgentError("connection closed while waiting for %r; stderr: %s" % (name, self.process_stderr()[-2000:]))
            if message["event"] == name and (predicate is None or predicate(message["body"])):
                return message["body"]

    def output(self, category=None):
        return "".join(
            e["body"].get("output", "")
            for e in list(self.all_events)
            if e["event"] == "output" and (category is None or e["body"].get("category") == category)
        )

    def wait_output(self, text, category="stdout", timeout=TIMEOUT, after=0):
        """Waits until `text` appears in the program's output (from character `after` on)."""
        deadline = time.monotonic() + timeout
        while text not in self.output(category)[after:]:
            if time.monotonic() > deadline:
                raise AgentError("%r never appeared in %s within %s s; it ends: %r; stderr: %s"
                                 % (text, category, timeout, self.output(category)[-500:], self.process_stderr()[-2000:]))
            time.sleep(0.02)

    # -- conveniences ---------------------------------------------------------------------------

    def set_breakpoints(self, path, lines):
        specs = [line if isinstance(line, dict) else {"line": line} for line in lines]
        return self.request("setBreakpoints", source={"path": path}, breakpoints=specs)["breakpoints"]

    def configuration_done(self, stop_on_entry=False, just_my_code=True, exception_filters=("uncaught",), **settings):
        self.request("setExceptionBreakpoints", filters=list(exception_filters))
        return self.request("configurationDone", stopOnEntry=stop_on_entry, justMyCode=just_my_code, **settings)

    def stack(self, thread_id=None, **arguments):
        thread_id = thread_id if thread_id is not None else self.stopped_thread
        return self.request("stackTrace", threadId=thread_id, **arguments)["stackFrames"]

    def wait_stopped(self, reason=None, timeout=TIMEOUT):
        body = self.wait_event("stopped", timeout, (lambda b: b["reason"] == reason) if reason else None)
        self.stopped_thread = body["threadId"]
        return body

    def locals(self, frame_id=None):
        """{name: value text} of the top frame's Locals scope."""
        if frame_id is None:
            frame_id = self.stack()[0]["id"]
        scopes = self.request("scopes", frameId=frame_id)["scopes"]
        ref = next(s["variablesReference"] for s in scopes if s["name"] == "Locals")
        return {v["name"]: v["value"] for v in self.request("variables", variablesReference=ref)["variables"]}

    def evaluate(self, expression, context="repl", frame_id=None):
        arguments = {"expression": expression, "context": context}
        if frame_id is not None:
            arguments["frameId"] = frame_id
        return self.request("evaluate", timeout=60, **arguments)

    def resume(self, command="continue"):
        return self.request(command, threadId=self.stopped_thread)

    def wait_exit(self, timeout=TIMEOUT):
        """(exited event body or None, process return code)."""
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AgentError("the program did not exit within %s s; stderr: %s" % (timeout, self.process_stderr()[-2000:]))
        exited = [e["body"] for e in list(self.all_events) if e["event"] == "exited"]
        deadline = time.monotonic() + 2
        while not exited and time.monotonic() < deadline:
            time.sleep(0.02)
            exited = [e["body"] for e in list(self.all_events) if e["event"] == "exited"]
        return (exited[0] if exited else None), code

    stopped_thread = 1
