"""``repair_text``: the repair steps composed in order, with an offset map to the original.

Order matters: mojibake first (later steps need real characters), tags before entities
(so "&lt;p&gt;" stays text), duplicate paragraphs before whitespace and quotes (the
comparison ignores both anyway), glued words last (they need clean spaces and quotes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from riftwatch.text.glued import split_glued_words
from riftwatch.text.offsets import Edit, OffsetMap, make_map
from riftwatch.text.repairs import (
    drop_repeated_paragraphs,
    fix_mojibake,
    normalize_whitespace,
    straighten_quotes,
    strip_tags,
    unescape_entities,
)

Step = Callable[[str], tuple[str, list[Edit]]]

STEPS: tuple[tuple[str, Step], ...] = (
    ("mojibake", fix_mojibake),
    ("tags", strip_tags),
    ("entities", unescape_entities),
    ("paragraphs", drop_repeated_paragraphs),
    ("whitespace", normalize_whitespace),
    ("quotes", straighten_quotes),
    ("glued", split_glued_words),
)


@dataclass(frozen=True)
class Repaired:
    """A repaired text, the original, and the maps between them.

    ``maps`` holds one ``OffsetMap`` per step that changed lengths, in the order applied;
    a text no step changed has no maps and maps offsets to themselves.
    """

    text: str
    original: str
    maps: tuple[OffsetMap, ...] = ()
    steps: tuple[str, ...] = field(default=())  # names of the steps that changed the text

    @property
    def changed(self) -> bool:
        return self.text is not self.original and self.text != self.original

    def to_original(self, i: int) -> int:
        """Offset in ``original`` of the character at offset ``i`` of ``text``.

        Offsets beyond the ends are clamped; a character the repair inserted (a space
        between glued words) maps to where it was inserted.
        """
        i = min(max(i, 0), len(self.text))
        for m in reversed(self.maps):
            i = m.map_start(i)
        return i

    def span_to_original(self, span: tuple[int, int]) -> tuple[int, int]:
        """Map a ``(start, end)`` span (end exclusive) of ``text`` into ``original``.

        The end is mapped with a left bias so a word's span never swallows a tag or
        paragraph removed right after it.
        """
        start, end = span
        n = len(self.text)
        start = min(max(start, 0), n)
        end = min(max(end, start), n)
        s, e = start, end
        for m in reversed(self.maps):
            s = m.map_start(s)
            e = m.map_end(e)
        if e < s:
            e = s
        return s, e


def repair_text(text: str) -> Repaired:
    """Repair scraped or machine-translated text before NLP, keeping an offset map.

    Steps (see ``STEPS``): mojibake (ftfy), leftover HTML tags, HTML entities, repeated
    paragraphs, unusual whitespace, curly/odd quotes, glued words.
    """
    if not isinstance(text, str):
        raise TypeError(f"repair_text expects str, got {type(text).__name__}")
    current = text
    maps: list[OffsetMap] = []
    changed: list[str] = []
    for name, step in STEPS:
        new, edits = step(current)
        if new is current or new == current:
            continue
        changed.append(name)
        m = make_map(edits)
        if m is not None:
            maps.append(m)
        current = new
    return Repaired(text=current, original=text, maps=tuple(maps), steps=tuple(changed))
