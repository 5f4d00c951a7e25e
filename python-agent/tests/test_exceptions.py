"""Exception breakpoints: uncaught (stop before exit), raised, userUnhandled; exceptionInfo."""

import unittest

from tests.support import AgentHarness

UNCAUGHT = """\
def parse(text):
    number = int(text)
    return number

parse("12")
parse("twelve")
"""


class UncaughtTest(unittest.TestCase):
    def test_stops_before_exit_then_exits_1_with_traceback(self):
        with AgentHarness(UNCAUGHT) as agent:
            agent.configuration_done()
            stopped = agent.wait_stopped("exception")
            self.assertEqual(stopped["text"], "ValueError")
            self.assertIn("invalid literal for int()", stopped["description"])
            self.assertIsNone(agent.process.poll(), "the program must still be alive while stopped")
            frames = agent.stack()
            self.assertEqual([(f["name"], f["line"]) for f in frames], [("parse", 2), ("<module>", 6)])
            self.assertEqual(agent.locals(frames[0]["id"])["text"], "'twelve'")
            info = agent.request("exceptionInfo", threadId=stopped["threadId"])
            self.assertEqual(info["exceptionId"], "ValueError")
            self.assertIn("invalid literal", info["description"])
            self.assertEqual(info["breakMode"], "unhandled")
            self.assertIn("Traceback (most recent call last)", info["details"]["stackTrace"])
            self.assertIn('line 2, in parse', info["details"]["stackTrace"])
            scopes = agent.request("scopes", frameId=frames[0]["id"])["scopes"]
            self.assertEqual([s["name"] for s in scopes], ["Exception", "Locals", "Globals"])
            agent.resume()
            exited, code = agent.wait_exit()
            self.assertEqual((exited, code), ({"exitCode": 1}, 1))
            self.assertIn("ValueError: invalid literal for int() with base 10: 'twelve'", agent.output("stderr"))

    def test_uncaught_in_a_thread_stops_that_thread(self):
        script = """\
            import threading
            def work():
                items = []
                items[3]
            t = threading.Thread(target=work, name="worker")
            t.start(); t.join()
            print("main done")
        """
        with AgentHarness(script) as agent:
            agent.configuration_done()
            stopped = agent.wait_stopped("exception")
            self.assertEqual(stopped["text"], "IndexError")
            threads = {t["id"]: t["name"] for t in agent.request("threads")["threads"]}
            self.assertEqual(threads[stopped["threadId"]], "worker")
            self.assertEqual(agent.stack()[0]["name"], "work")
            agent.resume()
            exited, code = agent.wait_exit()
            self.assertEqual(code, 0)
            self.assertIn("main done", agent.output("stdout"))
            self.assertIn("IndexError", agent.output("stderr"))


class RaisedTest(unittest.TestCase):
    def test_raised_stops_where_raised_even_if_caught(self):
        script = """\
            def risky():
                raise KeyError("k")
            try:
                risky()
            except KeyError:
                print("caught")
        """
        with AgentHarness(script) as agent:
            agent.configuration_done(exception_filters=["raised"])
            stopped = agent.wait_stopped("exception")
            self.assertEqual(stopped["text"], "KeyError")
            self.assertEqual(agent.stack()[0]["line"], 2)
            info = agent.request("exceptionInfo", threadId=stopped["threadId"])
            self.assertEqual(info["breakMode"], "always")
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertIn("caught", agent.output("stdout"))

    def test_exception_raised_and_handled_inside_the_standard_library_does_not_stop(self):
        script = """\
            import os.path
            print("exists" if os.path.exists("/no/such/file/anywhere") else "handled")
        """
        with AgentHarness(script) as agent:
            agent.configuration_done(exception_filters=["raised"])
            agent.wait_exit()
            stops = [e for e in agent.all_events if e["event"] == "stopped"]
            self.assertEqual(stops, [])
            self.assertIn("handled", agent.output("stdout"))

    def test_library_exception_stops_in_the_first_user_frame_it_reaches(self):
        script = """\
            import json
            try:
                json.loads("{not json")
            except ValueError:
                print("handled")
        """
        with AgentHarness(script) as agent:
            agent.configuration_done(exception_filters=["raised"])
            stopped = agent.wait_stopped("exception")
            self.assertEqual(stopped["text"], "JSONDecodeError")
            self.assertEqual([(f["name"], f["line"]) for f in agent.stack()], [("<module>", 3)])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)


class UserUnhandledTest(unittest.TestCase):
    def test_exception_leaving_user_code_into_library_stops(self):
        script = """\
            import json
            def hook(pairs):
                raise RuntimeError("from the hook")
            try:
                json.loads('{"a": 1}', object_pairs_hook=hook)
            except RuntimeError:
                print("library let it through and we caught it")
        """
        with AgentHarness(script) as agent:
            agent.configuration_done(exception_filters=["userUnhandled"])
            stopped = agent.wait_stopped("exception")
            self.assertEqual(stopped["text"], "RuntimeError")
            self.assertEqual(agent.stack()[0]["name"], "hook")
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)

    def test_exception_caught_in_user_code_does_not_stop(self):
        script = """\
            def inner():
                raise ValueError("x")
            def outer():
                try:
                    inner()
                except ValueError:
                    return "ok"
            print(outer())
        """
        with AgentHarness(script) as agent:
            agent.configuration_done(exception_filters=["userUnhandled"])
            agent.wait_exit()
            self.assertEqual([e for e in agent.all_events if e["event"] == "stopped"], [])
            self.assertIn("ok", agent.output("stdout"))


if __name__ == "__main__":
    unittest.main()
