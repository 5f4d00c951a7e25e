"""The agent threads that answer slow requests (commands.py, `slow=True`): each waits for the
next request once it has answered one, so a request is not kept waiting for a thread to start.

Starting a thread returns only once the new thread has run its first bytecode; while the
program's threads keep the GIL busy that took 5-35 ms of an apply while running (8 threads in
loops, bench/apply-while-running.py), the biggest part of what such an apply cost over the same
apply while stopped. So a thread is started only when no thread waits: for the first slow
request, for a request while the others are busy, or ahead of time when the client says an
apply may come soon (`prepareApply`, while the user edits).

Threads are started where the program is not held (starting one takes threading's own lock,
which a program thread held by Apply Changes may own): by the reader before the request's
arrival hook runs, or by the prepareApply handler.
"""

import threading

# Threads kept waiting between requests; one more that finishes its request ends.
WAITING_LIMIT = 2


class RequestThreads:
    def __init__(self, start_thread):
        self._start_thread = start_thread  # start_thread(run): starts an agent thread running run()
        self._changed = threading.Condition(threading.Lock())
        self._jobs = []  # handed to a waiting thread, not yet taken
        self._waiting = 0  # threads waiting for a job (those that took one no longer count)

    def run(self, job):
        """Run job() on a request thread: one that waits, or a new one if none does."""
        with self._changed:
            if self._waiting > len(self._jobs):
                self._jobs.append(job)
                self._changed.notify()
                return
        self._start(job)

    def prepare(self):
        """Have a thread waiting for the next request, starting one if none does."""
        with self._changed:
            if self._waiting > len(self._jobs):
                return
        self._start(None)

    @property
    def waiting(self):
        with self._changed:
            return self._waiting - len(self._jobs)

    def _start(self, job):
        self._start_thread(lambda: self._serve(job))

    def _serve(self, job):
        while True:
            if job is not None:
                job()
            with self._changed:
                if self._waiting >= WAITING_LIMIT:
                    return
                self._waiting += 1
                while not self._jobs:
                    self._changed.wait()
                job = self._jobs.pop(0)
                self._waiting -= 1
