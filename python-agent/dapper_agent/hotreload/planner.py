"""Decide, before touching anything, every change an apply will make to one module.

The plan is a list of steps run later through an UndoLog (applier in engine.py), plus the
diagnostics for what cannot be applied. Functions are compared code object to code object
(cheap); the AST is parsed only when a module or class body itself changed.
"""

import ast

from . import definitions
from . import diagnostics as d
from . import statements
from .codeinfo import docstring_of, identical, is_function_code, pair_codes, same_behaviour, same_lines
from .livedefs import LiveDefinitions, describe_holders
from .module_body import plan_class_body, plan_module_body


class Plan:
    def __init__(self, module, path):
        self.module = module
        self.path = path
        self.steps = []  # callables taking an UndoLog
        self.diagnostics = []
        self.patched_functions = 0
        self.patched_classes = set()
        self.added = 0
        self.removed = 0
        self.changed_codes = {}  # id(old code) -> (old code, new code): behaviour changed
        self.moved_codes = {}  # id(old code) -> (old code, new code): only its lines moved
        self.replaced = {}  # id(old object) -> (old object, new object)
        self.not_applied = set()  # statement keys reported as not applied

    def step(self, function, line=None):
        """Add a change; `line` (in the new file) is reported if applying it raises."""
        self.steps.append((line, function))

    def report(self, code, severity, message, line, column=None):
        self.diagnostics.append(d.diagnostic(code, severity, message, self.path, line, column))


class Planner:
    def __init__(self, module, path, old_tree, new_tree, old_text, new_text, line_map, options,
                 pending=frozenset(), running_body=None, frames=()):
        self.module = module
        self.path = path
        self.old_tree = old_tree
        self.new_tree = new_tree
        self.old_text = old_text
        self.new_text = new_text
        self.line_map = line_map
        self.options = options
        self.pending = pending
        # A BodyPlan when this module's body is still running: the part of the body ahead of
        # it is that plan's business (body_plan.py), not applied now.
        self.running_body = running_body
        self.live = LiveDefinitions(module, path, frames)
        self.plan = Plan(module, path)

    def build(self):
        self._plan_functions()
        module_shell_changed = not same_behaviour(
            self.old_tree.module_code, self.new_tree.module_code, deep=False)
        changed_classes = [
            qualname for qualname in self.live.classes
            if self._class_shell_changed(qualname)
        ]
        if self.pending:
            module_shell_changed = True
            changed_classes = list(self.live.classes)
        if module_shell_changed or changed_classes:
            old_ast = ast.parse(self.old_text, self.path)
            new_ast = ast.parse(self.new_text, self.path)
            if module_shell_changed:
                self._plan_module_body(old_ast.body, new_ast.body)
            old_classes = statements.class_nodes(old_ast.body)
            new_classes = statements.class_nodes(new_ast.body)
            for qualname in changed_classes:
                if qualname in old_classes and qualname in new_classes:
                    self._plan_class_body(self.live.classes[qualname], old_classes[qualname],
                                          new_classes[qualname])
        return self.plan

    # ---- function bodies -------------------------------------------------------------

    def _plan_functions(self):
        by_code = {}
        for function in self.live.functions:
            by_code.setdefault(id(function.__code__), (function.__code__, []))[1].append(function)
        by_qualname = {}
        for code, functions in by_code.values():
            qualname = self.old_tree.qualname_of(code, functions[0].__qualname__)
            by_qualname.setdefault(qualname, []).append((code, functions))
        for qualname, entries in by_qualname.items():
            candidates = [code for code in self.new_tree.by_qualname.get(qualname, ())
                          if is_function_code(code)]
            if not candidates and "<locals>" in qualname:
                self._report_closures_gone(qualname, entries)
            for (old_code, functions), new_code in pair_codes(entries, candidates):
                self._plan_function(qualname, old_code, functions, new_code)

    def _report_closures_gone(self, qualname, entries):
        """Closures of a nested function the edit removed or renamed keep their old code."""
        for old_code, functions in entries:
            self.plan.report(
                d.CLOSURE_NOT_IN_SOURCE, d.WARNING,
                "'{}' is no longer defined in the edited file (removed or renamed), so {} keep{} "
                "running its old code. Call the enclosing function again, or restart, to drop "
                "{}.".format(qualname.rsplit(".", 1)[-1], self._closures_phrase(functions),
                             "s" if len(functions) == 1 else "", "it" if len(functions) == 1 else "them"),
                self.old_line_in_new_file(old_code.co_firstlineno))

    def _closures_phrase(self, functions):
        """"the existing closure held by 'cb' in outer()", or "the 3 existing closures held by …"."""
        places = []
        for function in functions:
            for holder in self.live.holders.get(id(function), ()):
                if holder not in places:
                    places.append(holder)
        held = ""
        if places:
            held = " held by {}{}".format(describe_holders(places[:4]), ", …" if len(places) > 4 else "")
        if len(functions) == 1:
            return "the existing closure" + held
        return "the {} existing closures{}".format(len(functions), held)

    def _plan_function(self, qualname, old_code, functions, new_code):
        plan = self.plan
        if old_code.co_name != new_code.co_name:
            return  # a wrapper that copied its wrapped function's __qualname__ (functools.wraps)
        if identical(old_code, new_code):
            return  # unchanged: CPython's own comparison, in C, settles the common case
        if same_behaviour(old_code, new_code):
            if not same_lines(old_code, new_code):
                plan.moved_codes[id(old_code)] = (old_code, new_code)
                for function in functions:
                    plan.step(lambda log, f=function: log.set_attribute(f, "__code__", new_code),
                              new_code.co_firstlineno)
            return
        owner = self.live.classes.get(_parent(qualname))
        if old_code.co_freevars == new_code.co_freevars:
            plan.changed_codes[id(old_code)] = (old_code, new_code)
            plan.patched_functions += 1
            if owner is not None:
                plan.patched_classes.add(owner)
            old_doc, new_doc = docstring_of(old_code), docstring_of(new_code)
            for function in functions:
                plan.step(lambda log, f=function: log.set_attribute(f, "__code__", new_code),
                          new_code.co_firstlineno)
                if old_doc != new_doc and function.__doc__ == old_doc:
                    plan.step(lambda log, f=function: log.set_attribute(f, "__doc__", new_doc),
                              new_code.co_firstlineno)
            return
        gained_or_lost = set(old_code.co_freevars) ^ set(new_code.co_freevars)
        name = qualname.rsplit(".", 1)[-1]
        if gained_or_lost <= {"__class__"} and owner is not None:
            if self._plan_super_change(owner, old_code, functions, new_code):
                return
            plan.report(d.SUPER_CELL_CHANGED, d.WARNING,
                        "'{}' now {} super()/__class__, which needs a different closure, and it is "
                        "wrapped by a decorator Apply Changes cannot rebuild. Not applied: the old "
                        "code keeps running; restart the program to use it.".format(
                            name, "uses" if "__class__" in new_code.co_freevars else "no longer uses"),
                        new_code.co_firstlineno)
            return
        plan.report(d.CLOSURE_FREEVARS_CHANGED, d.WARNING,
                    "'{}' now uses different variables from its enclosing function ({} instead of {}). "
                    "Closures bind them by position, so the change was not applied to {}, which "
                    "keep{} running the old code; new closures created by the enclosing function "
                    "use the new code.".format(
                        name, ", ".join(new_code.co_freevars) or "none",
                        ", ".join(old_code.co_freevars) or "none", self._closures_phrase(functions),
                        "s" if len(functions) == 1 else ""),
                    new_code.co_firstlineno)

    def _plan_super_change(self, owner, old_code, functions, new_code):
        """Replace the method in its class with a new function that has the right cells."""
        attributes = vars(owner)
        rebinds = []
        for function in functions:
            replacement = definitions.rebuild_with_cells(function, new_code, owner)
            if replacement is None:
                return False
            for attribute, value in attributes.items():
                rewrapped = definitions.rewrap(value, function, replacement)
                if rewrapped is not None:
                    rebinds.append((attribute, rewrapped, function, replacement))
                    break
            else:
                return False
        plan = self.plan
        for attribute, rewrapped, function, replacement in rebinds:
            plan.step(lambda log, a=attribute, v=rewrapped: log.set_attribute(owner, a, v),
                      new_code.co_firstlineno)
            plan.replaced[id(function)] = (function, replacement)
        plan.changed_codes[id(old_code)] = (old_code, new_code)
        plan.patched_functions += 1
        plan.patched_classes.add(owner)
        plan.report(d.SUPER_CELL_CHANGED, d.INFO,
                    "'{}' {} super()/__class__, so {}.{} was replaced by a new function object. "
                    "Calls through the class and instances use the new code; a bound method or "
                    "function reference saved before the apply keeps the old code.".format(
                        new_code.co_name,
                        "now uses" if "__class__" in new_code.co_freevars else "no longer uses",
                        owner.__name__, rebinds[0][0]),
                    new_code.co_firstlineno)
        return True

    # ---- module and class bodies -----------------------------------------------------

    def _class_shell_changed(self, qualname):
        old_body = self.old_tree.class_body(qualname)
        new_body = self.new_tree.class_body(qualname)
        return old_body is not None and new_body is not None \
            and not same_behaviour(old_body, new_body, deep=False)

    def _plan_module_body(self, old_body, new_body):
        plan_module_body(self, statements.BodyDiff(old_body, new_body, self.pending))

    def _plan_class_body(self, live_class, old_node, new_node):
        plan_class_body(self, live_class, statements.BodyDiff(old_node.body, new_node.body, self.pending),
                        decorated=bool(old_node.decorator_list))

    def old_line_in_new_file(self, old_line):
        return self.line_map.nearest_new_line(old_line)


def _parent(qualname):
    parent = qualname.rsplit(".", 1)[0] if "." in qualname else ""
    return None if not parent or parent.endswith("<locals>") else parent
