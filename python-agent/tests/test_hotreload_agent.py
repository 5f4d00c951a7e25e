"""Apply Changes through the real agent (the `hotReload` command), as the adapter drives it."""

import os
import textwrap
import unittest

from tests.support import AgentHarness

LOOP = """\
import time
import helper
def handler():
    return "old handler"
def work(i):
    saved = handler
    return saved()  # BP
for i in range(3):
    print(i, work(i), helper.TABLE)
"""

HELPER = """\
TABLE = sorted({"b", "a"})
def lookup():
    return TABLE
"""


def write(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(textwrap.dedent(text))


class AgentHotReload(unittest.TestCase):
    def test_reload_rebinds_stopped_frame_locals_and_marks_its_frame_stale(self):
        with AgentHarness(LOOP, extra_files={"helper.py": HELPER}) as agent:
            agent.set_breakpoints(agent.program, [7])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            write(agent.program, LOOP.replace(
                'def handler():\n    return "old handler"',
                'def loud(fn):\n    return lambda: fn().upper()\n@loud\ndef handler():\n    return "new handler"',
            ).replace("saved = handler\n", "saved = handler\n    saved = saved\n"))
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["module"], "__main__")
            self.assertEqual(body["reboundFrameLocals"], 1)
            self.assertEqual([frame["name"] for frame in body["staleFrames"]], ["work"])
            top = agent.stack()[0]
            self.assertTrue(top["name"].endswith("[old code]"))
            self.assertEqual(top["presentationHint"], "subtle")
            self.assertEqual(agent.locals()["i"], "0")  # variables stay inspectable
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            lines = agent.output("stdout").splitlines()
            self.assertEqual(lines, ["0 NEW HANDLER ['a', 'b']", "1 NEW HANDLER ['a', 'b']", "2 NEW HANDLER ['a', 'b']"])

    def test_reexecute_module_body_of_an_imported_module(self):
        with AgentHarness(LOOP, extra_files={"helper.py": HELPER}) as agent:
            agent.set_breakpoints(agent.program, [7])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            helper = os.path.join(os.path.dirname(agent.program), "helper.py")
            write(helper, HELPER.replace('sorted({"b", "a"})', 'sorted({"c", "d"})'))
            refused_part = agent.request("hotReload", path=helper, options={})
            self.assertEqual([d["code"] for d in refused_part["diagnostics"]], ["module-statement-not-applied"])
            body = agent.request("hotReload", path=helper, options={"reExecuteModuleBody": True})
            self.assertEqual(body["diagnostics"], [])
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertIn("0 old handler ['c', 'd']", agent.output("stdout"))

    def test_bad_option_refused_and_breakpoint_on_deleted_line_becomes_unverified(self):
        script = "import time\nwhile True:\n    time.sleep(0.01)\n    x = 1  # BP\n"
        with AgentHarness(script) as agent:
            agent.configuration_done()
            bad = agent.request_raw("hotReload", path=agent.program, options={"reexecute": True})
            self.assertFalse(bad["success"])
            self.assertIn("unknown option 'reexecute'", bad["message"])
            agent.set_breakpoints(agent.program, [4])
            agent.wait_stopped("breakpoint")
            write(agent.program, script.replace("    x = 1  # BP\n", ""))
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["breakpointRemaps"], [{"path": agent.program, "oldLine": 4, "newLine": None}])
            event = agent.wait_event("breakpoint")
            self.assertFalse(event["breakpoint"]["verified"])
            self.assertIn("deleted", event["breakpoint"]["message"])

    def test_a_closure_held_only_by_the_stopped_frame_is_patched_or_reported(self):
        script = textwrap.dedent("""\
            def outer(label):
                n = 1
                def inner():
                    return "old %s %d" % (label, n)
                cb = inner
                print("stopped")  # BP
                print(cb())
            outer("first")
            """)
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [6])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            write(agent.program, script.replace('"old %s %d"', '"new %s %d"'))
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["diagnostics"], [])
            self.assertEqual(body["patchedFunctions"], 2)  # outer and the closure 'cb'
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["stopped", "new first 1"])
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [6])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            write(agent.program, script.replace('(label, n)', '(label, 2)'))
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual([d["code"] for d in body["diagnostics"]], ["closure-freevars-changed"])
            self.assertEqual(body["diagnostics"][0]["line"], 3)
            self.assertIn("'inner' and 'cb' in outer()", body["diagnostics"][0]["message"])
            self.assertEqual(body["patchedFunctions"], 1)
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["stopped", "old first 1"])

    def test_a_stale_frame_cannot_be_jumped_in_and_says_so(self):
        script = "def work(i):\n    label = 'old %d' % i\n    return label  # BP\nfor i in range(2):\n    print(work(i))\n"
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [3])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            self.assertEqual([frame["canRestart"] for frame in agent.stack()], [True, False])
            write(agent.program, script.replace("'old %d'", "'new %d'"))
            agent.request("hotReload", path=agent.program, options={})
            top = agent.stack()[0]
            self.assertEqual((top["name"], top["canRestart"]), ("work [old code]", True))
            refused = agent.request_raw("gotoTargets", source={"path": agent.program}, line=2)
            self.assertFalse(refused["success"])
            self.assertIn("replaced", refused["message"])
            self.assertIn("the next call runs the new code", refused["message"])
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["old 0", "new 1"])


if __name__ == "__main__":
    unittest.main()
