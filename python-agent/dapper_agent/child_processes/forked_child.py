"""os.fork() (and multiprocessing's fork start method, the forkserver's workers): the child
shares the parent's memory, the agent's included, and the parent's connection. It must never
write there; with child processes enabled it connects on its own instead, says hello as a
new process, and waits (at most CONFIGURATION_TIMEOUT) for the debugger before the program
sees fork() return."""

import sys

from .process_hooks import exec_follows_fork

CONNECT_TIMEOUT = 10.0
CONFIGURATION_TIMEOUT = 120.0


def forget_parent_connection(session):
    """In the child: drop the parent's channel without shutting it down (that would end the
    parent's connection too) and stop tracing. A switch interval the agent had changed (a hint,
    a ring) goes back to the program's own: nothing of the parent's agent restores it here,
    whether or not the child is debugged."""
    session.switch_interval.restore_after_fork()
    channel, session.channel = session.channel, None
    if channel is not None:
        channel.abandon()
    if session.tracer is not None:
        session.tracer.stop()
    session.stops.close()
    session.disconnected = True
    if session.output is not None:
        session.output.detach()


def on_fork_in_child(session, connect_child):
    """register_at_fork(after_in_child) hook; `connect_child(session, config)` gives the child
    its own connection to the debugger and waits for its configuration."""
    config = session.child_processes
    was_debugged = not session.disconnected
    forget_parent_connection(session)
    if not was_debugged or config is None or exec_follows_fork():
        return
    try:
        connect_child(session, config)
    except Exception as error:  # the program's fork must succeed regardless
        try:
            sys.stderr.write("dapper: this forked process runs without the debugger: %s\n" % (error,))
        except Exception:
            pass
