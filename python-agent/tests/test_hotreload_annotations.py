"""Annotation edits: forward references, names imported only under `if TYPE_CHECKING:`, with
and without `from __future__ import annotations`.

Annotations are never evaluated by Apply Changes where the interpreter itself would not
evaluate them: with the __future__ import they stay strings; on 3.14+ (lazy annotations,
PEP 649) the function's `__annotate__` is carried over instead of its `__annotations__`.
"""

from dapper_agent.hotreload.annotations import LAZY_ANNOTATIONS
from tests.test_hotreload_support import ReloadTestCase


def _annotations_are_lazy():
    """What this interpreter does, observed: a `def` whose annotation names nothing raises
    NameError where annotations are evaluated when the `def` runs."""
    try:
        exec("def f(x: a_name_defined_nowhere): pass", {})
    except NameError:
        return False
    return True


LAZY = _annotations_are_lazy()

POSTPONED = """\
from __future__ import annotations
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from collections.abc import Sequence

def total(items: Sequence[int]) -> Result:
    return Result(sum(items))

class Result:
    def __init__(self, value: int) -> None:
        self.value = value
    def doubled(self) -> Result:
        return Result(self.value * 2)
"""

QUOTED = """\
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from collections.abc import Sequence

def total(items: "Sequence[int]") -> "Result":
    return Result(sum(items))

class Result:
    def __init__(self, value: int) -> None:
        self.value = value
    def doubled(self) -> "Result":
        return Result(self.value * 2)
"""


class AnnotationEdits(ReloadTestCase):
    def test_the_agent_knows_whether_this_python_evaluates_annotations_lazily(self):
        # 3.14's own `hasattr(FunctionType, "__annotate__")` is False: a check that looked
        # there copied evaluated annotations, and applying raised NameError.
        self.assertEqual(LAZY_ANNOTATIONS, LAZY)

    def test_postponed_annotations_with_type_checking_imports_and_forward_references(self):
        module = self.load(POSTPONED)
        saved_total, saved_doubled = module.total, module.Result.doubled
        self.edit(module, POSTPONED.replace("items: Sequence[int]", "items: Sequence[float]")
                  .replace("def doubled(self) -> Result:", "def doubled(self, times: Factor = 2) -> Result:")
                  .replace("self.value * 2", "self.value * times"))
        body = self.apply(module)
        self.assertEqual([d for d in body["diagnostics"] if d["severity"] == "error"], [])
        self.assertIs(module.total, saved_total)
        self.assertEqual(saved_total.__annotations__, {"items": "Sequence[float]", "return": "Result"})
        self.assertEqual(saved_doubled.__annotations__, {"times": "Factor", "return": "Result"})
        self.assertEqual(module.total([1, 2]).doubled(times=3).value, 9)

    def test_quoted_forward_references_without_the_future_import(self):
        module = self.load(QUOTED)
        saved = module.total
        self.edit(module, QUOTED.replace('items: "Sequence[int]"', 'items: "Sequence[float]"'))
        body = self.apply(module)
        self.assertEqual([d for d in body["diagnostics"] if d["severity"] == "error"], [])
        self.assertEqual(saved.__annotations__, {"items": "Sequence[float]", "return": "Result"})
        self.assertEqual(module.total([1, 2]).doubled().value, 6)

    def test_an_unquoted_type_checking_name_without_the_future_import(self):
        """Evaluated when the `def` runs before 3.14 (as the program itself would): refused,
        nothing changed. Lazy on 3.14+: applied, and evaluated only when asked for."""
        module = self.load(QUOTED)
        saved = module.total
        edited = QUOTED.replace('items: "Sequence[int]"', "items: Sequence[int]").replace(
            "return Result(sum(items))", "return Result(sum(items) + 1)")
        self.edit(module, edited)
        if LAZY:
            self.apply(module)
            self.assertEqual(module.total([1]).value, 2)
            with self.assertRaises(NameError):
                saved.__annotations__  # evaluating them is what raises
        else:
            refused = self.refused(module)
            self.assertEqual(self.codes(refused), ["definition-raised"])
            self.assertIn("Sequence", refused.message)
            self.assertEqual(module.total([1]).value, 1)
            self.assertEqual(saved.__annotations__, {"items": "Sequence[int]", "return": "Result"})

    def test_annotation_of_a_method_gaining_super_keeps_its_annotations(self):
        text = """\
from __future__ import annotations
class Base:
    def describe(self) -> str:
        return "base"
class Child(Base):
    def describe(self) -> Label:
        return "child"
"""
        module = self.load(text)
        self.edit(module, text.replace('return "child"', 'return "child of " + super().describe()'))
        self.apply(module)
        self.assertEqual(module.Child().describe(), "child of base")
        self.assertEqual(module.Child.describe.__annotations__, {"return": "Label"})
