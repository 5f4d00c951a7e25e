"""Random small programs of nested statements (branches, loops with break, try/except/finally,
with, nested defs, one-liners, multi-line calls, comprehensions) for the breakpoint oracle:
`gen_program(seed)` is the same text for the same seed."""
import random

def gen_program(seed, max_depth=4):
    rnd = random.Random(seed)
    counter = [0]
    def var():
        counter[0] += 1
        return "v%d" % counter[0]
    def simple(ind):
        kind = rnd.choice(["assign", "aug", "call", "oneline_semicolon", "multiline_call", "listcomp"])
        p = " " * ind
        if kind == "assign": return [p + "%s = n + %d" % (var(), rnd.randint(0, 9))]
        if kind == "aug": return [p + "n += 1"]
        if kind == "call": return [p + "acc.append(n)"]
        if kind == "oneline_semicolon": return [p + "a = 1; b = a + n"]
        if kind == "multiline_call": return [p + "acc.append(max(n,", p + "               1))"]
        if kind == "listcomp": return [p + "acc.extend([k * 2 for k in", p + "            range(n % 3)])"]
    def block(ind, depth):
        out = []
        for _ in range(rnd.randint(1, 3)):
            out += stmt(ind, depth)
        return out
    def stmt(ind, depth):
        p = " " * ind
        if depth >= max_depth or rnd.random() < 0.4:
            return simple(ind)
        kind = rnd.choice(["if", "if_oneline", "ifelse", "for", "while", "try", "with", "def", "for_break"])
        if kind == "if": return [p + "if n % 2 == 0:"] + block(ind + 4, depth + 1)
        if kind == "if_oneline": return [p + "if n > 1: acc.append(-n)"]
        if kind == "ifelse": return [p + "if n % 3 == 1:"] + block(ind + 4, depth + 1) + [p + "elif n % 3 == 2:"] + block(ind + 4, depth + 1) + [p + "else:"] + block(ind + 4, depth + 1)
        if kind == "for": return [p + "for i in range(2):"] + block(ind + 4, depth + 1)
        if kind == "for_break": return [p + "for i in range(3):", p + "    if i == 1:", p + "        break"] + block(ind + 4, depth + 1)
        if kind == "while": w = var(); return [p + "%s = 0" % w, p + "while %s < 2:" % w, p + "    %s += 1" % w] + block(ind + 4, depth + 1)
        if kind == "try": return [p + "try:"] + block(ind + 4, depth + 1) + [p + "    if n == 2: raise ValueError(n)", p + "except ValueError:"] + block(ind + 4, depth + 1) + [p + "finally:"] + block(ind + 4, depth + 1)
        if kind == "with": return [p + "with ctx(n) as c:"] + block(ind + 4, depth + 1)
        if kind == "def":
            name = "inner%d" % rnd.randint(0, 99)
            return [p + "def %s(n):" % name] + block(ind + 4, depth + 1) + [p + "    return n", p + "n = %s(n) or n" % name]
    body = ["import contextlib", "@contextlib.contextmanager", "def ctx(n):", "    yield n",
            "def target():", "    acc = []", "    for n in range(4):"]
    body += block(8, 1)
    body += ["    return acc"]
    return "\n".join(body) + "\n"
