"""Apply Changes on classes: identity kept, members changed/added/removed (items 3, 6)."""

import unittest

from tests.test_hotreload_support import ReloadTestCase

BEFORE = '''
class Base:
    def describe(self):
        return "base"

class Basket(Base):
    LIMIT = 3
    def __init__(self):
        self.items = [1, 2]
    def total(self):
        return sum(self.items)
    def describe(self):
        return "basket"
    def obsolete(self):
        return "old"
    @classmethod
    def make(cls):
        return ("made", cls.__name__)
    @staticmethod
    def unit():
        return "kg"
    @property
    def size(self):
        return len(self.items)
    @size.setter
    def size(self, value):
        self.items = [0] * value
'''

AFTER = '''
class Base:
    def describe(self):
        return "base"

class Basket(Base):
    LIMIT = 5
    def __init__(self):
        self.items = [1, 2]
    def total(self):
        return sum(self.items) * 100
    def describe(self):
        return super().describe() + "+basket"
    def average(self):
        return self.total() / len(self.items)
    @classmethod
    def make(cls):
        return ("made again", cls.__name__)
    @staticmethod
    def unit():
        return "g"
    @property
    def size(self):
        return len(self.items) * 10
    @size.setter
    def size(self, value):
        self.items = [1] * value
    @property
    def empty(self):
        return not self.items
'''


class ClassPatching(ReloadTestCase):
    def test_existing_instances_see_changed_added_and_removed_members(self):
        module = self.load(BEFORE)
        basket_class = module.Basket
        basket = module.Basket()
        bound_total = basket.total
        self.edit(module, AFTER)
        body = self.apply(module)

        self.assertIs(module.Basket, basket_class)
        self.assertIsInstance(basket, module.Basket)
        self.assertIsInstance(basket, module.Base)
        self.assertEqual(basket.total(), 300)
        self.assertEqual(bound_total(), 300)
        self.assertEqual(basket.describe(), "base+basket")
        self.assertEqual(basket.average(), 150)
        self.assertFalse(hasattr(basket, "obsolete"))
        self.assertEqual(module.Basket.make(), ("made again", "Basket"))
        self.assertEqual(basket.unit(), "g")
        self.assertEqual(basket.size, 20)
        basket.size = 3
        self.assertEqual(basket.items, [1, 1, 1])
        self.assertFalse(basket.empty)
        self.assertEqual(module.Basket.LIMIT, 5)
        self.assertEqual(body["patchedClasses"], 1)
        self.assertEqual(body["addedDefinitions"], 2)
        self.assertEqual(body["removedDefinitions"], 1)
        codes = self.codes(body)
        self.assertIn("super-cell-changed", codes)
        self.assertIn("definition-removed", codes)

    def test_method_that_loses_super_keeps_working(self):
        module = self.load("""
            class A:
                def hello(self):
                    return "A"
            class B(A):
                def hello(self):
                    return "B>" + super().hello()
        """)
        b = module.B()
        self.edit(module, """
            class A:
                def hello(self):
                    return "A"
            class B(A):
                def hello(self):
                    return "just B"
        """)
        self.apply(module)
        self.assertEqual(b.hello(), "just B")

    def test_new_method_using_super_gets_the_live_class(self):
        module = self.load("""
            class A:
                def hello(self):
                    return "A"
            class B(A):
                pass
        """)
        b = module.B()
        self.edit(module, """
            class A:
                def hello(self):
                    return "A"
            class B(A):
                def hello(self):
                    return "B>" + super().hello()
        """)
        body = self.apply(module)
        self.assertEqual(b.hello(), "B>A")
        self.assertEqual(body["addedDefinitions"], 1)

    def test_new_top_level_class_appears(self):
        module = self.load("""
            def make():
                return None
        """)
        self.edit(module, """
            class Point:
                def __init__(self, x):
                    self.x = x
            def make():
                return Point(4)
        """)
        self.apply(module)
        self.assertEqual(module.make().x, 4)
        self.assertIsInstance(module.make(), module.Point)

    def test_changed_class_statement_other_than_constants_is_reported(self):
        module = self.load("""
            class Config:
                NAMES = ["a"]
                def get(self):
                    return self.NAMES
        """)
        self.edit(module, """
            class Config:
                NAMES = [name.upper() for name in "ab"]
                def get(self):
                    return self.NAMES
        """)
        body = self.apply(module)
        self.assertEqual(module.Config().get(), ["a"])
        self.assertEqual(self.codes(body), ["class-statement-not-applied"])
        self.assertEqual(body["diagnostics"][0]["line"], 2)

    def test_changed_class_bases_are_reported_and_methods_still_applied(self):
        module = self.load("""
            class A:
                pass
            class B:
                def f(self):
                    return 1
        """)
        self.edit(module, """
            class A:
                pass
            class B(A):
                def f(self):
                    return 2
        """)
        body = self.apply(module)
        self.assertEqual(module.B().f(), 2)
        self.assertEqual(self.codes(body), ["class-header-changed"])
        self.assertEqual(body["diagnostics"][0]["line"], 3)

    def test_changed_field_of_a_decorated_class_is_reported_not_half_applied(self):
        module = self.load("""
            import dataclasses
            @dataclasses.dataclass
            class Point:
                x: int = 0
                def norm(self):
                    return abs(self.x)
        """)
        self.edit(module, """
            import dataclasses
            @dataclasses.dataclass
            class Point:
                x: int = 5
                def norm(self):
                    return abs(self.x) * 2
        """)
        body = self.apply(module)
        self.assertEqual(module.Point().x, 0)
        self.assertEqual(module.Point(-3).norm(), 6)
        self.assertEqual(self.codes(body), ["class-statement-not-applied"])
        self.assertIn("dataclass", body["diagnostics"][0]["message"])
        self.assertEqual(body["diagnostics"][0]["line"], 4)


if __name__ == "__main__":
    unittest.main()
