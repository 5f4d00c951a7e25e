"""Where each line of the old text went in the new text (for breakpoints and stale frames)."""

import difflib

# difflib without its junk heuristic is quadratic on files with many identical lines; trimming
# the common head and tail first makes the usual single edit cheap, and a large middle falls
# back to the heuristic.
_EXACT_DIFF_LIMIT = 2000


_SIMILAR = 0.6
_MAX_PAIRING = 60  # lines per side of an edited block paired by similarity


class LineMap:
    def __init__(self, old_lines, new_lines):
        self._blocks = _opcodes(old_lines, new_lines)
        self._edited = _pair_edited_lines(self._blocks, old_lines, new_lines)
        self.changed = any(tag != "equal" for tag, *_ in self._blocks) or len(old_lines) != len(new_lines)

    def new_line(self, old_line):
        """1-based line in the new text holding the old line's statement, or None if it was deleted."""
        index = old_line - 1
        for tag, i1, i2, j1, j2 in self._blocks:
            if i1 <= index < i2:
                if tag == "equal":
                    return j1 + (index - i1) + 1
                if tag == "replace":
                    new_index = self._edited.get(index)
                    return None if new_index is None else new_index + 1
                return None
        if index >= 0 and self._blocks:
            tag, i1, i2, j1, j2 = self._blocks[-1]
            return j2 + (index - i2) + 1
        return old_line

    def nearest_new_line(self, old_line):
        """Like new_line, but a deleted line maps to where the deletion happened."""
        index = old_line - 1
        for tag, i1, i2, j1, j2 in self._blocks:
            if i1 <= index < i2:
                if tag == "equal":
                    return j1 + (index - i1) + 1
                if tag == "replace" and index in self._edited:
                    return self._edited[index] + 1
                return max(1, j1 + 1)
        return max(1, old_line)


def _common_length(old, new, limit, from_end):
    """How many lines the two texts share at their start (or end), by binary search over
    slice comparisons: C compares the lines, Python takes log2(limit) steps."""
    low, high = 0, limit  # the first `low` lines match; more than `high` do not
    while low < high:
        middle = (low + high + 1) // 2
        if from_end:
            same = old[len(old) - middle:] == new[len(new) - middle:]
        else:
            same = old[:middle] == new[:middle]
        if same:
            low = middle
        else:
            high = middle - 1
    return low


def _opcodes(old, new):
    limit = min(len(old), len(new))
    head = _common_length(old, new, limit, from_end=False)
    tail = _common_length(old, new, limit - head, from_end=True)
    old_middle = old[head:len(old) - tail]
    new_middle = new[head:len(new) - tail]
    blocks = []
    if head:
        blocks.append(("equal", 0, head, 0, head))
    if old_middle or new_middle:
        exact = max(len(old_middle), len(new_middle)) <= _EXACT_DIFF_LIMIT
        matcher = difflib.SequenceMatcher(None, old_middle, new_middle, autojunk=not exact)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            blocks.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
    if tail:
        blocks.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    return blocks


def _pair_edited_lines(blocks, old, new):
    """old index -> new index for lines that were edited rather than deleted.

    An edited block pairs each old line, in order, with the most similar later new line; a
    line with no similar counterpart was deleted. Large blocks pair by position.
    """
    paired = {}
    for tag, i1, i2, j1, j2 in blocks:
        if tag != "replace":
            continue
        if i2 - i1 > _MAX_PAIRING or j2 - j1 > _MAX_PAIRING:
            for offset in range(min(i2 - i1, j2 - j1)):
                paired[i1 + offset] = j1 + offset
            continue
        next_new = j1
        for i in range(i1, i2):
            best, best_ratio = None, _SIMILAR
            for j in range(next_new, j2):
                ratio = difflib.SequenceMatcher(None, old[i].strip(), new[j].strip()).ratio()
                if ratio > best_ratio:
                    best, best_ratio = j, ratio
            if best is not None:
                paired[i] = best
                next_new = best + 1
    return paired
