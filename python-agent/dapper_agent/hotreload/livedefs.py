"""The live function and class objects a module's source defined, reached without a heap walk.

Starting from the module's namespace, and then from the locals (and cells) of the live
frames, we follow class dictionaries, descriptors (staticmethod, classmethod, property,
cached_property), bound methods, partials, decorator wrappers (`__wrapped__`) and closure
cells, the frames of suspended generators, and small containers (registries of callbacks).
A closure held only by a running function's local variable is found this way. Cost is
proportional to the module and the stacks, not to the program's heap.
"""

import functools
import itertools
import os
from types import (AsyncGeneratorType, BuiltinFunctionType, CoroutineType, FunctionType, GeneratorType,
                   GetSetDescriptorType, MemberDescriptorType, MethodDescriptorType, MethodType, ModuleType,
                   WrapperDescriptorType)

_CONTAINER_LIMIT = 1000
_CONTAINER_BUDGET = 5000  # container items looked at per apply, whatever the data held
# Values that cannot lead to a definition of this module (looked up by exact type: fast).
# Another module's namespace is its own: definitions are reached through what it binds.
_ATOMIC = frozenset((int, float, complex, str, bytes, bool, type(None), GetSetDescriptorType,
                     MemberDescriptorType, MethodDescriptorType, WrapperDescriptorType,
                     BuiltinFunctionType, ModuleType))
_CONTAINERS = (list, tuple, set, frozenset, dict)
_DATA = _ATOMIC | frozenset(_CONTAINERS)
_SMALL_CONTAINER = 64  # a registry of callbacks per key is small; a big container of containers is data
_MAX_DEPTH = 6
_HOLDERS_SHOWN = 4  # where a closure is held, named in diagnostics
_SUSPENDED = (GeneratorType, CoroutineType, AsyncGeneratorType)


@functools.lru_cache(maxsize=4096)
def normalize_path(path):
    """The form paths are compared in. Cached: realpath costs an lstat per path component, an
    apply asks about the same few paths a dozen times, and where a loaded module's file
    resolves to does not change while the program runs."""
    return os.path.normcase(os.path.realpath(path))


class LiveDefinitions:
    """Function objects whose code was compiled from `path`, and the module's own classes.

    `frames` (LiveFrame objects) add their locals as roots; a function reached only that
    way has an entry in `holders` saying where it is held (for diagnostics).
    """

    def __init__(self, module, path, frames=()):
        self.module = module
        self.path = normalize_path(path)
        self.functions = []  # raw function objects, each once
        self.classes = {}  # qualname -> class object defined by this module
        self.holders = {}  # id(function) -> [(variable, "in outer()"), …] for functions found through frames
        self._filename_matches = {}
        self._seen = set()
        namespace = vars(module)
        self._container_budget = _CONTAINER_BUDGET
        self._collect((value, None) for name, value in list(namespace.items()) if name != "__builtins__")
        # The frames get a budget of their own: data held by the module must not hide them.
        self._container_budget = _CONTAINER_BUDGET
        self._collect(_frame_roots(frames, namespace))

    def defined_here(self, code):
        filename = code.co_filename
        matches = self._filename_matches.get(filename)
        if matches is None:
            matches = normalize_path(filename) == self.path
            self._filename_matches[filename] = matches
        return matches

    def _collect(self, roots):
        """Walk from (value, holder) roots; holder is None for the module's own namespace."""
        module_name = self.module.__name__
        seen = self._seen
        stack = [(value, 0, holder) for value, holder in roots if type(value) not in _ATOMIC]
        stack.reverse()  # visit roots in the order given (first frame, first local first)
        pop, extend = stack.pop, stack.extend
        while stack:
            obj, depth, holder = pop()
            if id(obj) in seen:
                places = self.holders.get(id(obj)) if holder is not None else None
                if places is not None and holder not in places and len(places) < _HOLDERS_SHOWN:
                    places.append(holder)  # the same closure held by another variable too
                continue
            if depth > _MAX_DEPTH:
                continue
            if type(obj) is FunctionType:  # most of what a module holds: handled inline
                children = self._function_children(obj, holder)
            else:
                children = self._children(obj, module_name, holder)
                if children is None:
                    continue
            seen.add(id(obj))
            if children:
                depth += 1
                extend([(child, depth, holder) for child in reversed(children) if type(child) not in _ATOMIC])

    def _function_children(self, function, holder):
        if self.defined_here(function.__code__):
            self.functions.append(function)
            if holder is not None:
                self.holders[id(function)] = [holder]
        closure = function.__closure__
        children = [cell_contents(cell) for cell in closure] if closure else []
        wrapped = function.__dict__.get("__wrapped__")
        if wrapped is not None:
            children.append(wrapped)
        return children

    def _children(self, obj, module_name, holder):
        """What to visit below `obj`, or None when `obj` cannot lead to a definition."""
        if type(obj) in _ATOMIC:
            return None
        if isinstance(obj, FunctionType):
            return self._function_children(obj, holder)
        if isinstance(obj, type):
            if getattr(obj, "__module__", None) != module_name:
                return None
            self.classes.setdefault(obj.__qualname__, obj)
            return list(vars(obj).values())
        if isinstance(obj, (MethodType, staticmethod, classmethod)):
            return [obj.__func__]
        if isinstance(obj, property):
            return [obj.fget, obj.fset, obj.fdel]
        if isinstance(obj, (functools.partial, functools.partialmethod, functools.cached_property)):
            return [obj.func]
        if isinstance(obj, _CONTAINERS):
            return self._container_items(obj)
        if isinstance(obj, _SUSPENDED):
            return _suspended_locals(obj)
        wrapped = _instance_dict(obj).get("__wrapped__")  # lru_cache and other wrapper objects
        return [wrapped] if wrapped is not None else None

    def _container_items(self, container):
        # Registries of callbacks are small; big data must not make an apply slow.
        limit = min(_CONTAINER_LIMIT, self._container_budget)
        if limit <= 0:
            return None
        items = container.values() if isinstance(container, dict) else container
        children = list(itertools.islice(items, limit))
        self._container_budget -= len(children)
        if len(container) > _SMALL_CONTAINER:
            return [child for child in children  # the exact-type test settles plain data fast
                    if type(child) not in _DATA and not isinstance(child, _CONTAINERS)]
        return children


def _frame_roots(frames, module_namespace):
    """(value, holder) for every local of every live frame, top frames first."""
    for live in frames:
        frame = live.frame
        namespace = frame.f_locals  # for a function, its locals and the contents of its cells
        if namespace is module_namespace:
            continue  # the module's own body: walked already
        code = frame.f_code
        if namespace is frame.f_globals:
            where = "in module {}".format(frame.f_globals.get("__name__", "?"))
        else:
            where = "in {}()".format(code.co_name)
        for name, value in list(namespace.items()):
            yield value, (name, where)


def describe_holders(holders):
    """"'inner' and 'cb' in outer(), 'handlers' in run()" from (variable, where) pairs."""
    names_by_place = {}
    for name, where in holders:
        names_by_place.setdefault(where, []).append("'{}'".format(name))
    return ", ".join(" and ".join(names) + " " + where for where, names in names_by_place.items())


def _suspended_locals(generator):
    """The locals of a suspended generator or coroutine's frame (None once it finished)."""
    frame = getattr(generator, "gi_frame", None) or getattr(generator, "cr_frame", None) \
        or getattr(generator, "ag_frame", None)
    if frame is None:
        return None
    return list(frame.f_locals.values())


def cell_contents(cell):
    try:
        return cell.cell_contents
    except ValueError:  # an empty cell
        return None


def _instance_dict(obj):
    if not getattr(type(obj), "__dictoffset__", 0):
        return {}  # instances of this type have no __dict__ (no exception raised to find out)
    try:
        namespace = object.__getattribute__(obj, "__dict__")
    except Exception:
        return {}
    return namespace if isinstance(namespace, dict) else {}
