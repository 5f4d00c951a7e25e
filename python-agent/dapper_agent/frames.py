"""Frame ids and the stack as the client sees it (agent frames hidden)."""

import itertools
import sys

from .restart.signal import is_restarting


class FrameRegistry:
    """Frame ids are valid while stopped; `clear()` on resume."""

    def __init__(self, session):
        self._session = session
        self._ids = itertools.count(1)
        self._by_id = {}
        self._by_frame = {}

    def clear(self):
        self._by_id.clear()
        self._by_frame.clear()

    def id_for(self, frame, ident):
        key = id(frame)
        entry = self._by_frame.get(key)
        if entry is not None and entry[1] is frame:
            return entry[0]
        frame_id = next(self._ids)
        self._by_id[frame_id] = (frame, ident)
        self._by_frame[key] = (frame_id, frame)
        return frame_id

    def get(self, frame_id):
        """(frame, thread ident) or (None, None) when the id is unknown or stale."""
        return self._by_id.get(frame_id, (None, None))

    def visible_frames(self, ident):
        """The thread's frames, innermost first, without the agent's own frames."""
        session = self._session
        parked = session.stops.parked.get(ident)
        if parked is not None and parked.frames is not None:
            return list(parked.frames)
        frame = parked.frame if parked is not None else sys._current_frames().get(ident)
        result = []
        is_agent = session.classifier.is_agent
        while frame is not None:
            # A restarted frame only waits for its new call (restart/signal.py): not shown.
            if not is_agent(frame.f_code.co_filename) and not is_restarting(frame):
                result.append(frame)
            frame = frame.f_back
        return result
