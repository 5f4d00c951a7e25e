"""Apply Changes while the program runs: accepted without a stop, all or nothing, and the
program never appears paused (no `stopped`/`continued` event).

The programs run until a file named `stop` appears next to them, so each test ends them
itself and checks that they exit normally.
"""

import os
import textwrap
import unittest

from tests.support import AgentHarness


def write(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(textwrap.dedent(text))


def codes(body):
    return [item["code"] for item in body.get("diagnostics", [])]


def stop_program(test, agent):
    open(os.path.join(agent.folder, "stop"), "w").close()
    _, code = agent.wait_exit()
    test.assertEqual(code, 0, agent.process_stderr()[-2000:])
    test.assertNotIn("stopped", [event["event"] for event in agent.all_events])
    test.assertNotIn("continued", [event["event"] for event in agent.all_events])


STOP_CHECK = """\
import os, sys, threading, time
STOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stop")
def running():
    return not os.path.exists(STOP)
"""

LOOP = STOP_CHECK + """\
def value():
    return "old"
while running():
    print("value", value(), flush=True)
    time.sleep(0.02)
"""

BLOCKED = STOP_CHECK + """\
import socket, queue, sys
def say(*words):
    # one write per line: print() writes words and newline separately, so threads interleave
    sys.stdout.write(" ".join(words) + "\\n")
    sys.stdout.flush()
def value():
    return "old"
lock = threading.Lock()
lock.acquire()
inbox = queue.Queue()
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen()
def sleeper():
    time.sleep(1.5)
    say("sleeper", value())
def locked():
    lock.acquire()
    say("locked", value())
def accepting():
    connection, _ = server.accept()
    connection.close()
    say("accepting", value())
def waiting():
    inbox.get()
    say("waiting", value())
threads = [threading.Thread(target=t) for t in (sleeper, locked, accepting, waiting)]
for thread in threads:
    thread.start()
print("all blocked", flush=True)
while running():
    time.sleep(0.02)
lock.release()
inbox.put(1)
socket.create_connection(server.getsockname()).close()
for thread in threads:
    thread.join()
"""

INSIDE = STOP_CHECK + """\
entered = threading.Event()
def slow():
    entered.set()
    time.sleep(1.0)  # inside
    return "old slow"
def worker():
    print("first", slow(), flush=True)
    print("second", slow(), flush=True)
thread = threading.Thread(target=worker, name="worker")
thread.start()
entered.wait()
print("entered", flush=True)
thread.join()
while running():
    time.sleep(0.02)
"""

CHURN = STOP_CHECK + """\
import queue
def value():
    return "old"
results = queue.Queue()
def short_lived():
    results.put(value())
print("churning", flush=True)
seen = set()
while running():
    workers = [threading.Thread(target=short_lived) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    while not results.empty():
        result = results.get()
        if result not in seen:
            seen.add(result)
            print("new result", repr(result), flush=True)
print("seen", sorted(seen), flush=True)
"""

# A thread that holds threading's own lock (a thread starting or ending holds it while
# threading.py runs) and is held by the apply in the middle of that: the agent must not need it.
THREADING_LOCK = STOP_CHECK + """\
def value():
    return "old"
def busy_with_threadings_lock():
    for _ in range(20):
        with threading._active_limbo_lock:
            end = time.monotonic() + 0.2
            while time.monotonic() < end:
                pass
        time.sleep(0.002)
    print("released", flush=True)
hog = threading.Thread(target=busy_with_threadings_lock)
hog.start()
print("holding", flush=True)
while running():
    print("value", value(), flush=True)
    time.sleep(0.02)
hog.join()
"""

IMPORTING = STOP_CHECK + """\
import importlib
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
def value():
    return "old"
def importer():
    count = 0
    while running():
        count += 1
        name = "fresh_%d" % count
        with open(os.path.join(HERE, name + ".py"), "w") as handle:
            handle.write("X = %d\\n" % count)
        importlib.invalidate_caches()
        importlib.import_module(name)
        sys.modules.pop(name)
threading.Thread(target=importer).start()
print("importing", flush=True)
seen = None
while running():
    if value() != seen:
        seen = value()
        print("value", seen, flush=True)
    time.sleep(0.001)
"""

ATOMIC = STOP_CHECK + """\
A = 0
B = 0
def pair():
    return (0, 0)
torn = []
calls = [0]
def hammer():
    while running():
        values = pair()
        constants = (A, B)
        calls[0] += 1
        if values[0] != values[1] or constants[0] != constants[1]:
            torn.append((values, constants))
threads = [threading.Thread(target=hammer) for _ in range(4)]
for thread in threads:
    thread.start()
print("hammering", flush=True)
for thread in threads:
    thread.join()
print("calls", calls[0] > 0, "torn", torn[:5], flush=True)
"""


class ApplyWhileRunning(unittest.TestCase):
    def test_apply_while_a_loop_runs_takes_effect_without_a_stop(self):
        with AgentHarness(LOOP) as agent:
            agent.configuration_done()
            agent.wait_output("value old")
            write(agent.program, LOOP.replace('return "old"', 'return "new"'))
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["patchedFunctions"], 1)
            self.assertEqual(body["diagnostics"], [])
            printed = len(agent.output("stdout"))
            agent.wait_output("value new", after=printed)
            self.assertNotIn("value old", agent.output("stdout")[printed:].split("value new")[1])
            stop_program(self, agent)

    def test_a_changed_statement_of_the_running_main_loop_is_reported(self):
        with AgentHarness(LOOP) as agent:
            agent.configuration_done()
            agent.wait_output("value old")
            write(agent.program, LOOP.replace('return "old"', 'return "new"').replace('print("value"', 'print("VALUE"'))
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(codes(body), ["module-statement-runs-old-code"])
            self.assertEqual(body["diagnostics"][0]["line"], 7)
            printed = len(agent.output("stdout"))
            agent.wait_output("value new", after=printed)
            stop_program(self, agent)

    def test_apply_while_threads_sleep_or_block_in_c(self):
        with AgentHarness(BLOCKED) as agent:
            agent.configuration_done()
            agent.wait_output("all blocked")
            write(agent.program, BLOCKED.replace('return "old"', 'return "new"'))
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["patchedFunctions"], 1)
            self.assertEqual(body["staleFrames"], [])  # blocked threads are not in a changed function
            stop_program(self, agent)
            printed = agent.output("stdout")
            for name in ("sleeper", "locked", "accepting", "waiting"):
                self.assertIn(name + " new", printed)

    def test_a_thread_inside_the_changed_function_is_stale_and_finishes_on_old_code(self):
        with AgentHarness(INSIDE) as agent:
            agent.configuration_done()
            agent.wait_output("entered")
            write(agent.program, INSIDE.replace('return "old slow"', 'return "new slow"'))
            body = agent.request("hotReload", path=agent.program, options={})
            stale = body["staleFrames"]
            self.assertEqual([frame["name"] for frame in stale], ["slow"])
            threads = {thread["name"]: thread["id"] for thread in agent.request("threads")["threads"]}
            self.assertEqual(stale[0]["threadId"], threads["worker"])
            self.assertEqual(stale[0]["line"], 8)
            stop_program(self, agent)
            printed = agent.output("stdout")
            self.assertIn("first old slow", printed)
            self.assertIn("second new slow", printed)

    def test_a_failed_apply_while_running_changes_nothing(self):
        with AgentHarness(LOOP) as agent:
            agent.configuration_done()
            agent.wait_output("value old")
            write(agent.program, LOOP.replace('def value():\n    return "old"',
                                              'def value(x=1 / 0):\n    return "new"'))
            refused = agent.request_raw("hotReload", path=agent.program, options={})
            self.assertFalse(refused["success"])
            self.assertEqual(codes(refused["body"]), ["definition-raised"])
            printed = len(agent.output("stdout"))
            agent.wait_output("value old", after=printed)
            stop_program(self, agent)
            self.assertNotIn("value new", agent.output("stdout"))

    def test_a_second_apply_while_one_is_running_is_refused(self):
        with AgentHarness(LOOP) as agent:
            agent.configuration_done()
            agent.wait_output("value old")
            write(agent.program, LOOP.replace('def value():\n    return "old"',
                                              'def value(x=(print("applying", flush=True), time.sleep(1.5))):\n'
                                              '    return "new"'))
            first = agent.send_request("hotReload", path=agent.program, options={})
            agent.wait_output("applying")  # the first apply is running the new module body
            second = agent.request_raw("hotReload", path=agent.program, options={})
            self.assertFalse(second["success"])
            self.assertEqual(codes(second["body"]), ["reload-in-progress"])
            self.assertTrue(agent.wait_response(first)["success"])
            printed = len(agent.output("stdout"))
            agent.wait_output("value new", after=printed)
            stop_program(self, agent)

    def test_applies_while_threads_start_and_end_all_the_time(self):
        """Threads parked inside threading.py hold its locks: the apply must not need them."""
        self.apply_ten_times_while_running(CHURN, "churning", "new result 'v10'")

    def test_applies_while_a_thread_holds_threadings_lock(self):
        with AgentHarness(THREADING_LOCK) as agent:
            agent.configuration_done()
            agent.wait_output("holding")
            write(agent.program, THREADING_LOCK.replace('return "old"', 'return "new"'))
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["patchedFunctions"], 1)
            self.assertNotIn("released", agent.output("stdout"), "the apply came while the lock was busy")
            printed = len(agent.output("stdout"))
            agent.wait_output("value new", after=printed)
            agent.wait_output("released")
            stop_program(self, agent)

    def test_applies_while_a_thread_imports_all_the_time(self):
        """A thread held inside the import machinery could hold the import lock, and every
        import the agent makes during the apply would wait for it: it is held only once it
        is back in the program's code."""
        self.apply_ten_times_while_running(IMPORTING, "importing", "value v10")

    def apply_ten_times_while_running(self, source, started, last_seen):
        """`value()` returns "v1" … "v10", one apply each while the program runs; each patches
        it, and the program then shows the last value and ends normally."""
        with AgentHarness(source) as agent:
            agent.configuration_done()
            agent.wait_output(started)
            for generation in range(1, 11):
                write(agent.program, source.replace('return "old"', 'return "v{}"'.format(generation)))
                body = agent.request("hotReload", path=agent.program, options={})
                self.assertEqual(body["patchedFunctions"], 1)
            agent.wait_output(last_seen)
            stop_program(self, agent)

    def test_atomic_under_load(self):
        """Each call runs all old or all new code, and values applied together are read
        together: a call that began before an apply finishes on the old code (its frame is
        stale), as when the program is stopped."""
        with AgentHarness(ATOMIC) as agent:
            agent.configuration_done()
            agent.wait_output("hammering")
            for generation in range(1, 26):
                text = ATOMIC.replace("A = 0\nB = 0\n", "A = {0}\nB = {0}\n".format(generation))
                write(agent.program, text.replace("return (0, 0)", "return ({0}, {0})".format(generation)))
                body = agent.request("hotReload", path=agent.program, options={})
                self.assertEqual(body["diagnostics"], [], body)
            stop_program(self, agent)
            self.assertIn("calls True torn []", agent.output("stdout"))


class BaseExceptionsDuringAnApply(unittest.TestCase):
    """SystemExit and KeyboardInterrupt raised by the user's code are refusals like any error."""

    def assert_refused_and_untouched(self, agent, response, code):
        self.assertFalse(response["success"], response)
        self.assertEqual(codes(response["body"]), [code])
        names = [thread["name"] for thread in agent.request("threads")["threads"]]
        self.assertFalse([name for name in names if name.startswith("dapper")], names)
        printed = len(agent.output("stdout"))
        agent.wait_output("value old", after=printed)

    def test_system_exit_in_a_new_default_value_is_refused(self):
        with AgentHarness(LOOP) as agent:
            agent.configuration_done()
            agent.wait_output("value old")
            write(agent.program, LOOP.replace('def value():\n    return "old"',
                                              'def value(x=sys.exit(7)):\n    return "new"'))
            self.assert_refused_and_untouched(
                agent, agent.request_raw("hotReload", path=agent.program, options={}), "definition-raised")
            stop_program(self, agent)

    def test_keyboard_interrupt_in_a_decorator_is_refused(self):
        with AgentHarness(LOOP) as agent:
            agent.configuration_done()
            agent.wait_output("value old")
            text = LOOP.replace('def value():\n    return "old"',
                                'def interrupt(f):\n    raise KeyboardInterrupt\n@interrupt\ndef value():\n    return "new"')
            write(agent.program, text)
            self.assert_refused_and_untouched(
                agent, agent.request_raw("hotReload", path=agent.program, options={}), "definition-raised")
            stop_program(self, agent)

    def test_system_exit_in_a_re_executed_module_body_is_refused(self):
        helper = "def value():\n    return 'old'\n"
        script = LOOP.replace("def value():\n    return \"old\"\n", "from helper import value\n")
        with AgentHarness(script, extra_files={"helper.py": helper}) as agent:
            agent.configuration_done()
            agent.wait_output("value old")
            path = os.path.join(agent.folder, "helper.py")
            for raised in ("SystemExit(7)", "KeyboardInterrupt"):
                write(path, "raise {}\ndef value():\n    return 'new'\n".format(raised))
                response = agent.request_raw("hotReload", path=path, options={"reExecuteModuleBody": True})
                self.assert_refused_and_untouched(agent, response, "module-body-raised")
            stop_program(self, agent)


class ApplyDeadline(unittest.TestCase):
    def test_an_apply_past_its_deadline_is_cancelled_before_it_changes_anything(self):
        with AgentHarness(LOOP) as agent:
            agent.configuration_done()
            agent.wait_output("value old")
            write(agent.program, LOOP.replace('def value():\n    return "old"',
                                              'def value(x=(time.sleep(0.6), print("default evaluated", flush=True))):\n'
                                              '    return "new"'))
            refused = agent.request_raw("hotReload", path=agent.program, options={}, deadlineMs=200)
            self.assertFalse(refused["success"])
            self.assertEqual(codes(refused["body"]), ["apply-timed-out"])
            # The program is held while the apply runs: what it prints after the new module body
            # ran (the default says when) comes from the code it has once the agent lets it go.
            agent.wait_output("default evaluated")
            printed = len(agent.output("stdout"))
            agent.wait_output("value old", after=printed)
            self.assertNotIn("value new", agent.output("stdout"))
            stop_program(self, agent)


if __name__ == "__main__":
    unittest.main()
