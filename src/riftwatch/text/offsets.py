"""Edits and compact offset maps between a repaired text and the text it came from.

Every repair step returns the edits it made (non-overlapping replacements on its input).
Evidence spans must point into the ORIGINAL document, so the steps' maps are kept and
applied in reverse. A map stores only the edits that change the length (a sorted list of
edit points searched with ``bisect``), so a text without such edits costs nothing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple


class Edit(NamedTuple):
    """Replace ``text[start:end]`` with ``replacement`` (offsets in the step's input).

    A named tuple rather than a dataclass: hostile input (a NUL between every letter)
    yields millions of edits, and tuples are several times cheaper to create.
    """

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True, eq=False)
class OffsetMap:
    """Length-changing edits of one step, as parallel sorted lists.

    ``new_starts[k]:new_ends[k]`` in the output replaced ``old_starts[k]:old_ends[k]`` in
    the input. Offsets outside edits shift by the last edit's length difference.
    """

    new_starts: tuple[int, ...]
    new_ends: tuple[int, ...]
    old_starts: tuple[int, ...]
    old_ends: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.new_starts)

    def map_start(self, i: int) -> int:
        """Map a start offset (or a character position) back to the input.

        A position inside an inserted/replaced stretch maps to the stretch's start; a
        position at a deletion maps past the deleted text (the next kept character).
        """
        k = bisect_right(self.new_starts, i) - 1
        if k < 0:
            return i
        if i >= self.new_ends[k]:
            return self.old_ends[k] + (i - self.new_ends[k])
        return self.old_starts[k]

    def map_end(self, i: int) -> int:
        """Map an exclusive end offset back to the input.

        Biased to the left: an end just before a deletion stays before the deleted text,
        and an end inside a replaced stretch covers the whole stretch.
        """
        k = bisect_left(self.new_starts, i) - 1
        if k < 0:
            return i
        if i >= self.new_ends[k]:
            return self.old_ends[k] + (i - self.new_ends[k])
        return self.old_ends[k]


def make_map(edits: Iterable[Edit]) -> OffsetMap | None:
    """The offset map of sorted, non-overlapping edits (None when no length changes).

    Adjacent edits are merged so the map never holds two stretches at one output offset;
    same-length replacements change no offset and are left out.
    """
    ns: list[int] = []
    ne: list[int] = []
    os_: list[int] = []
    oe: list[int] = []
    shift = 0  # output offset minus input offset after the edits seen so far
    last_end = -1
    for start, end, repl in edits:
        if start > end or start < last_end:
            raise ValueError(f"edits overlap or are out of order at {start}")
        delta = len(repl) - (end - start)
        if start == last_end and oe and oe[-1] == start:
            # Adjacent to the previous stretch: extend it.
            oe[-1] = end
            ne[-1] += len(repl)
        elif delta:
            new_start = start + shift
            ns.append(new_start)
            ne.append(new_start + len(repl))
            os_.append(start)
            oe.append(end)
        shift += delta
        last_end = end
    if not ns:
        return None
    return OffsetMap(tuple(ns), tuple(ne), tuple(os_), tuple(oe))
