"""The tracer: one small interface, one implementation per Python generation, chosen once.

    tracer.start()              install hooks (before the program runs)
    tracer.stop()               remove every hook (disconnect; the program runs on untraced)
    tracer.refresh()            breakpoints or code changed: forget caches, re-arm running frames
    tracer.set_all_lines(on)    make every thread report lines now (pause, stepping, stopped)
    tracer.check_thread()       called on program threads (output writes): restore a lost tracer
    tracer.settle()             called on a program thread that resumes after a stop
    tracer.instrument_program(code, source)   the main script's code to run (probes before 3.12)
    tracer.release_code()       before Apply Changes: functions get their own code back
"""

import sys


def create_tracer(session, engine):
    if sys.version_info >= (3, 12):
        from .monitoring import MonitoringTracer

        return MonitoringTracer(session, engine)
    from .settrace import SettraceTracer

    return SettraceTracer(session, engine)
