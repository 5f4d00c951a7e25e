"""Apply a planned change step by step, remembering how to undo each step.

Every change Apply Changes makes to the program goes through an UndoLog, so an exception
at any point restores the program exactly as it was (all or nothing).
"""

_MISSING = object()


class UndoLog:
    def __init__(self):
        self._undo = []

    def set_attribute(self, obj, name, value):
        previous = obj.__dict__.get(name, _MISSING) if isinstance(obj, type) else getattr(obj, name, _MISSING)
        setattr(obj, name, value)
        self._undo.append(lambda: self._restore_attribute(obj, name, previous))

    def delete_attribute(self, obj, name):
        previous = obj.__dict__[name] if isinstance(obj, type) else getattr(obj, name)
        delattr(obj, name)
        self._undo.append(lambda: setattr(obj, name, previous))

    def set_item(self, mapping, key, value):
        previous = mapping.get(key, _MISSING)
        mapping[key] = value
        self._undo.append(lambda: self._restore_item(mapping, key, previous))

    def delete_item(self, mapping, key):
        previous = mapping[key]
        del mapping[key]
        self._undo.append(lambda: mapping.__setitem__(key, previous))

    def call(self, do, undo):
        """A step with its own undo (e.g. writing a frame's local variable)."""
        do()
        self._undo.append(undo)

    def rollback(self):
        """Undo every step in reverse order; keeps going if one undo fails, then re-raises it."""
        failure = None
        while self._undo:
            try:
                self._undo.pop()()
            except Exception as error:  # keep restoring the rest
                failure = failure or error
        if failure is not None:
            raise failure

    def __len__(self):
        return len(self._undo)

    @staticmethod
    def _restore_attribute(obj, name, previous):
        if previous is _MISSING:
            delattr(obj, name)
        else:
            setattr(obj, name, previous)

    @staticmethod
    def _restore_item(mapping, key, previous):
        if previous is _MISSING:
            del mapping[key]
        else:
            mapping[key] = previous
