"""The breakpoint store: line, function and exception breakpoints as the client set them."""

import itertools
import threading

from .code_lines import LineTable
from .conditions import HitCondition, InvalidHitCondition
from .paths import normalize

EXCEPTION_FILTERS = ("raised", "uncaught", "userUnhandled")


class LineBreakpoint:
    def __init__(self, bp_id, path, requested_line, condition=None, hit_condition=None, log_message=None):
        self.id = bp_id
        self.path = path
        self.requested_line = requested_line
        self.line = None
        self.verified = False
        self.message = None
        self.condition = condition or None
        self.hit_condition = hit_condition or None
        self.log_message = log_message if log_message else None
        self.hit_rule = None
        self.hits = 0

    def to_dap(self):
        body = {"id": self.id, "verified": self.verified, "line": self.line if self.line is not None else self.requested_line}
        if self.message:
            body["message"] = self.message
        if self.path:
            body["source"] = {"path": self.path}
        return body


class FunctionBreakpoint:
    def __init__(self, bp_id, name, condition=None, hit_condition=None):
        self.id = bp_id
        self.name = name
        self.condition = condition or None
        self.hit_condition = hit_condition or None
        self.hit_rule = None
        self.hits = 0
        self.verified = True
        self.message = None

    def matches(self, frame):
        code = frame.f_code
        module_name = frame.f_globals.get("__name__")
        qualname = getattr(code, "co_qualname", None) or _qualname_before_311(frame)
        name = self.name
        if name in (code.co_name, qualname):
            return True
        return module_name is not None and name in (module_name + "." + code.co_name, module_name + "." + qualname)

    def to_dap(self):
        body = {"id": self.id, "verified": self.verified}
        if self.message:
            body["message"] = self.message
        return body


def _qualname_before_311(frame):
    """Python < 3.11 has no co_qualname: recover Class.method from the first argument."""
    code = frame.f_code
    if code.co_argcount:
        first = code.co_varnames[0]
        value = frame.f_locals.get(first)
        if first == "self" and value is not None:
            for klass in type(value).__mro__:
                if klass.__dict__.get(code.co_name) is not None:
                    return klass.__qualname__ + "." + code.co_name
        if first == "cls" and isinstance(value, type):
            return value.__qualname__ + "." + code.co_name
    return code.co_name


class BreakpointStore:
    """Thread-safe store; `generation` changes whenever anything the tracer cares about does."""

    def __init__(self, send_event=None):
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self._by_file = {}  # normalized path -> list[LineBreakpoint]
        self._by_line = {}  # normalized path -> {line: [LineBreakpoint]}
        self.function_breakpoints = []
        self.exception_filters = frozenset()
        self.generation = 0
        self.lines = LineTable()
        self._send_event = send_event or (lambda event, body: None)

    # -- line breakpoints ---------------------------------------------------------------------

    def set_file(self, path, source_breakpoints):
        """Replace the breakpoints of one file (DAP setBreakpoints); returns them, resolved."""
        key = normalize(path)
        file_lines = self.lines.for_file(path)
        previous = {bp.requested_line: bp for bp in self._by_file.get(key, ())}
        result = []
        for spec in source_breakpoints:
            requested = int(spec.get("line", 0))
            old = previous.get(requested)
            bp = LineBreakpoint(
                old.id if old is not None else next(self._ids),
                path,
                requested,
                spec.get("condition"),
                spec.get("hitCondition"),
                spec.get("logMessage"),
            )
            if old is not None and old.condition == bp.condition and old.hit_condition == bp.hit_condition:
                bp.hits = old.hits
            bp.line, bp.message = file_lines.resolve(requested)
            bp.verified = bp.line is not None
            self._parse_hit_condition(bp)
            result.append(bp)
        with self._lock:
            self._by_file[key] = result
            self._index(key)
            self.generation += 1
        return result

    @staticmethod
    def _parse_hit_condition(bp):
        if not bp.hit_condition:
            return
        try:
            bp.hit_rule = HitCondition.parse(bp.hit_condition)
        except InvalidHitCondition as error:
            bp.verified = False
            bp.message = str(error)

    def _index(self, key):
        by_line = {}
        for bp in self._by_file.get(key, ()):
            if bp.verified:
                by_line.setdefault(bp.line, []).append(bp)
        if by_line:
            self._by_line[key] = by_line
        else:
            self._by_line.pop(key, None)

    def at(self, key, line):
        """Verified breakpoints at (normalized path, line), or None. Hot path: no locking."""
        by_line = self._by_line.get(key)
        if by_line is None:
            return None
        return by_line.get(line)

    def code_names(self):
        """co_name of every code object that can hit a breakpoint (a cheap first filter)."""
        names = set()
        with self._lock:
            for bps in self._by_file.values():
                for bp in bps:
                    if bp.verified and bp.path:
                        names |= self.lines.for_file(bp.path).names_by_line.get(bp.line, set())
            for bp in self.function_breakpoints:
                names.add(bp.name.rsplit(".", 1)[-1])
        return names

    def lines_in(self, key):
        by_line = self._by_line.get(key)
        return by_line.keys() if by_line else ()

    def has_line_breakpoints(self):
        return bool(self._by_line)

    def files(self):
        return list(self._by_line)

    def all_line_breakpoints(self):
        with self._lock:
            return [bp for bps in self._by_file.values() for bp in bps]

    def remap_lines(self, path, mapping):
        """Move the breakpoints of `path` after an edit: mapping {old line: new line or None}.

        Lines missing from `mapping` stay where they are. Each breakpoint that moves or loses
        its line is reported to the client with a DAP `breakpoint` event, reason `changed`.
        Returns [{"path", "oldLine", "newLine"}] for the hotReload response.
        """
        key = normalize(path)
        self.lines.forget(path)
        file_lines = self.lines.for_file(path)
        remaps = []
        with self._lock:
            for bp in self._by_file.get(key, ()):
                if bp.line is None or bp.line not in mapping:
                    continue
                old_line, new_line = bp.line, mapping[bp.line]
                if new_line == old_line:
                    continue
                if new_line is None:
                    bp.verified = False
                    bp.message = "The line of this breakpoint was deleted by Apply Changes; set it again where you need it."
                    bp.line = None
                else:
                    bp.requested_line = new_line
                    bp.line, bp.message = file_lines.resolve(new_line)
                    bp.verified = bp.line is not None
                remaps.append({"path": bp.path, "oldLine": old_line, "newLine": bp.line})
                self._send_event("breakpoint", {"reason": "changed", "breakpoint": bp.to_dap()})
            self._index(key)
            self.generation += 1
        return remaps

    # -- function and exception breakpoints -------------------------------------------------------

    def set_functions(self, specs):
        result = []
        previous = {bp.name: bp for bp in self.function_breakpoints}
        for spec in specs:
            name = (spec.get("name") or "").strip()
            old = previous.get(name)
            bp = FunctionBreakpoint(old.id if old else next(self._ids), name, spec.get("condition"), spec.get("hitCondition"))
            if not name:
                bp.verified = False
                bp.message = "Empty function name; use func, Class.method or module.func."
            self._parse_hit_condition(bp)
            result.append(bp)
        with self._lock:
            self.function_breakpoints = [bp for bp in result if bp.verified]
            self.generation += 1
        return result

    def set_exception_filters(self, filters):
        unknown = [f for f in filters if f not in EXCEPTION_FILTERS]
        with self._lock:
            self.exception_filters = frozenset(f for f in filters if f in EXCEPTION_FILTERS)
            self.generation += 1
        return unknown

    def clear(self):
        with self._lock:
            self._by_file.clear()
            self._by_line.clear()
            self.function_breakpoints = []
            self.exception_filters = frozenset()
            self.generation += 1
