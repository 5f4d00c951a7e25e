"""evaluate (repl/watch/hover), setExpression, completions."""

import unittest

from tests.support import AgentHarness

SCRIPT = """\
def work(values):
    total = sum(values)
    label = "sum"
    return total          # line 4

print("got", work([1, 2, 3]))
"""


class EvaluationTest(unittest.TestCase):
    def setUp(self):
        self.agent = AgentHarness(SCRIPT)
        self.agent.start()
        self.agent.set_breakpoints(self.agent.program, [4])
        self.agent.configuration_done()
        self.agent.wait_stopped("breakpoint")
        self.frame_id = self.agent.stack()[0]["id"]

    def tearDown(self):
        self.agent.close()

    def test_repl_expression_value_and_children(self):
        body = self.agent.evaluate("values + [total]", frame_id=self.frame_id)
        self.assertEqual(body["result"], "[1, 2, 3, 6]")
        self.assertEqual(body["indexedVariables"], 4)
        children = self.agent.request("variables", variablesReference=body["variablesReference"])["variables"]
        self.assertEqual([c["value"] for c in children], ["1", "2", "3", "6"])

    def test_repl_statements_print_to_the_console_and_assign_locals(self):
        agent = self.agent
        body = agent.evaluate("for v in values:\n    print('value', v)\ntotal = 100", frame_id=self.frame_id)
        self.assertEqual(body["result"], "")
        self.assertIn("value 1\nvalue 2\nvalue 3\n", agent.output("stdout"))
        self.assertEqual(agent.evaluate("total", frame_id=agent.stack()[0]["id"])["result"], "100")
        agent.set_breakpoints(agent.program, [])
        agent.resume()
        agent.wait_exit()
        self.assertIn("got 100", agent.output("stdout"))

    def test_errors_are_messages(self):
        response = self.agent.request_raw("evaluate", expression="missing + 1", context="watch", frameId=self.frame_id)
        self.assertFalse(response["success"])
        self.assertEqual(response["message"], "NameError: name 'missing' is not defined")
        response = self.agent.request_raw("evaluate", expression="x = 1", context="watch", frameId=self.frame_id)
        self.assertFalse(response["success"])
        self.assertIn("SyntaxError", response["message"])

    def test_hover_and_without_frame(self):
        body = self.agent.request("evaluate", expression="label", context="hover", frameId=self.frame_id)
        self.assertEqual((body["result"], body["type"]), ("'sum'", "str"))
        body = self.agent.request("evaluate", expression="work.__name__", context="repl")
        self.assertEqual(body["result"], "'work'")

    def test_set_expression(self):
        body = self.agent.request("setExpression", expression="values[0]", value="10", frameId=self.frame_id)
        self.assertEqual(body["value"], "10")
        self.assertEqual(self.agent.evaluate("values", frame_id=self.frame_id)["result"], "[10, 2, 3]")

    def test_evaluating_code_with_a_breakpoint_does_not_stop(self):
        agent = self.agent
        agent.set_breakpoints(agent.program, [2, 4])
        body = agent.evaluate("work([5, 5])", frame_id=self.frame_id)
        self.assertEqual(body["result"], "10")
        self.assertEqual([e for e in agent.all_events if e["event"] == "stopped"][1:], [])

    def test_value_text_limits_per_context(self):
        hover = self.agent.request("evaluate", expression="'x' * 20000", context="hover", frameId=self.frame_id)
        self.assertLessEqual(len(hover["result"]), 10003)
        self.assertIn("truncated", hover["presentationHint"]["attributes"])
        repl = self.agent.request("evaluate", expression="'x' * 20000", context="repl", frameId=self.frame_id)
        self.assertEqual(len(repl["result"]), 20002)

    def test_completions(self):
        targets = self.agent.request("completions", text="tot", column=4, frameId=self.frame_id)["targets"]
        self.assertIn("total", [t["label"] for t in targets])
        targets = self.agent.request("completions", text="label.up", column=9, frameId=self.frame_id)["targets"]
        self.assertEqual([t["label"] for t in targets], ["upper"])
        targets = self.agent.request("completions", text="pri", column=4, frameId=self.frame_id)["targets"]
        self.assertIn("print", [t["label"] for t in targets])


if __name__ == "__main__":
    unittest.main()


class CallerFrameWritesTest(unittest.TestCase):
    def test_writes_to_a_caller_frame_and_to_globals_stick(self):
        script = """\
            LIMIT = 3
            def inner(x):
                y = x + 1
                return y            # line 4
            def outer():
                total = 10
                r = inner(total)
                return total + r
            print("result", outer(), LIMIT)
        """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [4])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            frames = agent.stack()
            agent.evaluate("total = 1000", frame_id=frames[1]["id"])
            scopes = agent.request("scopes", frameId=frames[0]["id"])["scopes"]
            globals_ref = [s for s in scopes if s["name"] == "Globals"][0]["variablesReference"]
            agent.request("setVariable", variablesReference=globals_ref, name="LIMIT", value="99")
            agent.resume()
            agent.wait_exit()
            self.assertEqual(agent.output("stdout"), "result 1011 99\n")
