"""The places a Python program starts processes, wrapped so Python children start under the
agent: `_posixsubprocess.fork_exec` (subprocess and multiprocessing's spawn and forkserver),
`os.posix_spawn`/`posix_spawnp`, `os.execv`/`execve` (every os.exec* goes through these two),
os.spawn* (fork + exec on POSIX) and `os.system` (its shell command, when it starts Python);
on Windows `_winapi.CreateProcess` (windows_process.py) and os.exec*. os.fork() itself is
handled by forked_child.

Each wrapper asks `rewrite(executable, argv)` for the launcher command line; None leaves
the call exactly as the program made it. The token (and this process's library paths,
paths.LIBRARY_PATHS_VARIABLE) reach only the child's environment, never this process's os.environ.
"""

import os
import sys
import threading

from ..paths import LIBRARY_PATHS_VARIABLE, library_paths_for_children
from ..restart import main_code
from . import command_code

TOKEN_VARIABLE = "DAPPER_AGENT_TOKEN"

_exec_follows = threading.local()


def exec_follows_fork():
    """True in a child forked only to exec another program (os.spawn*, subprocess with
    preexec_fn): it must not connect to the debugger itself."""
    return getattr(_exec_follows, "value", False)


class _ExecFollows:
    def __enter__(self):
        self.previous = exec_follows_fork()
        _exec_follows.value = True

    def __exit__(self, *exc):
        _exec_follows.value = self.previous


def _child_variables(token, argv, exec_call=False):
    """What a child started with the launcher command line `argv` finds in its environment:
    the token, this process's library paths (paths.LIBRARY_PATHS_VARIABLE; the child uses them
    only if its interpreter is this one), the file with the main script's code with restart
    points (restart/main_code.py; an exec only names one written before: the process is
    replaced and would never remove it) and its `-c` command compiled (command_code.py)."""
    variables = {TOKEN_VARIABLE: token, LIBRARY_PATHS_VARIABLE: library_paths_for_children()}
    code_file = main_code.file_for_children(write=not exec_call)
    if code_file is not None:
        variables[main_code.MAIN_CODE_VARIABLE] = code_file
    command = command_code.value_for(argv)
    if command is not None:
        variables[command_code.COMMAND_CODE_VARIABLE] = command
    return variables


def _env_bytes_with_token(env_list, token, argv):
    variables = {key.encode(): value.encode() for key, value in _child_variables(token, argv).items()}
    if env_list is None:
        env_list = [key + b"=" + value for key, value in os.environb.items()]
    entries = [entry for entry in env_list if bytes(entry).split(b"=", 1)[0] not in variables]
    entries += [key + b"=" + value for key, value in variables.items()]
    return entries


def _env_map_with_token(env, token, argv, exec_call=False):
    env = dict(os.environ if env is None else env)
    variables = _child_variables(token, argv, exec_call)
    if any(isinstance(key, bytes) for key in env):
        for key, value in variables.items():
            env.pop(key.encode(), None)
            env[key.encode()] = value.encode()
    else:
        env.update(variables)
    return env


class ProcessHooks:
    """Installed once per process; `config()` says, at each call, whether and where children
    connect (None: the wrappers pass everything through)."""

    def __init__(self, config, before_exec):
        self._config = config
        self._before_exec = before_exec
        self._originals = {}

    def _rewrite(self, executable, argv):
        config = self._config()
        if config is None:
            return None
        return config.rewrite(executable, argv)

    def install(self):
        if os.name == "nt":
            self._install_windows()
            return
        import _posixsubprocess

        # Not imported here (a noticeable part of a child's start-up): a subprocess module
        # imported later binds the wrapper below itself.
        subprocess = sys.modules.get("subprocess")

        original_fork_exec = _posixsubprocess.fork_exec
        self._originals["fork_exec"] = original_fork_exec
        hooks = self

        def fork_exec(args, executable_list, *rest):
            rewritten = hooks._rewrite(executable_list[0] if executable_list else None, args)
            if rewritten is not None:
                args = rewritten
                # env is the 6th argument on every version (args, executables, close_fds, fds, cwd, env, …)
                rest = list(rest)
                rest[3] = _env_bytes_with_token(rest[3], hooks._config().token, args)
            with _ExecFollows():
                return original_fork_exec(args, executable_list, *rest)

        _posixsubprocess.fork_exec = fork_exec
        if subprocess is not None and getattr(subprocess, "_fork_exec", None) is original_fork_exec:  # 3.11+ binds it at import
            subprocess._fork_exec = fork_exec

        real_posix_spawn = getattr(os, "posix_spawn", None)
        for name in ("posix_spawn", "posix_spawnp"):
            original = getattr(os, name, None)
            if original is not None:
                setattr(os, name, self._wrap_posix_spawn(original))
        self._wrap_exec()
        if real_posix_spawn is not None:
            self._wrap_system(real_posix_spawn)
        original_spawnvef = getattr(os, "_spawnvef", None)
        if original_spawnvef is not None:

            def _spawnvef(*args, **kwargs):
                with _ExecFollows():
                    return original_spawnvef(*args, **kwargs)

            os._spawnvef = _spawnvef

    def _install_windows(self):
        """subprocess and multiprocessing start processes with _winapi.CreateProcess there
        (windows_process.py; untested: no Windows machine here); os.exec* as on POSIX. os.spawn*
        and os.system start theirs from C, out of reach."""
        import _winapi

        from .windows_process import wrap_create_process

        self._originals["CreateProcess"] = wrap_create_process(
            _winapi, self._config, lambda env, token: _env_map_with_token(env, token, None))  # a command line, no argv
        self._wrap_exec()

    def _wrap_posix_spawn(self, original):
        hooks = self

        def posix_spawn(path, argv, env, *args, **kwargs):
            rewritten = hooks._rewrite(path, argv)
            if rewritten is not None:
                argv = rewritten
                env = _env_map_with_token(env, hooks._config().token, argv)
            return original(path, argv, env, *args, **kwargs)

        return posix_spawn

    def _wrap_system(self, real_posix_spawn):
        """os.system runs its shell from C: a command that starts Python is run here instead
        (system_command), with the launcher inserted; any other goes to the real one."""
        hooks = self
        real_system = os.system

        def system(command):
            if isinstance(command, (str, bytes)):
                from .system_command import SHELL, run_shell_command

                argv = [SHELL, "-c", os.fsdecode(command)]
                rewritten = hooks._rewrite(SHELL, argv)
                if rewritten is not None:
                    return run_shell_command(real_posix_spawn, rewritten, _env_map_with_token(None, hooks._config().token, rewritten))
            return real_system(command)

        os.system = system

    def _wrap_exec(self):
        hooks = self
        real_execv, real_execve = os.execv, os.execve

        def execv(path, args):
            hooks._before_exec()
            rewritten = hooks._rewrite(path, args)
            if rewritten is None:
                return real_execv(path, args)
            return real_execve(path, rewritten, _env_map_with_token(None, hooks._config().token, rewritten, exec_call=True))

        def execve(path, args, env):
            hooks._before_exec()
            rewritten = hooks._rewrite(path, args)
            if rewritten is None:
                return real_execve(path, args, env)
            return real_execve(path, rewritten, _env_map_with_token(env, hooks._config().token, rewritten, exec_call=True))

        os.execv, os.execve = execv, execve
