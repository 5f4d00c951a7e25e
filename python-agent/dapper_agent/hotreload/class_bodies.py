"""Classes that a still-running module body has not created yet get their new body.

A `class` statement calls `builtins.__build_class__(body_function, name, *bases)`, and the
body function is made from a code object of the module's (old, immutable) code. Swapping
that function's `__code__` for the edited class body right there builds the class exactly
as the edited file says — methods, attributes, nested classes, and class decorators such as
@dataclass seeing the new body — and creates it only once, so `__init_subclass__` and
registering decorators see a single class. The hook is installed only while a substitution
is waiting, and passes every other class through untouched.
"""

import builtins
import threading

_lock = threading.Lock()
_waiting = {}  # id(old class body code) -> (old code, new code, owner)
_original = None  # builtins.__build_class__ before the hook was installed


def substitute(old_code, new_code, owner):
    """Build classes from `old_code` with `new_code` instead, until withdraw(owner)."""
    with _lock:
        _waiting[id(old_code)] = (old_code, new_code, owner)
        _install()


def withdraw(owner, old_code=None):
    """Forget the substitutions of `owner` (only that of `old_code` when given)."""
    with _lock:
        for key, entry in list(_waiting.items()):
            if entry[2] is owner and (old_code is None or entry[0] is old_code):
                del _waiting[key]
        if not _waiting:
            _uninstall()


def is_waiting(old_code):
    entry = _waiting.get(id(old_code))
    return entry is not None and entry[0] is old_code


def _build_class(func, name, *bases, **keywords):
    code = getattr(func, "__code__", None)
    entry = _waiting.get(id(code))
    if entry is not None and entry[0] is code and entry[1].co_freevars == code.co_freevars:
        func.__code__ = entry[1]
    return _original(func, name, *bases, **keywords)


def _install():
    global _original
    if _original is None:
        _original = builtins.__build_class__
        builtins.__build_class__ = _build_class


def _uninstall():
    global _original
    if _original is not None:
        if builtins.__build_class__ is _build_class:  # someone else's hook on top stays
            builtins.__build_class__ = _original
            _original = None
