"""Where each line of the old text went in the new text (for breakpoints and stale frames)."""

import bisect
import difflib

# difflib's SequenceMatcher costs (lines) x (changed blocks): thousands of edited functions in
# a large file took seconds to minutes. Ranges up to this many line pairs are diffed exactly
# with it; larger ones are split first at lines that occur once in each text (the "patience"
# anchors), so the cost grows with the size of the edit, not its square.
_EXACT_DIFF_PAIRS = 250_000


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
    """difflib-style opcodes (tag, i1, i2, j1, j2) turning `old` into `new`."""
    limit = min(len(old), len(new))
    head = _common_length(old, new, limit, from_end=False)
    tail = _common_length(old, new, limit - head, from_end=True)
    matches = [(0, 0, head)] if head else []
    _match_range(old, new, head, len(old) - tail, head, len(new) - tail, matches)
    if tail:
        matches.append((len(old) - tail, len(new) - tail, tail))
    return _blocks_to_opcodes(matches, len(old), len(new))


def _match_range(old, new, a0, a1, b0, b1, matches):
    """Append (i, j, size) for the lines old[a0:a1] and new[b0:b1] share, in order."""
    while a0 < a1 and b0 < b1 and old[a0] == new[b0]:  # a common head inside the range
        matches.append((a0, b0, 1))
        a0, b0 = a0 + 1, b0 + 1
    common_tail = 0
    while a0 < a1 - common_tail and b0 < b1 - common_tail \
            and old[a1 - common_tail - 1] == new[b1 - common_tail - 1]:
        common_tail += 1
    a1, b1 = a1 - common_tail, b1 - common_tail
    if a0 < a1 and b0 < b1:
        if (a1 - a0) * (b1 - b0) <= _EXACT_DIFF_PAIRS:
            matcher = difflib.SequenceMatcher(None, old[a0:a1], new[b0:b1], autojunk=False)
            matches.extend((a0 + i, b0 + j, size) for i, j, size in matcher.get_matching_blocks() if size)
        else:
            anchors = _unique_anchors(old, new, a0, a1, b0, b1)
            # With no anchor the range stays one edited block: positional, and still linear.
            previous_a, previous_b = a0, b0
            for i, j in anchors:
                _match_range(old, new, previous_a, i, previous_b, j, matches)
                matches.append((i, j, 1))
                previous_a, previous_b = i + 1, j + 1
            if anchors:
                _match_range(old, new, previous_a, a1, previous_b, b1, matches)
    if common_tail:
        matches.append((a1, b1, common_tail))


def _unique_anchors(old, new, a0, a1, b0, b1):
    """Lines occurring exactly once in old[a0:a1] and once in new[b0:b1], as (i, j) pairs, the
    longest run of them in the same order in both (longest increasing subsequence)."""
    once_old = _positions_of_unique(old, a0, a1)
    once_new = _positions_of_unique(new, b0, b1)
    pairs = [(i, once_new[line]) for line, i in once_old.items() if line in once_new]
    pairs.sort()
    tails, tail_pair, previous = [], [], {}
    for i, j in pairs:
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_pair.append((i, j))
        else:
            tails[k] = j
            tail_pair[k] = (i, j)
        previous[(i, j)] = tail_pair[k - 1] if k else None
    chain, pair = [], tail_pair[-1] if tail_pair else None
    while pair is not None:
        chain.append(pair)
        pair = previous[pair]
    chain.reverse()
    return chain


def _positions_of_unique(lines, start, stop):
    seen, position = set(), {}
    for index in range(start, stop):
        line = lines[index]
        if line in seen:
            position.pop(line, None)
        else:
            seen.add(line)
            position[line] = index
    return position


def _blocks_to_opcodes(matches, old_length, new_length):
    opcodes, i, j = [], 0, 0
    merged = []
    for a, b, size in matches:
        if merged and merged[-1][0] + merged[-1][2] == a and merged[-1][1] + merged[-1][2] == b:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
        else:
            merged.append((a, b, size))
    for a, b, size in merged + [(old_length, new_length, 0)]:
        if i < a and j < b:
            opcodes.append(("replace", i, a, j, b))
        elif i < a:
            opcodes.append(("delete", i, a, j, b))
        elif j < b:
            opcodes.append(("insert", i, a, j, b))
        i, j = a + size, b + size
        if size:
            opcodes.append(("equal", a, i, b, j))
    return opcodes


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
            line = old[i].strip()
            for j in range(next_new, j2):
                matcher = difflib.SequenceMatcher(None, line, new[j].strip())
                # The quick upper bounds settle most pairs without the full comparison.
                if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
                    continue
                ratio = matcher.ratio()
                if ratio > best_ratio:
                    best, best_ratio = j, ratio
            if best is not None:
                paired[i] = best
                next_new = best + 1
    return paired
