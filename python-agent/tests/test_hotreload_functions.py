"""Apply Changes on functions: every existing reference runs the new code (items 2, 4, 6)."""

import unittest

from tests.test_hotreload_support import ReloadTestCase


class FunctionPatching(ReloadTestCase):
    def test_every_reference_to_a_changed_function_runs_the_new_code(self):
        module = self.load("""
            def price(x):
                return x + 1
            CALLBACKS = [price]
            BY_NAME = {"price": price}
        """)
        imported_elsewhere = module.price
        callbacks = list(module.CALLBACKS)
        self.edit(module, """
            def price(x):
                return x * 10
            CALLBACKS = [price]
            BY_NAME = {"price": price}
        """)
        body = self.apply(module)
        self.assertEqual(body["patchedFunctions"], 1)
        self.assertEqual(module.price(2), 20)
        self.assertEqual(imported_elsewhere(2), 20)
        self.assertEqual(callbacks[0](2), 20)
        self.assertEqual(module.BY_NAME["price"](2), 20)
        self.assertIs(module.price, imported_elsewhere)

    def test_decorated_function_is_patched_through_wrapped_and_closure_cells(self):
        module = self.load("""
            import functools
            def logged(fn):
                @functools.wraps(fn)
                def wrapper(*args):
                    return ("logged", fn(*args))
                return wrapper
            def bare(fn):
                def inner(*args):
                    return ("bare", fn(*args))
                return inner
            @logged
            def a(x):
                return x + 1
            @bare
            def b(x):
                return x + 1
            @functools.lru_cache(maxsize=None)
            def c(x):
                return x + 1
        """)
        saved = (module.a, module.b, module.c)
        self.edit(module, """
            import functools
            def logged(fn):
                @functools.wraps(fn)
                def wrapper(*args):
                    return ("logged", fn(*args))
                return wrapper
            def bare(fn):
                def inner(*args):
                    return ("bare", fn(*args))
                return inner
            @logged
            def a(x):
                return x - 1
            @bare
            def b(x):
                return x - 1
            @functools.lru_cache(maxsize=None)
            def c(x):
                return x - 1
        """)
        body = self.apply(module)
        self.assertEqual(body["patchedFunctions"], 3)
        self.assertEqual(saved[0](5), ("logged", 4))
        self.assertEqual(saved[1](5), ("bare", 4))
        self.assertEqual(saved[2](5), 4)

    def test_changed_defaults_kwdefaults_annotations_and_docstring_take_effect(self):
        module = self.load('''
            def greet(name="world", *, punctuation="!") -> str:
                """Old doc."""
                return "hello " + name + punctuation
        ''')
        saved = module.greet
        self.edit(module, '''
            def greet(name="there", *, punctuation="?") -> int:
                """New doc."""
                return "hi " + name + punctuation
        ''')
        self.apply(module)
        self.assertEqual(saved(), "hi there?")
        self.assertEqual(saved.__doc__, "New doc.")
        self.assertEqual(saved.__annotations__, {"return": int})

    def test_new_functions_appear_and_removed_ones_are_removed_and_reported(self):
        module = self.load("""
            def old_helper():
                return 1
            def keep():
                return 2
        """)
        self.edit(module, """
            def keep():
                return new_helper()
            def new_helper():
                return 3
        """)
        body = self.apply(module)
        self.assertEqual(module.keep(), 3)
        self.assertFalse(hasattr(module, "old_helper"))
        self.assertEqual(body["addedDefinitions"], 1)
        self.assertEqual(body["removedDefinitions"], 1)
        removed = [item for item in body["diagnostics"] if item["code"] == "definition-removed"]
        self.assertEqual(len(removed), 1)
        self.assertIn("old_helper", removed[0]["message"])

    def test_closure_with_the_same_free_variable_names_is_patched(self):
        module = self.load("""
            def make_counter(step):
                count = [0]
                def tick():
                    count[0] += step
                    return count[0]
                return tick
            COUNTER = make_counter(1)
        """)
        counter = module.COUNTER
        counter()
        self.edit(module, """
            def make_counter(step):
                count = [0]
                def tick():
                    count[0] += step * 100
                    return count[0]
                return tick
            COUNTER = make_counter(1)
        """)
        body = self.apply(module)
        self.assertEqual(counter(), 101)
        self.assertEqual(self.codes(body), [])

    def test_closure_whose_free_variable_names_changed_is_not_patched_and_reported(self):
        module = self.load("""
            def make(a, b):
                def pick():
                    return a
                return pick
            PICK = make("A", "B")
        """)
        self.edit(module, """
            def make(a, b):
                def pick():
                    return b
                return pick
            PICK = make("A", "B")
        """)
        body = self.apply(module)
        self.assertEqual(module.PICK(), "A")  # old code, never the wrong cell
        self.assertEqual(self.codes(body), ["closure-freevars-changed"])
        self.assertEqual(body["diagnostics"][0]["line"], 2)
        self.assertEqual(module.make("A", "B")(), "B")  # new closures use the new code

    def test_a_function_that_only_moved_gets_the_new_line_numbers(self):
        module = self.load("""
            def where():
                import sys
                return sys._getframe().f_lineno
        """)
        self.assertEqual(module.where(), 3)
        self.edit(module, """
            # two new lines
            # above the function

            def where():
                import sys
                return sys._getframe().f_lineno
        """)
        body = self.apply(module)
        self.assertEqual(module.where(), 6)
        self.assertEqual(body["patchedFunctions"], 0)

    def test_lambda_held_at_module_level_is_patched_without_a_statement_warning(self):
        module = self.load("""
            double = lambda x: x * 2
            HANDLERS = {"double": lambda x: x * 2}
            LISTENERS = {"save": [lambda: "saved"]}
            DATA = {key: [key] for key in range(10000)}
        """)
        saved = module.HANDLERS["double"]
        listener = module.LISTENERS["save"][0]
        self.edit(module, """
            double = lambda x: x * 3
            HANDLERS = {"double": lambda x: x * 4}
            LISTENERS = {"save": [lambda: "saved again"]}
            DATA = {key: [key] for key in range(10000)}
        """)
        body = self.apply(module)
        self.assertEqual((module.double(1), saved(1), listener()), (3, 4, "saved again"))
        self.assertEqual(self.codes(body), [])


if __name__ == "__main__":
    unittest.main()
