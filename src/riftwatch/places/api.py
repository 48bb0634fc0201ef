"""Resolving one toponym given its offsets: the entry point of the CLI and the evaluation."""

from __future__ import annotations

import re
from dataclasses import replace

from riftwatch.errors import ConfigError
from riftwatch.model import Document, Place

from .gazetteer import Gazetteer
from .normalize import norm
from .resolve import (
    NOT_PLACES,
    Context,
    Resolution,
    implausible,
    resolve_embedded,
    resolve_name,
)
from .state import (
    STREET_WORDS,
    PlaceState,
    areas_near,
    document_relations,
    nearest_locality,
    new_state,
    place_written_after,
)
from .store import ADM1, CITY, COUNTRY


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
    if fallback and _street_in_list(text, start, end):
        return _local_guess(state, text, start, end)
    rel = document_relations(state, text, start, end)
    ctx = Context(
        countries=state.context.countries,
        areas=state.context.areas,
        local_areas=areas_near(state, start, end),
        anchors=state.context.anchors,
        enclosing=rel.enclosing,
        sibling_kinds=rel.sibling_kinds,
        area_modifier=rel.area_modifier,
    )
    res = resolve_name(gaz, surface, ctx)
    if res is not None and (implausible(gaz, res, ctx) or _acronym_of_a_town(gaz, surface, res)):
        res = None
    if res is not None:
        return gaz.place(res.row, extracted=surface, span=(start, end), confidence=res.confidence)
    if not fallback or not _looks_like_a_name(surface) or gaz.demonym(surface) is not None:
        return None  # a demonym for people only ("Arab", "Shiite") names no local feature
    written = place_written_after(state, text, end)
    if written is not None:
        return _approximate(gaz, written, surface, start, end)
    row = nearest_locality(state, start, end)
    # "Bedford Drive" is a street wherever it is, not in Bedford.
    street = surface.split()[-1].lower().rstrip(".") in STREET_WORDS
    res = None if street else resolve_embedded(gaz, surface, ctx)
    if res is not None and not (
        res.from_demonym and _locality_is_better(gaz, row, res.row, ctx.countries)
    ):
        if gaz.t.kind[res.row] == ADM1:
            # "Virginia Gateway", "Bank of England": a building in the province, so in the
            # story's town when that lies in it, else in the province's main city.
            t = gaz.t
            inside = (
                row if row is not None and t.kind[row] == CITY and t.adm1[row] == res.row else None
            )
            town = inside if inside is not None else gaz.largest_city(res.row)
            if town is not None:
                return _approximate(gaz, town, surface, start, end)
        place = gaz.place(res.row, extracted=surface, span=(start, end), confidence=res.confidence)
        return replace(place, resolution="approximate")
    if row is None:
        return None
    return _approximate(gaz, row, surface, start, end)


def _approximate(gaz: Gazetteer, row: int, surface: str, start: int, end: int) -> Place:
    place = gaz.place(row, extracted=surface, span=(start, end), confidence=0.2)
    return replace(place, geonameid=None, resolution="approximate", feature_code=None)


def _local_guess(state: PlaceState, text: str, start: int, end: int) -> Place | None:
    row = nearest_locality(state, start, end)
    if row is None:
        return None
    return _approximate(state.gazetteer, row, text[start:end], start, end)


# "Bourbon and Dauphine streets", "the Chartres/Franklin intersection": street names that
# happen to be town names ("Franklin", "Bourbon").
_STREET_AFTER = re.compile(
    r"^\s*(?:and|&|/)\s*[A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*)?\s*(?:streets|avenues|roads|"
    r"boulevards|intersection|junction)\b"
)
_STREET_BEFORE = re.compile(r"[A-Z][\w'’.-]*\s*(?:and|&|/)\s*$")


def _street_in_list(text: str, start: int, end: int) -> bool:
    """The name is one of two joined before "streets" ("Kabul streets" alone is the city)."""
    after = text[end : end + 60]
    if _STREET_AFTER.match(after):
        return True
    # The second of two names before "streets": "State and Hubbard streets".
    return bool(
        re.match(r"^\s*(?:streets|avenues|roads|boulevards|intersection)\b", after)
        and _STREET_BEFORE.search(text[max(0, start - 40) : start])
    )


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


def _locality_is_better(
    gaz: Gazetteer, local: int | None, embedded: int, countries: dict[str, float]
) -> bool:
    """Whether the document's nearby town places an institution better than the country
    of the demonym in its name: "British International School" in a Cairo story is in
    Cairo, as one named after a country the story is not about is where the story is. One
    named after a place ("London Business School", "Nazi Germany") is placed there: the
    text names it."""
    if local is None:
        return False
    t = gaz.t
    foreign = t.kind[embedded] == COUNTRY and t.cc[embedded] != t.cc[local]
    return foreign and countries.get(t.cc[embedded], 0.0) < 0.2 <= countries.get(t.cc[local], 0.0)


def _acronym_of_a_town(gaz: Gazetteer, surface: str, res: Resolution) -> bool:
    """ "CHU", "OAS": an upper-case short word that is a town's own name only by accident
    (Chũ, Oas) is an acronym; "UK", "KP" or "NSW" match through an abbreviation instead."""
    if not (surface.isupper() and len(surface) <= 4):
        return False
    t = gaz.t
    return t.kind[res.row] not in (COUNTRY, ADM1) and norm(t.names[res.row]) == norm(surface)


def _looks_like_a_name(surface: str) -> bool:
    """A proper name (not "West", not "the region") that the gazetteer merely lacks."""
    words = surface.split()
    return (
        any(w[:1].isupper() for w in words)
        and len(surface) >= 3
        and norm(surface) not in NOT_PLACES
    )
