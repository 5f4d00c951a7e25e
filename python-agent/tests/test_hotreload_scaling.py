"""The cost of an apply grows with the size of the edit, not its square.

Counted, not timed (the machine's load must not matter): lines are compared through their
hash and equality, so counting those calls counts the work of matching the old text's lines
to the new text's (the step that was quadratic: 4,000 changed functions took 5 s, 8,000 took
20 s). The time itself is measured by bench/hot-reload.py (docs/benchmarks.md).
"""

import unittest

from dapper_agent.hotreload.linemap import LineMap
from tests.test_hotreload_support import ReloadTestCase


class CountedLine(str):
    work = 0

    def __hash__(self):
        CountedLine.work += 1
        return str.__hash__(self)

    def __eq__(self, other):
        CountedLine.work += 1
        return str.__eq__(self, other)

    __ne__ = None  # str's own __ne__ would bypass the count; fall back to `not __eq__`


def module_text(count, tag):
    return "".join(
        "def f{0}(x):\n    y = x + {0}\n    return '{1}' + str(y)\n\n".format(index, tag)
        for index in range(count))


def line_matching_work(count):
    old = [CountedLine(line) for line in module_text(count, "old").splitlines()]
    new = [CountedLine(line) for line in module_text(count, "new").splitlines()]
    CountedLine.work = 0
    line_map = LineMap(old, new)
    assert line_map.new_line(3) == 3 and line_map.new_line(len(old)) == len(new)
    return CountedLine.work


class LineMatchingIsLinear(unittest.TestCase):
    def test_four_times_the_edited_functions_cost_about_four_times_as_much(self):
        small = line_matching_work(200)
        large = line_matching_work(800)
        self.assertLess(large / small, 6.0, "200 functions: {} comparisons; 800: {}".format(small, large))


class LargeEditsApply(ReloadTestCase):
    def test_every_one_of_thousands_of_changed_functions_is_applied(self):
        module = self.load(module_text(3000, "old"))
        self.edit(module, module_text(3000, "new"))
        body = self.apply(module)
        self.assertEqual(body["patchedFunctions"], 3000)
        self.assertEqual((module.f0(1), module.f2999(1)), ("new1", "new3000"))


if __name__ == "__main__":
    unittest.main()
