"""Recognising a Python interpreter's command line and rewriting it to start under the agent.

`python [options] (script | -m module | -c code) [args]` becomes
`python [options] dapper_launcher.py --host H --port N --child -- (script | -m module | -c code) [args]`:
the interpreter, its options (so sys.flags stay as asked) and what the program sees in
sys.argv are unchanged. Anything else (another program, `python -` reading stdin, the
interactive prompt, `--version`) is left alone.
"""

import os
import re
import sys

# Compiled on first use (re caches it), not at import: most processes never start a child.
_PYTHON_NAME = r"(?i)^python(3(\.\d+)?)?[dmtu]*(\.exe)?$|^pythonw(3(\.\d+)?)?(\.exe)?$"
# Options that take a value: attached (-Wignore) or as the next argument (-W ignore).
_OPTIONS_WITH_VALUE = "WX"
_LONG_OPTIONS_WITH_VALUE = ("--check-hash-based-pycs",)
# Options after which the interpreter prints something and exits: nothing to debug.
_INFORMATION_ONLY = "hV?"
# multiprocessing's own helper process: the program's code never runs there.
_INTERNAL_HELPERS = ("multiprocessing.resource_tracker", "multiprocessing.semaphore_tracker")


def is_python(executable):
    """Whether `executable` (a path or a bare name) is a CPython 3 interpreter."""
    if not executable:
        return False
    path = os.fsdecode(executable)
    if re.compile(_PYTHON_NAME).match(os.path.basename(path)):
        return True
    if os.path.isabs(path):
        try:
            return os.path.realpath(path) == os.path.realpath(sys.executable)
        except OSError:
            return False
    return False


def split_interpreter_argv(argv):
    """(options, program tail) for `python options… program…`, or None when the command does
    not run a program the agent can run. argv[0] is the interpreter."""
    options = []
    index = 1
    while index < len(argv):
        arg = argv[index]
        if arg == "--":
            tail = argv[index + 1 :]
            return (options, tail) if tail and tail[0] != "-" else None
        if arg.startswith("--"):
            if arg in _LONG_OPTIONS_WITH_VALUE and index + 1 < len(argv):
                options += [arg, argv[index + 1]]
                index += 2
                continue
            return None  # --help, --version, or something this interpreter may not know
        if arg == "-" or not arg.startswith("-"):
            return (options, argv[index:]) if arg != "-" else None
        # A cluster of one-letter options, e.g. -uB, -Wignore, -c code, -uc code.
        position = 1
        while position < len(arg):
            letter = arg[position]
            if letter in _INFORMATION_ONLY:
                return None
            if letter in "cm":
                if position > 1:
                    options.append(arg[:position])
                value = arg[position + 1 :]
                rest_start = index + 1
                if not value:
                    if rest_start >= len(argv):
                        return None
                    value = argv[rest_start]
                    rest_start += 1
                return options, ["-" + letter, value] + list(argv[rest_start:])
            if letter in _OPTIONS_WITH_VALUE:
                if position + 1 < len(arg):
                    options.append(arg)
                    index += 1
                elif index + 1 < len(argv):
                    options += [arg, argv[index + 1]]
                    index += 2
                else:
                    return None
                break
            position += 1
        else:
            options.append(arg)
            index += 1
    return None  # no program: the interactive prompt


def is_internal_helper(tail):
    return len(tail) >= 2 and tail[0] == "-c" and any(name in tail[1] for name in _INTERNAL_HELPERS)


def launcher_argv(argv, launcher_path, host, port):
    """The command line that runs the same program under the agent, or None to leave it."""
    argv = [os.fsdecode(arg) for arg in argv]
    split = split_interpreter_argv(argv)
    if split is None:
        return None
    options, tail = split
    if is_internal_helper(tail):
        return None
    return [argv[0]] + options + [launcher_path, "--host", host, "--port", str(port), "--child", "--"] + tail
