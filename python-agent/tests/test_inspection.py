"""threads, stackTrace paging, scopes, variables (lazy, paged, capped), setVariable."""

import unittest

from tests.support import AgentHarness

VALUES = """\
import threading, time

class Point:
    def __init__(self):
        self.x = 1
        self.y = [1, 2]

    def norm(self):
        return self.x


class SlowRepr:
    def __repr__(self):
        time.sleep(10)
        return "never"


def recurse(n):
    if n == 0:
        return inspect_here()
    return recurse(n - 1)


def inspect_here():
    numbers = list(range(250))
    mapping = {"a": 1, 2: "two", (3, 4): [5]}
    items = {1, 2, 3}
    big = "x" * (10 * 1024 * 1024)
    point = Point()
    slow = SlowRepr()
    count = 5
    stop_here = True          # line 32
    return count


worker = threading.Thread(target=time.sleep, args=(30,), name="sleeper", daemon=True)
worker.start()
print("result", recurse(20))
"""


class InspectionTest(unittest.TestCase):
    def setUp(self):
        self.agent = AgentHarness(VALUES)
        self.agent.start()
        self.agent.set_breakpoints(self.agent.program, [32])
        self.agent.configuration_done()
        self.agent.wait_stopped("breakpoint")

    def tearDown(self):
        self.agent.close()

    def _variables(self, ref, **paging):
        return self.agent.request("variables", variablesReference=ref, **paging)["variables"]

    def _locals(self):
        frame_id = self.agent.stack()[0]["id"]
        scopes = self.agent.request("scopes", frameId=frame_id)["scopes"]
        self.assertEqual([s["name"] for s in scopes], ["Locals", "Globals"])
        return {v["name"]: v for v in self._variables(scopes[0]["variablesReference"])}

    def test_threads_are_listed_by_name_without_agent_threads(self):
        names = [t["name"] for t in self.agent.request("threads")["threads"]]
        self.assertEqual(names, ["MainThread", "sleeper"])

    def test_stack_paging_and_total(self):
        agent = self.agent
        body = agent.request("stackTrace", threadId=agent.stopped_thread, startFrame=0, levels=3)
        self.assertEqual(body["totalFrames"], 23)  # inspect_here + 21 x recurse + <module>
        self.assertEqual([f["name"] for f in body["stackFrames"]], ["inspect_here", "recurse", "recurse"])
        tail = agent.request("stackTrace", threadId=agent.stopped_thread, startFrame=21, levels=5)["stackFrames"]
        self.assertEqual([f["name"] for f in tail], ["recurse", "<module>"])
        for frame in tail:
            self.assertNotIn("dapper_agent", frame["source"]["path"])
        sleeper = [t for t in agent.request("threads")["threads"] if t["name"] == "sleeper"][0]
        sleeper_frames = agent.stack(sleeper["id"])
        self.assertNotIn("dapper_agent", repr(sleeper_frames))

    def test_list_paging(self):
        numbers = self._locals()["numbers"]
        self.assertEqual(numbers["indexedVariables"], 250)
        self.assertEqual(numbers["type"], "list")
        page = self._variables(numbers["variablesReference"], start=100, count=5, filter="indexed")
        self.assertEqual([(v["name"], v["value"]) for v in page], [(str(i), str(i)) for i in range(100, 105)])
        self.assertEqual(page[0]["evaluateName"], "numbers[100]")

    def test_dict_and_set_children(self):
        variables = self._locals()
        mapping = variables["mapping"]
        self.assertEqual(mapping["indexedVariables"], 3)
        children = {v["name"]: v["value"] for v in self._variables(mapping["variablesReference"])}
        self.assertEqual(children, {"'a'": "1", "2": "'two'", "(3, 4)": "[5]"})
        self.assertEqual(variables["items"]["indexedVariables"], 3)
        self.assertEqual(len(self._variables(variables["items"]["variablesReference"], start=1, count=2)), 2)

    def test_object_attributes(self):
        point = self._locals()["point"]
        children = {v["name"]: v for v in self._variables(point["variablesReference"])}
        self.assertEqual(children["x"]["value"], "1")
        self.assertEqual(children["y"]["indexedVariables"], 2)
        self.assertEqual(children["x"]["evaluateName"], "point.x")
        self.assertNotIn("norm", children)

    def test_huge_string_is_cut_and_paged(self):
        big = self._locals()["big"]
        self.assertLessEqual(len(big["value"]), 10003)
        self.assertTrue(big["value"].endswith("\u2026"))
        self.assertIn("truncated", big["presentationHint"]["attributes"])
        chunks = self._variables(big["variablesReference"], start=0, count=2)
        self.assertEqual(chunks[0]["name"], "[0:1000]")

    def test_slow_repr_times_out_and_session_stays_responsive(self):
        slow = self._locals()["slow"]
        self.assertEqual(slow["value"], "<repr timed out after 1.0 s>")
        self.assertEqual(self.agent.request("threads")["threads"][0]["name"], "MainThread")

    def test_set_variable_in_locals_sticks(self):
        agent = self.agent
        frame_id = agent.stack()[0]["id"]
        scopes = agent.request("scopes", frameId=frame_id)["scopes"]
        body = agent.request("setVariable", variablesReference=scopes[0]["variablesReference"], name="count", value="40 + 2")
        self.assertEqual(body["value"], "42")
        numbers = self._locals()["numbers"]
        agent.request("setVariable", variablesReference=numbers["variablesReference"], name="0", value="'first'")
        self.assertEqual(agent.evaluate("numbers[0]", frame_id=agent.stack()[0]["id"])["result"], "'first'")
        agent.set_breakpoints(agent.program, [])
        agent.resume()
        agent.wait_exit()
        self.assertIn("result 42", agent.output("stdout"))

    def test_set_variable_with_bad_value_explains(self):
        agent = self.agent
        frame_id = agent.stack()[0]["id"]
        scopes = agent.request("scopes", frameId=frame_id)["scopes"]
        response = agent.request_raw("setVariable", variablesReference=scopes[0]["variablesReference"], name="count", value="1 +")
        self.assertFalse(response["success"])
        self.assertIn("SyntaxError", response["message"])
        self.assertEqual(self._locals()["count"]["value"], "5")

    def test_ids_expire_on_resume(self):
        agent = self.agent
        frame_id = agent.stack()[0]["id"]
        agent.resume("next")
        agent.wait_stopped("step")
        response = agent.request_raw("scopes", frameId=frame_id)
        self.assertFalse(response["success"])
        self.assertIn("expired", response["message"])


if __name__ == "__main__":
    unittest.main()


class SourceAndThreadEventsTest(unittest.TestCase):
    def test_exec_string_source_by_reference(self):
        script = """\
            code_text = "def made():\\n    value = 41\\n    return value + 1\\n\\nresult = made()\\n"
            namespace = {}
            exec(code_text, namespace)
            print(namespace["result"])
        """
        with AgentHarness(script) as agent:
            agent.request("setFunctionBreakpoints", breakpoints=[{"name": "made"}])
            agent.configuration_done()
            agent.wait_stopped("function breakpoint")
            top = agent.stack()[0]
            self.assertEqual(top["name"], "made")
            self.assertEqual(top["line"], 2)
            self.assertEqual(top["source"]["name"], "<string>")
            reference = top["source"]["sourceReference"]
            self.assertGreater(reference, 0)
            content = agent.request("source", sourceReference=reference)["content"]
            self.assertTrue(content.startswith("def made():\n    value = 41\n"))
            missing = agent.request_raw("source", sourceReference=9999)
            self.assertFalse(missing["success"])
            self.assertIn("not available", missing["message"])

    def test_thread_started_and_exited_events(self):
        script = """\
            import threading
            t = threading.Thread(target=lambda: None, name="short")
            t.start(); t.join()
        """
        with AgentHarness(script) as agent:
            agent.configuration_done()
            agent.wait_exit()
            reasons = [e["body"]["reason"] for e in agent.all_events if e["event"] == "thread"]
        self.assertEqual(reasons, ["started", "exited"])

    def test_pause_while_every_thread_is_blocked(self):
        script = """\
            import time
            print("sleeping", flush=True)
            time.sleep(30)
        """
        with AgentHarness(script) as agent:
            agent.configuration_done()
            agent.wait_output("sleeping")
            agent.request("pause", threadId=1)
            stopped = agent.wait_stopped("pause", timeout=10)
            frames = agent.stack(stopped["threadId"])
            self.assertEqual((frames[0]["name"], frames[0]["line"]), ("<module>", 3))
