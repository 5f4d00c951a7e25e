"""Giving a function the annotations of another without evaluating them.

Python 3.14 evaluates annotations lazily (PEP 649/749): a function carries `__annotate__`,
and reading `__annotations__` calls it, which raises NameError for a name imported only
under `if TYPE_CHECKING:` or defined later. So where `__annotate__` exists and is a
function, it is what is carried over; otherwise (3.9-3.13, or `from __future__ import
annotations`, where the annotations are already a dict) the dict is. Chosen by feature,
not by version.
"""

from types import FunctionType

# Looked up in the type's own dictionary: `hasattr(FunctionType, "__annotate__")` is False on
# 3.14, where the name on a class goes to `type.__annotate__` (the class's own annotations),
# which a built-in type does not have.
LAZY_ANNOTATIONS = "__annotate__" in vars(FunctionType)


def annotation_state(function):
    """(attribute, value) that restores the function's annotations as they are now."""
    if LAZY_ANNOTATIONS:
        annotate = function.__annotate__
        if callable(annotate):
            return "__annotate__", annotate
    return "__annotations__", function.__annotations__  # a plain dict here: no evaluation


def set_annotation_state(function, state):
    setattr(function, state[0], state[1])


def copy_annotations(target, source):
    """target gets source's annotations (lazily where the interpreter evaluates them lazily)."""
    attribute, value = annotation_state(source)
    setattr(target, attribute, dict(value) if attribute == "__annotations__" else value)


def copy_annotations_step(log, target, source):
    """copy_annotations through an UndoLog: rolled back, the target's own state returns."""
    before = annotation_state(target)
    log.call(lambda: copy_annotations(target, source), lambda: set_annotation_state(target, before))
