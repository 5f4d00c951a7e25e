"""sourceReference numbers for code that has no file (`<string>`, `<stdin>`, generated code)."""

import itertools
import linecache
import threading


class SourceRegistry:
    def __init__(self):
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._by_name = {}
        self._by_id = {}
        self._texts = {}

    def reference_for(self, filename):
        """A stable reference for the session's lifetime (unlike frame ids)."""
        with self._lock:
            reference = self._by_name.get(filename)
            if reference is None:
                reference = next(self._ids)
                self._by_name[filename] = reference
                self._by_id[reference] = filename
            return reference

    def remember(self, filename, text):
        """Keep the text of code compiled from a string, so the client can show it."""
        self._texts[filename] = text
        return self.reference_for(filename)

    def content(self, reference):
        filename = self._by_id.get(reference)
        if filename is None:
            return None
        if filename in self._texts:
            return self._texts[filename]
        lines = linecache.getlines(filename)
        return "".join(lines) if lines else None
