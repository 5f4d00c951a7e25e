"""Which lines of a file hold code, read from the compiled file's code objects' line tables."""

import os
import sys
import types
import weakref

from . import source_overrides
from .restart import main_code
from .restart.points import setup_offset


# The instruction that sets up a function's restart point before 3.11 has the `def` line, which
# holds no code of the function's own: it is not one of its lines (restart/transform.py).
if sys.version_info >= (3, 10):

    def line_numbers(code):
        """The line numbers that code's instructions belong to."""
        setup = setup_offset(code)
        return {line for start, _end, line in code.co_lines() if line is not None and start != setup}

else:

    def line_numbers(code):
        setup = setup_offset(code)
        return {line for offset, line in _line_starts_39(code) if offset != setup}

    def _line_starts_39(code):
        """(offset, line) where each line's instructions start, read from 3.9's co_lnotab:
        pairs of (offset increment, signed line increment) bytes (CPython's
        Objects/lnotab_notes.txt). Read here rather than with dis, which costs a noticeable
        part of a child process's start-up."""
        table = code.co_lnotab
        line = code.co_firstlineno
        offset = 0
        reported = None
        for index in range(0, len(table) - 1, 2):
            offset_step, line_step = table[index], table[index + 1]
            if offset_step:
                if line != reported:
                    yield offset, line
                    reported = line
                offset += offset_step
            line += line_step - 256 if line_step >= 128 else line_step
        if line != reported:
            yield offset, line


def line_at(code, offset):
    """The line of the instruction at `offset` (None for no line)."""
    if sys.version_info >= (3, 10):
        for start, end, line in code.co_lines():
            if start <= offset < end:
                return line
        return None
    found = None
    for start, line in _line_starts_39(code):
        if start > offset:
            break
        found = line
    return found


# From 3.11 a function's prologue (the instructions before RESUME, on the `def` line) reports
# no line event. The opcode is looked up on first use: `opcode` is not imported at start-up.
_resume_opcode = []
_eventful_cache = {}  # id(code) -> (weak reference to code, lines)


def eventful_lines(code):
    """Lines of `code` that can report a line event. Cached per code object: the 3.9–3.11
    tracer's refreshes ask often."""
    entry = _eventful_cache.get(id(code))
    if entry is not None and entry[0]() is code:
        return entry[1]
    lines = frozenset(_eventful_lines(code))
    key = id(code)
    _eventful_cache[key] = (weakref.ref(code, lambda _ref, key=key: _eventful_cache.pop(key, None)), lines)
    return lines


def _eventful_lines(code):
    if sys.version_info < (3, 11):
        return line_numbers(code)
    first = after_resume(code)
    if first is None:
        return line_numbers(code)
    return {line for start, end, line in code.co_lines() if line is not None and end > first}


def resume_offset(code):
    """3.11+: the offset of `code`'s RESUME, after its prologue (None if it has none)."""
    if not _resume_opcode:
        import opcode

        resume = opcode.opmap.get("RESUME")
        _resume_opcode.append(resume)
        _resume_opcode.append(None if resume is None else 2 * (1 + inline_caches(opcode, resume)))
    resume_opcode = _resume_opcode[0]
    if resume_opcode is None:
        return None
    raw = code.co_code
    return next((offset for offset in range(0, min(len(raw), 64), 2) if raw[offset] == resume_opcode), None)


def after_resume(code):
    """3.11+: the offset of the instruction after `code`'s RESUME and its inline caches (3.15
    gave RESUME one), or None where it has no RESUME."""
    resume = resume_offset(code)
    return None if resume is None else resume + _resume_opcode[1]


def inline_caches(opcode, op):
    """How many inline cache entries (2 bytes each) follow instruction `op` (3.11+; 0 before).
    `opcode._inline_cache_entries` is a list by opcode on 3.11/3.12, a mapping by name from
    3.13 (a dict, a frozendict on 3.15) whose missing names have none."""
    caches = getattr(opcode, "_inline_cache_entries", None)
    if caches is None:
        return 0
    if hasattr(caches, "get"):
        return caches.get(opcode.opname[op]) or 0
    return caches[op] if op < len(caches) else 0


def walk_code(code):
    """code and every code object nested in it (functions, classes, comprehensions)."""
    stack = [code]
    while stack:
        current = stack.pop()
        yield current
        for const in current.co_consts:
            if isinstance(const, types.CodeType):
                stack.append(const)


class FileLines:
    """The lines with code in one source file, or why they cannot be known."""

    def __init__(self, lines, error=None, line_count=0, names_by_line=None):
        self.lines = lines
        self.error = error
        self.line_count = line_count
        self.names_by_line = names_by_line or {}  # line -> co_names of the code objects running it

    def resolve(self, line):
        """(actual line, message): the requested line or the next line with code after it."""
        if self.error:
            return None, self.error
        if line < 1 or line > self.line_count:
            return None, "Line %d is past the end of the file (it has %d lines)." % (line, self.line_count)
        for candidate in range(line, self.line_count + 1):
            if candidate in self.lines:
                return candidate, None
        return None, "No code on line %d or after it; breakpoints must be on a line with code." % line


class LineTable:
    """Caches FileLines per file, invalidated when the file changes on disk."""

    def __init__(self):
        self._cache = {}

    def for_file(self, path):
        override = source_overrides.text_for(path)
        if override is not None:
            cached = self._cache.get(path)
            if cached is None or cached[0] != override[0]:
                cached = (override[0], self._compile_source(path, override[1].encode("utf-8")))
                self._cache[path] = cached
            return cached[1]
        try:
            stat = os.stat(path)
        except OSError as error:
            return FileLines(set(), "File not found: %s (%s)." % (path, error.strerror or error))
        signature = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == signature:
            return cached[1]
        inherited = main_code.lines_for(path, signature)
        if inherited is not None:
            lines, line_count, names_by_line = inherited
            result = FileLines(set(lines), None, line_count, {line: set(names) for line, names in names_by_line.items()})
        else:
            result = self.compile_file(path)
        self._cache[path] = (signature, result)
        return result

    def forget(self, path):
        self._cache.pop(path, None)

    @staticmethod
    def compile_file(path):
        """FileLines of the file as it is on disk, from a plain compile of it."""
        try:
            with open(path, "rb") as handle:
                source = handle.read()
        except OSError as error:
            return FileLines(set(), "Cannot read %s: %s." % (path, error.strerror or error))
        return LineTable._compile_source(path, source)

    @staticmethod
    def _compile_source(path, source):
        line_count = source.count(b"\n") + (0 if source.endswith(b"\n") or not source else 1)
        try:
            code = compile(source, path, "exec", dont_inherit=True)
        except SyntaxError as error:
            return FileLines(
                set(),
                "The file does not compile (%s at line %s); fix it and set the breakpoint again." % (error.msg, error.lineno),
                line_count,
            )
        except (ValueError, UnicodeDecodeError) as error:
            return FileLines(set(), "The file cannot be compiled: %s." % error, line_count)
        lines = set()
        names_by_line = {}
        for nested in walk_code(code):
            nested_lines = line_numbers(nested)
            lines |= nested_lines
            for line in nested_lines:
                names_by_line.setdefault(line, set()).add(nested.co_name)
        lines.discard(0)
        return FileLines(lines, None, line_count, names_by_line)


def code_line_range(code):
    """(first, last) line covered by code itself (not nested code), cached on the caller side."""
    lines = line_numbers(code)
    lines.add(code.co_firstlineno)
    return min(lines), max(lines)
