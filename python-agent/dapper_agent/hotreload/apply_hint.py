"""`prepareApply` {path, active}: the client's hint that an apply of `path` may come soon (the
user is editing a file of the running program), so the agent gets ready to take the apply's
request quickly.

Why: with the program's threads running Python, the agent's reader thread, back from the
socket with the apply, waits for the GIL; CPython hands it over once per switch interval
(5 ms by default) and the reader tends to be served after every busy thread, about 5 ms per
thread (docs/benchmarks.md, "apply while running"). While a hint is active the interval is
lowered (switch_interval.py), so that wait is a fraction of a millisecond per thread. The
thread that will answer the apply is started now too, if none waits (request_threads.py):
started when the request arrives, it would wait for the GIL the same way. And the first hint
has the hints' own agent thread do, off the reader, what the first apply would otherwise do
while it holds the program: import the engine, and before 3.12 ctypes (ApplyHints._get_ready).

A hint for a file this process has not loaded is ignored (the app sends it to every process
of the session). A hint lasts until the apply of its path finishes, `active: false` for it, or EXPIRY_SECONDS
without a renewal (the client renews it while the user types), whichever comes first: a dirty
buffer left open costs the program nothing after that. Nothing here blocks the program or
evaluates what the client sent: `path` is only a key. Free-threaded builds: nothing is done.
"""

import os
import threading
import time
import weakref

from ..commands import CommandError, command

EXPIRY_SECONDS = 20.0
# Tests set another expiry through this variable (seconds); nothing else should.
EXPIRY_VARIABLE = "DAPPER_AGENT_APPLY_HINT_SECONDS"

_HINTS = weakref.WeakKeyDictionary()  # session -> ApplyHints
_HINTS_LOCK = threading.Lock()


def _key(path):
    return os.path.normcase(os.path.normpath(path))


class ApplyHints:
    """The active hints of one session, and the agent thread that lets them expire."""

    def __init__(self, session, expiry_seconds=EXPIRY_SECONDS, clock=time.monotonic):
        self._session = session
        self._expiry = expiry_seconds
        self._clock = clock
        self._lock = threading.Lock()  # agent threads only
        self._expires = {}  # path key -> clock() time the hint ends
        self._changed = threading.Event()
        self._watcher = None

    @property
    def active_paths(self):
        with self._lock:
            return sorted(self._expires)

    def renew(self, path):
        """Start or renew the hint for `path`; returns whether the interval is lowered."""
        with self._lock:
            self._expires[_key(path)] = self._clock() + self._expiry
            lowered = self._session.switch_interval.set_hinted(True)
        self.start_watcher()
        self._changed.set()
        return lowered

    def start_watcher(self):
        """Start the agent thread of the hints, once, and never while the program is held:
        starting a thread takes threading's own lock, which a held program thread may own
        (a hint for another file during an apply). Then it is started when that hold ends
        (hold_ended)."""
        with self._lock:
            start = self._watcher is None and bool(self._expires) and not self._session.hold.closed
            if start:
                self._watcher = True  # claimed: started below, outside the lock
        if start:
            self._watcher = self._session.start_agent_thread(self._watch, "dapper-apply-hint")

    def withdraw(self, path):
        """The hint for `path` ends (its apply finished, or the client withdrew it)."""
        with self._lock:
            if self._expires.pop(_key(path), None) is None:
                return
            if not self._expires:
                self._session.switch_interval.set_hinted(False)
        self._changed.set()

    def expire(self):
        """End the hints not renewed in time; returns the seconds until the next one ends, or
        None when none is left."""
        with self._lock:
            now = self._clock()
            for key in [key for key, ends in self._expires.items() if ends <= now]:
                del self._expires[key]
            if self._expires:
                return max(0.0, min(self._expires.values()) - now)
            if self._session.switch_interval.hinted:
                self._session.switch_interval.set_hinted(False)
            return None

    def _watch(self):
        self._get_ready()
        while True:
            self._changed.clear()
            self._changed.wait(self.expire())

    def _get_ready(self):
        """What the first apply would otherwise do while it holds the program, done now, off
        the reader: the hold wakes every thread, which before 3.12 needs ctypes (imported
        during the hold, it waited for the GIL at each file it read: 0.1-0.5 s of the first
        apply while 8 threads run), and the apply needs the engine (12-18 ms of the first
        apply, held). Imports are safe here: this is an agent thread, never held, and a
        program thread is never held inside an import (program_hold.may_wait_here)."""
        prepare_wake = getattr(self._session.tracer, "prepare_wake", None)  # None: not tracing (yet)
        if prepare_wake is not None:
            try:
                prepare_wake()
            except Exception as error:  # the apply then imports ctypes itself
                self._session.console("Dapper agent: getting ready for Apply Changes failed: %s: %s\n"
                                      % (type(error).__name__, error))
        from .registration import import_engine

        import_engine()


def _expiry_seconds():
    try:
        seconds = float(os.environ.get(EXPIRY_VARIABLE, EXPIRY_SECONDS))
    except ValueError:
        return EXPIRY_SECONDS
    return seconds if 0 < seconds < float("inf") else EXPIRY_SECONDS


def hints_of(session, create=True):
    with _HINTS_LOCK:
        hints = _HINTS.get(session)
        if hints is None and create:
            hints = _HINTS[session] = ApplyHints(session, _expiry_seconds())
        return hints


def hold_ended(session):
    """Called once an apply's hold has let the program go: a hint that came during it gets
    its agent thread now."""
    hints = hints_of(session, create=False)
    if hints is not None:
        hints.start_watcher()


def apply_finished(session, path):
    """Called once an apply's answer is sent: its hint has done its work."""
    hints = hints_of(session, create=False)
    if hints is not None and isinstance(path, str):
        hints.withdraw(path)


def _checked(arguments):
    path = arguments.get("path")
    active = arguments.get("active")
    problem = None
    if not isinstance(path, str) or not path:
        problem = "'path' must be the file's path (a non-empty string)"
    elif not isinstance(active, bool):
        problem = "'active' must be true or false"
    if problem is not None:
        raise CommandError("prepareApply was not carried out: {}. Nothing was changed.".format(problem))
    return path, active


def _is_loaded(path):
    """Whether this process runs code of `path`: the app hints every process of the session
    (child processes too), and one that never loaded the file will not be asked to apply it."""
    from .sources import modules_for_path

    try:
        modules_for_path(path)
    except Exception:  # refused: not loaded (or not a module file at all)
        return False
    return True


@command("prepareApply")
def prepare_apply(session, arguments):
    path, active = _checked(arguments)
    if active and not _is_loaded(path):
        return {}
    hints = hints_of(session)
    if active:
        hints.renew(path)
        channel = session.channel
        # The apply's request then finds its thread waiting (request_threads.py). Not while
        # another apply holds the program: starting a thread then could wait for good.
        if channel is not None and not session.hold.closed:
            channel.prepare_request_thread()
    else:
        hints.withdraw(path)
    return {}
