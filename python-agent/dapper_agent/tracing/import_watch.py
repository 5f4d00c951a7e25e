"""What the 3.9–3.11 tracer hears without tracing: module bodies about to run and functions
given new code, through one process-wide audit hook (PEP 578). Threads that run untraced
still exec module code (imports) and may assign `__code__` (their own hot reloader), and the
tracer must know both: imported modules get breakpoint probes, foreign code gets traced.
"""

import sys
import types

_real_settrace = sys.settrace  # before the tracer wraps sys.settrace
_target = []  # the tracer the hook reports to (audit hooks cannot be removed: one per process)


def install(tracer):
    """Module bodies are exec'd, and functions given new code: an audit hook hears both, on
    threads traced or not."""
    first = not _target
    _target[:] = [tracer]
    if not first:
        return True

    def on_audit(event, args):
        if event == "exec":
            code = args[0] if args else None
            if isinstance(code, types.CodeType) and _target:
                tracer = _target[0]
                if _untraced(tracer.on_module_exec, code) and sys.gettrace() is None:
                    tracer.trace_this_thread()
        elif event == "object.__setattr__" and len(args) == 3 and args[1] == "__code__":
            if isinstance(args[0], types.FunctionType) and isinstance(args[2], types.CodeType) and _target:
                _untraced(_target[0].on_code_assigned, args[2])

    try:
        sys.addaudithook(on_audit)
    except Exception:  # the program's own audit hook may refuse new ones
        del _target[:]
        return False
    return True


def _untraced(action, argument):
    """Audit hooks run in the program's thread, outside any trace callback: the agent's work
    there (sending an event, reading line tables) must not be traced or stepped into."""
    tracer = sys.gettrace()
    if tracer is not None:
        _real_settrace(None)
    try:
        return action(argument)
    except Exception:  # an audit hook must never break the program
        return None
    finally:
        if tracer is not None:
            _real_settrace(tracer)
