"""Variable references: lazy children, paging, and how each kind of value is shown."""

import itertools

from .safe_repr import SafeRepr, VARIABLE_LIMIT

STRING_CHUNK = 1000
_INDEXED = (list, tuple, dict, set, frozenset)
_SIMPLE = (int, float, complex, bool, type(None), bytes, bytearray)


class Container:
    """What a variablesReference points at."""

    def __init__(self, kind, value, evaluate_name=None, frame=None):
        self.kind = kind  # "locals", "globals", "exception", "value"
        self.value = value
        self.evaluate_name = evaluate_name
        self.frame = frame


class VariableRegistry:
    def __init__(self, session):
        self._session = session
        self._ids = itertools.count(1)
        self._by_id = {}
        self.safe_repr = SafeRepr(session.start_agent_thread)

    def clear(self):
        self._by_id.clear()

    def add(self, container):
        ref = next(self._ids)
        self._by_id[ref] = container
        return ref

    def get(self, ref):
        return self._by_id.get(ref)

    # -- presenting one value --------------------------------------------------------------------

    def describe(self, name, value, evaluate_name=None, frame=None, limit=VARIABLE_LIMIT):
        shown = self.safe_repr.describe(value, limit)
        variable = {
            "name": name,
            "value": shown.text,
            "type": _type_name(value),
            "variablesReference": 0,
        }
        if evaluate_name:
            variable["evaluateName"] = evaluate_name
        if shown.truncated:
            variable["presentationHint"] = {"attributes": ["truncated"]}
        if self._has_children(value):
            variable["variablesReference"] = self.add(Container("value", value, evaluate_name, frame))
            counts = self._counts(value)
            if counts:
                variable.update(counts)
        return variable

    @staticmethod
    def _has_children(value):
        if isinstance(value, str):
            return len(value) > VARIABLE_LIMIT
        if isinstance(value, _SIMPLE):
            return False
        return True

    @staticmethod
    def _counts(value):
        if isinstance(value, _INDEXED):
            try:
                return {"indexedVariables": len(value)}
            except Exception:
                return None
        if isinstance(value, str):
            return {"indexedVariables": (len(value) + STRING_CHUNK - 1) // STRING_CHUNK}
        return None

    # -- children ---------------------------------------------------------------------------------

    def children(self, ref, start=0, count=0, filter_=None):
        container = self._by_id.get(ref)
        if container is None:
            return None
        if container.kind in ("locals", "globals"):
            return self._scope_children(container)
        if container.kind == "exception":
            return [self.describe("exception", container.value, None, container.frame)]
        return self._value_children(container, start, count, filter_)

    def _scope_children(self, container):
        frame = container.frame
        namespace = frame.f_locals if container.kind == "locals" else frame.f_globals
        try:
            items = list(namespace.items())
        except Exception:
            items = []
        result = []
        for name, value in items:
            if name == "__builtins__":
                continue
            result.append(self.describe(str(name), value, str(name), frame))
        return result

    def _value_children(self, container, start, count, filter_):
        value = container.value
        parent = container.evaluate_name
        frame = container.frame
        if isinstance(value, str):
            chunks = range(0, len(value), STRING_CHUNK)
            indexes = _page(range(len(chunks)), start, count)
            return [
                {
                    "name": "[%d:%d]" % (i * STRING_CHUNK, min(len(value), (i + 1) * STRING_CHUNK)),
                    "value": repr(value[i * STRING_CHUNK : (i + 1) * STRING_CHUNK]),
                    "type": "str",
                    "variablesReference": 0,
                }
                for i in indexes
            ]
        if isinstance(value, _INDEXED) and filter_ != "named":
            return self._indexed_children(value, parent, frame, start, count)
        if filter_ == "indexed":
            return []
        return self._attribute_children(value, parent, frame)

    def _indexed_children(self, value, parent, frame, start, count):
        result = []
        if isinstance(value, dict):
            items = _page_items(value.items(), start, count)
            for key, item in items:
                key_text = self.safe_repr.describe(key, 200).text
                name = key_text
                evaluate = "%s[%s]" % (parent, key_text) if parent and _is_literal(key) else None
                result.append(self.describe(name, item, evaluate, frame))
            return result
        if isinstance(value, (set, frozenset)):
            for index, item in enumerate(_page_items(value, start, count), start or 0):
                result.append(self.describe(str(index), item, None, frame))
            return result
        length = len(value)
        stop = length if not count else min(length, (start or 0) + count)
        for index in range(start or 0, stop):
            evaluate = "%s[%d]" % (parent, index) if parent else None
            result.append(self.describe(str(index), value[index], evaluate, frame))
        return result

    def _attribute_children(self, value, parent, frame):
        status, names = self.safe_repr.call(lambda: _attribute_values(value))
        if status != "ok":
            return [{"name": "<attributes>", "value": "<reading attributes failed or timed out>", "variablesReference": 0}]
        result = []
        for name, item in names:
            evaluate = "%s.%s" % (parent, name) if parent else None
            result.append(self.describe(name, item, evaluate, frame))
        return result


def _attribute_values(value):
    """Data attributes (not methods, not dunders) in the order a reader expects."""
    seen = []
    names = []
    instance_dict = getattr(value, "__dict__", None)
    if isinstance(instance_dict, dict):
        names.extend(str(n) for n in instance_dict)
    for name in dir(value):
        if name.startswith("__") or name in names:
            continue
        names.append(name)
    for name in names:
        try:
            item = getattr(value, name)
        except Exception as error:  # show the failure as the value
            seen.append((name, _AttributeError(error)))
            continue
        if callable(item) and not isinstance(item, type) and name not in (instance_dict or {}):
            continue
        seen.append((name, item))
    return seen


class _AttributeError:
    def __init__(self, error):
        self.error = error

    def __repr__(self):
        return "<%s: %s>" % (type(self.error).__name__, self.error)


def _type_name(value):
    kind = type(value)
    if kind.__module__ in ("builtins", "__main__"):
        return kind.__qualname__
    return "%s.%s" % (kind.__module__, kind.__qualname__)


def _page(indexes, start, count):
    start = start or 0
    if count:
        return indexes[start : start + count]
    return indexes[start:]


def _page_items(iterable, start, count):
    start = start or 0
    stop = start + count if count else None
    return list(itertools.islice(iterable, start, stop))


def _is_literal(key):
    return isinstance(key, (str, int, float, bool, bytes, type(None)))
