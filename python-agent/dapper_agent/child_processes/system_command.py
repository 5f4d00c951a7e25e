"""`os.system(command)` when the command starts a Python program.

The C library's system() forks and runs `/bin/sh -c command` out of the agent's reach, so
the wrapper (process_hooks) hands such a command here instead: the same shell runs the
command with the launcher inserted (shell_command), as system() would run it — the caller
ignores SIGINT and SIGQUIT until the command ends, the shell gets their default actions —
and the answer is the same wait status. Any other command goes to the real os.system.
"""

import os
import signal
import threading

SHELL = "/bin/sh"


def run_shell_command(spawn, argv, env):
    """Run `argv` ([sh, -c, command]) with the real posix_spawn `spawn`; the wait status."""
    ignored = {}
    if threading.current_thread() is threading.main_thread():  # signal() works only there
        for number in (signal.SIGINT, signal.SIGQUIT):
            ignored[number] = signal.signal(number, signal.SIG_IGN)
    try:
        pid = spawn(SHELL, argv, env, setsigdef=(signal.SIGINT, signal.SIGQUIT))
        return os.waitpid(pid, 0)[1]
    finally:
        for number, handler in ignored.items():
            signal.signal(number, handler)
