"""The channel's JSON (dapper_agent/json_codec.py) says and reads exactly what `json` does,
without importing it for well-formed documents."""

import json
import math
import subprocess
import sys
import unittest

from dapper_agent import json_codec

from .support import AGENT_DIR


class Opaque:
    def __repr__(self):
        return "<opaque \u00e9>"


VALUES = [
    None, True, False, 0, -1, 2 ** 100, 1.5, -0.0, 1e300, 1e-300, float("inf"), float("-inf"),
    "", "plain", "caf\u00e9 \u2603 \U0001f600", "\ud800 lone surrogate", "quote \" backslash \\ \n\t\x00\x1f",
    [], {}, (1, 2), [1, [2, [3, {"a": None}]]],
    {"type": "event", "event": "output", "body": {"category": "stdout", "output": "x\n"}},
    {1: "int key", 2.5: "float key", None: "none key", False: "bool key"},
    {"object": Opaque(), "set": {1}, "bytes": b"\xff"},
]

DOCUMENTS = [
    '{"seq": 1, "type": "request", "command": "threads"}\n',
    '  \t\r\n{"a": [1, 2.5e3, -0, true, false, null, "\\u00e9\\ud83d\\ude00"]}  \n',
    '"just a string"', "123456789012345678901234567890", "-1.5E-3", "NaN", "[Infinity, -Infinity]",
    '{"a": 1, "a": 2}', "[" * 50 + "]" * 50,
]

MALFORMED = ["", "   ", "{", '{"a": 1} extra', '{"a": 1}{}', "\ufeff{}", "[1,]", "{'a': 1}", "nul", '"\x01"', "1 2"]


def same(left, right):
    """Equal, counting NaN as equal to NaN."""
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    return type(left) is type(right) and left == right


class JsonCodecTest(unittest.TestCase):
    def test_dumps_is_json_dumps_ascii_with_repr_as_default(self):
        for value in VALUES + [VALUES]:
            with self.subTest(value=value):
                self.assertEqual(json_codec.dumps(value), json.dumps(value, ensure_ascii=True, default=repr))

    def test_circular_and_unencodable_values_fail_as_in_json(self):
        loop = []
        loop.append(loop)
        for bad in (loop, {("tuple", "key"): 1}):
            with self.subTest(value=bad):
                with self.assertRaises((ValueError, TypeError)) as expected:
                    json.dumps(bad, ensure_ascii=True, default=repr)
                with self.assertRaises(type(expected.exception)) as got:
                    json_codec.dumps(bad)
                self.assertEqual(str(got.exception), str(expected.exception))
        # The failed call leaves nothing behind: the same object encodes fine afterwards.
        shared = {"k": [1, 2]}
        self.assertEqual(json_codec.dumps([shared, shared]), '[{"k": [1, 2]}, {"k": [1, 2]}]')

    def test_loads_is_json_loads(self):
        for document in DOCUMENTS:
            with self.subTest(document=document):
                self.assertTrue(same(json_codec.loads(document), json.loads(document)))

    def test_malformed_documents_raise_jsons_own_error(self):
        for document in MALFORMED:
            with self.subTest(document=document):
                with self.assertRaises(ValueError) as expected:
                    json.loads(document)
                with self.assertRaises(ValueError) as got:
                    json_codec.loads(document)
                self.assertEqual(type(got.exception), type(expected.exception))
                self.assertEqual(str(got.exception), str(expected.exception))

    def run_python(self, code):
        result = subprocess.run([sys.executable, "-c", code, AGENT_DIR], capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.strip()

    def test_well_formed_messages_never_import_json(self):
        out = self.run_python(
            "import sys; sys.path.insert(0, sys.argv[1])\n"
            "from dapper_agent import json_codec\n"
            "message = json_codec.loads('{\"seq\": 3, \"arguments\": {\"lines\": [1, 2]}}\\n')\n"
            "text = json_codec.dumps({'seq': 4, 'body': message, 'x': 1.5, 'o': object})\n"
            "print('json' in sys.modules, text)\n"
        )
        self.assertEqual(out, "False {\"seq\": 4, \"body\": {\"seq\": 3, \"arguments\": {\"lines\": [1, 2]}}, \"x\": 1.5, "
                              "\"o\": \"<class 'object'>\"}")

    def test_without_the_accelerator_json_does_the_work(self):
        out = self.run_python(
            "import sys; sys.modules['_json'] = None; sys.path.insert(0, sys.argv[1])\n"
            "from dapper_agent import json_codec\n"
            "print(json_codec.dumps(json_codec.loads(' {\"a\": [\"\\\\u00e9\", NaN]} ')))\n"
        )
        self.assertEqual(out, '{"a": ["\\u00e9", NaN]}')


if __name__ == "__main__":
    unittest.main()
