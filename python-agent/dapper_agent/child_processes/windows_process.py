"""Windows: every process subprocess and multiprocessing start goes through
`_winapi.CreateProcess(application_name, command_line, …, env_mapping, …)`, wrapped here as
fork_exec is on POSIX (process_hooks.py).

The command line is one string, which the child's C runtime splits into argv. It is split here
by the same rules (those `subprocess.list2cmdline` writes for); when it starts a Python program,
the launcher's arguments are inserted as text just before the program's first word, so the
interpreter, its options and everything the program receives stay exactly as written
(`python.exe -u "my app.py" 7` becomes `python.exe -u <launcher> --host H --port N --child --
"my app.py" 7`).

Written from CPython's source (Lib/subprocess.py, Lib/multiprocessing/popen_spawn_win32.py,
Modules/_winapi.c) and Microsoft's documentation of argv parsing; no Windows machine is
available here, so only the parsing and the rewriting are tested, not a real CreateProcess.
"""

import ntpath

from .command_line import is_internal_helper, is_python, split_interpreter_argv

_BLANKS = " \t"


def split_command_line(text):
    """[(word, start, end)] for each argument the C runtime makes of `text`: the program name
    up to the next blank, or between double quotes; then arguments separated by blanks outside
    double quotes, where 2n backslashes before a quote are n backslashes and the quote opens or
    closes a quoted part, 2n+1 are n backslashes and a literal quote, any other backslash is
    itself, and `""` inside a quoted part is a literal quote."""
    words = []
    position, length = 0, len(text)
    if length and text[0] == '"':
        end = text.find('"', 1)
        end = length if end < 0 else end
        words.append((text[1:end], 0, min(end + 1, length)))
        position = end + 1
    else:
        end = position
        while end < length and text[end] not in _BLANKS:
            end += 1
        if end:
            words.append((text[:end], 0, end))
        position = end
    while True:
        while position < length and text[position] in _BLANKS:
            position += 1
        if position >= length:
            return words
        start, parts, quoted = position, [], False
        while position < length and (quoted or text[position] not in _BLANKS):
            char = text[position]
            if char == "\\":
                run = position
                while position < length and text[position] == "\\":
                    position += 1
                count = position - run
                if position < length and text[position] == '"':
                    parts.append("\\" * (count // 2))
                    if count % 2:
                        parts.append('"')
                        position += 1
                else:
                    parts.append("\\" * count)
            elif char == '"':
                if quoted and position + 1 < length and text[position + 1] == '"':
                    parts.append('"')
                    position += 2
                else:
                    quoted = not quoted
                    position += 1
            else:
                parts.append(char)
                position += 1
        words.append(("".join(parts), start, position))


def launcher_command_line(application_name, command_line, launcher_path, host, port):
    """`command_line` with the launcher's arguments inserted before the Python program it
    starts, or None to leave the call alone (not Python, no program, multiprocessing's own
    helper)."""
    if not isinstance(command_line, str):
        return None
    words = split_command_line(command_line)
    if not words:
        return None
    executable = application_name if application_name else words[0][0]
    if not is_python(executable) and not is_python(ntpath.basename(executable)):  # ntpath: for tests elsewhere
        return None
    argv = [word for word, _, _ in words]
    split = split_interpreter_argv(argv)
    if split is None:
        return None
    options, tail = split
    program_index = 1 + len(options)
    if argv[1:program_index] != options:
        return None  # an option cluster ending in -c/-m (`-uc code`): not worth reading apart
    if program_index < len(argv) and argv[program_index] == "--":
        program_index += 1
    if is_internal_helper(tail) or program_index >= len(words):
        return None
    import subprocess  # for list2cmdline, the quoting the C runtime reads back

    insert_at = words[program_index][1]
    launcher = subprocess.list2cmdline([launcher_path, "--host", host, "--port", str(port), "--child", "--"])
    return command_line[:insert_at] + launcher + " " + command_line[insert_at:]


def wrap_create_process(winapi, config, environment_with_token):
    """Replace `winapi.CreateProcess` (the `_winapi` module) with a wrapper that starts Python
    children under the launcher. `config()` is the ChildProcessConfig or None (then every call
    passes through); `environment_with_token(env_mapping, token)` is the child's environment."""
    original = winapi.CreateProcess

    def CreateProcess(application_name, command_line, *rest):
        current = config()
        if current is not None and len(rest) >= 5:
            rewritten = launcher_command_line(application_name, command_line, current.launcher, current.host, current.port)
            if rewritten is not None:
                command_line = rewritten
                # (process attributes, thread attributes, inherit handles, creation flags, env, …)
                rest = list(rest)
                rest[4] = environment_with_token(rest[4], current.token)
        return original(application_name, command_line, *rest)

    winapi.CreateProcess = CreateProcess
    return original
