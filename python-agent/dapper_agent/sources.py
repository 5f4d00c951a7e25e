"""sourceReference numbers for code that has no file (`<string>`, `<stdin>`, generated code).

The text of an exec'd string is not kept by Python. When the frame that called exec/eval
still holds it (a constant of its code or one of its variables — the usual case), we find it
by compiling the candidates and comparing with the running code object; otherwise the
`linecache` entry (IPython, doctest) is used.
"""

import itertools
import threading
import types

from .code_lines import walk_code

_MAX_CANDIDATE = 1_000_000


class SourceRegistry:
    def __init__(self):
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._by_key = {}
        self._by_id = {}  # reference -> (filename, text or None)
        self._by_code = {}  # id(code) -> (code, reference)

    def reference_for_frame(self, frame):
        """A stable reference (for the session's lifetime) for the code a frame runs."""
        code = frame.f_code
        entry = self._by_code.get(id(code))
        if entry is not None and entry[0] is code:
            return entry[1]
        text = _find_exec_source(frame)
        reference = self._reference(code.co_filename, text)
        self._by_code[id(code)] = (code, reference)
        return reference

    def _reference(self, filename, text):
        key = (filename, text)
        with self._lock:
            reference = self._by_key.get(key)
            if reference is None:
                reference = next(self._ids)
                self._by_key[key] = reference
                self._by_id[reference] = (filename, text)
            return reference

    def content(self, reference):
        entry = self._by_id.get(reference)
        if entry is None:
            return None
        filename, text = entry
        if text is not None:
            return text
        import linecache  # a `source` request: not at start-up

        lines = linecache.getlines(filename)
        return "".join(lines) if lines else None


def _find_exec_source(frame):
    code = frame.f_code
    caller = frame.f_back
    # Nested code (a function defined in the exec'd string) is found from the exec'd module code.
    while caller is not None and caller.f_code.co_filename == code.co_filename:
        caller = caller.f_back
    if caller is None:
        return None
    candidates = [c for c in caller.f_code.co_consts if isinstance(c, str)]
    try:
        candidates.extend(v for v in list(caller.f_locals.values()) if isinstance(v, str))
    except Exception:  # locals of an odd frame: no candidates from there
        pass
    for text in candidates:
        if len(text) > _MAX_CANDIDATE or "\n" not in text and len(text) < 2:
            continue
        for mode in ("exec", "eval"):
            try:
                compiled = compile(text, code.co_filename, mode, dont_inherit=True)
            except (SyntaxError, ValueError):
                continue
            if any(_same_code(nested, code) for nested in walk_code(compiled)):
                return text
    return None


def _same_code(candidate, code):
    return (
        isinstance(candidate, types.CodeType)
        and candidate.co_name == code.co_name
        and candidate.co_firstlineno == code.co_firstlineno
        and candidate.co_code == code.co_code
    )
