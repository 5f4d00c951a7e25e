"""sys.stdout / sys.stderr replacements that turn program output into `output` events.

Writes are buffered briefly (a helper flushes within FLUSH_DELAY) so a program printing
millions of short lines sends large events, not millions of tiny ones; the buffer never holds
more than MAX_BUFFER characters — beyond that the writing thread sends (and blocks on a slow
adapter, which is the back-pressure we want). Order across stdout and stderr is kept.
"""

import codecs
import io
import threading
import time

MAX_BUFFER = 64 * 1024
FLUSH_DELAY = 0.01


class OutputCapture:
    def __init__(self, session, original_stdout, original_stderr):
        self._session = session
        self._lock = threading.RLock()
        self._pending = threading.Condition(self._lock)
        self._parts = []  # [category, [texts]]
        self._size = 0
        self._originals = {"stdout": original_stdout, "stderr": original_stderr}
        self._detached = False
        self.tracer = session.tracer
        self.stdout = EventStream(self, "stdout", original_stdout)
        self.stderr = EventStream(self, "stderr", original_stderr)
        session.start_agent_thread(self._flush_loop, "dapper-output")

    def write(self, category, text):
        if not text:
            return
        with self._lock:
            if self._detached:
                self._write_original(category, text)
                return
            if self._parts and self._parts[-1][0] == category:
                self._parts[-1][1].append(text)
            else:
                self._parts.append([category, [text]])
            self._size += len(text)
            if self._size >= MAX_BUFFER:
                self._flush_locked()
            else:
                self._pending.notify()

    def _write_original(self, category, text):
        original = self._originals[category]
        try:
            original.write(text)
            original.flush()
        except (OSError, ValueError):
            pass

    def flush(self):
        with self._lock:
            self._flush_locked()

    def _flush_locked(self):
        parts, self._parts, self._size = self._parts, [], 0
        for category, texts in parts:
            text = "".join(texts)
            if self._detached:
                self._write_original(category, text)
                continue
            for start in range(0, len(text), MAX_BUFFER):
                self._session.send_event("output", {"category": category, "output": text[start : start + MAX_BUFFER]})

    def _flush_loop(self):
        while True:
            with self._lock:
                while not self._parts:
                    self._pending.wait()
                    if self._detached:
                        return
            # Let a burst of writes accumulate, then send them together.
            time.sleep(FLUSH_DELAY)
            self.flush()

    def detach(self):
        """Adapter gone: send what is buffered if possible, then write to the real streams."""
        with self._lock:
            self._flush_locked()
            self._detached = True
            self._pending.notify_all()


class EventStream(io.TextIOBase):
    """A text stream whose writes become `output` events; looks like the stream it replaces."""

    def __init__(self, capture, category, original):
        super().__init__()
        self._capture = capture
        self._category = category
        self._original = original
        self._binary = _BinaryWriter(self)

    @property
    def encoding(self):
        return getattr(self._original, "encoding", None) or "utf-8"

    @property
    def errors(self):
        return getattr(self._original, "errors", None) or "strict"

    @property
    def name(self):
        return "<%s>" % self._category

    @property
    def buffer(self):
        return self._binary

    @property
    def line_buffering(self):
        return True

    @property
    def mode(self):
        return "w"

    def reconfigure(self, **options):
        """Accepted for compatibility (scripts often force UTF-8); output is always Unicode text."""
        unknown = set(options) - {"encoding", "errors", "newline", "line_buffering", "write_through"}
        if unknown:
            raise TypeError("reconfigure() got an unexpected keyword argument %r" % sorted(unknown)[0])

    def writable(self):
        return True

    def readable(self):
        return False

    def isatty(self):
        return False

    def fileno(self):
        return self._original.fileno()

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        self._capture.write(self._category, text)
        tracer = self._capture.tracer
        if tracer is not None:
            tracer.check_thread()
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        self._capture.flush()

    def close(self):
        # Closing sys.stdout must not cut the debugger's output channel.
        self.flush()


class _BinaryWriter(io.RawIOBase):
    """`sys.stdout.buffer`: bytes decoded with the stream's encoding, then sent as text."""

    def __init__(self, stream):
        super().__init__()
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder(stream.encoding)(errors="replace")

    def writable(self):
        return True

    def write(self, data):
        data = bytes(data)
        self._stream.write(self._decoder.decode(data))
        return len(data)

    def flush(self):
        self._stream.flush()

    def fileno(self):
        return self._stream.fileno()
