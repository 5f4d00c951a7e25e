"""Plan the statement-level changes of a module body or a class body (AST path)."""

import ast
import traceback

from . import definitions
from .annotations import copy_annotations_step
from .codeinfo import future_flags
from . import diagnostics as d
from . import statements
from .user_code import running_user_code

_MISSING = object()


def plan_module_body(planner, diff):
    plan, module, namespace = planner.plan, planner.module, planner.module.__dict__
    running = planner.running_body
    claimed_names = running.claimed_names if running is not None else frozenset()
    claimed_statements = running.claimed_statements if running is not None else frozenset()
    for name in diff.removed:
        if name in namespace:
            line = planner.old_line_in_new_file(diff.old_groups[name][0].lineno)
            plan.step(lambda log, n=name: log.delete_item(namespace, n), line)
            plan.removed += 1
            _report_removed(planner, name, diff.old_groups[name][0])
    header_changed = set(diff.header_changed)
    new_objects = {}  # decorators may use definitions added by the same apply
    for name in sorted(set(diff.added) | header_changed, key=lambda n: diff.new_groups[n][0].lineno):
        group = diff.new_groups[name]
        if name in claimed_names and name not in namespace:
            continue  # the running body has not defined it yet: done when it does
        if name in header_changed and statements.is_class_group(group):
            _report_class_header(planner, name, group[-1])
            continue
        value = definitions.execute_module_group(group, module, planner.path, new_objects, _flags(planner))
        if name not in header_changed:
            plan.step(lambda log, n=name, v=value: log.set_item(namespace, n, v), group[0].lineno)
            plan.added += 1
            continue
        _plan_new_header(planner, name, group, value, namespace.get(name),
                         name in diff.decorators_changed,
                         lambda log, v, n=name: log.set_item(namespace, n, v))
    if diff.old_docstring != diff.new_docstring:
        plan.step(lambda log: log.set_item(namespace, "__doc__", diff.new_docstring))
    not_applied = []
    for node in diff.changed_statements:
        if (node.lineno, node.col_offset) in claimed_statements:
            plan.not_applied.add(statements.statement_key(node))
            continue  # ahead of the running body: applied or reported by its plan
        bindings = statements.simple_constant_assignment(node)
        if bindings is not None:
            for name, value in bindings:
                plan.step(lambda log, n=name, v=value: log.set_item(namespace, n, v), node.lineno)
        elif statements.is_import(node):
            for name, value in _run_import(planner, node).items():
                plan.step(lambda log, n=name, v=value: log.set_item(namespace, n, v), node.lineno)
        else:
            not_applied.append(node)
    if not not_applied:
        return
    reexecute = planner.options.get("reExecuteModuleBody")
    if reexecute and module.__name__ != "__main__" and running is None:
        _plan_reexecution(planner)
        return
    if reexecute and module.__name__ != "__main__":
        plan.report(d.MODULE_BODY_RUNNING, d.WARNING,
                    "The body of module '{}' is still running (the program is stopped inside its "
                    "import), so it was not re-executed and its changed statements were not run. "
                    "Apply again with 'Re-execute module body' once the import has finished.".format(
                        module.__name__), not_applied[0].lineno)
    elif reexecute:
        plan.report(d.MAIN_BODY_NOT_REEXECUTED, d.WARNING,
                    "The main script's body is never re-executed (that would restart the program); "
                    "its changed module-level statements were not run.", not_applied[0].lineno)
    for node in not_applied:
        plan.not_applied.add(statements.statement_key(node))
        plan.report(d.MODULE_STATEMENT_NOT_APPLIED, d.WARNING,
                    "This module-level statement changed but was not run: only definitions, "
                    "imports and constant assignments are applied. Apply with 'Re-execute module "
                    "body' (imported modules only) or restart the program.",
                    node.lineno, node.col_offset + 1)


def plan_class_body(planner, live_class, diff, decorated=False):
    plan, module = planner.plan, planner.module
    qualname = live_class.__qualname__
    for name in diff.added:
        value = definitions.execute_class_group(diff.new_groups[name], live_class, module, planner.path, _flags(planner))
        plan.step(lambda log, n=name, v=value: log.set_attribute(live_class, n, v),
                  diff.new_groups[name][0].lineno)
        plan.added += 1
        plan.patched_classes.add(live_class)
    for name in diff.removed:
        if name in vars(live_class):
            plan.step(lambda log, n=name: log.delete_attribute(live_class, n),
                      planner.old_line_in_new_file(diff.old_groups[name][0].lineno))
            plan.removed += 1
            plan.patched_classes.add(live_class)
            _report_removed(planner, qualname + "." + name, diff.old_groups[name][0])
    for name in diff.header_changed:
        group = diff.new_groups[name]
        if statements.is_class_group(group):
            _report_class_header(planner, qualname + "." + name, group[-1])
            continue
        value = definitions.execute_class_group(group, live_class, module, planner.path, _flags(planner))
        _plan_new_header(planner, qualname + "." + name, group, value, vars(live_class).get(name),
                         name in diff.decorators_changed,
                         lambda log, v, n=name: log.set_attribute(live_class, n, v))
        plan.patched_classes.add(live_class)
    if diff.old_docstring != diff.new_docstring:
        plan.step(lambda log: log.set_attribute(live_class, "__doc__", diff.new_docstring))
    for node in diff.changed_statements:
        bindings = None if decorated else statements.simple_constant_assignment(node)
        if bindings is None:
            plan.not_applied.add(statements.statement_key(node))
            reason = ("its class decorator (e.g. @dataclass) already turned the class body into "
                      "generated code" if decorated else
                      "only methods and constant class attributes are applied")
            plan.report(d.CLASS_STATEMENT_NOT_APPLIED, d.WARNING,
                        "This statement in class '{}' changed but was not run: {}. Restart the "
                        "program to use it.".format(qualname, reason), node.lineno, node.col_offset + 1)
            continue
        plan.patched_classes.add(live_class)
        for name, value in bindings:
            plan.step(lambda log, n=name, v=value: log.set_attribute(live_class, n, v), node.lineno)


def _plan_new_header(planner, label, group, value, live_value, decorators_changed, bind):
    """Defaults, annotations or decorators of an existing function changed."""
    plan = planner.plan
    # By code name: functools.wraps gives a wrapper its wrapped function's __name__.
    live_functions = [f for f in definitions.raw_functions(live_value)
                      if planner.live.defined_here(f.__code__) and f.__code__.co_name == group[-1].name]
    new_functions = [f for f in definitions.raw_functions(value) if f.__code__.co_name == group[-1].name]
    if decorators_changed or live_value is None or len(live_functions) != len(new_functions):
        plan.step(lambda log: bind(log, value), group[-1].lineno)
        if live_value is not None:
            plan.replaced[id(live_value)] = (live_value, value)
            for old, new in zip(live_functions, new_functions):
                plan.replaced.setdefault(id(old), (old, new))
            plan.report(d.DECORATOR_CHANGED, d.INFO,
                        "The decorators of '{}' changed, so it was re-created and rebound. "
                        "References to the old object saved elsewhere keep the old "
                        "behaviour.".format(label), group[-1].lineno)
        return
    pairs = zip(sorted(live_functions, key=_first_line), sorted(new_functions, key=_first_line))
    for old, new in pairs:
        for attribute in ("__defaults__", "__kwdefaults__"):
            plan.step(lambda log, o=old, a=attribute, v=getattr(new, attribute):
                      log.set_attribute(o, a, v), new.__code__.co_firstlineno)
        plan.step(lambda log, o=old, n=new: copy_annotations_step(log, o, n), new.__code__.co_firstlineno)
        if id(old.__code__) not in plan.changed_codes:
            plan.patched_functions += 1


def _flags(planner):
    """The __future__ features of the edited file, for statements compiled alone."""
    return future_flags(planner.new_tree.module_code)


def _first_line(function):
    return function.__code__.co_firstlineno


def _report_removed(planner, label, old_node):
    planner.plan.report(
        d.DEFINITION_REMOVED, d.INFO,
        "'{}' was removed from the source, so it was removed from the running program. "
        "Objects that still refer to it keep working.".format(label),
        planner.old_line_in_new_file(old_node.lineno))


def _report_class_header(planner, label, node):
    planner.plan.report(
        d.CLASS_HEADER_CHANGED, d.WARNING,
        "The bases, keywords or decorators of class '{}' changed. Existing instances keep the old "
        "class, so this part was not applied (its methods were); restart the program to use "
        "it.".format(label), node.lineno, node.col_offset + 1)


def _run_import(planner, node):
    namespace = {}
    tree = ast.Module(body=[node], type_ignores=[])
    try:
        code = compile(tree, planner.path, "exec", flags=_flags(planner), dont_inherit=True)
        with running_user_code():
            exec(code, planner.module.__dict__, namespace)
    except BaseException as error:  # also SystemExit, KeyboardInterrupt
        raise d.HotReloadRefused(
            "The new import at line {} raised {}: {}. Nothing was changed.".format(
                node.lineno, type(error).__name__, error),
            [d.diagnostic(d.DEFINITION_RAISED, d.ERROR,
                          "This import raised {}: {}. Fix it and apply again.".format(
                              type(error).__name__, error),
                          planner.path, node.lineno, node.col_offset + 1)])
    return namespace


def _plan_reexecution(planner):
    """Run the whole new module body in a scratch namespace, then copy the changed values.

    Definitions are not copied: the live functions and classes were patched in place.
    """
    module = planner.module
    namespace = module.__dict__
    scratch = dict(namespace)
    try:
        with running_user_code():
            exec(planner.new_tree.module_code, scratch)
    except BaseException as error:  # also SystemExit, KeyboardInterrupt
        line = 1
        for entry in traceback.extract_tb(error.__traceback__):
            if entry.filename == planner.path and entry.lineno:
                line = entry.lineno
        raise d.HotReloadRefused(
            "Re-executing the body of module '{}' raised {}: {}. Nothing was changed.".format(
                module.__name__, type(error).__name__, error),
            [d.diagnostic(d.MODULE_BODY_RAISED, d.ERROR,
                          "Re-executing the module body raised {}: {}. Fix it and apply again; "
                          "the program still runs the old code.".format(type(error).__name__, error),
                          planner.path, line)])
    for name, value in scratch.items():
        current = namespace.get(name, _MISSING)
        if current is value or _is_fresh_definition(value, module, planner.live.defined_here):
            continue
        planner.plan.step(lambda log, n=name, v=value: log.set_item(namespace, n, v))


def _is_fresh_definition(value, module, defined_here):
    from types import FunctionType
    if isinstance(value, FunctionType):
        return defined_here(value.__code__)
    return isinstance(value, type) and getattr(value, "__module__", None) == module.__name__
