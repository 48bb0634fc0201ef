"""PLOVER event coding: lexicon, detector, roles, modality and the PLOVER/CAMEO tables.

Public API (docs/architecture.md, "Events"):

- ``load_lexicon(extra=None) -> Lexicon``; ``Lexicon.has_trigger(text) -> bool``
- ``detect_events(doc, mentions, *, lexicon, date) -> list[EventCandidate]``
- ``main_event(candidates) -> EventCandidate | None``
- ``plover_tables() -> PloverTables``
"""

from __future__ import annotations

from riftwatch.events.detector import EventCandidate, detect_events, main_event
from riftwatch.events.lexicon import LexEntry, Lexicon, default_lexicon, load_lexicon
from riftwatch.events.roles import MentionLike, TextMention
from riftwatch.events.tables import PloverTables, plover_tables

__all__ = [
    "EventCandidate",
    "LexEntry",
    "Lexicon",
    "MentionLike",
    "PloverTables",
    "TextMention",
    "default_lexicon",
    "detect_events",
    "load_lexicon",
    "main_event",
    "plover_tables",
]
