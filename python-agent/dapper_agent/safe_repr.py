"""Value text that can never freeze the session: capped in size, and time-limited.

User `__repr__`s run on a helper thread with a deadline; if one does not return in time the
helper is abandoned (it is a daemon) and a fresh one serves the next request.
"""

import threading

REPR_TIMEOUT = 1.0
VARIABLE_LIMIT = 10000
REPL_LIMIT = 1000000
ELLIPSIS = "\u2026"


class ReprResult:
    def __init__(self, text, truncated=False, timed_out=False):
        self.text = text
        self.truncated = truncated
        self.timed_out = timed_out


def _budgeted_repr(value, limit, depth=0):
    """repr(value) but never builds much more than `limit` characters for builtin containers."""
    kind = type(value)
    if kind is str:
        if len(value) > limit:
            return repr(value[:limit])
        return repr(value)
    if kind in (bytes, bytearray):
        if len(value) > limit:
            return repr(value[:limit])
        return repr(value)
    if kind in (list, tuple, set, frozenset, dict) and depth < 6:
        if kind is dict:
            open_, close = "{", "}"
        elif kind is list:
            open_, close = "[", "]"
        elif kind is tuple:
            open_, close = "(", ")"
        else:
            if not value:
                return kind.__name__ + "()"
            open_, close = ("{", "}") if kind is set else ("frozenset({", "})")
        pieces = []
        used = len(open_)
        items = value.items() if kind is dict else value
        for item in items:
            if used > limit:
                pieces.append("...")
                break
            if kind is dict:
                piece = _budgeted_repr(item[0], limit - used, depth + 1) + ": " + _budgeted_repr(item[1], limit - used, depth + 1)
            else:
                piece = _budgeted_repr(item, limit - used, depth + 1)
            pieces.append(piece)
            used += len(piece) + 2
        text = ", ".join(pieces)
        if kind is tuple and len(value) == 1:
            text += ","
        return open_ + text + close
    if kind is int and value.bit_length() > 4 * limit:
        return "<int with %d bits>" % value.bit_length()
    return repr(value)


class SafeRepr:
    def __init__(self, start_thread):
        self._start_thread = start_thread
        self._lock = threading.Lock()
        self._jobs = None

    def _worker(self, jobs):
        while True:
            job = jobs.get()
            if job is None:
                return
            function, done, box = job
            try:
                box.append((True, function()))
            except BaseException as error:  # reported to the caller
                box.append((False, error))
            done.set()

    def call(self, function, timeout=REPR_TIMEOUT):
        """Run function() on the helper thread: ("ok", value) / ("error", exc) / ("timeout", None)."""
        with self._lock:
            if self._jobs is None:
                import queue  # on the first value shown, not at start-up

                self._jobs = queue.Queue()
                self._start_thread(self._worker, "dapper-repr", self._jobs)
            jobs = self._jobs
        done = threading.Event()
        box = []
        jobs.put((function, done, box))
        if not done.wait(timeout):
            with self._lock:
                if self._jobs is jobs:
                    self._jobs = None  # abandon the stuck helper; the next call starts a new one
            return "timeout", None
        ok, value = box[0]
        return ("ok", value) if ok else ("error", value)

    def describe(self, value, limit=VARIABLE_LIMIT, timeout=REPR_TIMEOUT):
        status, text = self.call(lambda: _budgeted_repr(value, limit), timeout)
        if status == "timeout":
            return ReprResult("<repr timed out after %.1f s>" % timeout, truncated=True, timed_out=True)
        if status == "error":
            return ReprResult("<repr failed: %s: %s>" % (type(text).__name__, _short(text)))
        if not isinstance(text, str):
            return ReprResult("<repr returned %s, not str>" % type(text).__name__)
        if len(text) > limit:
            return ReprResult(text[:limit] + ELLIPSIS, truncated=True)
        truncated = text.endswith("...") and type(value) in (list, tuple, set, frozenset, dict) or (
            type(value) in (str, bytes, bytearray) and len(value) > limit
        )
        if truncated and type(value) in (str, bytes, bytearray):
            text += ELLIPSIS
        return ReprResult(text, truncated=truncated)


def _short(error):
    try:
        text = str(error)
    except Exception:
        text = "?"
    return text[:200]
