"""Create new definition objects by running only their `def`/`class` statements.

Decorators, default values and annotations are expressions evaluated when a `def` runs, so
a new or re-decorated definition is made by executing just that statement (never the rest
of the module body) in the module's namespace. Methods are executed inside a throwaway
class of the same name so `super()` gets its `__class__` cell, which is then pointed at
the live class.
"""

import ast
import functools
import traceback
from types import CellType, FunctionType, MethodType

from . import diagnostics as d
from .annotations import copy_annotations
from .livedefs import cell_contents
from .user_code import running_user_code
from ..restart.points import POINTS, finish


def execute_module_group(nodes, module, path, namespace, flags=0):
    """Run the statements binding one name; `namespace` holds earlier new definitions.
    `flags`: the module's __future__ features (codeinfo.future_flags)."""
    _execute(nodes, module, path, namespace, flags)
    return namespace[nodes[-1].name]


def execute_class_group(nodes, live_class, module, path, flags=0):
    shell = ast.ClassDef(
        name=live_class.__name__, bases=[], keywords=[], body=list(nodes), decorator_list=[],
        **({"type_params": []} if "type_params" in ast.ClassDef._fields else {}))
    ast.copy_location(shell, nodes[0])
    namespace = {}
    _execute([shell], module, path, namespace, flags)
    scratch_class = namespace[live_class.__name__]
    value = scratch_class.__dict__[nodes[-1].name]
    for function in raw_functions(value):
        _adopt(function, scratch_class, live_class)
    return value


def _adopt(function, scratch_class, live_class):
    for name, cell in zip(function.__code__.co_freevars, function.__closure__ or ()):
        if name == "__class__" and cell_contents(cell) is scratch_class:
            cell.cell_contents = live_class
    prefix = scratch_class.__qualname__ + "."
    if function.__qualname__.startswith(prefix):
        function.__qualname__ = live_class.__qualname__ + "." + function.__qualname__[len(prefix):]


def _execute(nodes, module, path, namespace, flags):
    tree = ast.Module(body=list(nodes), type_ignores=[])
    ast.fix_missing_locations(tree)
    code = finish(compile(POINTS.same_compile(tree, path), path, "exec", flags=flags, dont_inherit=True))
    try:
        with running_user_code():
            exec(code, module.__dict__, namespace)
    except BaseException as error:  # also SystemExit, KeyboardInterrupt
        line = _error_line(error, path, nodes[0].lineno)
        raise d.HotReloadRefused(
            "Applying '{}' raised {}: {}. Nothing was changed.".format(
                nodes[-1].name, type(error).__name__, error),
            [d.diagnostic(
                d.DEFINITION_RAISED, d.ERROR,
                "Evaluating the decorators, default values or annotations of '{}' raised {}: {}. "
                "Fix the definition and apply again; the program still runs the old code.".format(
                    nodes[-1].name, type(error).__name__, error),
                path, line)])


def _error_line(error, path, fallback):
    line = fallback
    for entry in traceback.extract_tb(error.__traceback__):
        if entry.filename == path and entry.lineno:
            line = entry.lineno
    return line


def raw_functions(obj, limit=50, into_objects=False):
    """The plain function objects inside a definition's value (descriptors, wrappers, cells);
    with `into_objects` also inside small lists and tuples and the attributes of wrapper
    objects (lru_cache, click commands…)."""
    found, seen, stack = [], set(), [obj]
    while stack and len(seen) < limit:
        item = stack.pop()
        if item is None or id(item) in seen or (into_objects and isinstance(item, type)):
            continue
        seen.add(id(item))
        if isinstance(item, FunctionType):
            found.append(item)
            stack.extend(cell_contents(cell) for cell in item.__closure__ or ())
            stack.append(item.__dict__.get("__wrapped__"))
        elif isinstance(item, (MethodType, staticmethod, classmethod)):
            stack.append(item.__func__)
        elif isinstance(item, property):
            stack.extend((item.fget, item.fset, item.fdel))
        elif isinstance(item, (functools.partial, functools.partialmethod, functools.cached_property)):
            stack.append(item.func)
        elif into_objects and isinstance(item, (list, tuple)) and len(item) <= limit:
            stack.extend(item)
        elif into_objects:
            stack.extend(_instance_dict(item).values())
    return found


def _instance_dict(obj):
    if not getattr(type(obj), "__dictoffset__", 0):
        return {}
    try:
        namespace = object.__getattribute__(obj, "__dict__")
    except Exception:
        return {}
    return dict(namespace) if isinstance(namespace, dict) else {}


def rebuild_with_cells(function, new_code, live_class):
    """A new function running `new_code` whose free variables are given by name.

    Used when a method gains or loses `super()`: the function's closure cannot change size,
    so the class gets a new function object with the right cells instead.
    """
    old_cells = dict(zip(function.__code__.co_freevars, function.__closure__ or ()))
    cells = []
    for name in new_code.co_freevars:
        if name == "__class__":
            cells.append(CellType(live_class))
        elif name in old_cells:
            cells.append(old_cells[name])
        else:
            return None
    replacement = FunctionType(new_code, function.__globals__, function.__name__,
                               function.__defaults__, tuple(cells) or None)
    replacement.__kwdefaults__ = function.__kwdefaults__
    copy_annotations(replacement, function)
    replacement.__dict__.update(function.__dict__)
    replacement.__qualname__ = function.__qualname__
    replacement.__doc__ = function.__doc__
    replacement.__module__ = function.__module__
    return replacement


def rewrap(descriptor, old_function, new_function):
    """The class attribute `descriptor` with `old_function` swapped for `new_function`, or None."""
    if descriptor is old_function:
        return new_function
    if isinstance(descriptor, staticmethod) and descriptor.__func__ is old_function:
        return staticmethod(new_function)
    if isinstance(descriptor, classmethod) and descriptor.__func__ is old_function:
        return classmethod(new_function)
    if isinstance(descriptor, property):
        accessors = [new_function if accessor is old_function else accessor
                     for accessor in (descriptor.fget, descriptor.fset, descriptor.fdel)]
        if accessors != [descriptor.fget, descriptor.fset, descriptor.fdel]:
            return type(descriptor)(*accessors, descriptor.__doc__)
    return None
