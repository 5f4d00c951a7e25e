"""Breakpoint conditions, hit counts and logpoint messages."""

import re


class InvalidHitCondition(ValueError):
    pass


class HitCondition:
    """`5` / `==5` (the 5th hit), `>5`, `>=5`, `<5`, `<=5`, `%3` (every 3rd hit)."""

    _PATTERN = r"^\s*(==|>=|<=|>|<|%)?\s*(\d+)\s*$"  # compiled on first use (re caches it)

    def __init__(self, operator, number):
        self.operator = operator
        self.number = number

    @classmethod
    def parse(cls, text):
        match = re.compile(cls._PATTERN).match(text or "")
        if not match:
            raise InvalidHitCondition(
                "Hit count '%s' is not understood; use a number (5), or >5, >=5, <5, <=5, ==5, %%3." % text
            )
        operator, number = match.group(1) or "==", int(match.group(2))
        if operator == "%" and number == 0:
            raise InvalidHitCondition("Hit count '%s' divides by zero; use %%1 or more." % text)
        return cls(operator, number)

    def allows(self, hits):
        n = self.number
        op = self.operator
        if op == "==":
            return hits == n
        if op == ">":
            return hits > n
        if op == ">=":
            return hits >= n
        if op == "<":
            return hits < n
        if op == "<=":
            return hits <= n
        return hits % n == 0


def split_log_message(message):
    """Yield ("text", s) and ("expr", e) parts of a logpoint message; `{{`/`}}` are braces."""
    parts = []
    text = []
    i = 0
    length = len(message)
    while i < length:
        char = message[i]
        if char == "{" and message.startswith("{{", i):
            text.append("{")
            i += 2
        elif char == "}" and message.startswith("}}", i):
            text.append("}")
            i += 2
        elif char == "{":
            depth = 1
            j = i + 1
            while j < length and depth:
                if message[j] == "{":
                    depth += 1
                elif message[j] == "}":
                    depth -= 1
                j += 1
            if depth:
                text.append(message[i:])
                break
            if text:
                parts.append(("text", "".join(text)))
                text = []
            parts.append(("expr", message[i + 1 : j - 1]))
            i = j
        else:
            text.append(char)
            i += 1
    if text:
        parts.append(("text", "".join(text)))
    return parts
