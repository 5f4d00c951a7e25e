"""Benchmark: what the apply hint costs a running program while the user edits one of its files.

While a `prepareApply` hint lasts (docs/apply-changes.md, "While the program runs"), the agent
lowers the GIL switch interval to HINTED_SWITCH_INTERVAL (switch_interval.py). A program with
one thread running Python pays nothing (no other thread asks for the GIL); threads that wait in
C (sockets, sleep, locks) pay little; threads that all compute in Python switch up to ten times
as often. This counts the loop rounds N threads complete in one second at CPython's default
interval (5 ms) and at the hinted one, alternating, and reports the hinted throughput against
the default's (median of --rounds pairs). No agent runs: this is the interval's own cost.
Results go in docs/benchmarks.md ("Apply Changes while the program runs").

    python bench/apply-hint-cost.py [--rounds 5] [--threads 2 8]
"""

import argparse
import os
import platform
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-agent"))

from dapper_agent.switch_interval import HINTED_SWITCH_INTERVAL  # noqa: E402

DEFAULT_INTERVAL = 0.005


def rounds_in_a_second(interval, threads):
    sys.setswitchinterval(interval)
    running = [True]
    counts = [0] * threads

    def spin(index):
        count = 0
        while running[0]:
            count += 1
        counts[index] = count

    workers = [threading.Thread(target=spin, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    time.sleep(1.0)
    running[0] = False
    for worker in workers:
        worker.join()
    return sum(counts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2, 8])
    arguments = parser.parse_args()
    print("Python %s, %s cores, hinted interval %.2f ms against %.0f ms; load average %.2f at the start" % (
        platform.python_version(), os.cpu_count(), HINTED_SWITCH_INTERVAL * 1000, DEFAULT_INTERVAL * 1000,
        os.getloadavg()[0]))
    print("| threads computing in Python | throughput while hinted (median) | range |\n|---:|---:|---|")
    for threads in arguments.threads:
        ratios = []
        for _ in range(arguments.rounds):
            plain = rounds_in_a_second(DEFAULT_INTERVAL, threads)
            hinted = rounds_in_a_second(HINTED_SWITCH_INTERVAL, threads)
            ratios.append(hinted / plain - 1.0)
        print("| %d | %+.1f %% | %+.1f … %+.1f %% |" % (
            threads, 100 * statistics.median(ratios), 100 * min(ratios), 100 * max(ratios)))
    sys.setswitchinterval(DEFAULT_INTERVAL)


if __name__ == "__main__":
    main()
