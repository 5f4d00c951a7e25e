"""Frames still running old code report lines of the edited file, apply after apply.

CPython keeps a running frame on the code (and line numbers) it started with; stackTrace and
stepping must still show where that statement is in the file as it is now.
"""

import textwrap
import unittest

from tests.support import AgentHarness


def write(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def line_of(text, marker):
    return next(number for number, line in enumerate(text.splitlines(), 1) if marker in line)


def frames(agent):
    return [(frame["name"], frame["line"]) for frame in agent.stack()]


def step(agent, command="next"):
    agent.resume(command)
    agent.wait_stopped("step")
    return frames(agent)


MODULE = textwrap.dedent("""\
    print("a")
    x = 1  # BP
    y = 2
    z = 3
    print(x, y, z)
""")


class RunningModuleFrame(unittest.TestCase):
    def test_module_frame_follows_lines_inserted_and_deleted_above_it_over_several_applies(self):
        with AgentHarness(MODULE) as agent:
            agent.set_breakpoints(agent.program, [line_of(MODULE, "# BP")])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            self.assertEqual(frames(agent), [("<module>", 2)])

            write(agent.program, "# one\n# two\n" + MODULE)
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["diagnostics"], [])
            self.assertEqual(frames(agent), [("<module>", 4)])
            self.assertEqual(step(agent), [("<module>", 5)])  # y = 2, in the new file

            write(agent.program, "# one\n" + MODULE)  # one of the inserted lines deleted again
            agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(frames(agent), [("<module>", 4)])

            write(agent.program, "# one\n# a\n# b\n# c\n" + MODULE)
            agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(frames(agent), [("<module>", 7)])
            self.assertEqual(step(agent), [("<module>", 8)])  # z = 3

            write(agent.program, MODULE.replace('print("a")\n', ""))  # every line above deleted
            agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(frames(agent), [("<module>", 3)])
            self.assertEqual(step(agent), [("<module>", 4)])  # print(x, y, z)
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout"), "a\n1 2 3\n")


CALLS = textwrap.dedent("""\
    def work(n):
        a = n + 1  # BP
        b = a * 2
        return b
    result = work(1)
    print("result", result)
""")


class StaleFunctionFrame(unittest.TestCase):
    def test_a_stale_frame_and_its_module_caller_report_new_lines_when_stepping(self):
        with AgentHarness(CALLS) as agent:
            agent.set_breakpoints(agent.program, [line_of(CALLS, "# BP")])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            first = "import os\n\n" + CALLS.replace("b = a * 2", "b = a * 3")
            write(agent.program, first)
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual([(frame["name"], frame["line"]) for frame in body["staleFrames"]], [("work", 4)])
            self.assertEqual(frames(agent), [("work [old code]", 4), ("<module>", 7)])

            write(agent.program, "# header\n" + first)
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(frames(agent), [("work [old code]", 5), ("<module>", 8)])
            self.assertEqual(step(agent), [("work [old code]", 6), ("<module>", 8)])
            self.assertEqual(step(agent, "stepOut"), [("<module>", 8)])
            self.assertEqual(step(agent), [("<module>", 9)])
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout"), "result 4\n")  # the running call kept a * 2


CLASS_BODY = textwrap.dedent("""\
    print("start")
    class Limits:
        LOW = 1  # BP
        HIGH = 2
    print(Limits.LOW, Limits.HIGH)
""")


class RunningClassBody(unittest.TestCase):
    def test_a_class_body_being_executed_keeps_its_old_code_and_reports_new_lines(self):
        with AgentHarness(CLASS_BODY) as agent:
            agent.set_breakpoints(agent.program, [line_of(CLASS_BODY, "# BP")])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            write(agent.program, "# one\n# two\n" + CLASS_BODY.replace("HIGH = 2", "HIGH = 20"))
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual([(frame["name"], frame["line"]) for frame in body["staleFrames"]], [("Limits", 5)])
            self.assertEqual(body["pendingDefinitions"], 0)
            self.assertEqual(frames(agent), [("Limits [old code]", 5), ("<module>", 4)])
            self.assertEqual(step(agent), [("Limits [old code]", 6), ("<module>", 4)])
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout"), "start\n1 2\n")

    def test_a_class_body_an_earlier_apply_gave_new_code_reports_lines_of_a_later_edit(self):
        with AgentHarness(CLASS_BODY) as agent:
            agent.configuration_done(stop_on_entry=True)
            agent.wait_stopped("entry")
            first = "# one\n# two\n# three\n" + CLASS_BODY.replace("HIGH = 2", "HIGH = 20")
            write(agent.program, first)
            self.assertEqual(agent.request("hotReload", path=agent.program, options={})["pendingDefinitions"], 1)
            self.assertEqual(step(agent), [("<module>", 5)])  # class Limits:
            self.assertEqual(step(agent, "stepIn")[0][0], "Limits")
            while frames(agent)[0][1] != line_of(first, "# BP"):
                step(agent)
            write(agent.program, first.replace("# two\n# three\n", ""))  # the class runs the first edit's code
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["staleFrames"], [])
            self.assertEqual(frames(agent), [("Limits", 4), ("<module>", 3)])
            self.assertEqual(step(agent), [("Limits", 5), ("<module>", 3)])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout"), "start\n1 20\n")


if __name__ == "__main__":
    unittest.main()
