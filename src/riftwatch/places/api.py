"""Resolving one toponym given its offsets: the entry point of the CLI and the evaluation."""

from __future__ import annotations

from dataclasses import replace

from riftwatch.errors import ConfigError
from riftwatch.model import Document, Place

from .normalize import norm
from .resolve import NOT_PLACES, Context, implausible, resolve_embedded, resolve_name
from .state import PlaceState, areas_near, nearest_locality, new_state


def resolve_in_state(
    state: PlaceState,
    text: str,
    start: int,
    end: int,
    *,
    fallback: bool = False,
) -> Place | None:
    """Resolve ``text[start:end]`` with the document context held by ``state``.

    With ``fallback``, a name the gazetteer does not know gets a best guess marked
    ``resolution="approximate"``: the strong place named inside it ("Colorado State
    University" -> Colorado), else (a street, a church) the locality named closest to it in
    the document, without a GeoNames id: never passed off as an identification.
    """
    if not 0 <= start < end <= len(text):
        raise ConfigError(f"bad toponym offsets {start}:{end} for a text of {len(text)} chars")
    gaz = state.gazetteer
    surface = text[start:end]
    ctx = Context(
        countries=state.context.countries,
        areas=state.context.areas,
        local_areas=areas_near(state, start, end),
        anchors=state.context.anchors,
    )
    res = resolve_name(gaz, surface, ctx)
    if res is not None and implausible(gaz, res, ctx):
        res = None
    if res is not None:
        return gaz.place(res.row, extracted=surface, span=(start, end), confidence=res.confidence)
    if not fallback or not _looks_like_a_name(surface):
        return None
    res = resolve_embedded(gaz, surface, ctx)
    if res is not None:
        place = gaz.place(res.row, extracted=surface, span=(start, end), confidence=res.confidence)
        return replace(place, resolution="approximate")
    row = nearest_locality(state, start, end)
    if row is None:
        return None
    place = gaz.place(row, extracted=surface, span=(start, end), confidence=0.2)
    return replace(place, geonameid=None, resolution="approximate", feature_code=None)


def resolve_toponym(
    text: str,
    start: int,
    end: int,
    *,
    country_focus: list[str] | None = None,
    state: PlaceState | None = None,
    fallback: bool = False,
) -> Place | None:
    """The place ``text[start:end]`` names, resolved with the whole text as context.

    ``country_focus`` is a list of ISO3 codes, most relevant first. Pass ``state`` (from
    ``new_state``) to resolve many toponyms of one text without rescanning it.
    """
    if state is None:
        state = new_state(Document(id="-", text=text), country_focus)
    return resolve_in_state(state, text, start, end, fallback=fallback)


def _looks_like_a_name(surface: str) -> bool:
    """A proper name (not "West", not "the region") that the gazetteer merely lacks."""
    words = surface.split()
    return (
        any(w[:1].isupper() for w in words)
        and len(surface) >= 3
        and norm(surface) not in NOT_PLACES
    )
