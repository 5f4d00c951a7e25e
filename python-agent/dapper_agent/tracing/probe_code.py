"""Probe objects and probed code that need no compiler: what runs in the program, and how a
child process rebuilds the main script's probed code its parent compiled (probes.py compiles;
this file imports neither `ast` nor `dis`)."""

import types


class Probe:
    """Lives in co_consts of instrumented code; `__dapper_hit__` runs in the program's thread."""

    __slots__ = ("first", "last", "handler")

    def __init__(self, first, last, handler):
        self.first = first
        self.last = last
        self.handler = handler

    def __dapper_hit__(self):
        self.handler(self)

    def __repr__(self):
        return "<dapper breakpoint probe, lines %d-%d>" % (self.first, self.last)


class Instrumented:
    """The result for one definition: replacement code objects and what they cover."""

    template = None  # a ProbedTemplate, for module code a child process may run too

    def __init__(self, code, originals, probe_offsets, covered):
        self.code = code  # instrumented code for the definition itself
        self.originals = originals  # [(instrumented code, original code)] for it and every nested code
        self.probe_offsets = probe_offsets  # id(instrumented code) -> frozenset of probe instruction offsets
        self.covered = covered  # id(instrumented code) -> frozenset of breakpoint lines its probes see


class ProbedTemplate:
    """Module code compiled with probes, its probes still placeholder strings: marshal can
    write it, so a process hands it to its children (restart/main_code.py). `offsets` and
    `covered` follow pair_codes() order."""

    __slots__ = ("lines", "code", "regions", "offsets", "covered", "source_code")

    def __init__(self, lines, code, regions, offsets, covered):
        self.lines = lines  # the breakpoint lines it was compiled for
        self.code = code
        self.regions = regions  # placeholder -> (first, last) lines of its probe's region
        self.offsets = offsets
        self.covered = covered
        self.source_code = None  # the code without probes it was compiled to match (not written)

    def to_tuple(self):
        return (self.lines, self.code, self.regions, self.offsets, self.covered)

    @classmethod
    def from_tuple(cls, value):
        lines, code, regions, offsets, covered = value
        if not isinstance(code, types.CodeType) or not isinstance(regions, dict) or len(offsets) != len(covered):
            raise ValueError("not a probed template")
        return cls(frozenset(lines), code, regions, list(offsets), list(covered))

    def instantiate(self, original, handler):
        """Instrumented code for `original` (the same file compiled the same way, without
        probes) whose probes call `handler`; None when the two do not pair up."""
        probes = {name: Probe(first, last, handler) for name, (first, last) in self.regions.items()}
        code = with_probes(self.code, probes)
        pairs = pair_codes(code, original)
        if len(pairs) != len(self.offsets) or any(new.co_name != old.co_name or new.co_firstlineno != old.co_firstlineno
                                                  for new, old in pairs):
            return None
        offsets = {id(new): found for (new, _old), found in zip(pairs, self.offsets) if found}
        covered = {id(new): lines for (new, _old), lines in zip(pairs, self.covered)}
        return Instrumented(code, pairs, offsets, covered)


def with_probes(code, probes):
    """`code` with each placeholder constant in `probes` replaced by its Probe (nested code too)."""
    consts = []
    changed = False
    for const in code.co_consts:
        if isinstance(const, str) and const in probes:
            const = probes[const]
            changed = True
        elif isinstance(const, types.CodeType):
            replaced = with_probes(const, probes)
            changed = changed or replaced is not const
            const = replaced
        consts.append(const)
    return code.replace(co_consts=tuple(consts)) if changed else code


def pair_codes(new, old):
    """[(new, old)] for two compiles of the same text: the code objects and their nested ones."""
    pairs = [(new, old)]
    new_children = [c for c in new.co_consts if isinstance(c, types.CodeType)]
    old_children = [c for c in old.co_consts if isinstance(c, types.CodeType)]
    for new_child, old_child in zip(new_children, old_children):
        pairs.extend(pair_codes(new_child, old_child))
    return pairs
