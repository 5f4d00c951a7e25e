"""Checks what the agent sends against the one definition of the protocols.

The schemas are common/protocol/dapper.schema.json and agent.schema.json; the checking is done
by `node scripts/protocol-check.mjs` (ajv), started once per test run and fed one JSON line per
message. `check("AgentMessage", message)` returns None or the schema's complaint.
"""

import atexit
import json
import os
import shutil
import subprocess
import threading

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECKER = os.path.join(REPO, "scripts", "protocol-check.mjs")
SCHEMA_DIR = os.path.join(REPO, "common", "protocol")

_lock = threading.Lock()
_process = None


def load_schema(name):
    with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as handle:
        return json.load(handle)


def _checker():
    global _process
    if _process is None or _process.poll() is not None:
        node = shutil.which("node")
        if node is None:
            raise AssertionError("the protocol check needs Node.js on PATH (it runs %s)" % CHECKER)
        _process = subprocess.Popen(
            [node, CHECKER], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        atexit.register(_stop)
    return _process


def _stop():
    if _process is not None and _process.poll() is None:
        _process.stdin.close()
        _process.wait(10)


def check(definition, value):
    """None when `value` matches the schema's `definition`, else what is wrong."""
    line = (json.dumps({"definition": definition, "value": value}) + "\n").encode("utf-8")
    with _lock:
        process = _checker()
        process.stdin.write(line)
        process.stdin.flush()
        answer = process.stdout.readline()
    if not answer:
        raise AssertionError("the protocol checker stopped: %s" % process.stderr.read().decode("utf-8", "replace"))
    result = json.loads(answer.decode("utf-8"))
    return None if result["ok"] else result["errors"]


def problems(definition, values):
    """['<what> : <complaint>'] for every value that does not match."""
    found = []
    for value in values:
        complaint = check(definition, value)
        if complaint is not None:
            found.append("%s\n    in %s" % (complaint, json.dumps(value)[:600]))
    return found
