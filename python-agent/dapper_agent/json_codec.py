"""JSON for the agent's channel, without importing the `json` package.

`dumps` is `json.dumps(value, ensure_ascii=True, default=repr)` and `loads` is `json.loads`
for a str, done by the same C accelerator (`_json`) `json` itself uses for them. Importing
`json` compiles a handful of regular expressions in Python code (json.decoder, json.scanner,
json.encoder): about 6M instructions, a tenth of what the agent adds to each worker of a
Pool, and the agent needs none of it for well-formed messages. Anything else — a document
that does not decode (so the error is json's own), a Python without `_json`, or one whose
`_json` takes other arguments — goes through `json` itself, imported then.
"""

try:
    import _json
except ImportError:  # a Python built without it: json's pure-Python code does the work
    _json = None

_WHITESPACE = " \t\n\r"  # what json skips around a document


class _DecoderSettings:
    """What `_json.make_scanner` reads from a json.JSONDecoder with default settings."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    array_hook = None  # read from 3.15 on
    parse_float = float
    parse_int = int
    parse_constant = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}.__getitem__


def _make_scanner():
    try:
        return _json.make_scanner(_DecoderSettings())
    except Exception:  # not the _json these settings were written for
        return None


_scanner = _make_scanner() if _json is not None else None


def loads(text):
    """json.loads(text) for a str."""
    if _scanner is not None:
        start = len(text) - len(text.lstrip(_WHITESPACE))
        try:
            value, end = _scanner(text, start)
        except (StopIteration, ValueError):
            pass
        else:
            if not text[end:].strip(_WHITESPACE):
                return value
    import json

    return json.loads(text)


def dumps(value):
    """json.dumps(value, ensure_ascii=True, default=repr)."""
    if _json is not None:
        if isinstance(value, str):
            return _json.encode_basestring_ascii(value)
        try:
            # As json does per call: a fresh encoder (its circular-reference markers are its own).
            encode = _json.make_encoder({}, repr, _json.encode_basestring_ascii, None, ": ", ", ", False, False, True)
        except Exception:  # not the _json these arguments were written for
            encode = None
        if encode is not None:
            return "".join(encode(value, 0))
    import json

    return json.dumps(value, ensure_ascii=True, default=repr)
