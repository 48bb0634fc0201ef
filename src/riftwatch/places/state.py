"""Per-document place memory: the document's country and admin focus, found by a cheap scan.

Resolution needs to know what the whole article is about ("Hyderabad" in a story about
Sindh), but the pipeline parses only some sentences. So ``new_state`` scans the raw
document text once for gazetteer names (capitalised word runs, longest match first),
resolves them with the countries they name, and keeps weights: countries, and admin areas
(provinces, districts) named directly or through their cities.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from riftwatch.model import Document, Place

from .gazetteer import Gazetteer
from .normalize import norm
from .resolve import Context, Resolution, resolve_key, resolve_name
from .store import ADM1, ADM2, CITY, COUNTRY, FEATURE, REGION, Tables

_WORD = re.compile(r"\w[\w’'.\-]*\w|\w")
_CONNECTORS = {"of", "de", "al", "el", "and", "la", "du", "des", "del", "upon", "on", "am"}
MAX_WORDS = 4


@lru_cache(maxsize=65536)
def is_common_word(word: str) -> bool:
    """True for a lower-cased word frequent in English ("Mobile", "Reading", "Bath")."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= 4.3


@dataclass
class PlaceState:
    """What ``toponyms`` and ``locate_event`` remember about one document."""

    gazetteer: Gazetteer
    context: Context
    dateline: str | None = None
    local_row: int | None = None
    """The document's most-named locality: where unnamed local features most likely are."""
    mentions: list[tuple[int, int, int]] = field(default_factory=list)
    """(start, end, row) of confidently resolved names in the document text (title first)."""
    offset: int = 0
    """Where the document text starts in the scanned text (after the title)."""
    persons: set[str] = field(default_factory=set)
    """Surnames of people named so far ("Dewly Nelson"): a later bare "Nelson" is them."""
    _dateline_place: Place | None = field(default=None, repr=False)
    _dateline_done: bool = field(default=False, repr=False)

    def dateline_place(self) -> Place | None:
        """The dateline city as a Place with resolution "dateline" (resolved lazily)."""
        if not self._dateline_done:
            self._dateline_done = True
            if self.dateline:
                res = resolve_name(self.gazetteer, self.dateline.title(), self.context)
                if res is not None:
                    self._dateline_place = self.gazetteer.place(
                        res.row,
                        extracted=self.dateline,
                        confidence=res.confidence * 0.8,
                        resolution="dateline",
                    )
        return self._dateline_place


# Words that make the name before them a street or a square, not the place it is named for.
STREET_WORDS = {
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "drive",
    "boulevard",
    "blvd",
    "lane",
    "parkway",
    "highway",
    "terrace",
    "crescent",
    "square",
    "plaza",
}
LOCATIVE_WORDS = {"in", "at", "near", "from", "across", "inside", "outside", "to", "into", "around"}
# "the town of Southold", "the outskirts of Quetta": what follows "of" is a place.
PLACE_NOUNS = {
    "town",
    "city",
    "village",
    "hamlet",
    "suburb",
    "suburbs",
    "outskirts",
    "province",
    "district",
    "county",
    "state",
    "region",
    "capital",
    "port",
    "island",
}
# A name introduced by these words is what something is called ("the street was later
# called Lafayette", "a ship named Houston"), not where the story is.
NAMING_WORDS = {"called", "named", "renamed", "dubbed", "nicknamed", "christened"}


def scan_names(
    gaz: Gazetteer, text: str, *, title_end: int = 0
) -> list[tuple[int, int, str, bool]]:
    """(start, end, key, after_locative) of gazetteer names in raw text.

    Longest match first, no overlaps; ``after_locative`` says a word like "in" or "near"
    precedes the name, which makes a one-word match far more likely a place.
    ``text[:title_end]`` is a headline: when it is in Title Case, a capitalised neighbour
    says nothing ("Epicurean Santa Barbara Opens ...").
    """
    words = [_no_possessive(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    loose_until = title_end if _title_case([w for w in words if w[0] < title_end]) else 0
    out: list[tuple[int, int, str, bool]] = []
    index = gaz.t.index
    demonyms = gaz.t.demonyms
    i = 0
    n = len(words)
    while i < n:
        w = words[i][2]
        if not w[0].isupper():
            i += 1
            continue
        found = False
        for size in range(min(MAX_WORDS, n - i), 0, -1):
            last = words[i + size - 1][2]
            if not last[0].isupper():
                continue
            inner = words[i + 1 : i + size - 1]
            if any(not x[2][0].isupper() and x[2].lower() not in _CONNECTORS for x in inner):
                continue
            start, end = words[i][0], words[i + size - 1][1]
            key = norm(text[start:end])
            loose = end <= loose_until
            if (key in index or key in demonyms) and not _inside_longer_name(
                words, i, i + size, loose=loose
            ):
                if size == 1 and key not in demonyms and _weak_single(gaz, key, w):
                    break
                prev = words[i - 1][2].lower() if i else ""
                before = words[i - 2][2].lower() if i > 1 else ""
                locative = prev in LOCATIVE_WORDS or (prev == "of" and before in PLACE_NOUNS)
                if prev not in NAMING_WORDS:
                    out.append((start, end, key, locative))
                i += size
                found = True
                break
        if not found:
            i += 1
    return out


def _no_possessive(start: int, end: int, word: str) -> tuple[int, int, str]:
    """ "Iowa's" -> "Iowa": news names places in the possessive all the time."""
    if word.endswith(("'s", "’s")) and len(word) > 3:
        return start, end - 2, word[:-2]
    return start, end, word


def _title_case(words: list[tuple[int, int, str]]) -> bool:
    """A headline with (nearly) every longer word capitalised."""
    longer = [w for _s, _e, w in words if len(w) > 3]
    return len(longer) >= 3 and sum(w[:1].isupper() for w in longer) >= 0.8 * len(longer)


def _inside_longer_name(
    words: list[tuple[int, int, str]], i: int, j: int, *, loose: bool = False
) -> bool:
    """True when words[i:j] sit inside a longer capitalised name ("Marigny Plantation",
    "Ronald Wilson Reagan Middle"): a part of a street, school or person name is no
    evidence of a place. Common English neighbours ("The", "Airport") do not count, nor
    do any capitalised neighbours in a Title Case headline (``loose``)."""
    for k, gap_from, gap_to in ((i - 1, i - 1, i), (j, j - 1, j)):
        if not 0 <= k < len(words):
            continue
        w = words[k][2]
        adjacent = words[gap_to][0] - words[gap_from][1] == 1  # a single space between them
        if k == j and adjacent and w.lower().rstrip(".") in STREET_WORDS:
            return True  # "Northumberland Avenue", "Lafayette Street"
        if loose or not w[:1].isupper() or is_common_word(w.lower()):
            continue
        if adjacent:
            return True
    return False


def _weak_single(gaz: Gazetteer, key: str, word: str) -> bool:
    """A one-word match too doubtful for focus: a common English word, not a famous place."""
    if word.isupper() and len(word) <= 3:
        return not any(gaz.t.kind[c >> 2] == COUNTRY for c in gaz.t.index[key])
    if not is_common_word(key):
        return False
    # Frequent in English because it is famous ("Iowa", "London"), not because it is a
    # word ("Reading", "Mobile", "Paul"): a country, a province of half a million, a
    # capital or a city of half a million.
    t = gaz.t
    for c in t.index[key]:
        row, kind = c >> 2, t.kind[c >> 2]
        if kind == COUNTRY or (c & 3 == 0 and kind == ADM1 and t.pop[row] >= 500_000):
            return False
        if kind == CITY and (t.pop[row] >= 500_000 or row in t.capitals):
            return False
    return True


def document_context(
    gaz: Gazetteer, text: str, country_focus: list[str] | None = None, *, title_end: int = 0
) -> tuple[Context, int | None, list[tuple[int, int, int]]]:
    """The document's Context, its most-named locality row and its resolved names."""
    t = gaz.t
    mentions = scan_names(gaz, text, title_end=title_end)
    countries: Counter[str] = Counter()
    for _s, _e, key, _loc in mentions:
        target = t.demonyms.get(key)
        if target is not None:
            if len(target) == 2:
                countries[target] += 0.5
            continue
        rows = [code >> 2 for code in t.index.get(key, ())]
        country = [r for r in rows if t.kind[r] == COUNTRY]
        rivals = [r for r in rows if t.kind[r] == ADM1 or t.pop[r] >= 100_000]
        if country and not [r for r in rivals if r not in country]:
            # Only unambiguous country names count here: "Georgia" may be the US state.
            countries[t.cc[country[0]]] += 1.0
    ctx = Context(countries=_normalise(countries))
    for cc, w in _focus_weights(gaz, country_focus).items():
        ctx.countries[cc] = max(ctx.countries.get(cc, 0.0), w)

    # Pass 1: the admin areas the document names outright ("Virginia", "Ghazni province").
    # Pass 2 resolves every name with them, so "Gainesville" in a story naming Virginia is
    # Gainesville, Virginia, not the larger Gainesville, Florida.
    named: Counter[int] = Counter()
    named_at: list[tuple[int, int, int]] = []
    kinds = t.kind
    for start, end, key, after_locative in mentions:
        if key in t.demonyms or not any(kinds[c >> 2] in (ADM1, ADM2) for c in t.index[key]):
            continue
        res = resolve_key(gaz, key, ctx)
        if res is None or res.confidence < 0.6 or _bare_county(t, res, after_locative):
            continue
        if kinds[res.row] in (ADM1, ADM2):
            named[res.row] += 1.0
            named_at.append((start, end, res.row))
    ctx.areas = _normalise(named)

    areas: Counter[int] = Counter()
    locals_: Counter[int] = Counter()
    resolved: list[tuple[int, int, int]] = []
    for start, end, key, after_locative in mentions:
        if key in t.demonyms:
            continue
        ctx.local_areas = {r for s, e, r in named_at if abs(s - end) < 150 or abs(start - e) < 150}
        res = resolve_key(gaz, key, ctx)
        if res is None or res.confidence < 0.6 or _bare_county(t, res, after_locative):
            continue
        row = res.row
        kind = t.kind[row]
        if res.quality == 3 and not after_locative and " " not in key:
            continue  # a one-word alternate spelling ("Levi") is as likely a person
        if not after_locative and kind not in (COUNTRY, ADM1, ADM2):
            # A lone capitalised word naming a small place is likely a person; a small
            # multi-word "place" is likely a street or square of the same name.
            if t.pop[row] < (50_000 if " " not in key else 1_000):
                continue
        if kind == CITY and t.pop[row] < 50_000 and key.rsplit(" ", 1)[-1] in STREET_WORDS:
            continue  # "Washington Square": in a news story, the square
        resolved.append((start, end, row))
        if t.cc[row] and kind != COUNTRY:
            countries[t.cc[row]] += 0.5
        if kind in (ADM1, ADM2):
            areas[row] += 1.0
            locals_[row] += 0.4 if kind == ADM1 else 0.7
        elif kind == CITY:
            for a in (t.adm1[row], t.adm2[row]):
                if a >= 0:
                    areas[a] += 0.5
            # A one-word name opening a sentence or the title is capitalised anyway
            # ("Fishers warned to stay out of the water"): weaker evidence of the locale.
            opening = " " not in key and _opens_sentence(text, start)
            locals_[row] += 0.5 if opening else 1.0
            if t.adm1[row] in ctx.local_areas:  # "Gainesville, Va.": placed by its writer
                locals_[row] += 0.5
    ctx.local_areas = set()
    merged = _normalise(countries)
    for cc, w in _focus_weights(gaz, country_focus).items():
        merged[cc] = max(merged.get(cc, 0.0), w)
    ctx.countries = merged
    ctx.areas = _normalise(areas)
    seen: set[int] = set()
    for _s, _e, row in resolved:
        if t.kind[row] in (CITY, ADM2) and row not in seen and len(ctx.anchors) < 12:
            seen.add(row)
            ctx.anchors.append((row, t.lat[row], t.lon[row]))
    return ctx, _main_locality(gaz, locals_, merged, named), resolved


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip()
    return not before or before[-1] in '.!?:\n"“'


def _bare_county(t: Tables, res: Resolution, after_locative: bool) -> bool:
    """ "Reagan" for Reagan County: a surname far likelier than a small county, unless the
    text says "in Reagan"."""
    return (
        t.kind[res.row] == ADM2
        and res.quality > 0
        and not after_locative
        and t.pop[res.row] < 100_000
    )


def _main_locality(
    gaz: Gazetteer, locals_: Counter[int], countries: dict[str, float], named: Counter[int]
) -> int | None:
    """The document's most-named locality in its main country, preferring one inside a
    province the document names (a town elsewhere is likelier a namesake or a passing
    mention). With no town at all, the largest city of the most-named province stands in:
    an unnamed street in a story about Louisiana is likelier in New Orleans than anywhere.
    """
    t = gaz.t
    top = max(countries.values(), default=0.0)
    provinces = {
        (r if t.kind[r] == ADM1 else t.adm1[r])
        for r in named
        if countries.get(t.cc[r], 0.0) >= top * 0.8
    }
    provinces.discard(-1)

    def score(row: int) -> float:
        inside = row in provinces or t.adm1[row] in provinces
        return locals_[row] + (0.75 if inside else 0.0)

    main = [r for r in locals_ if countries.get(t.cc[r], 0.0) >= top * 0.8]
    if main:
        return max(main, key=score)  # ties: the first named (the title's)
    if not provinces:
        return None
    province = max(provinces, key=lambda r: (named.get(r, 0.0), t.pop[r]))
    return gaz.largest_city(province)


def _focus_weights(gaz: Gazetteer, country_focus: list[str] | None) -> dict[str, float]:
    """The pipeline's ISO3 focus list as ISO2 weights: 1.0, 0.7, 0.4, then 0.3."""
    out: dict[str, float] = {}
    for rank_, iso3 in enumerate(country_focus or []):
        iso2 = gaz.iso2_of_iso3(iso3)
        if iso2 and iso2 not in out:
            out[iso2] = max(0.3, 1.0 - 0.3 * rank_)
    return out


def _normalise(counts: Counter) -> dict:
    """Weights as shares of all mentions, so one dominant country weighs 1 and two
    equally named countries 0.5 each: a foreign megacity can then beat a local hamlet."""
    total = sum(v for v in counts.values() if v > 0)
    if total <= 0:
        return {}
    return {k: v / total for k, v in counts.items() if v > 0}


def new_state(
    document: Document | None,
    country_focus: list[str] | None = None,
    *,
    gazetteer: Gazetteer | None = None,
) -> PlaceState:
    """The per-document state the pipeline hands to ``toponyms`` and ``locate_event``.

    ``country_focus`` is the pipeline's ISO3 list (most-mentioned first); it is merged with
    the gazetteer's own scan of the document text.
    """
    gaz = gazetteer or Gazetteer.load()
    text = document.text if document is not None else ""
    offset = 0
    if document is not None and document.title:
        offset = len(document.title) + 1
        text = document.title + "\n" + text
    ctx, local, resolved = document_context(gaz, text, country_focus, title_end=offset)
    dateline = document.dateline_place if document is not None else None
    return PlaceState(
        gazetteer=gaz,
        context=ctx,
        dateline=dateline,
        local_row=local,
        mentions=resolved,
        offset=offset,
    )


def areas_near(state: PlaceState, start: int, end: int, *, window: int = 150) -> set[int]:
    """Admin rows named within ``window`` characters of a span of the document text.

    "Andar district, Ghazni province": the province beside the district is the best
    hierarchy evidence there is, far better than the document-wide focus.
    """
    t = state.gazetteer.t
    lo, hi = start + state.offset - window, end + state.offset + window
    s0, e0 = start + state.offset, end + state.offset
    out: set[int] = set()
    for ms, me, row in state.mentions:
        if me < lo or ms > hi or (ms < e0 and me > s0):
            continue
        if t.kind[row] in (ADM1, ADM2, COUNTRY):
            out.add(row)
        elif t.kind[row] == CITY and t.adm1[row] >= 0:
            out.add(t.adm1[row])
    return out


# What may stand between a town and the area written after it ("Tacoma, Washington") and
# between the items of a list ("California or Washington", "Ohio, Iowa and Utah").
_COMMA = re.compile(r"^\s*,\s*$")
_LIST_JOIN = re.compile(r"^\s*(?:,|,?\s*(?:and|or|&|/))\s*$")
_AREA_WORDS = re.compile(
    r"(?:^|\s)(?:north|south|east|west|central|upper|lower|northern|southern|eastern|"
    r"western|north-?eastern|north-?western|south-?eastern|south-?western|rural|"
    r"across|throughout)\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Relations:
    """What the words right around a name say about it (see ``Context``)."""

    enclosing: frozenset[int] = frozenset()
    sibling_kinds: frozenset[int] = frozenset()
    area_modifier: bool = False


NO_RELATIONS = Relations()


def relations(
    t: Tables, text: str, start: int, end: int, neighbours: list[tuple[int, int, int]]
) -> Relations:
    """The town written just before a name with a comma, the provinces or countries listed
    with it, and a direction word in front of it. ``neighbours`` are (start, end, row) of
    the resolved names of ``text`` (offsets in ``text``), in text order."""
    enclosing: set[int] = set()
    siblings: set[int] = set()
    for ms, me, row in neighbours:
        if me <= start and start - me <= 6:
            between = text[me:start]
            kind = t.kind[row]
            if kind in (CITY, FEATURE) and _COMMA.match(between):
                enclosing.update(a for a in (t.adm1[row], t.adm2[row]) if a >= 0)
            elif kind in (ADM1, COUNTRY) and _LIST_JOIN.match(between):
                siblings.update((ADM1, COUNTRY))  # "Hawaii and Guam": either is an area
        elif ms >= end and ms - end <= 6:
            # Only "and"/"or" after it: "Portland, Oregon" is a town and its state.
            between = text[end:ms]
            if t.kind[row] in (ADM1, COUNTRY) and _LIST_JOIN.match(between) and "," not in between:
                siblings.update((ADM1, COUNTRY))
    modifier = bool(_AREA_WORDS.search(text[max(0, start - 20) : start]))
    if not (enclosing or siblings or modifier):
        return NO_RELATIONS
    return Relations(frozenset(enclosing), frozenset(siblings), modifier)


def document_relations(state: PlaceState, text: str, start: int, end: int) -> Relations:
    """``relations`` of a span of the document text, from the names the state resolved."""
    off = state.offset
    near = [
        (ms - off, me - off, row)
        for ms, me, row in state.mentions
        if ms >= off and start - 8 <= me - off and ms - off <= end + 8
    ]
    return relations(state.gazetteer.t, text, start, end, near)


_WRITTEN_IN = re.compile(r"^\s*(?:,|\bin\b|\bat\b|\bnear\b|\boutside\b)\s*(?:the\s+)?$")


def place_written_after(state: PlaceState, text: str, end: int) -> int | None:
    """The place the writer puts an unknown feature in: "the Palais des Nations in Geneva",
    "Oulton Park, Cheshire". ``end`` is the feature's end offset in the document text."""
    t = state.gazetteer.t
    for ms, _me, row in state.mentions:
        ds = ms - state.offset
        if end <= ds <= end + 12 and t.kind[row] != REGION and _WRITTEN_IN.match(text[end:ds]):
            return row
    return None


def nearest_locality(state: PlaceState, start: int, end: int) -> int | None:
    """The city or district named closest before (else after) a span, in the main country.

    Local features (streets, churches, schools) are described right after the town they
    are in; failing that, the document's most-named locality.
    """
    t = state.gazetteer.t
    s0 = start + state.offset
    ok = {row for _s, _e, row in state.mentions if t.kind[row] in (CITY, ADM2)}
    if state.local_row is not None:
        main = t.cc[state.local_row]
        ok = {row for row in ok if t.cc[row] == main}
    best, best_d = None, None
    for ms, me, row in state.mentions:
        if row not in ok or (ms < end + state.offset and me > s0):
            continue
        d = s0 - me if me <= s0 else 3 * (ms - s0)  # prefer the town named before
        if best_d is None or d < best_d:
            best, best_d = row, d
    if best is not None:
        return best
    local = state.local_row
    if local is not None and t.kind[local] == ADM1:
        # A street or church in a story about a province is likelier in its main city
        # than at the province's centre.
        return state.gazetteer.largest_city(local) or local
    return local
