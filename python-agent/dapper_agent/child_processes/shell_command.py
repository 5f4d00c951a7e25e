"""Shell command lines that start a Python program (`subprocess.run("python3 work.py", shell=True)`,
`os.popen`, `sh -c '…'`).

When the command the shell is asked to run begins with a Python interpreter — after optional
`NAME=value` assignments and `exec`, and after a few simple commands joined by `&&`, `||`,
`;`, `&`, a pipe or newlines (`cd "my app" && python3 main.py`, `cat data | python3 main.py`)
— the launcher's arguments are inserted into the command text just before the program
(`python3 -u work.py >log` becomes `python3 -u '<launcher>' --host H --port N --child --
work.py >log`). Only text is inserted: everything the shell does with the rest of the line
(quotes, variables, redirections, pipes, further commands) happens exactly as written. The
commands before the Python one are only stepped over: their words may be quoted, hold
variables or redirections, but not command substitutions (`$(…)`, backquotes), subshells,
groups or here-documents, whose end cannot be found without a full shell parser. The
interpreter and its options must be plain words the shell passes through unchanged; anything
else (a quoted or computed interpreter, a shell function) is left alone.
"""

import os
import re

from .command_line import is_internal_helper, is_python, split_interpreter_argv

# Patterns as text, compiled on first use (re caches them): most processes never start a child,
# and compiling them at import was a noticeable part of each child's start-up.
_SHELL_NAME = r"^(sh|bash|dash|zsh|ksh|mksh|ash)$"
# A word the shell passes through unchanged: no quotes, expansions, globs or operators.
_PLAIN = r"[\w@%+:,./~-][\w@%+=:,./~-]*"
_PLAIN_WORD = _PLAIN + r"(?=\s|$|[;&|<>()])"
# Part of a word the shell reads as one: plain characters, a backslash escape, a quoted string, a
# variable. No command substitution (`$(`, a backquote): finding its end needs a shell parser.
_WORD_PART = r"""(?:[^\s;&|<>()'"\\`$]|\\.|'[^']*'|"(?:[^"\\`$]|\\.|\$(?!\())*"|\$(?!\()(?:\{[^}`]*\}|[\w@*#?$!-]?))"""
# Any word of a command we only step over (a `#` starting a word starts a comment instead).
_SHELL_WORD = r"(?!#)" + _WORD_PART + r"+"
_REDIRECTION = r"(?:\d*(?:>>|>&|<&|<>|>\||>|<(?!<))|&>>|&>)"
_ASSIGNMENT = r"[A-Za-z_][A-Za-z0-9_]*=" + _WORD_PART + r"*(?=\s)"
_EXEC = r"exec(?=\s)"
_SPACE = r"[ \t]*"
# Where scanning stops without another word: the end, or a shell operator.
_OPERATOR_OR_END = r"$|[;&|<>()\n#]"
_PROGRAM_PLACEHOLDER = "program"
# Between simple commands before the Python one: `cd app && python3 main.py`, `cat data | python3 …`.
_SEPARATOR = r"(?:&&|\|\||\|&|;|\n|\||&(?!>))"
_MAX_LEADING_COMMANDS = 8


def is_shell(executable):
    if not executable:
        return False
    return bool(re.compile(_SHELL_NAME).match(os.path.basename(os.fsdecode(executable))))


def launcher_shell_argv(argv, launcher_path, host, port):
    """`[shell, "-c", command, …]` with the launcher inserted into `command`, or None to leave
    the call alone."""
    argv = [os.fsdecode(arg) for arg in argv]
    if len(argv) < 3 or argv[1] != "-c":
        return None
    command = insert_launcher(argv[2], launcher_path, host, port)
    if command is None:
        return None
    return argv[:2] + [command] + argv[3:]


def insert_launcher(command, launcher_path, host, port):
    """`command` with the launcher's arguments inserted before the Python program it starts,
    or None when it does not start one in a form we can read: its first simple command, or
    the first after a few simple commands of plain words joined by `&&`, `||`, `;` or a
    newline (`cd app && python3 main.py`)."""
    start = 0
    for _ in range(_MAX_LEADING_COMMANDS + 1):
        inserted, next_start = _insert_in_simple_command(command, start, launcher_path, host, port)
        if inserted is not None or next_start is None:
            return inserted
        start = next_start
    return None


def _insert_in_simple_command(command, start, launcher_path, host, port):
    """(command with the launcher inserted, None) when the simple command at `start` starts
    Python; (None, where the next command starts) when it is plain words followed by a
    separator; (None, None) otherwise."""
    position = _skip_space(command, start)
    while True:
        assignment = re.compile(_ASSIGNMENT).match(command, position)
        if assignment is None:
            break
        position = _skip_space(command, assignment.end())
    exec_word = re.compile(_EXEC).match(command, position)
    if exec_word is not None:
        position = _skip_space(command, exec_word.end())

    words, starts = [], []
    while True:
        word = re.compile(_PLAIN_WORD).match(command, position)
        if word is None:
            break
        words.append(word.group())
        starts.append(word.start())
        position = _skip_space(command, word.end())
    if not words:
        first = re.compile(_SHELL_WORD).match(command, position)
        if first is None or is_python(_unquoted(first.group())):
            return None, None  # nothing we can read, or a quoted interpreter: left alone
        return None, _next_command(command, position)
    if not is_python(words[0]):
        return None, _next_command(command, starts[0])
    more_words = re.compile(_OPERATOR_OR_END).match(command, position) is None
    split = split_interpreter_argv(words + ([_PROGRAM_PLACEHOLDER] if more_words else []))
    if split is None:
        return None, None
    options, tail = split
    program_index = 1 + len(options)
    if words[1:program_index] != options:
        return None, None  # an option cluster ending in -c/-m (`-uc code`): not worth reading apart
    if program_index < len(words) and words[program_index] == "--":
        program_index += 1
    if is_internal_helper(tail):
        return None, None
    insert_at = starts[program_index] if program_index < len(words) else position
    launcher = [launcher_path, "--host", host, "--port", str(port), "--child", "--"]
    import shlex  # here: most processes never start a child through a shell

    return command[:insert_at] + " ".join(shlex.quote(arg) for arg in launcher) + " " + command[insert_at:], None


def _next_command(command, position):
    """Where the simple command after the one at `position` starts (past its separator), or
    None when this one is the last or cannot be stepped over."""
    while True:
        position = _skip_space(command, position)
        separator = re.compile(_SEPARATOR).match(command, position)
        if separator is not None:
            return separator.end()
        redirection = re.compile(_REDIRECTION).match(command, position)
        if redirection is not None:
            position = _skip_space(command, redirection.end())
        word = re.compile(_SHELL_WORD).match(command, position)
        if word is None:
            return None  # the end, a comment, or something we do not read ($(…), a subshell…)
        position = word.end()


def _unquoted(word):
    """The word without its quotes and escapes, as far as telling an interpreter's name goes."""
    return re.sub(r"""\\(.)|['"]""", lambda match: match.group(1) or "", word)


def _skip_space(text, position):
    return re.compile(_SPACE).match(text, position).end()
