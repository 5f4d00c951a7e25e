"""Apply Changes on module-level statements and all-or-nothing behaviour (items 5, 7)."""

import os
import sys
import unittest

from tests.test_hotreload_support import ReloadTestCase


class ModuleStatements(ReloadTestCase):
    def test_simple_constant_assignments_are_applied(self):
        module = self.load("""
            RATE = 0.2
            NAME, CODE = "old", 1
            LABELS = ("a", "b")
            def rate():
                return RATE
        """)
        self.edit(module, """
            RATE = 0.25
            NAME, CODE = "new", 2
            LABELS = ("x",)
            def rate():
                return RATE
        """)
        body = self.apply(module)
        self.assertEqual(module.rate(), 0.25)
        self.assertEqual((module.NAME, module.CODE, module.LABELS), ("new", 2, ("x",)))
        self.assertEqual(self.codes(body), [])

    def test_other_module_statements_are_reported_with_their_line_and_not_run(self):
        module = self.load("""
            RUNS = []
            RUNS.append("first")
            def f():
                return len(RUNS)
        """)
        self.edit(module, """
            RUNS = []
            RUNS.append("second")
            def f():
                return len(RUNS) + 100
        """)
        body = self.apply(module)
        self.assertEqual(module.RUNS, ["first"])
        self.assertEqual(module.f(), 101)  # the rest of the change is applied
        self.assertEqual(self.codes(body), ["module-statement-not-applied"])
        self.assertEqual((body["diagnostics"][0]["line"], body["diagnostics"][0]["column"]), (2, 1))
        self.assertTrue(body["warnings"] and "line 2" in body["warnings"][0])

    def test_reexecute_module_body_option_applies_everything_but_keeps_definitions(self):
        module = self.load("""
            TABLE = {n: n * n for n in range(3)}
            class Shape:
                def area(self):
                    return 1
            def lookup(n):
                return TABLE[n]
        """)
        shape_class, lookup = module.Shape, module.lookup
        self.edit(module, """
            TABLE = {n: n * n * n for n in range(5)}
            class Shape:
                def area(self):
                    return 2
            def lookup(n):
                return TABLE[n]
        """)
        body = self.apply(module, options={"reExecuteModuleBody": True})
        self.assertEqual(lookup(4), 64)
        self.assertIs(module.Shape, shape_class)
        self.assertIs(module.lookup, lookup)
        self.assertEqual(module.Shape().area(), 2)
        self.assertEqual(self.codes(body), [])

    def test_reexecuted_module_body_that_raises_changes_nothing(self):
        module = self.load("""
            VALUE = [1]
            def f():
                return VALUE
        """)
        self.edit(module, """
            VALUE = [1] + [1 / 0]
            def f():
                return "new"
        """)
        error = self.refused(module, options={"reExecuteModuleBody": True})
        self.assertEqual(self.codes(error), ["module-body-raised"])
        self.assertEqual(error.diagnostics[0]["line"], 1)
        self.assertIn("ZeroDivisionError", error.message)
        self.assertEqual(module.f(), [1])

    def test_added_import_is_applied(self):
        module = self.load("""
            def dumps(value):
                return str(value)
        """)
        self.edit(module, """
            import json
            def dumps(value):
                return json.dumps(value)
        """)
        self.apply(module)
        self.assertEqual(module.dumps({"a": 1}), '{"a": 1}')

    def test_submodule_of_a_package_is_applied(self):
        module = self.load("""
            def name():
                return "old"
        """, package="hr_pkg_" + os.urandom(4).hex())
        self.edit(module, """
            def name():
                return "new"
        """)
        self.apply(module)
        self.assertEqual(module.name(), "new")

    def test_a_module_under_two_names_is_applied_once(self):
        # A spawned multiprocessing worker runs the program's script as `__mp_main__`, which is
        # also its `__main__`: one module, one function changed (it used to count two).
        module = self.load("""
            def name():
                return "old"
        """)
        alias = module.__name__ + "_alias"
        sys.modules[alias] = module
        self.module_names.append(alias)
        self.edit(module, """
            def name():
                return "new"
        """)
        body = self.apply(module)
        self.assertEqual(module.name(), "new")
        self.assertEqual((body["module"], body["patchedFunctions"]), (module.__name__, 1))

    def test_first_apply_compares_with_the_bytecode_the_program_loaded(self):
        import sys
        sys.dont_write_bytecode = False  # the program's import writes __pycache__, as usual
        module = self.load("""
            def f():
                return "old"
        """)
        sys.dont_write_bytecode = True
        loaded = self.engine.snapshots._cached_bytecode(
            module.__file__, os.path.normcase(os.path.realpath(module.__file__)))
        self.assertIsNotNone(loaded)
        self.assertEqual(loaded.co_filename, module.f.__code__.co_filename)
        self.edit(module, """
            def f():
                return "new"
        """)
        self.assertEqual(self.apply(module)["patchedFunctions"], 1)
        self.assertEqual(module.f(), "new")


class AllOrNothing(ReloadTestCase):
    def test_syntax_error_points_at_line_and_column_and_changes_nothing(self):
        module = self.load("""
            def f():
                return 1
        """)
        self.edit(module, """
            def f():
                return 2
            def g(:
                pass
        """)
        error = self.refused(module)
        self.assertEqual(self.codes(error), ["syntax-error"])
        self.assertEqual(error.diagnostics[0]["line"], 3)
        self.assertEqual(error.diagnostics[0]["column"], 7)
        self.assertIn("line 3", error.message)
        self.assertEqual(module.f(), 1)

    def test_compile_error_is_told_apart_from_syntax_error(self):
        module = self.load("""
            def f():
                return 1
        """)
        self.edit(module, """
            def f():
                return 2
            return 3
        """)
        error = self.refused(module)
        self.assertEqual(self.codes(error), ["compile-error"])
        self.assertEqual(error.diagnostics[0]["line"], 3)
        self.assertEqual(module.f(), 1)

    def test_exception_while_applying_rolls_everything_back(self):
        module = self.load("""
            import enum
            class Color(enum.Enum):
                RED = 1
            def first():
                return "old first"
            def last():
                return "old last"
        """)
        self.edit(module, """
            import enum
            class Color(enum.Enum):
                RED = 2
            def first():
                return "new first"
            def last():
                return "new last"
        """)
        error = self.refused(module)
        self.assertEqual(self.codes(error), ["apply-failed"])
        self.assertEqual(error.diagnostics[0]["line"], 3)
        self.assertIn("line 3", error.message)
        self.assertEqual((module.first(), module.last()), ("old first", "old last"))
        self.assertEqual(module.Color.RED.value, 1)

    def test_decorator_raising_for_a_new_definition_changes_nothing(self):
        module = self.load("""
            def f():
                return "old"
        """)
        self.edit(module, """
            def f():
                return "new"
            @undefined_decorator
            def g():
                pass
        """)
        error = self.refused(module)
        self.assertEqual(self.codes(error), ["definition-raised"])
        self.assertEqual(error.diagnostics[0]["line"], 3)
        self.assertEqual(module.f(), "old")
        self.assertFalse(hasattr(module, "g"))

    def test_a_failed_apply_can_be_fixed_and_applied(self):
        module = self.load("""
            def f():
                return "old"
        """)
        self.edit(module, "def f(:\n")
        self.refused(module)
        self.edit(module, """
            def f():
                return "fixed"
        """)
        self.apply(module)
        self.assertEqual(module.f(), "fixed")


if __name__ == "__main__":
    unittest.main()
