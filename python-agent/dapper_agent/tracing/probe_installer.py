"""Installing breakpoint probes into the live program, and telling what they cannot cover.

For each file with line breakpoints, the functions it defined (found from its modules'
namespaces, as Apply Changes finds them) get instrumented code (probes.py). What probes
cannot cover is reported so the tracer can fall back to tracing:

- `Coverage.complete` is False when some breakpoint could be reached by code we could not
  instrument (a lambda or generator expression on the line, code not compiled from the file's
  current text, a function we could not find, a suspended generator started from old code);
  the tracer then traces every thread, as before probes existed.
- `Coverage.pinned` lists running frames whose code has breakpoint lines without probes (a
  frame cannot change its code), with how long their threads must stay traced: until the
  frame returns, while Apply Changes watches it, or — a module body about to define
  functions with breakpoints — until it is past those definitions (then they get probes).
"""

import gc
import os
import sys
import types
import weakref

from .. import code_identity, source_overrides
from ..code_flags import CO_ASYNC_GENERATOR, CO_COROUTINE, CO_GENERATOR, CO_NEWLOCALS, CO_OPTIMIZED
from ..code_lines import eventful_lines, line_numbers, walk_code

# probes.py (ast, dis, tokenize, copy) is imported by the first function that needs a probe:
# a process whose breakpoints are all in files it never loads (most child processes) never
# pays for it. The code flags are inspect's, fixed in every CPython (inspect costs as much).
_SUSPENDABLE = CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR
_FUNCTION_FLAGS = CO_OPTIMIZED | CO_NEWLOCALS
_SUSPENDABLE_TYPES = (types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType)


class Coverage:
    def __init__(self):
        self.complete = True
        self.pinned = []  # (frame, Pin): frames whose threads must stay traced
        self.reasons = []  # why coverage is incomplete (for tests and the curious)

    def incomplete(self, reason):
        self.complete = False
        self.reasons.append(reason)


class Pin:
    """Why a running frame keeps its thread traced: "uncovered" (until it returns), "watched"
    (while Apply Changes watches it) or "pending" (until it runs past line `until`)."""

    __slots__ = ("kind", "until")

    def __init__(self, kind, until=None):
        self.kind = kind
        self.until = until


class _FileSource:
    """A file's current text. A definition is parsed from its own lines, with the imported
    names remembered from the last full parse of the file (imports rarely change between
    edits); the whole file is parsed only when that does not reproduce the running code."""

    def __init__(self, lines, imports_by_path, key):
        self.lines = lines
        self._imports_by_path = imports_by_path
        self._key = key
        self._definitions = None

    def definitions_of(self, code, qualname):
        """Candidate Definitions of `code`, cheapest first."""
        from .probes import SourceDefinitions, definition_from_lines

        imported = self._imports_by_path.get(self._key)
        if imported is not None:
            found = definition_from_lines(self.lines, code, qualname, imported)
            if found is not None:
                yield found
        if self._definitions is None:
            self._definitions = SourceDefinitions("".join(self.lines))
            self._imports_by_path[self._key] = self._definitions.imported
        found = self._definitions.enclosing_target(code)
        if found is not None:
            yield found


class ProbeInstaller:
    def __init__(self, session, handler):
        self._session = session
        self._handler = handler  # handler(probe) runs when a probe does
        self._installed = {}  # id(function) -> (function, original code, instrumented code)
        self._wanted = set()  # ids of the instrumented code the latest update installs
        self._program_files = set()  # files whose module code we compiled with probes (the main script)
        self._sources = {}  # normalized path -> ((mtime, size), _FileSource or None)
        self._imports = {}  # normalized path -> names its module binds by importing (last parse)
        self._cache = {}  # (id(original), lines) -> (original, Instrumented): reuse keeps identities stable
        self.probe_offsets = CodeTable()  # instrumented code -> offsets of its probe instructions
        self.covered = CodeTable()  # instrumented code -> breakpoint lines its probes cover
        self._lines_of_trees = CodeTable()  # code -> lines of it and its nested code
        self.program_template = None  # the main script's probed code as children can run it

    # -- the main script ----------------------------------------------------------------------

    def instrument_program(self, code, source):
        """The main script's code with probes for its breakpoints (or `code` unchanged)."""
        lines = self._lines_for(code.co_filename)
        if not lines:
            return code
        from .probes import instrument_module

        result = instrument_module(source, code, lines, self._handler)
        if result is None:
            return code
        self._remember(result)
        self._program_files.add(self._session.classifier.key(code.co_filename))
        result.template.source_code = code
        self.program_template = result.template
        return result.code

    def template_for(self, code):
        """The main script's code `code` compiled with probes for the current breakpoints in
        its file, as a template children can run (probe_code.ProbedTemplate); None without
        breakpoints there or when its text cannot be read or instrumented."""
        lines = self._lines_for(code.co_filename)
        if not lines:
            return None
        cached = self.program_template
        if cached is not None and cached.lines == lines and cached.source_code is code:
            return cached
        source = self._source(self._session.classifier.key(code.co_filename))
        if source is None:
            return None
        from .probes import instrument_module

        result = instrument_module("".join(source.lines), code, lines, self._handler)
        if result is None:
            return None
        result.template.source_code = code
        self.program_template = result.template
        return result.template

    def instrument_from_template(self, code, template):
        """Module code (a child's `__mp_main__`) with the probes its parent compiled for the
        same file (probe_code.ProbedTemplate), when this process's breakpoints there are the
        ones it was compiled for; else `code` unchanged (the tracer then sees the module body
        run as any import with breakpoints)."""
        if self._lines_for(code.co_filename) != template.lines:
            return code
        result = template.instantiate(code, self._handler)
        if result is None:
            return code
        self._remember(result)
        self._program_files.add(self._session.classifier.key(code.co_filename))
        return result.code

    # -- functions already defined ------------------------------------------------------------

    def restore(self):
        """Give every instrumented function its original code back (before Apply Changes).
        That includes functions the main script defined from its instrumented module code."""
        for function, original, instrumented in self._installed.values():
            if function.__code__ is instrumented:
                function.__code__ = original
        self._installed.clear()
        for key, module in self._modules(self._program_files):
            for function in _live_functions(module, key):
                _give_original_code(function)

    def update(self):
        """Instrument for the current breakpoints; returns the Coverage. Functions whose probes
        stay the same keep their instrumented code throughout (the program may be running and
        call them meanwhile); the others get new code or their own back."""
        previous, self._installed, self._wanted = self._installed, {}, set()
        try:
            return self._update()
        finally:
            for key, entry in previous.items():
                function, original, instrumented = entry
                if key in self._installed or function.__code__ is not instrumented:
                    continue
                if id(instrumented) in self._wanted:
                    self._installed[key] = entry  # a closure that already runs today's probes
                else:
                    function.__code__ = original
            files = set(self._session.breakpoints.files())
            for key, module in self._modules(self._program_files - files):
                for function in _live_functions(module, key):
                    _give_original_code(function)

    def _update(self):
        coverage = Coverage()
        store = self._session.breakpoints
        files = {key: frozenset(store.lines_in(key)) for key in store.files()}
        if len(self._cache) > 2000:
            self._cache.clear()
        if not files:
            self._pin_running_frames(files, coverage)
            return coverage
        heap_search = {}  # id(live code) -> (live code, instrumented twin or None)
        running_bodies = self._running_module_bodies()
        found = {}  # path -> lines of the live code reached
        for key, module in self._modules(files):
            source = self._source(key)
            for function in _live_functions(module, key):
                self._instrument_function(function, files[key], source, coverage, heap_search, found.setdefault(key, set()))
        for key, lines in files.items():
            self._check_reached(key, lines, found.get(key, set()), coverage, running_bodies)
        if heap_search:
            self._search_heap(heap_search, coverage)
        self._pin_running_frames(files, coverage)
        return coverage

    def _instrument_function(self, function, lines, source, coverage, heap_search, found):
        code = code_identity.original_code(function.__code__)
        tree_lines = self._tree_lines(code)
        found |= tree_lines
        hits = tree_lines & lines
        if not hits:
            _give_original_code(function)
            return
        tree = list(walk_code(code))
        name = getattr(code, "co_qualname", code.co_name)
        if source is None:
            coverage.incomplete("%s: its file cannot be read or parsed" % name)
            return
        result = self._instrumented(code, hits, source, function.__qualname__)
        if result is None:
            _give_original_code(function)
            coverage.incomplete("%s: cannot be instrumented" % name)
            return
        try:
            if function.__code__ is not result.code:
                function.__code__ = result.code
        except (ValueError, TypeError):
            coverage.incomplete("%s: its code cannot be replaced" % name)
            return
        self._installed[id(function)] = (function, code, result.code)
        self._remember(result)
        # Other function objects may share this code (closures made by earlier calls) and
        # generators started from it may be suspended: both are found with one heap pass.
        twins = {id(old): new for new, old in result.originals}
        is_target = "<locals>" not in function.__qualname__.split(".")
        for nested in tree:
            if nested is code:
                if not is_target or code.co_flags & _SUSPENDABLE:
                    heap_search[id(code)] = (code, result.code)
            elif _is_function_code(nested) and hits.intersection(eventful_lines(nested)):
                heap_search[id(nested)] = (nested, twins.get(id(nested)))

    def _tree_lines(self, code):
        """Every line `code` and the code nested in it can report (cached per code object)."""
        lines = self._lines_of_trees.get(code)
        if lines is None:
            lines = frozenset().union(*(eventful_lines(nested) for nested in walk_code(code)))
            self._lines_of_trees.put(code, lines)
        return lines

    def _instrumented(self, code, hits, source, qualname):
        key = (id(code), hits)
        cached = self._cache.get(key)
        if cached is not None and cached[0] is code:
            return cached[1]
        from .probes import instrument_definition

        result = None
        try:
            for found in source.definitions_of(code, qualname):
                result = instrument_definition(found, code, hits, self._handler)
                if result is not None:
                    break
        except (SyntaxError, ValueError, RecursionError):
            result = None
        if result is not None:
            self._cache[key] = (code, result)
        return result

    def _remember(self, result):
        self._wanted.update(id(new) for new, _old in result.originals)
        for new, old in result.originals:
            code_identity.register(new, old)
            self.covered.put(new, result.covered.get(id(new), frozenset()))
            offsets = result.probe_offsets.get(id(new))
            if offsets:
                self.probe_offsets.put(new, offsets)

    def _check_reached(self, key, lines, found, coverage, running_bodies):
        """A breakpoint in a function we could not find (held only by some registry) needs
        tracing. Definitions a running module body has yet to execute are left to
        `_pin_running_frames`; modules not imported yet, to the tracer's import hook; lines of
        module-level code ran at import."""
        if lines <= found or not self._module_loaded(key):
            return
        names_by_line = self._session.breakpoints.lines.for_file(key).names_by_line
        executed_up_to = running_bodies.get(key)
        for line in lines:
            if line in found or names_by_line.get(line, {"<module>"}) == {"<module>"}:
                continue
            if executed_up_to is not None and line > executed_up_to:
                continue
            coverage.incomplete("line %d of %s: no live function runs it" % (line, key))
            return

    def _running_module_bodies(self):
        """normalized path -> current line of that file's module body, while it runs. The main
        script counts as running from before its first line."""
        bodies = {}
        for frame in _running_frames(self._session):
            if frame.f_code.co_name == "<module>":
                bodies[self._session.classifier.key(frame.f_code.co_filename)] = frame.f_lineno or 0
        main_globals = self._session.main_globals
        if main_globals is not None and not self._session.program_started and isinstance(main_globals.get("__file__"), str):
            bodies.setdefault(self._session.classifier.key(main_globals["__file__"]), 0)
        return bodies

    def _search_heap(self, wanted, coverage):
        """Existing closures and unfinished generators of code with breakpoints (one heap pass)."""
        running = {id(frame) for frame in _running_frames(self._session)}
        codes = [code for code, _twin in wanted.values()]
        for holder in gc.get_referrers(*codes):
            if isinstance(holder, types.FunctionType):
                entry = wanted.get(id(holder.__code__))
                if entry is None or entry[0] is not holder.__code__:
                    continue
                twin = entry[1]
                if twin is None:
                    coverage.incomplete("a closure of %s cannot be instrumented" % holder.__code__.co_name)
                    continue
                try:
                    original = holder.__code__
                    holder.__code__ = twin
                    self._installed[id(holder)] = (holder, code_identity.original_code(original), twin)
                except (ValueError, TypeError):
                    coverage.incomplete("a closure of %s cannot be instrumented" % holder.__code__.co_name)
            elif isinstance(holder, _SUSPENDABLE_TYPES):
                frame = getattr(holder, "gi_frame", None) or getattr(holder, "cr_frame", None) \
                    or getattr(holder, "ag_frame", None)
                if frame is not None and id(frame) not in running:
                    coverage.incomplete("a suspended %s runs code without probes" % frame.f_code.co_name)

    def _pin_running_frames(self, files, coverage):
        engine = self._session.engine
        for frame in _running_frames(self._session):
            code = frame.f_code
            if engine.is_watched(code):  # Apply Changes follows this frame line by line
                coverage.pinned.append((frame, Pin("watched")))
                continue
            key = self._session.classifier.key(code.co_filename)
            lines = files.get(key)
            if not lines:
                continue
            if engine.interest(code)[0] and not self._covers(code, lines):
                coverage.pinned.append((frame, Pin("uncovered")))
            elif not _is_function_code(code):
                last_definition = self._defines_later(frame, lines)
                if last_definition is not None:
                    coverage.pinned.append((frame, Pin("pending", last_definition)))

    def _covers(self, code, lines):
        covered = self.covered.get(code)
        return covered is not None and lines.intersection(eventful_lines(code)) <= covered

    def _defines_later(self, frame, lines):
        """The last line of the definitions with breakpoints (and no probes) that a running
        module or class body has yet to make; None when there are none."""
        current = frame.f_lineno or 0
        last = None
        for nested in frame.f_code.co_consts:
            if not isinstance(nested, types.CodeType) or nested.co_firstlineno <= current:
                continue
            for inner in walk_code(nested):
                if lines.intersection(eventful_lines(inner)) and not self._covers(inner, lines):
                    last = max(last or 0, max(line_numbers(nested) | {nested.co_firstlineno}))
                    break
        return last

    # -- files and modules ----------------------------------------------------------------------

    def _lines_for(self, filename):
        key = self._session.classifier.key(filename)
        return frozenset(self._session.breakpoints.lines_in(key))

    def _modules(self, files):
        main_globals = self._session.main_globals
        seen = set()
        for module in list(sys.modules.values()):
            filename = getattr(module, "__file__", None)
            if not isinstance(filename, str) or id(module) in seen:
                continue
            key = self._session.classifier.key(filename)
            if key in files:
                seen.add(id(module))
                yield key, module
        if main_globals is not None and isinstance(main_globals.get("__file__"), str):
            key = self._session.classifier.key(main_globals["__file__"])
            main = sys.modules.get("__main__")
            if key in files and main is not None and id(main) not in seen and vars(main) is main_globals:
                yield key, main

    def _module_loaded(self, key):
        return any(self._session.classifier.key(getattr(m, "__file__", None) or "<none>") == key
                   for m in list(sys.modules.values()))

    def _source(self, key):
        override = source_overrides.text_for(key)
        if override is not None:
            cached = self._sources.get(key)
            if cached is None or cached[0] != override[0]:
                cached = (override[0], _FileSource(override[1].splitlines(True), self._imports, key))
                self._sources[key] = cached
            return cached[1]
        try:
            stat = os.stat(key)
        except OSError:
            return None
        signature = (stat.st_mtime_ns, stat.st_size)
        cached = self._sources.get(key)
        if cached is not None and cached[0] == signature:
            return cached[1]
        import tokenize  # here: only a file with a breakpoint in a live function is read

        try:
            with tokenize.open(key) as handle:  # decoded as Python decodes source
                source = _FileSource(handle.readlines(), self._imports, key)
        except (OSError, SyntaxError, ValueError):
            source = None
        self._sources[key] = (signature, source)
        return source


class CodeTable:
    """Facts about instrumented code objects, forgotten when the code object is."""

    def __init__(self):
        self._entries = {}  # id(code) -> (weak reference to code, value)

    def put(self, code, value):
        key = id(code)

        def forget(_reference, key=key, entries=self._entries):
            entries.pop(key, None)

        self._entries[key] = (weakref.ref(code, forget), value)

    def get(self, code):
        entry = self._entries.get(id(code))
        if entry is None or entry[0]() is not code:
            return None
        return entry[1]


def _give_original_code(function):
    """A function made from instrumented code gets the original back; returns its code."""
    code = function.__code__
    original = code_identity.original_code(code)
    if original is not code:
        try:
            function.__code__ = original
        except (ValueError, TypeError):
            return code
    return original


def _is_function_code(code):
    return code.co_flags & _FUNCTION_FLAGS == _FUNCTION_FLAGS


def _running_frames(session):
    agent = session.threads.agent_idents
    for ident, frame in sys._current_frames().items():
        if ident in agent:
            continue
        while frame is not None:
            yield frame
            frame = frame.f_back


def _live_functions(module, key):
    try:
        from ..hotreload.livedefs import LiveDefinitions
    except ImportError:
        return [value for value in list(vars(module).values()) if isinstance(value, types.FunctionType)]
    return LiveDefinitions(module, key).functions
