"""riftwatch.places: an embedded offline gazetteer and geoparser (issue 5).

Public API (see docs/architecture.md, "Places"):

- ``Gazetteer.load()``: the gazetteer, built on first use into the user cache.
- ``new_state(document, country_focus) -> PlaceState``: per-document context.
- ``toponyms(doc, *, state) -> list[Place]``: resolved places of a parsed sentence.
- ``locate_event(doc, trigger, places, *, state) -> Place | None``: the event's place.
- ``resolve_toponym(text, start, end, *, country_focus=None) -> Place | None``.
"""

from __future__ import annotations

from .api import resolve_toponym
from .gazetteer import Gazetteer
from .locate import locate_event
from .recognize import toponyms
from .state import PlaceState, new_state

__all__ = [
    "Gazetteer",
    "PlaceState",
    "locate_event",
    "new_state",
    "resolve_toponym",
    "toponyms",
]
