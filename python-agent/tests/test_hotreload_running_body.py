"""Apply Changes while a module body is still running the code it started with.

Stopped on entry (or inside an imported module's top-level code), the body has not yet run
the `def`/`class` statements below: the program must still behave as the edited file says.
Every test asserts the program's own output after it continues.
"""

import contextlib
import os
import textwrap
import unittest

from tests.support import AgentHarness


def write(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(textwrap.dedent(text))


def codes(body):
    return [item["code"] for item in body["diagnostics"]]


def line_of(text, marker):
    return next(number for number, line in enumerate(textwrap.dedent(text).splitlines(), 1) if marker in line)


@contextlib.contextmanager
def stopped_on_entry(script, **kwargs):
    with AgentHarness(script, **kwargs) as agent:
        agent.configuration_done(stop_on_entry=True)
        agent.wait_stopped("entry")
        yield agent


def finish(test, agent):
    agent.set_breakpoints(agent.program, [])
    agent.resume()
    _, code = agent.wait_exit()
    test.assertEqual(code, 0, agent.output())
    return agent.output("stdout").splitlines()


SCRIPT = """\
print("start")
def f():
    return "old f"  # F
class Shape:
    SIDES = 0
    def describe(self):
        return "old shape %d" % self.SIDES
def outer():
    def inner():
        return "old inner"
    return inner()
print(f(), Shape().describe(), outer())
"""

EDITED = """\
print("start")
# two lines
# inserted above
def f():
    word = "new"
    return word + " f"  # F
class Shape:
    SIDES = 4
    def describe(self):
        return "new shape %d" % self.SIDES
    def extra(self):
        return "extra"
def outer():
    def inner():
        return "new inner"
    return inner()
print(f(), Shape().describe(), Shape().extra(), outer())
"""


class DefinitionsAhead(unittest.TestCase):
    def test_functions_classes_and_nested_defs_the_body_has_not_reached_get_the_new_code(self):
        with stopped_on_entry(SCRIPT) as agent:
            old_line = line_of(SCRIPT, "# F")
            agent.set_breakpoints(agent.program, [old_line])
            write(agent.program, EDITED)
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["pendingDefinitions"], 3)  # f, Shape, outer
            self.assertEqual(codes(body), ["module-statement-runs-old-code"])  # the final print
            self.assertEqual(body["diagnostics"][0]["line"], line_of(EDITED, "print(f()"))
            new_line = line_of(EDITED, "# F")
            self.assertEqual(body["breakpointRemaps"],
                             [{"path": agent.program, "oldLine": old_line, "newLine": new_line}])
            agent.resume()
            agent.wait_stopped("breakpoint")
            frames = agent.stack()
            self.assertEqual([(frame["name"], frame["line"]) for frame in frames[:2]],
                             [("f", new_line), ("<module> [old code]", line_of(EDITED, "print(f()"))])
            self.assertEqual(agent.locals()["word"], "'new'")
            self.assertEqual(finish(self, agent), ["start", "new f new shape 4 new inner"])

    def test_several_applies_before_the_definition_is_reached_compose_last_text_wins(self):
        script = textwrap.dedent("""\
            print("start")
            def f():
                return "old"
            print(f())
        """)
        with stopped_on_entry(script) as agent:
            for word in ("first", "second", "third"):
                write(agent.program, script.replace('"old"', '"%s"' % word).replace(
                    'print("start")', 'print("start")\n' + "# line\n" * len(word)))
                body = agent.request("hotReload", path=agent.program, options={})
                self.assertEqual(body["pendingDefinitions"], 1)
            write(agent.program, script.replace('"old"', '"last"'))
            agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(finish(self, agent), ["start", "last"])

    def test_changed_defaults_and_decorators_are_applied_when_the_body_defines_them(self):
        script = textwrap.dedent("""\
            import functools
            print("start")
            def loud(fn):
                @functools.wraps(fn)
                def wrapper(*args):
                    return fn(*args).upper()
                return wrapper
            REGISTRY = []
            def register(fn):
                REGISTRY.append(fn)
                return fn
            def greet(name="old"):
                return "hello " + name
            @register
            def handler():
                return "old handler"
            @functools.lru_cache(maxsize=None)
            def cached(n):
                return "old %d" % n
            print(greet(), REGISTRY[0](), handler(), cached(1))
        """)
        edited = script.replace('def greet(name="old"):', '@loud\ndef greet(name="new"):').replace(
            '"old handler"', '"new handler"').replace('"old %d"', '"new %d"')
        with stopped_on_entry(script) as agent:
            write(agent.program, edited)
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["pendingDefinitions"], 3)
            self.assertEqual(finish(self, agent), ["start", "HELLO NEW new handler new handler new 1"])

    def test_definitions_constants_and_imports_the_edit_added_ahead_run_where_the_file_has_them(self):
        script = """\
            print("start")
            def tag(fn):
                fn.tagged = True
                return fn
            RATE = 1
            print("rate", RATE)
            def rate():
                return RATE
            print("end", rate())
        """
        edited = """\
            print("start")
            def tag(fn):
                fn.tagged = True
                return fn
            RATE = 2
            import json
            @tag
            def added():
                return json.dumps([RATE])
            print("rate", RATE)
            def rate():
                return "%d %s %s" % (RATE * 10, added(), added.tagged)
            print("end", rate())
        """
        with stopped_on_entry(script) as agent:
            write(agent.program, edited)
            body = agent.request("hotReload", path=agent.program, options={})
            # `tag` does not exist yet: the added definition could not have been made now.
            self.assertEqual(body["pendingDefinitions"], 2)  # added, rate
            self.assertEqual(body["diagnostics"], [])
            self.assertEqual(finish(self, agent), ["start", "rate 2", "end 20 [2] True"])

    def test_statements_ahead_that_the_old_body_runs_differently_are_reported(self):
        script = """\
            print("start")
            print("old statement")
            print("kept")
            print("deleted")
            print("end")
        """
        edited = """\
            print("start")
            print("new statement")
            print("kept")
            print("added")
            print("end")
        """
        with stopped_on_entry(script) as agent:
            write(agent.program, edited)
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["pendingDefinitions"], 0)
            self.assertEqual(sorted((item["code"], item["line"]) for item in body["diagnostics"]),
                             [("module-statement-runs-old-code", 2), ("module-statement-runs-old-code", 4)])
            self.assertIn("old version", body["diagnostics"][0]["message"] + body["diagnostics"][1]["message"])
            self.assertEqual([frame["name"] for frame in body["staleFrames"]], ["<module>"])
            self.assertEqual(agent.stack()[0]["name"], "<module> [old code]")
            self.assertEqual(finish(self, agent), ["start", "old statement", "kept", "deleted", "end"])

    def test_removed_definitions_and_changed_class_headers_ahead_are_reported_honestly(self):
        script = textwrap.dedent("""\
            print("start")
            class Base:
                def name(self):
                    return "base"
            class Other:
                def name(self):
                    return "other"
            class Item(Base):
                def label(self):
                    return "old " + self.name()
            def helper():
                return "helper"
            print(Item().label(), helper())
        """)
        edited = script.replace("class Item(Base):", "class Item(Other):").replace(
            '"old " + self.name()', '"new " + self.name()').replace(
            'def helper():\n    return "helper"\n', "")
        with stopped_on_entry(script) as agent:
            write(agent.program, edited)
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(sorted((item["code"], item["severity"], item["line"]) for item in body["diagnostics"]),
                             [("class-header-changed", "warning", line_of(edited, "class Item")),
                              ("definition-removed", "info", line_of(edited, "print(Item"))])
            self.assertEqual(body["pendingDefinitions"], 1)  # Item's new body
            # The old body still defines helper and calls it; Item keeps Base but has the new body.
            self.assertEqual(finish(self, agent), ["start", "new base helper"])

    def test_a_changed_definition_the_body_went_past_without_running_is_reported(self):
        script = """\
            import sys
            if len(sys.argv) > 5:
                def never():
                    return "old"
            def later():
                return "old later"
            print("stop here")  # BP
            print(later())
        """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [line_of(script, "# BP")])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            write(agent.program, script.replace('"old"', '"new"').replace('"old later"', '"new later"'))
            body = agent.request("hotReload", path=agent.program, options={})
            self.assertEqual(body["patchedFunctions"], 1)
            self.assertEqual(codes(body), ["definition-not-reached"])
            self.assertEqual(body["diagnostics"][0]["line"], line_of(script, "def never"))
            self.assertEqual(finish(self, agent), ["stop here", "new later"])


IMPORTER = """\
import helper
print("imported", helper.NAME)
print(helper.compute(), helper.Thing().kind())
"""

HELPER = """\
NAME = "helper"
print("helper starts")  # BP
def compute():
    return "old compute"
class Thing:
    def kind(self):
        return "old thing"
"""


class ImportedModuleBody(unittest.TestCase):
    def test_an_imported_module_stopped_in_its_top_level_code_gets_the_new_definitions(self):
        with AgentHarness(IMPORTER, extra_files={"helper.py": HELPER}) as agent:
            helper = os.path.join(agent.folder, "helper.py")
            agent.set_breakpoints(helper, [line_of(HELPER, "# BP")])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            frames = agent.stack()
            self.assertEqual(frames[0]["name"], "<module>")
            self.assertEqual(frames[0]["source"]["path"], helper)
            write(helper, HELPER.replace('"old compute"', '"new compute"').replace(
                '"old thing"', '"new thing"').replace('NAME = "helper"', 'NAME = "helper".upper()\n#'))
            body = agent.request("hotReload", path=helper, options={"reExecuteModuleBody": True})
            self.assertEqual(body["module"], "helper")
            self.assertEqual(body["pendingDefinitions"], 2)
            # NAME's statement already ran, and a body that is running is not re-executed.
            self.assertEqual(sorted(codes(body)), ["module-body-running", "module-statement-not-applied"])
            self.assertEqual(agent.stack()[0]["line"], line_of(HELPER, "# BP") + 1)
            # compute and Thing are the file's last statements: no line follows them in the
            # module body, so they are updated when the body returns.
            self.assertEqual(finish(self, agent)[1:], ["imported helper", "new compute new thing"])


if __name__ == "__main__":
    unittest.main()
