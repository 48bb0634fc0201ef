"""Choosing the place a toponym refers to, from priors and context.

A candidate's score is a prior (feature class, population, capital status) plus context:
the document's country focus, admin areas the document names (so "Andar" next to
"Ghazni province" is the Afghan district), a cue word written beside the name ("Khost
province" vs "Khost city"), and the name quality (own name > alias > derived variant).
Scores are in log10-population units so one bonus point is "ten times the population".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .gazetteer import Gazetteer
from .normalize import norm
from .store import ADM1, ADM2, CITY, COUNTRY, FEATURE, REGION

# Words written after a name that say which kind of place it is.
CUE_KINDS: dict[str, tuple[int, ...]] = {
    "province": (ADM1,),
    "provinces": (ADM1,),
    "state": (ADM1,),
    "region": (ADM1, REGION),
    "governorate": (ADM1,),
    "oblast": (ADM1,),
    "district": (ADM2, ADM1),
    "districts": (ADM2, ADM1),
    "agency": (ADM2,),
    "county": (ADM2,),
    "tribal district": (ADM2,),
    "city": (CITY,),
    "town": (CITY,),
    "village": (CITY,),
    "border crossing": (FEATURE, CITY),
    "crossing": (FEATURE, CITY),
    "valley": (FEATURE, ADM2),
    "pass": (FEATURE,),
}
_CUE_RE = re.compile(
    r"\s+(" + "|".join(sorted((re.escape(k) for k in CUE_KINDS), key=len, reverse=True)) + r")$",
    re.IGNORECASE,
)
_DIRECTION_RE = re.compile(
    r"^(?:the\s+)?(?:north|south|east|west|central|upper|lower|greater|"
    r"north[- ]?(?:east|west)|south[- ]?(?:east|west))(?:ern)?\s+",
    re.IGNORECASE,
)

_KIND_PRIOR = {COUNTRY: 11.0, REGION: 10.5}
FOCUS_BONUS = 4.0
CAPITAL_BONUS = 3.0
# "Tacoma, Washington": the writer placed the town; nothing else in the text says more.
ENCLOSING_BONUS = 6.0
# A list of states points to a state, about half as much as a cue word would.
SIBLING_BONUS = 2.5
# "central Washington", "rural Georgia": English puts these words before areas.
MODIFIER_BONUS = 3.5
# Bare direction words are never a place by themselves ("the West", "Western").
NOT_PLACES = {
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "centre",
    "center",
    "upper",
    "lower",
    "state",
    "city",
    "province",
    "district",
    "capital",
    "valley",
}
_QUALITY_PENALTY = (0.0, 0.3, 1.0, 1.0)
_CONF_QUALITY = (1.0, 0.9, 0.75, 0.75)


@dataclass
class Context:
    """What the document (and the sentence) tell about where its places are."""

    countries: dict[str, float] = field(default_factory=dict)
    """ISO2 -> weight in [0, 1] (1 = the document's main country)."""
    areas: dict[int, float] = field(default_factory=dict)
    """Admin rows (countries, provinces, districts) the document names -> weight."""
    local_areas: set[int] = field(default_factory=set)
    """Admin rows named in the same sentence: the strongest hierarchy evidence."""
    anchors: list[tuple[int, float, float]] = field(default_factory=list)
    """(row, lat, lon) of towns the document names unambiguously: a candidate near them is
    likelier than a namesake across the world ("Suffolk County" in a Long Island story)."""
    enclosing: frozenset[int] = frozenset()
    """Areas the text itself puts the name in: the province and district of the town
    written just before it ("Tacoma, Washington" is the state, not the capital)."""
    sibling_kinds: frozenset[int] = frozenset()
    """Kinds of the places listed with it ("California or Washington": a state)."""
    area_modifier: bool = False
    """A direction word precedes it ("central Washington"): an area, not a point."""


@dataclass(frozen=True, slots=True)
class Resolution:
    row: int
    score: float
    confidence: float
    quality: int = 0
    from_demonym: bool = False


def split_cue(text: str) -> tuple[str, tuple[int, ...] | None]:
    """("Andar district") -> ("Andar", (ADM2, ADM1)); a name without a cue is unchanged."""
    m = _CUE_RE.search(text)
    if m and m.start() > 0:
        return text[: m.start()], CUE_KINDS[m.group(1).lower()]
    return text, None


def prior(gaz: Gazetteer, row: int) -> float:
    t = gaz.t
    kind = t.kind[row]
    lp = math.log10(t.pop[row] + 10)
    if kind in _KIND_PRIOR and not (kind == REGION and t.cc[row]):
        return _KIND_PRIOR[kind]
    if kind in (ADM1, REGION):  # a region inside one country weighs like a province
        return 5.0 + 0.4 * lp
    if kind == ADM2:
        return 4.0 + 0.35 * lp
    if kind == CITY:
        return 1.2 * lp + (CAPITAL_BONUS if row in t.capitals else 0.0)
    return 1.2 * lp


def rank(
    gaz: Gazetteer,
    key: str,
    ctx: Context,
    *,
    cue: tuple[int, ...] | None = None,
    named_with_cue: frozenset[int] = frozenset(),
) -> list[tuple[float, int, int]]:
    """(score, row, quality) for every candidate of a normalised name, best first.

    ``named_with_cue``: rows whose own name is the text with its cue word ("Suffolk County" is the
    US county of that name before the English district "Suffolk").
    """
    t = gaz.t
    codes = t.index.get(key, ())
    if not codes or key in NOT_PLACES:
        return []
    cands = [(code >> 2, code & 3) for code in codes]
    if any(q == 0 for _r, q in cands):
        # A derived variant ("Mexico" from "Mexico City") never competes with a place of
        # exactly that name, unless the cue word asks for the variant's kind.
        # A "<X> City" inside the area X stays: "New York" is the city or the state.
        # An alternate spelling (quality 3: "Salisbury" for Harare) competes only when it
        # is a hundred times the size of every place of that name ("Seville", Spain, over
        # a hamlet in Ohio).
        exact = {r for r, q in cands if q == 0}
        alt_floor = 100 * max(1_000, *(t.pop[r] for r in exact))
        cands = [
            (r, q)
            for r, q in cands
            if q < 2
            or (q == 3 and t.pop[r] >= alt_floor)
            or (q == 2 and cue is not None and t.kind[r] in cue)
            or (
                q == 2
                and t.kind[r] == CITY
                and any(a in exact and t.pop[r] * 4 >= t.pop[a] for a in (t.adm1[r], t.adm2[r]))
            )
        ]
    own = {row for row, _q in cands}
    city_pop: dict[int, int] = {}
    biggest_city = 0
    for row, _q in cands:  # admin areas that contain a same-name city of their size
        if t.kind[row] == CITY:
            pop = t.pop[row]
            if pop > biggest_city:
                biggest_city = pop
            for area in (t.adm1[row], t.adm2[row]):
                if area >= 0 and pop > city_pop.get(area, -1):
                    city_pop[area] = pop
    # The population of a province or country with exactly this name: a village of the
    # same name (Wales, a village in England) is no rival for it even next to its parent.
    big_area = max(
        (t.pop[r] for r, q in cands if q == 0 and t.kind[r] in (COUNTRY, ADM1)), default=0
    )
    out = []
    for row, q in cands:
        kind = t.kind[row]
        s = prior(gaz, row) - _QUALITY_PENALTY[q]
        cc = t.cc[row]
        if cc:
            s += FOCUS_BONUS * ctx.countries.get(cc, 0.0)
        # Hierarchy evidence, except from an area that is this very name ("California" is
        # no evidence for California City).
        if kind in (ADM1, ADM2) and row not in city_pop:
            s += 2.0 * ctx.areas.get(row, 0.0)  # named through its cities ("Atlanta")
        if kind not in (COUNTRY, REGION):
            parents = [a for a in (t.adm1[row], t.adm2[row]) if a >= 0 and a not in own]
            # A province the story names elsewhere is weaker evidence for a town when a
            # namesake thirty times its size exists ("Portland" in a Texas sports story).
            dwarfed = t.pop[row] * 30 < biggest_city
            s += (1.25 if dwarfed else 2.5) * max(
                (ctx.areas.get(a, 0.0) for a in parents), default=0.0
            )
            if any(a in ctx.local_areas for a in parents):
                s += (1.0 if dwarfed else 4.0) if t.pop[row] * 100 >= big_area else 0.0
            elif t.country_row.get(cc) in ctx.local_areas:
                s += 1.0
        if row in ctx.enclosing:
            s += ENCLOSING_BONUS
        if ctx.sibling_kinds:  # "Oregon and Washington": the state, not a county in Oregon
            s += SIBLING_BONUS if kind in ctx.sibling_kinds else -SIBLING_BONUS
        if ctx.area_modifier and kind in (COUNTRY, ADM1, ADM2, REGION):
            s += MODIFIER_BONUS
        if ctx.anchors and kind in (CITY, ADM2, FEATURE) and len(cands) > 1:
            s += _anchor_bonus(t, row, ctx.anchors, own)
        if cue is not None:
            s += 5.0 if kind in cue else -1.0
            if row in named_with_cue:
                s += 1.0
        elif kind in (ADM1, ADM2) and city_pop.get(row, 0) * 4 >= t.pop[row] > 0:
            s -= 1.5  # "Kandahar", "New York": the city unless the text says "province"
        out.append((s, row, q))
    out.sort(reverse=True)
    return out


def implausible(gaz: Gazetteer, res: Resolution, ctx: Context) -> bool:
    """A match no reader would make: a hamlet (under 5,000 people) or a county known only
    by its bare name ("Franklin" for Franklin County) far (300+ km) from every town the
    document names. Such a name is a street, a building or a word, not that place."""
    t = gaz.t
    row = res.row
    kind = t.kind[row]
    small = kind == CITY and t.pop[row] < 5_000
    bare_county = kind == ADM2 and res.quality == 2
    if not (small or bare_county) or len(ctx.anchors) < 2:
        return False
    return _anchor_bonus(t, row, ctx.anchors, {row}) == 0.0


def _anchor_bonus(t, row: int, anchors: list[tuple[int, float, float]], own: set[int]) -> float:
    """Closeness to other towns of the document; a namesake of this very name is no anchor."""
    lat, lon = t.lat[row], t.lon[row]
    coslat = math.cos(math.radians(lat))
    best = 1e9
    for arow, alat, alon in anchors:
        if arow in own:
            continue
        dy = (alat - lat) * 111.2
        dx = (alon - lon) * 111.2 * coslat
        best = min(best, dx * dx + dy * dy)
    if best <= 100.0**2:
        return 2.0
    if best <= 300.0**2:
        return 1.0
    return 0.0


def resolve_key(
    gaz: Gazetteer,
    key: str,
    ctx: Context,
    *,
    cue: tuple[int, ...] | None = None,
    named_with_cue: frozenset[int] = frozenset(),
) -> Resolution | None:
    ranked = rank(gaz, key, ctx, cue=cue, named_with_cue=named_with_cue)
    if not ranked:
        return None
    best, row, q = ranked[0]
    margin = best - ranked[1][0] if len(ranked) > 1 else 4.0
    conf = (0.5 + 0.5 * math.tanh(margin / 2)) * _CONF_QUALITY[q]
    return Resolution(row, best, conf, q)


def resolve_name(gaz: Gazetteer, text: str, ctx: Context) -> Resolution | None:
    """Resolve a toponym as written, trying the forms news writes around names.

    Order: the name itself; without a cue word ("Khost province"); without a direction
    ("northern Syria"); the part before a comma ("Quetta, Pakistan"); a demonym
    ("Russian" -> Russia), which the recogniser never passes but gold spans do.
    """
    name, cue = split_cue(text.strip())
    key = norm(name)
    if key.startswith("the "):
        key = key[4:]
    target = gaz.t.demonyms.get(key)
    if target is not None and cue is None and not _strong_name(gaz, key):
        row = _demonym_row(gaz, target, ctx) if target else None
        return Resolution(row, 0.0, 0.6) if row is not None else None
    with_cue: frozenset[int] = frozenset()
    if cue is not None:
        full = norm(text.strip())
        with_cue = frozenset(c >> 2 for c in gaz.t.index.get(full, ()) if c & 3 == 0)
    res = resolve_key(gaz, key, ctx, cue=cue, named_with_cue=with_cue)
    if res is not None:
        return res
    stripped = _DIRECTION_RE.sub("", name)
    if stripped != name:
        res = resolve_key(gaz, norm(stripped), ctx, cue=cue)
        if res is not None:
            return Resolution(res.row, res.score, res.confidence * 0.8)
    if "," in name:
        res = resolve_key(gaz, norm(name.split(",")[0]), ctx, cue=cue)
        if res is not None:
            return res
    target = gaz.t.demonyms.get(key) or gaz.t.demonyms.get(norm(stripped))
    if target:
        row = _demonym_row(gaz, target, ctx)
        if row is not None:
            return Resolution(row, 0.0, 0.6)
    return None


def resolve_embedded(gaz: Gazetteer, text: str, ctx: Context) -> Resolution | None:
    """A strong place name inside an unknown longer one: "Colorado State University",
    "US Federal Reserve", "European Commission". Only countries, provinces, cities of
    100,000+ and country demonyms count, so "Royal Street" does not become a town "Royal".
    """
    words = text.replace("-", " ").replace("/", " ").split()
    if len(words) < 2:
        return None
    parts = [
        " ".join(words[i : i + size])
        for size in range(len(words) - 1, 0, -1)
        for i in range(len(words) - size + 1)
    ]
    keys = [norm(p) for p in parts if p[:1].isupper()]
    keys = [k for k in keys if k not in NOT_PLACES]
    for key in keys:  # a place name first: "British Embassy Tokyo" is in Tokyo
        if _strong_name(gaz, key):
            res = resolve_key(gaz, key, ctx)
            if res is not None:
                return Resolution(res.row, res.score, res.confidence * 0.5)
    for key in keys:  # then a demonym: "European Commission"
        target = gaz.t.demonyms.get(key)
        if target:
            row = _demonym_row(gaz, target, ctx)
            if row is not None:
                return Resolution(row, 0.0, 0.4, from_demonym=True)
    return None


def _strong_name(gaz: Gazetteer, key: str) -> bool:
    """A name that is a country, province or sizeable city in its own right ("Jordan")."""
    t = gaz.t
    for code in t.index.get(key, ()):
        row = code >> 2
        kind = t.kind[row]
        if code & 3 == 0 and (
            kind in (COUNTRY, REGION) or (kind in (ADM1, CITY) and t.pop[row] >= 100_000)
        ):
            return True
    return False


def _demonym_row(gaz: Gazetteer, target: str, ctx: Context) -> int | None:
    if target[0] in "@=":
        res = resolve_key(gaz, norm(target[1:]), ctx)
        return res.row if res else None
    return gaz.country_row(target)
