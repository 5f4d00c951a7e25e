"""Child processes under the debugger (launch argument `subProcess`).

A Python child the program starts — through subprocess (a shell command line too, when it
begins with a Python interpreter: shell_command), os.exec*, os.spawn*, os.posix_spawn,
multiprocessing (spawn, forkserver, fork), ProcessPoolExecutor or os.fork() — runs under the
agent and connects to the adapter's child-process listener on its own connection, with the
listener's token (docs/agent-protocol.md, "Child processes"). Grandchildren do the same. A
child whose debugger never answers runs on without it (forked_child, main.run).
"""

import os

from .command_line import is_python, launcher_argv
from .process_hooks import ProcessHooks
from .shell_command import is_shell, launcher_shell_argv

LAUNCHER_FILE = "dapper_launcher.py"


def launcher_path():
    package_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(os.path.dirname(package_dir), LAUNCHER_FILE)


class ChildProcessConfig:
    """Where children connect (the adapter's child-process listener) and with which token."""

    def __init__(self, host, port, token):
        self.host = host
        self.port = int(port)
        self.token = token
        self.launcher = launcher_path()

    @classmethod
    def from_arguments(cls, value):
        """From configurationDone's `subProcess: {host, port, token}`; None when absent."""
        if not isinstance(value, dict):
            return None
        host, port, token = value.get("host", "127.0.0.1"), value.get("port"), value.get("token")
        if not isinstance(port, int) or not isinstance(token, str) or not token or not isinstance(host, str):
            return None
        return cls(host, port, token)

    def rewrite(self, executable, argv):
        """The launcher command line for a Python child, or None to leave the call alone."""
        if not isinstance(executable, (str, bytes, os.PathLike)):
            return None
        python, shell = is_python(executable), is_shell(executable)
        if not python and not shell:
            return None
        try:
            argv = list(argv)
        except TypeError:
            return None
        if not argv or not all(isinstance(arg, (str, bytes, os.PathLike)) for arg in argv):
            return None
        if shell:
            return launcher_shell_argv(argv, self.launcher, self.host, self.port)
        return launcher_argv(argv, self.launcher, self.host, self.port)


_installed = []


def install_process_hooks(session):
    """Wrap process creation once per process; the wrappers follow `session.child_processes`
    (a forked child keeps the wrappers and its re-initialised session). `session` may stand for
    whichever debugger is attached at the time (attach.attachments.CurrentSession)."""
    if _installed:
        return
    hooks = ProcessHooks(lambda: None if session.disconnected else session.child_processes, lambda: session.flush_output())
    hooks.install()
    _installed.append(hooks)
