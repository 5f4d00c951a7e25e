"""What an edit means for a module body that is still running the code it started with.

The main script's body runs for the whole program, and an imported module's body runs while
the program is stopped inside its import. That frame executes its original code object to
the end (CPython cannot change a running frame's code), so every `def` and `class` it has not
reached yet would be created from the old text. This plan lists, for the part of the body
that is still ahead (the statement running now and everything after it):

- function code to swap in when the body creates a function from old code (watched names),
- class bodies to substitute when the body builds the class (class_bodies.py),
- definitions, constants and imports the edit added, to run when the body gets to them,
- changed defaults and decorators, applied right after the body defines the function,
- diagnostics for what the old body will still do differently from the edited file.

Positions are top-level statements of the text the body was compiled from; the running
frame's line says which one it is in (see body_watch.py, which carries the plan out).
"""

import ast
import bisect
import copy

from . import diagnostics as d
from . import statements
from .codeinfo import future_flags, identical, is_function_code, nested_codes, pair_codes, same_behaviour
from .linemap import LineMap
from ..restart.points import POINTS, finish

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
END = float("inf")  # "when the body returns"


def statement_start(node):
    """First line of a statement, decorators included (co_firstlineno counts them too)."""
    return min([node.lineno] + [decorator.lineno for decorator in getattr(node, "decorator_list", ())])


class StatementIndex:
    """Top-level statements of one text, by position."""

    def __init__(self, body):
        self.nodes = list(body)
        self.starts = [statement_start(node) for node in self.nodes]

    def index_at(self, line):
        """The statement that contains `line` (lines between statements count as the next)."""
        return max(0, bisect.bisect_right(self.starts, line) - 1)


class BodyOrigin:
    """The code a running module body started with, and the text it was compiled from."""

    def __init__(self, code, text, tree, path):
        self.code = code
        self.text = text
        self.tree = tree  # CodeTree of `code`
        self.index = StatementIndex(ast.parse(text, path).body)
        self.direct_children = {id(child) for child in nested_codes(code)}


class NameWatch:
    """What to do when the body binds `name`: swap code, then fix defaults or re-decorate."""

    def __init__(self, name, last_index):
        self.name = name
        self.last_index = last_index  # after this top-level statement the body binds it no more
        self.old_codes = set()  # ids of the old code objects a `def name` ahead makes functions from
        self.new_code = {}  # id(old code) -> (old code, new code)
        # When defaults, annotations or decorators changed: the new statements, compiled. With
        # `rebind` they replace the new object (decorators changed); otherwise each def runs
        # without decorators and only its defaults and annotations are copied.
        self.header_code = None
        self.rebind = False


class BodyPlan:
    def __init__(self, origin, module, path, current_line):
        self.origin = origin
        self.module = module
        self.path = path
        self.current_index = origin.index.index_at(current_line)
        self.names = {}  # name -> NameWatch
        self.class_bodies = []  # (old code, new code, last index)
        # (old statement index or END, line in the new file, compiled new statements): run them
        # before that statement (`before`) or once it finished (`after`).
        self.before = []
        self.after = []
        self.diagnostics = []
        self.claimed_names = set()  # top-level definitions this plan takes care of (not the planner)
        self.claimed_statements = set()  # (line, column) of new top-level statements likewise
        self.pending_definitions = 0
        self.runs_old_code = False  # the body will execute statements the edit changed
        self.stale_codes = []  # changed class bodies being executed right now
        self.running_codes = {}  # id(code) -> code of every live frame
        self.old_function_codes = {}  # name -> ids of old function code ahead with that name
        self.line_map = None  # LineMap from the text the body started with to the new text

    @property
    def is_empty(self):
        return not (self.names or self.class_bodies or self.before or self.after)

    def report(self, code, severity, message, line, column=None):
        self.diagnostics.append(d.diagnostic(code, severity, message, self.path, line, column))


def plan_running_body(origin, module, path, new_text, new_tree, current_line, running_codes=()):
    """The plan for the rest of a running module body, compared with the edited text.

    `running_codes`: code objects of live frames (a class body being executed right now is
    not built again: that frame is stale instead)."""
    plan = BodyPlan(origin, module, path, current_line)
    plan.running_codes.update((id(code), code) for code in running_codes)
    new_index = StatementIndex(ast.parse(new_text, path).body)
    line_map = plan.line_map = LineMap(origin.text.splitlines(), new_text.splitlines())
    old_index, c = origin.index, plan.current_index
    boundary = line_map.nearest_new_line(old_index.starts[c])
    ahead_old = list(range(c, len(old_index.nodes)))
    ahead_new = [node for node in new_index.nodes if statement_start(node) >= boundary]
    behind_new = [node for node in new_index.nodes if statement_start(node) < boundary]
    new_positions = [line_map.nearest_new_line(start) for start in old_index.starts]

    _plan_code(plan, new_tree, old_index.starts[c])
    _plan_definitions(plan, ahead_old, ahead_new, behind_new, new_positions)
    _plan_statements(plan, ahead_old, ahead_new, new_positions)
    _report_passed_definitions(plan, new_tree, old_index.starts[c])
    plan.before.sort(key=lambda item: (item[0], item[1]))
    plan.after.sort(key=lambda item: (item[0], item[1]))
    return plan


def _plan_code(plan, new_tree, first_pending_line):
    """Function and class-body code the body will create from old code objects."""
    origin = plan.origin
    new_children = {id(child) for child in nested_codes(new_tree.module_code)}
    for child in nested_codes(origin.code):
        if is_function_code(child) and child.co_firstlineno >= first_pending_line:
            plan.old_function_codes.setdefault(child.co_name, set()).add(id(child))
    for qualname, old_codes in origin.tree.by_qualname.items():
        olds = [code for code in old_codes if id(code) in origin.direct_children]
        if not olds or qualname.startswith("<") or not qualname.isidentifier():
            continue  # lambdas and comprehensions belong to the statement that holds them
        for kind_is_function in (True, False):
            same_kind = [code for code in olds if is_function_code(code) == kind_is_function]
            candidates = [code for code in new_tree.by_qualname.get(qualname, ())
                          if id(code) in new_children and is_function_code(code) == kind_is_function]
            for (old,), new in pair_codes([(code,) for code in same_kind], candidates):
                if old.co_firstlineno < first_pending_line or identical(old, new):
                    continue
                if old.co_freevars != new.co_freevars:
                    continue
                if not kind_is_function and plan.running_codes.get(id(old)) is old:
                    plan.stale_codes.append(old)  # being executed now: finishes on its old code
                    continue
                last = origin.index.index_at(old.co_firstlineno)
                if kind_is_function:
                    watch = _watch(plan, old.co_name, last)
                    watch.new_code[id(old)] = (old, new)
                    watch.old_codes.add(id(old))
                else:
                    plan.class_bodies.append((old, new, last))


def _watch(plan, name, last_index):
    watch = plan.names.get(name)
    if watch is None:
        watch = plan.names[name] = NameWatch(name, last_index)
    watch.last_index = max(watch.last_index, last_index)
    return watch


def _plan_definitions(plan, ahead_old, ahead_new, behind_new, new_positions):
    """Top-level def/class statements ahead of the body, by name."""
    old_nodes = [plan.origin.index.nodes[i] for i in ahead_old]
    diff = statements.BodyDiff(old_nodes, ahead_new)
    behind_old_names = set(statements.definition_groups(plan.origin.index.nodes[:plan.current_index]))
    behind_new_names = set(statements.definition_groups(behind_new))
    changed = {name for name in plan.names} | {old.co_name for old, _, _ in plan.class_bodies}
    for name in diff.header_changed:
        group = diff.new_groups[name]
        plan.claimed_names.add(name)
        if statements.is_class_group(group):
            plan.report(d.CLASS_HEADER_CHANGED, d.WARNING,
                        "The bases, keywords or decorators of class '{}' changed, but the module body "
                        "that is still running will create it with its old ones (its body is the new "
                        "one). Restart the program to use them.".format(name),
                        group[-1].lineno, group[-1].col_offset + 1)
            continue
        last = plan.origin.index.index_at(statement_start(diff.old_groups[name][-1]))
        watch = _watch(plan, name, last)
        watch.old_codes.update(plan.old_function_codes.get(name, ()))
        watch.rebind = name in diff.decorators_changed
        watch.header_code = [_compile(plan, group)] if watch.rebind else \
            [_compile(plan, [_undecorated(node)]) for node in group]
        changed.add(name)
    for name in diff.added:
        if name in behind_old_names:
            continue  # it moved down: the object the body already made is patched as usual
        group = diff.new_groups[name]
        plan.claimed_names.add(name)
        plan.before.append((_anchor(plan, statement_start(group[0]), new_positions), group[0].lineno,
                            _compile(plan, group)))
        changed.add(name)
    for name in diff.removed:
        if name in behind_new_names:
            continue  # it moved up: created where the old body has it, with the new code
        plan.claimed_names.add(name)
        old = diff.old_groups[name][0]
        plan.report(d.DEFINITION_REMOVED, d.INFO,
                    "'{}' was removed from the source, but the module body that is still running "
                    "defines it when it gets there (its old statements may use it).".format(name),
                    _where_deleted(plan.origin.index.index_at(statement_start(old)), new_positions))
    plan.claimed_names.update(name for name in changed if name in diff.new_groups)
    plan.pending_definitions = len(changed)


def _where_deleted(index, new_positions):
    """Where old statement `index` was deleted: the line of the statement that followed it."""
    return new_positions[index + 1] if index + 1 < len(new_positions) else new_positions[index]


def _anchor(plan, new_start, new_positions):
    """The old statement before which a statement added at `new_start` must run."""
    for index in range(plan.current_index + 1, len(new_positions)):
        if new_positions[index] > new_start:
            return index
    return END


def _plan_statements(plan, ahead_old, ahead_new, new_positions):
    """Other top-level statements ahead: constants and imports are applied, the rest reported."""
    old_nodes = [(i, plan.origin.index.nodes[i]) for i in ahead_old if _is_plain(plan.origin.index.nodes[i])]
    new_nodes = [node for node in ahead_new if _is_plain(node)]
    for node in new_nodes:
        plan.claimed_statements.add((node.lineno, node.col_offset))
    unmatched_old = list(old_nodes)
    unmatched_new = []
    for node in new_nodes:
        key = _shape(node)
        match = next((item for item in unmatched_old if _shape(item[1]) == key), None)
        if match is not None:
            unmatched_old.remove(match)
        else:
            unmatched_new.append(node)
    for node in unmatched_new:
        start, end = statement_start(node), node.end_lineno
        old = next((item for item in unmatched_old if start <= new_positions[item[0]] <= end), None)
        if old is not None:
            unmatched_old.remove(old)
        if statements.simple_constant_assignment(node) is not None or statements.is_import(node):
            if old is not None:
                plan.after.append((old[0], node.lineno, _compile(plan, [node])))
            else:
                plan.before.append((_anchor(plan, start, new_positions), node.lineno, _compile(plan, [node])))
            continue
        plan.runs_old_code = plan.runs_old_code or old is not None
        if old is not None:
            message = ("The module body is still running the code it started with, so it runs the "
                       "old version of this statement (line {} before the edit). Restart the program "
                       "to run the new one.".format(statement_start(old[1])))
        else:
            message = ("The module body is still running the code it started with, which does not "
                       "have this new statement, so it will not run. Restart the program to run it.")
        plan.report(d.MODULE_STATEMENT_RUNS_OLD_CODE, d.WARNING, message, node.lineno, node.col_offset + 1)
    for index, node in unmatched_old:
        plan.runs_old_code = True
        plan.report(d.MODULE_STATEMENT_RUNS_OLD_CODE, d.WARNING,
                    "A statement deleted here (line {} before the edit) is still ahead of the module "
                    "body, which is running the code it started with, so it still runs. Restart the "
                    "program to leave it out.".format(statement_start(node)),
                    _where_deleted(index, new_positions))


def _report_passed_definitions(plan, new_tree, first_pending_line):
    """Changed definitions the body went past without making them (a branch not taken…)."""
    origin, namespace = plan.origin, plan.module.__dict__
    new_children = [child for child in nested_codes(new_tree.module_code)]
    for old in nested_codes(origin.code):
        name = old.co_name
        if old.co_firstlineno >= first_pending_line or not name.isidentifier() or name in namespace \
                or name in plan.claimed_names:
            continue
        news = [code for code in new_children if code.co_name == name
                and is_function_code(code) == is_function_code(old)]
        if len(news) != 1 or same_behaviour(old, news[0]):
            continue
        plan.report(d.DEFINITION_NOT_REACHED, d.WARNING,
                    "'{}' is not defined in the running program: the module body went past its "
                    "definition without running it, so the change has no effect until the program "
                    "restarts.".format(name), news[0].co_firstlineno)


def _is_plain(node):
    """A statement that is not a definition, a docstring or a __future__ import."""
    if isinstance(node, _DEFINITIONS):
        return False
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
        return False
    return not (isinstance(node, ast.ImportFrom) and node.module == "__future__")


def _compile(plan, nodes):
    """New statements compiled once, with their lines in the new file (for tracebacks)."""
    tree = POINTS.same_compile(ast.Module(body=list(nodes), type_ignores=[]), plan.path)
    return finish(compile(tree, plan.path, "exec", flags=future_flags(plan.origin.code), dont_inherit=True))


def _undecorated(node):
    """A def statement without decorators: evaluates only its defaults and annotations."""
    copy_ = copy.copy(node)
    copy_.decorator_list = []
    return copy_


class _HideDefinitionBodies(ast.NodeTransformer):
    """Bodies of defs and classes inside a statement are swapped through their code objects."""

    def visit_FunctionDef(self, node):
        node.body = []
        return node

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef


def _shape(node):
    return ast.dump(_HideDefinitionBodies().visit(copy.deepcopy(node)))
