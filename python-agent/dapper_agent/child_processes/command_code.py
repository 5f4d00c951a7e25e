"""A child's `-c` command, compiled by its parent and handed on in the child's environment.

multiprocessing starts each spawn (and forkserver) worker as `python -c "from
multiprocessing.spawn import spawn_main; spawn_main(…)"`. The agent runs a `-c` command from
a code object, so it must compile() the text, and the first compile() of a process sets up
every AST node type: 7M instructions on 3.9, 11M on 3.12, for a one-line command (`python -c`
itself compiles without that). The parent, which has compiled before, compiles the command
when it starts the child and puts (text, code) in COMMAND_CODE_VARIABLE; the child uses that
code only for the very same text, under the same bytecode magic number and the same
optimization level, and compiles as before otherwise (so a command that does not compile
is reported by the child as always). Large commands are not handed on (an environment
string has a size limit).
"""

import marshal
import sys

COMMAND_CODE_VARIABLE = "DAPPER_AGENT_COMMAND_CODE"
_LIMIT = 16384  # characters of the variable's value at most

_accepted = []  # [the value this process inherited]


def _magic():
    try:  # what importlib.util re-exports, without importing it (see restart/importer.py)
        from importlib._bootstrap_external import MAGIC_NUMBER
    except ImportError:
        from importlib.util import MAGIC_NUMBER
    return MAGIC_NUMBER


def value_for(argv):
    """The variable's value for a child started with the launcher command line `argv` (its
    program after `--child --`), or None when the program is not a `-c` command that compiles."""
    tail = _program_tail(argv) if argv is not None else None
    if tail is None or len(tail) < 2 or tail[0] != "-c" or not isinstance(tail[1], str):
        return None
    text = tail[1]
    if len(text) > _LIMIT:
        return None
    try:
        code = compile(text, "<string>", "exec", dont_inherit=True)
        payload = _magic() + marshal.dumps((text, sys.flags.optimize, code))
    except (SyntaxError, ValueError):
        return None
    value = payload.hex()
    return value if len(value) <= _LIMIT else None


def _program_tail(argv):
    for index in range(len(argv) - 1):
        if argv[index] == "--child" and argv[index + 1] == "--":
            return argv[index + 2:]
    return None


def accept(value):
    """A child's inherited COMMAND_CODE_VARIABLE (removed from its os.environ by the caller)."""
    _accepted[:] = [value] if value else []


def code_for(text):
    """The code the parent compiled for this exact `-c` text, or None."""
    if not _accepted:
        return None
    value = _accepted.pop()
    try:
        payload = bytes.fromhex(value)
        magic = _magic()
        if payload[:len(magic)] != magic:
            return None
        inherited_text, optimize, code = marshal.loads(payload[len(magic):])
    except (ValueError, EOFError, TypeError):
        return None
    if inherited_text != text or optimize != sys.flags.optimize or not isinstance(code, type(_magic.__code__)):
        return None
    return code
