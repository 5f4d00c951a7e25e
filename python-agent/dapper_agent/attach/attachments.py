"""The debuggers attached to this process over its life: at most one at a time.

Each attached debugger gets a fresh Session (tracer, breakpoints, frames); when it detaches the
Session removes every hook and the program runs on at full speed. The process-wide hooks
(thread events, uncaught exceptions in threads, `breakpoint()`, `os._exit`) are installed once
and report to whichever session is current, so attaching ten times does not stack ten hooks.
"""

import os
import platform
import sys
import threading

from .. import PROTOCOL_VERSION, commands
from ..main import _install_breakpoint_hook
from ..paths import CodeClassifier
from ..runner import install_thread_excepthook
from ..session import Session
from ..threads import ThreadRegistry, install_thread_events
from ..tracing import create_tracer
from ..tracing.engine import Engine


class _NoSession:
    """What the process-wide hooks see while no debugger is attached."""

    disconnected = True
    engine = None
    channel = None
    tracer = None
    died_of_interrupt = False
    child_processes = None

    def __init__(self):
        self.classifier = CodeClassifier()
        self.threads = ThreadRegistry()

    def send_event(self, event, body=None):
        pass

    def flush_output(self):
        pass


class CurrentSession:
    """Forwards to the attached session, or looks disconnected when there is none."""

    def __init__(self, attachments):
        object.__setattr__(self, "_attachments", attachments)

    def __getattr__(self, name):
        return getattr(self._attachments.session or self._attachments.idle, name)

    def __setattr__(self, name, value):
        setattr(self._attachments.session or self._attachments.idle, name, value)


class Attachments:
    def __init__(self):
        self._lock = threading.Lock()
        self.session = None  # the attached Session, or None
        self.idle = _NoSession()
        self.current = CurrentSession(self)
        self.peer = None  # who is attached, for the "busy" message
        self.main_globals = None
        self.program_started = False
        self.agent_idents = set()  # listener and handshake threads: never traced, never stopped
        self.first_ready = threading.Event()  # set once a debugger has configured (--wait-for-client)
        self._hooks_installed = False

    # -- one debugger at a time ---------------------------------------------------------------

    def claim(self, peer):
        """Reserve the slot for `peer`; returns None, or who holds it already."""
        with self._lock:
            if self.peer is not None:
                return self.peer
            self.peer = peer
            return None

    def release(self, peer):
        with self._lock:
            if self.peer == peer:
                self.peer = None
                self.session = None

    def begin(self, channel, peer, hello):
        """Serve `channel` as the attached debugger (the slot must be claimed). Sends `hello`,
        then waits (on the calling agent thread) for configurationDone and starts tracing.
        Returns the Session; it detaches itself when the connection goes."""
        self._install_hooks_once()
        session = Session(channel)
        session.threads.agent_idents.update(self.agent_idents)
        session.threads.agent_idents.add(threading.get_ident())
        session.main_globals = self.main_globals
        session.program_started = self.program_started

        def ended():
            session.detach()
            self.release(peer)

        channel.on_lost = ended
        commands.load_handlers(report_problem=session.console, session=session)
        session.engine = Engine(session)
        session.tracer = create_tracer(session, session.engine)
        with self._lock:
            self.session = session
        # Before hello: once the debugger is told we are here it may apply an edit at any moment,
        # and that apply must already know the text the program started from.
        _snapshot_running_sources(session)
        channel.send(hello)
        session.start_agent_thread(channel.serve, "dapper-channel", session)
        session.configured.wait()
        if session.disconnected:
            return session
        if session.terminate_requested:
            return session
        if session.child_processes is not None:
            # The debugger asked for child processes (configurationDone's `subProcess`): the
            # wrappers follow whichever debugger is attached, and pass everything through
            # while none is.
            from ..child_processes import install_process_hooks

            install_process_hooks(self.current)
        session.tracer.start()
        self.first_ready.set()
        return session

    def end_program(self, exit_code):
        """The program is over (listen mode): tell the attached debugger, then let it go."""
        session = self.session
        if session is None:
            return
        if session.tracer is not None:
            session.tracer.stop()
        session.send_event("exited", {"exitCode": exit_code})
        session.detach()

    # -- process-wide hooks ---------------------------------------------------------------------

    def _install_hooks_once(self):
        if self._hooks_installed:
            return
        self._hooks_installed = True
        current = self.current
        install_thread_events(current)
        install_thread_excepthook(current)
        _install_breakpoint_hook(current)
        self._install_exit_hook()

    def _install_exit_hook(self):
        real_exit = os._exit
        pid = os.getpid()
        attachments = self

        def _exit(status):
            session = attachments.session
            try:
                if session is not None and not session.disconnected and os.getpid() == pid:
                    session.send_event("exited", {"exitCode": status})
            except BaseException:  # exiting regardless
                pass
            real_exit(status)

        os._exit = _exit
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forget_in_child)

    def _forget_in_child(self):
        """A forked child shares our sockets: it must never write to them, nor trace."""
        session, self.session, self.peer = self.session, None, None
        if session is not None:
            session.channel = None
            if session.tracer is not None:
                session.tracer.stop()
            session.stops.close()
            session.disconnected = True


def _snapshot_running_sources(session):
    """The modules ran before we came, so Apply Changes never saw their text: take it now (the
    files as they are on disk), so an edit applied while running still knows what moved."""
    try:
        from ..hotreload.registration import snapshot_sources
    except ImportError:
        return
    try:
        snapshot_sources()
    except Exception as error:  # a snapshot failure must not stop the attach
        session.console("Apply Changes could not read the program's sources: %s\n" % error)


def hello_message(token=None, attached=False):
    message = {
        "type": "hello",
        "pid": os.getpid(),
        "python": {
            "version": platform.python_version(),
            "implementation": sys.implementation.name,
            "executable": sys.executable,
        },
        "protocol": PROTOCOL_VERSION,
        "attached": attached,
        "program": _program_name(),
    }
    if token is not None:
        message["token"] = token
    return message


def _program_name():
    main = sys.modules.get("__main__")
    name = getattr(main, "__file__", None)
    if isinstance(name, str):
        return name
    return " ".join(sys.argv) if sys.argv and sys.argv[0] else sys.executable


ATTACHMENTS = Attachments()
