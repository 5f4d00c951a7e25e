"""Carry out a BodyPlan while the module body runs on (body_plan.py says what and why).

The agent reports every line and the return of the running module frame (Session.watch_frame)
on the program's own thread. On each line the few watched names are compared by identity
with what the namespace held before: a function the body has just created from old code gets
the new code, before the next statement can call it. Statements the edit added run when the
body gets to them, and changed constants and imports are redone once the old statement ran.
When nothing is left to do the watch ends, and the frame is no longer traced for it.
"""

import bisect
import traceback

from . import class_bodies
from .body_plan import END
from .annotations import copy_annotations
from .codeinfo import docstring_of
from .definitions import raw_functions

_MISSING = object()
_WALK_LIMIT = 50  # objects looked at per new binding (wrappers, registries, cells)


class BodyWatch:
    def __init__(self, plan, report):
        self._report = report  # report(text): Debug Console
        self._path = plan.path
        self._namespace = plan.module.__dict__
        self._starts = plan.origin.index.starts
        self._index = plan.current_index
        self._names = dict(plan.names)
        self._seen = {name: self._namespace.get(name, _MISSING) for name in self._names}
        self._class_bodies = list(plan.class_bodies)
        # After statement i means before anything of statement i + 1 ran.
        steps = [(index, line, code) for index, line, code in plan.before]
        steps += [(index + 0.5, line, code) for index, line, code in plan.after]
        self._steps = sorted(steps, key=lambda step: (step[0], step[1]))
        self.code = plan.origin.code
        for old, new, _ in self._class_bodies:
            class_bodies.substitute(old, new, self)

    # -- called by the agent on the module body's thread ------------------------------------------

    def on_line(self, frame, line):
        index = max(0, bisect.bisect_right(self._starts, line) - 1) if line else self._index
        self._check_names()
        if index > self._index:
            self._index = index
            self._run_steps(index)
            self._expire(index)
        return not self.is_done

    def on_return(self, frame):
        self._check_names()
        self._run_steps(END)
        self.cancel()
        return False

    def cancel(self):
        """The body finished or a newer apply replaced this watch."""
        class_bodies.withdraw(self)
        self._names.clear()
        self._class_bodies = []
        self._steps = []

    @property
    def is_done(self):
        return not (self._names or self._class_bodies or self._steps)

    # -- work ---------------------------------------------------------------------------------------

    def _check_names(self):
        namespace, seen = self._namespace, self._seen
        for name, watch in list(self._names.items()):
            value = namespace.get(name, _MISSING)
            if value is seen[name]:
                continue
            seen[name] = value
            if value is _MISSING:
                continue
            try:
                seen[name] = self._adopt(watch, value)
            except Exception as error:  # the program must go on
                self._failed("updating '{}'".format(name), error)

    def _adopt(self, watch, value):
        """Give the functions the body just made from old code their new code; returns the
        value now bound to the name."""
        functions = _functions_in(value)
        made_here = False
        for function in functions:
            code = function.__code__
            if id(code) not in watch.old_codes:
                continue
            made_here = True
            entry = watch.new_code.get(id(code))
            if entry is not None and entry[0] is code:
                old_doc, new_doc = docstring_of(code), docstring_of(entry[1])
                function.__code__ = entry[1]
                if old_doc != new_doc and function.__doc__ == old_doc:
                    function.__doc__ = new_doc
        if not made_here or watch.header_code is None:
            return value
        if watch.rebind:  # decorators changed: the new statement makes the object
            exec(watch.header_code[0], self._namespace)
            return self._namespace.get(watch.name, _MISSING)
        made = [function for function in functions if function.__code__.co_name == watch.name]
        for target, code in zip(sorted(made, key=_first_line), watch.header_code):
            scratch = {}
            exec(code, self._namespace, scratch)
            source = scratch[watch.name]
            target.__defaults__ = source.__defaults__
            target.__kwdefaults__ = source.__kwdefaults__
            copy_annotations(target, source)
        return value

    def _run_steps(self, index):
        while self._steps and self._steps[0][0] <= index:
            _, line, code = self._steps.pop(0)
            try:
                exec(code, self._namespace)
            except Exception as error:
                self._failed("running the statement at line {}".format(line), error)
        for name in self._names:
            self._seen[name] = self._namespace.get(name, _MISSING)  # our own bindings are not news

    def _expire(self, index):
        for name, watch in list(self._names.items()):
            if watch.last_index < index:
                del self._names[name]
        for entry in list(self._class_bodies):
            if entry[2] < index:
                self._class_bodies.remove(entry)
                class_bodies.withdraw(self, entry[0])

    def _failed(self, what, error):
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        self._report("Apply Changes: {} of {} raised {}; the module body goes on with the old "
                     "definition.\n".format(what, self._path, detail))


def _first_line(function):
    return function.__code__.co_firstlineno


def _functions_in(value):
    """Function objects a new binding holds: itself, wrapped or decorated functions (closure
    cells, __wrapped__, descriptors, partials) and attributes of wrapper objects."""
    return raw_functions(value, limit=_WALK_LIMIT, into_objects=True)
