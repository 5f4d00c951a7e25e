"""The live function and class objects a module's source defined, reached without a heap walk.

Starting from the module's namespace we follow class dictionaries, descriptors
(staticmethod, classmethod, property, cached_property), bound methods, partials, decorator
wrappers (`__wrapped__`) and closure cells, and containers held at module level
(registries of callbacks). Cost is proportional to the module, not to the program's heap.
"""

import functools
import itertools
import os
from types import FunctionType, MethodType

_CONTAINER_LIMIT = 1000
_CONTAINER_BUDGET = 5000  # container items looked at per apply, whatever the data held
_ATOMIC = frozenset((int, float, complex, str, bytes, bool, type(None)))
_CONTAINERS = (list, tuple, set, frozenset, dict)
_SMALL_CONTAINER = 64  # a registry of callbacks per key is small; a big container of containers is data
_MAX_DEPTH = 6


def normalize_path(path):
    return os.path.normcase(os.path.realpath(path))


class LiveDefinitions:
    """Function objects whose code was compiled from `path`, and the module's own classes."""

    def __init__(self, module, path):
        self.module = module
        self.path = normalize_path(path)
        self.functions = []  # raw function objects, each once
        self.classes = {}  # qualname -> class object defined by this module
        self._filename_matches = {}
        self._seen = set()
        self._container_budget = _CONTAINER_BUDGET
        self._collect()

    def defined_here(self, code):
        filename = code.co_filename
        matches = self._filename_matches.get(filename)
        if matches is None:
            matches = normalize_path(filename) == self.path
            self._filename_matches[filename] = matches
        return matches

    def _collect(self):
        module_name = self.module.__name__
        stack = [(value, 0) for name, value in list(vars(self.module).items()) if name != "__builtins__"]
        while stack:
            obj, depth = stack.pop()
            if depth > _MAX_DEPTH or id(obj) in self._seen:
                continue
            children = self._children(obj, module_name)
            if children is None:
                continue
            self._seen.add(id(obj))
            stack.extend((child, depth + 1) for child in children)

    def _children(self, obj, module_name):
        """What to visit below `obj`, or None when `obj` cannot lead to a definition."""
        if type(obj) in _ATOMIC:
            return None
        if isinstance(obj, FunctionType):
            if self.defined_here(obj.__code__):
                self.functions.append(obj)
            children = [cell_contents(cell) for cell in obj.__closure__ or ()]
            wrapped = obj.__dict__.get("__wrapped__")
            if wrapped is not None:
                children.append(wrapped)
            return children
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
            return [child for child in children
                    if type(child) not in _ATOMIC and not isinstance(child, _CONTAINERS)]
        return [child for child in children if type(child) not in _ATOMIC]


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
