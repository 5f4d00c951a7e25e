"""Source text that replaces a file's text on disk for the debugger, without writing the file.

Apply Changes on an attached program with path mappings sends the client's text: that text
is what the program now runs, so breakpoint validation, breakpoint probes, `linecache`
(tracebacks, stack lines) and later applies must all read it instead of the unchanged file.
"""

import threading

from .paths import normalize

_lock = threading.Lock()
_texts = {}  # normalized path -> (generation, text)
_generation = [0]


def set_text(path, text):
    """From now on `path` reads as `text` for the debugger and for linecache."""
    with _lock:
        _generation[0] += 1
        _texts[normalize(path)] = (_generation[0], text)
    import linecache  # here: an override comes with an apply, never at start-up

    # mtime None: linecache.checkcache leaves the entry alone (the file on disk is older).
    linecache.cache[path] = (len(text), None, text.splitlines(True), path)


def text_for(path):
    """(signature, text) when `path` was given new text, else None."""
    if not _texts:
        return None
    entry = _texts.get(normalize(path))
    if entry is None:
        return None
    return ("override", entry[0]), entry[1]
