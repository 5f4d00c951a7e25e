"""Thread identity: small stable DAP ids for Python threads, and the agent's own threads."""

import itertools
import sys
import threading

from .program_hold import program_entry

# Captured before the settrace tracer wraps sys.settrace: agent threads must really be untraced.
_untraced_settrace = sys.settrace


class ThreadRegistry:
    def __init__(self):
        self._lock = threading.Lock()
        self._ids = {}
        self._idents = {}
        self._next = itertools.count(1)
        self.agent_idents = set()
        self.dap_id(threading.main_thread().ident)

    def dap_id(self, ident):
        """Thread idents can exceed what a JavaScript number holds exactly; DAP ids stay small."""
        dap = self._ids.get(ident)
        if dap is None:
            with self._lock:
                dap = self._ids.get(ident)
                if dap is None:
                    dap = next(self._next)
                    self._ids[ident] = dap
                    self._idents[dap] = ident
        return dap

    def forget(self, ident):
        """A thread ended: a new thread given the same ident (the system reuses them) gets an
        id of its own, as a new thread in the client's Threads view."""
        with self._lock:
            dap = self._ids.pop(ident, None)
            if dap is not None:
                self._idents.pop(dap, None)

    def ident_of(self, dap_id):
        return self._idents.get(dap_id)

    def is_agent(self, ident):
        return ident in self.agent_idents

    def program_threads(self):
        """Live Python threads of the program, main thread first."""
        result = []
        for thread in threading.enumerate():
            if thread.ident is None or thread.ident in self.agent_idents:
                continue
            result.append(thread)
        result.sort(key=lambda t: (t is not threading.main_thread(), self.dap_id(t.ident)))
        return result


class _AgentThread(threading.Thread):
    """Registers itself as the agent's before any line of threading.py runs in it: with
    justMyCode off those lines may stop, and a parked agent thread would hang the agent
    (thread.start() waits for the new thread to reach its own bootstrap)."""

    _dapper_agent_thread = True

    def __init__(self, registry, **kwargs):
        super().__init__(**kwargs)
        self._agent_registry = registry

    def _bootstrap(self):
        self._agent_registry.agent_idents.add(threading.get_ident())
        super()._bootstrap()


def start_agent_thread(registry, target, name, *args):
    """Start a daemon thread that is never traced and never stopped."""
    started = threading.Event()

    def run():
        _untraced_settrace(None)
        registry.agent_idents.add(threading.get_ident())
        started.set()
        try:
            target(*args)
        finally:
            registry.agent_idents.discard(threading.get_ident())

    thread = _AgentThread(registry, target=run, name=name, daemon=True)
    thread.start()
    started.wait(5)
    return thread


def install_thread_events(session):
    """DAP `thread` events (started/exited) for the program's threads."""
    original = threading.Thread._bootstrap_inner

    @program_entry
    def _bootstrap_inner(thread):
        report = not getattr(thread, "_dapper_agent_thread", False)
        ident = threading.get_ident()
        if report and not session.disconnected:
            session.send_event("thread", {"reason": "started", "threadId": session.threads.dap_id(ident)})
        try:
            original(thread)
        finally:
            if report and not session.disconnected:
                session.send_event("thread", {"reason": "exited", "threadId": session.threads.dap_id(ident)})
            if report:
                session.threads.forget(ident)

    threading.Thread._bootstrap_inner = _bootstrap_inner
