"""RequestThreads: a slow request is answered by a thread that waits for it, started only when
none waits (for the first request, a request while the others are busy, or by prepare())."""

import threading
import unittest

from dapper_agent.request_threads import WAITING_LIMIT, RequestThreads

TIMEOUT = 10


class _Starter:
    """Starts real threads, counting them."""

    def __init__(self):
        self.started = 0

    def __call__(self, run):
        self.started += 1
        threading.Thread(target=run, daemon=True).start()


class RequestThreadsTest(unittest.TestCase):
    def setUp(self):
        self.starter = _Starter()
        self.threads = RequestThreads(self.starter)

    def run_job(self, release=None):
        """Hand a job over; returns (event set when it ran, [ident of the thread that ran it])."""
        done, ran_on = threading.Event(), []

        def job():
            ran_on.append(threading.get_ident())
            if release is not None:
                release.wait(TIMEOUT)
            done.set()

        self.threads.run(job)
        return done, ran_on

    def wait_waiting(self, count):
        for _ in range(TIMEOUT * 100):
            if self.threads.waiting == count:
                return
            threading.Event().wait(0.01)
        self.fail("expected %d waiting threads, found %d" % (count, self.threads.waiting))

    def test_the_first_request_starts_a_thread_and_the_next_one_finds_it_waiting(self):
        first, first_on = self.run_job()
        self.assertTrue(first.wait(TIMEOUT))
        self.wait_waiting(1)
        second, second_on = self.run_job()
        self.assertTrue(second.wait(TIMEOUT))
        self.assertEqual(self.starter.started, 1)
        self.assertEqual(first_on, second_on)

    def test_prepare_starts_a_thread_that_takes_the_next_request(self):
        self.threads.prepare()
        self.wait_waiting(1)
        self.threads.prepare()  # one waits already: nothing more is started
        done, _ = self.run_job()
        self.assertTrue(done.wait(TIMEOUT))
        self.assertEqual(self.starter.started, 1)

    def test_a_request_while_the_waiting_thread_is_busy_gets_a_thread_of_its_own(self):
        release = threading.Event()
        busy, busy_on = self.run_job(release)
        self.assertFalse(busy.wait(0.1))
        other, other_on = self.run_job()
        self.assertTrue(other.wait(TIMEOUT))
        self.assertNotEqual(busy_on, other_on)
        release.set()
        self.assertTrue(busy.wait(TIMEOUT))
        self.assertEqual(self.starter.started, 2)

    def test_no_more_threads_than_the_limit_stay_waiting(self):
        release = threading.Event()
        jobs = [self.run_job(release) for _ in range(WAITING_LIMIT + 2)]
        release.set()
        for done, _ in jobs:
            self.assertTrue(done.wait(TIMEOUT))
        self.wait_waiting(WAITING_LIMIT)
        self.assertEqual(self.starter.started, WAITING_LIMIT + 2)
        # Those left waiting take the next requests without starting any.
        more = [self.run_job() for _ in range(WAITING_LIMIT)]
        for done, _ in more:
            self.assertTrue(done.wait(TIMEOUT))
        self.assertEqual(self.starter.started, WAITING_LIMIT + 2)


if __name__ == "__main__":
    unittest.main()
