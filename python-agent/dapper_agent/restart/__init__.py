"""Restart Frame: restart points compiled into user functions, and the restartFrame request
(docs/apply-changes.md, "Restart Frame")."""

from .points import POINTS


def start(session):
    """Before the program runs: user modules imported from now on get restart points."""
    from . import importer, signal

    if not POINTS.enabled:
        return
    signal.install()
    importer.install(lambda path: not session.classifier.is_library(path))
