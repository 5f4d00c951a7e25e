"""Apply Changes: compile the edited file, plan every change, apply all of it or nothing.

Usable as a plain library (give it a path, the live frames and the breakpoint lines) and
wired into the agent by commands.py.
"""

import ast
import contextlib
import gc
import linecache
import threading
import time

from .. import source_overrides
from ..code_identity import original_code
from . import diagnostics as d
from .body_plan import BodyOrigin, plan_running_body
from .codeinfo import CodeTree, nested_codes
from .deadline import Deadline
from ..locals_access import set_local
from .frames import current_frames, is_suspendable, plan_local_rebinds, suspended_codes
from .linemap import LineMap
from .livedefs import normalize_path
from .planner import Planner
from .snapshots import SourceSnapshots
from .sources import check_reloadable_path, modules_for_path, read_source
from .undo import UndoLog
from .user_code import holding
from ..restart.points import POINTS


class ReloadOutcome:
    """What an apply did: the response body plus what the debugger must update."""

    def __init__(self, body, stale_codes, line_map, duration_ms, running_body=None):
        self.body = body
        self.stale_codes = stale_codes  # old code objects whose behaviour changed
        self.line_map = line_map
        self.duration_ms = duration_ms
        # (module frame, BodyPlan) when the file's module body is still running old code: the
        # debugger watches that frame to carry the plan out (body_watch.py).
        self.running_body = running_body


class HotReloadEngine:
    def __init__(self, snapshots=None):
        self.snapshots = snapshots or SourceSnapshots()
        self._busy = threading.Lock()
        self._line_translations = {}  # id(old code) -> (old code, path, old line -> new line)
        self._body_origins = {}  # id(module code) -> BodyOrigin of a module body that is running

    def reload(self, path, options=None, frames=None, breakpoint_lines=(), hold=None, live_frames=None,
               deadline=None, text=None):
        """Apply the file's current text (or `text`, leaving the file as it is: attach with path
        mappings) to the running program; raises HotReloadRefused.

        While the program runs: `hold` is a ProgramHold (program_hold.py); everything after
        reading the file happens inside `hold.held()`, where no program thread runs bytecode,
        except the user's own code (user_code.py), and `live_frames()` gives the frames of the
        held program. Past `deadline` (time.monotonic()) the apply is refused before anything
        changed, so a client that gave up never sees it land later."""
        if not self._busy.acquire(blocking=False):
            message = "Another Apply Changes is still running; wait for it to finish, then apply again."
            raise d.HotReloadRefused(message, [d.diagnostic(d.RELOAD_IN_PROGRESS, d.ERROR, message, path, 1)])
        # The apply allocates many small objects; a cyclic collection meanwhile would cost
        # time proportional to the program's heap, so it waits until the apply is done.
        collecting = gc.isenabled()
        gc.disable()
        try:
            check_reloadable_path(path)
            new_text = _read(path) if text is None else text  # file I/O: before the program is held
            with hold.held() if hold is not None else contextlib.nullcontext(), holding(hold):  # nests
                if live_frames is not None:
                    frames = live_frames()
                outcome = self._reload(path, new_text, dict(options or {}), frames, breakpoint_lines,
                                       live_frames, Deadline(deadline, path))
            if text is None:
                linecache.checkcache(path)
            else:
                source_overrides.set_text(path, text)  # the file keeps its text; we run and show this one
            return outcome
        finally:
            if collecting:
                gc.enable()
            self._busy.release()

    def translate_line(self, code, line):
        """The line in the current file of `line` in a frame still running replaced code."""
        entry = self._line_translations.get(id(code))
        if entry is None or entry[0] is not code or line is None:
            return line
        translated = entry[2](line)
        return line if translated is None else translated

    def _reload(self, path, new_text, options, frames, breakpoint_lines, live_frames, deadline):
        started = time.perf_counter()
        modules = modules_for_path(path)
        new_code = _compile(new_text, path)
        old_text = self.snapshots.old_text(path)
        warnings = []
        if old_text is None:
            old_text = new_text
            warnings.append("No copy of this file from before the edit was available, so line numbers "
                            "of code that only moved could not be updated.")
        if frames is None:
            frames = current_frames(skip_thread_ids=(threading.get_ident(),))
        try:
            old_tree = self.snapshots.old_tree(path, old_text, _running_module_code(frames, path))
        except (SyntaxError, ValueError):
            old_text, old_tree = new_text, None
        new_tree = CodeTree(new_code)
        old_tree = old_tree or new_tree
        line_map = LineMap(old_text.splitlines(), new_text.splitlines())

        body_frame, body_plan = None, None
        if not warnings:  # positions in a running body need the text it was compiled from
            body_frame, body_plan = self._plan_running_body(frames, path, modules, old_text, old_tree,
                                                            new_text, new_tree)
        pending = self.snapshots.pending(path)
        # Live frames' locals are searched once, with the first module the file is loaded as
        # (a file loaded under two names must not have its closures patched twice).
        plans = []
        for index, module in enumerate(modules):
            deadline.check()
            plans.append(Planner(module, path, old_tree, new_tree, old_text, new_text, line_map, options,
                                 pending, body_plan if body_plan is not None and module is body_plan.module
                                 else None, frames if index == 0 else ()).build())
        replaced = {}
        for plan in plans:
            replaced.update(plan.replaced)
        deadline.check()
        if live_frames is not None:
            frames = live_frames()  # user code may have let the program move on meanwhile
        rebinds = plan_local_rebinds(frames, replaced) if options.get("rebindFrameLocals", True) else []
        self._apply(plans, rebinds, path)

        self.snapshots.record_applied(path, new_text, new_tree,
                                      {key for plan in plans for key in plan.not_applied})
        changed = {}
        moved = {}
        for plan in plans:
            changed.update(plan.changed_codes)
            moved.update(plan.moved_codes)
        running_body = _running_module_code(frames, path)
        may_run = [old for old, _ in list(changed.values()) + list(moved.values())]
        if running_body is not None:
            may_run.append(running_body)
            may_run.extend(_running_previous_code(frames, old_tree))
        self._remember_line_translations(path, line_map, may_run)
        diagnostics = [diagnostic for plan in plans for diagnostic in plan.diagnostics]
        stale = self._stale_frames(frames, changed, path)
        stale_codes = {old for old, _ in changed.values()}
        if body_plan is not None:
            self._translate_running_body(body_plan, path)
            diagnostics.extend(body_plan.diagnostics)
            if body_plan.runs_old_code:
                stale_codes.add(body_plan.origin.code)
                stale.append(self._stale_item(body_frame, path))
            stale_codes.update(body_plan.stale_codes)
            stale.extend(self._stale_item(live, path) for live in frames
                         if any(live.frame.f_code is code for code in body_plan.stale_codes))
        diagnostics.extend(_running_generators(frames, [vars(plan.module) for plan in plans], changed, path))
        warnings.extend("line {}: {}".format(item["line"], item["message"])
                        for item in diagnostics if item["severity"] == d.WARNING)
        body = {
            "module": ", ".join(plan.module.__name__ for plan in plans),
            "path": path,
            "patchedFunctions": sum(plan.patched_functions for plan in plans),
            "patchedClasses": len({id(c) for plan in plans for c in plan.patched_classes}),
            "addedDefinitions": sum(plan.added for plan in plans),
            "pendingDefinitions": body_plan.pending_definitions if body_plan is not None else 0,
            "removedDefinitions": sum(plan.removed for plan in plans),
            "reboundFrameLocals": len(rebinds),
            "staleFrames": stale,
            "warnings": warnings,
            "diagnostics": diagnostics,
            "breakpointRemaps": _breakpoint_remaps(path, line_map, breakpoint_lines),
        }
        duration_ms = (time.perf_counter() - started) * 1000.0
        running = (body_frame.frame, body_plan) if body_plan is not None else None
        return ReloadOutcome(body, stale_codes, line_map, duration_ms, running)

    def _plan_running_body(self, frames, path, modules, old_text, old_tree, new_text, new_tree):
        """(LiveFrame, BodyPlan) when one of the file's module bodies is still running."""
        live = _running_module_frame(frames, path)
        if live is None:
            return None, None
        code = live.frame.f_code
        origin = self._body_origins.get(id(code))
        if origin is None or origin.code is not code:
            if old_tree is None or old_tree.module_code is not code:
                return None, None  # the text it was compiled from is not known
            origin = self._body_origins[id(code)] = BodyOrigin(code, old_text, old_tree, path)
        module = next((m for m in modules if vars(m) is live.frame.f_globals), None)
        if module is None:
            return None, None
        return live, plan_running_body(origin, module, path, new_text, new_tree, live.frame.f_lineno,
                                       [frame.frame.f_code for frame in frames])

    def _translate_running_body(self, body_plan, path):
        """Code the running body was compiled with (its own, its class bodies, lambdas, and the
        functions it has yet to create) reports lines of that first text: map them straight to
        the newest text rather than through every apply in between."""
        key = normalize_path(path)
        translate = body_plan.line_map.nearest_new_line
        for code in _all_codes(body_plan.origin.code):
            self._line_translations[id(code)] = (code, key, translate)

    def _apply(self, plans, rebinds, path):
        log = UndoLog()
        line = 1
        try:
            for plan in plans:
                for step_line, step in plan.steps:
                    line = step_line or 1
                    step(log)
            line = 1
            for frame, name, old, new in rebinds:
                log.call(lambda f=frame, n=name, v=new: set_local(f, n, v),
                         lambda f=frame, n=name, v=old: set_local(f, n, v))
        except BaseException as error:  # SystemExit/KeyboardInterrupt from user code too: undo all
            log.rollback()
            message = ("Applying the change at line {} failed with {}: {}. Everything was restored; "
                       "the program runs the old code.".format(line, type(error).__name__, error))
            raise d.HotReloadRefused(message, [d.diagnostic(d.APPLY_FAILED, d.ERROR, message, path, line)])

    def _remember_line_translations(self, path, line_map, old_codes):
        """Frames running code compiled from an older text of the file (replaced functions,
        the running module body) report old line numbers; remember how to translate them."""
        if not line_map.changed:
            return
        key = normalize_path(path)
        for code_id, (code, code_path, translate) in list(self._line_translations.items()):
            if code_path == key:
                self._line_translations[code_id] = (
                    code, key, lambda line, first=translate: _then(first(line), line_map))
        for old in old_codes:
            if id(old) not in self._line_translations:
                self._line_translations[id(old)] = (old, key, line_map.nearest_new_line)

    def _stale_frames(self, frames, changed, path):
        stale = []
        for live in frames:
            if _changed_entry(changed, live.frame.f_code) is None:
                continue
            stale.append(self._stale_item(live, path))
        return stale

    def _stale_item(self, live, path):
        code = live.frame.f_code
        line = self.translate_line(code, live.frame.f_lineno)
        item = {"frameId": live.frame_id, "name": code.co_name, "line": line, "path": path}
        if live.thread_id is not None:
            item["threadId"] = live.thread_id
        return item


def _running_generators(frames, namespaces, changed, path):
    """One diagnostic per changed generator or coroutine that has an unfinished instance."""
    running = [live.frame.f_code for live in frames if is_suspendable(live.frame.f_code)]
    reported, diagnostics = set(), []
    for code in running + suspended_codes(frames, namespaces):
        entry = _changed_entry(changed, code)
        if entry is None or id(entry[0]) in reported:
            continue
        code = entry[0]
        reported.add(id(code))
        diagnostics.append(d.diagnostic(
            d.GENERATOR_RUNNING, d.WARNING,
            "A started generator or coroutine '{}' keeps running its old code until it finishes; "
            "new calls use the new code. Create it again to use the change.".format(code.co_name),
            path, entry[1].co_firstlineno))
    return diagnostics


def _changed_entry(changed, code):
    """(old, new) when `code` — or the original of a breakpoint-probe copy of it — changed."""
    for candidate in (code, original_code(code)):
        entry = changed.get(id(candidate))
        if entry is not None and entry[0] is candidate:
            return entry
    return None


def _running_module_code(frames, path):
    """The code the program loaded for this file, when its module body is still running
    (the main script's is, for the whole run)."""
    live = _running_module_frame(frames, path)
    return live.frame.f_code if live is not None else None


def _running_module_frame(frames, path):
    wanted = normalize_path(path)
    for live in frames:
        code = original_code(live.frame.f_code)
        if code.co_name == "<module>" and normalize_path(code.co_filename) == wanted:
            return live
    return None


def _running_previous_code(frames, old_tree):
    """Frames running code of the previous text that no function holds (a class body an
    earlier apply substituted), with the code nested in it: it reports that text's lines."""
    previous = {id(code) for code in _all_codes(old_tree.module_code)}
    found = []
    for live in frames:
        if id(live.frame.f_code) in previous:
            found.extend(_all_codes(live.frame.f_code))
    return found


def _all_codes(code):
    found, stack = [], [code]
    while stack:
        code = stack.pop()
        found.append(code)
        stack.extend(nested_codes(code))
    return found


def _then(line, line_map):
    return None if line is None else line_map.nearest_new_line(line)


def _breakpoint_remaps(path, line_map, breakpoint_lines):
    remaps = []
    if not line_map.changed:
        return remaps
    for old_line in breakpoint_lines:
        new_line = line_map.new_line(old_line)
        if new_line != old_line:
            remaps.append({"path": path, "oldLine": old_line, "newLine": new_line})
    return remaps


def _read(path):
    try:
        return read_source(path)
    except (SyntaxError, UnicodeDecodeError, LookupError) as error:
        message = ("'{}' could not be decoded ({}). Save it as UTF-8 or fix its coding "
                   "declaration, then apply again.".format(path, error))
        raise d.HotReloadRefused(message, [d.diagnostic(d.DECODE_ERROR, d.ERROR, message, path, 1)])
    except OSError as error:
        message = "'{}' could not be read ({}). Nothing was changed.".format(path, error)
        raise d.HotReloadRefused(message, [d.diagnostic(d.FILE_NOT_FOUND, d.ERROR, message, path, 1)])


def _compile(text, path):
    try:
        return POINTS.compile_like_running(text, path)
    except SyntaxError as error:
        code = d.SYNTAX_ERROR
        try:
            ast.parse(text, path)
            code = d.COMPILE_ERROR  # parses, but the compiler rejects it (e.g. 'return' outside function)
        except SyntaxError:
            pass
        line = error.lineno or 1
        message = "{} at line {}{}: {}. Nothing was changed; fix it and apply again.".format(
            "Syntax error" if code == d.SYNTAX_ERROR else "Compile error", line,
            ", column {}".format(error.offset) if error.offset else "", error.msg)
        raise d.HotReloadRefused(message, [d.diagnostic(
            code, d.ERROR, error.msg, path, line, error.offset,
            getattr(error, "end_lineno", None), getattr(error, "end_offset", None))])
    except ValueError as error:  # e.g. source with null bytes
        message = "The file cannot be compiled: {}. Nothing was changed.".format(error)
        raise d.HotReloadRefused(message, [d.diagnostic(d.COMPILE_ERROR, d.ERROR, message, path, 1)])
