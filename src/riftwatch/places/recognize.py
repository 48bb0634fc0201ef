"""Toponym recognition in a parsed sentence: which spans of ``doc.text`` name places.

Sources, in order: spaCy GPE/LOC/FAC entities; entities of other labels that the gazetteer
knows as a province, district or country (en_core_web_sm tags "Paktika" as NORP) or that
follow a locative preposition; and capitalised word runs outside any entity that the
gazetteer knows, when the context makes them places (a preposition before, a cue word
such as "province" after, or an admin/country name).

Two kinds of place-looking mentions are not locations: demonyms ("Afghan", "Pakistani")
and capitals or countries used as governments ("Islamabad said", "Kabul rejected") — those
are actors, for the actor coder.
"""

from __future__ import annotations

from dataclasses import dataclass

from riftwatch.model import Place

from .normalize import norm
from .resolve import CUE_KINDS, NOT_PLACES, Context, resolve_name
from .state import LOCATIVE_WORDS, NO_RELATIONS, PlaceState, is_common_word, relations
from .store import ADM1, ADM2, CITY, COUNTRY, FEATURE, REGION

PLACE_LABELS = {"GPE", "LOC", "FAC"}
OTHER_LABELS = {"NORP", "ORG", "PERSON"}
SKIP_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
# Verbs of speech, stance and decision: their subject is an actor, even when a place name.
GOVERNMENT_VERBS = {
    "say",
    "tell",
    "announce",
    "reject",
    "accuse",
    "deny",
    "warn",
    "condemn",
    "urge",
    "demand",
    "agree",
    "claim",
    "insist",
    "blame",
    "respond",
    "protest",
    "summon",
    "welcome",
    "call",
    "threaten",
    "vow",
    "refuse",
    "decide",
    "order",
    "ask",
    "allege",
    "dismiss",
    "confirm",
    "express",
    "want",
    "seek",
    "sign",
    "approve",
    "criticize",
    "criticise",
    "react",
    "retaliate",
    "expel",
    "recall",
    "impose",
    "lodge",
    "offer",
    "propose",
    "pledge",
    "promise",
    "declare",
    "state",
    "argue",
    "maintain",
    "push",
    "press",
    "hope",
    "believe",
    "fear",
    "suspect",
    "plan",
}
GOVERNMENT_NOUNS = {
    "decision",
    "government",
    "position",
    "response",
    "stance",
    "policy",
    "move",
    "statement",
    "demand",
    "claim",
    "refusal",
    "accusation",
    "rejection",
    "call",
    "offer",
    "proposal",
    "warning",
    "concern",
    "objection",
    "request",
}
_CUE_WORDS = {w for w in CUE_KINDS if " " not in w}


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    """Token index of the first token (end exclusive below)."""
    end: int
    text: str
    char_start: int
    char_end: int


def _strip_span(doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading determiner and a trailing possessive from a token span."""
    while start < end and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    while end > start and doc[end - 1].tag_ == "POS":
        end -= 1
    return start, end


def _after_locative(doc, start: int) -> bool:
    return start > 0 and doc[start - 1].lower_ in LOCATIVE_WORDS


def _cue_after(doc, end: int) -> bool:
    return end < len(doc) and doc[end].lower_ in _CUE_WORDS


def _extend(doc, start: int, end: int, index: dict) -> tuple[int, int]:
    """Grow an entity over neighbouring capitalised tokens when that makes a longer
    gazetteer name (the model cuts "Miran Shah" to "Miran", "Angoor Adda" to "Adda")."""
    best = (start, end)
    best_len = end - start if norm(doc[start:end].text) in index else 0
    for left in (0, 1, 2):
        s0 = start - left
        if s0 < 0 or not all(doc[k].text[:1].isupper() for k in range(s0, start)):
            break
        for right in (0, 1, 2):
            e0 = end + right
            if e0 > len(doc) or not all(doc[k].text[:1].isupper() for k in range(end, e0)):
                break
            if (left or right) and e0 - s0 > best_len and norm(doc[s0:e0].text) in index:
                best, best_len = (s0, e0), e0 - s0
    return best


def candidate_mentions(doc, state: PlaceState) -> list[Mention]:
    """Token spans that may be toponyms (before metonymy and demonym filtering)."""
    gaz = state.gazetteer
    t = gaz.t
    taken = [False] * len(doc)
    out: list[Mention] = []

    def add(start: int, end: int) -> None:
        start, end = _strip_span(doc, start, end)
        if start >= end:
            return
        if _cue_after(doc, end):
            end += 1  # "Andar district": keep the cue, it steers resolution
        span = doc[start:end]
        out.append(Mention(start, end, span.text, span.start_char, span.end_char))
        for i in range(start, end):
            taken[i] = True

    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) > 1:
            state.persons.add(ent[-1].lower_)
    for ent in doc.ents:
        if ent.label_ in SKIP_LABELS:  # "in August 2021" is no town called August
            for i in range(ent.start, ent.end):
                taken[i] = True
            continue
        text = ent.text
        key = norm(text)
        if key.startswith("the "):
            key = key[4:]
        if ent.label_ == "PERSON" and len(ent) > 1 and not _after_locative(doc, ent.start):
            for i in range(ent.start, ent.end):  # "Dewly Nelson" is a person, not Nelson
                taken[i] = True
            continue
        if ent.label_ in PLACE_LABELS:
            add(*_extend(doc, ent.start, ent.end, t.index))
        elif ent.label_ in OTHER_LABELS and key in t.index and key not in t.demonyms:
            kinds = {t.kind[c >> 2] for c in t.index[key]}
            if ent.label_ == "NORP" and kinds & {COUNTRY, ADM1, ADM2, REGION}:
                add(ent.start, ent.end)
            elif _after_locative(doc, ent.start) or _cue_after(doc, ent.end):
                add(ent.start, ent.end)

    # Gazetteer matches outside entities (longest first, at most four tokens).
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if taken[i] or not tok.text[:1].isupper() or tok.pos_ not in ("PROPN", "NOUN", "ADJ"):
            i += 1
            continue
        matched = False
        for size in range(min(4, n - i), 0, -1):
            j = i + size
            if any(taken[k] for k in range(i, j)) or not doc[j - 1].text[:1].isupper():
                continue
            key = norm(doc[i:j].text)
            codes = t.index.get(key)
            if not codes or key in t.demonyms or key in NOT_PLACES:
                continue
            # A county known only by its bare name ("Nelson" for Nelson County) is as
            # likely a surname: it needs context like any small town.
            strong = any(t.kind[c >> 2] in (COUNTRY, ADM1, ADM2) and c & 3 < 2 for c in codes)
            # A one-word alternate spelling ("Levi", "Julia") is as likely a person's name:
            # it needs the model's GPE label or a locative word like "in" before it.
            rows = [c >> 2 for c in codes if size > 1 or c & 3 < 3]
            context = _after_locative(doc, i) or _cue_after(doc, j)
            big = any(t.kind[r] in (CITY, FEATURE) and t.pop[r] >= 100_000 for r in rows)
            common = size == 1 and is_common_word(key)
            if (strong and not common) or context or (big and not common and i > 0):
                add(i, j)
                i = j
                matched = True
                break
        if not matched:
            i += 1
    out.sort(key=lambda m: m.start)
    return out


def is_government(doc, m: Mention, row: int, state: PlaceState) -> bool:
    """A capital or country standing for its government ("Islamabad said")."""
    t = state.gazetteer.t
    if not (t.kind[row] == COUNTRY or row in t.capitals):
        return False
    root = doc[m.start : m.end].root
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in GOVERNMENT_VERBS:
        return True
    if root.dep_ == "poss" and root.head.lemma_.lower() in GOVERNMENT_NOUNS:
        return True
    # "Islamabad's decision", read off the words since the parse often attaches it wrongly.
    nxt = m.end
    if nxt + 1 < len(doc) and doc[nxt].lower_ in ("'s", "’s", "'"):
        if doc[nxt + 1].lemma_.lower() in GOVERNMENT_NOUNS:
            return True
    # "Kabul and Islamabad agreed": a conjunct of such a subject.
    head = root
    while head.dep_ == "conj":
        head = head.head
    if head is not root and head.dep_ in ("nsubj", "nsubjpass"):
        return head.head.lemma_.lower() in GOVERNMENT_VERBS
    return False


def toponyms(doc, *, state: PlaceState) -> list[Place]:
    """Every resolved place named in a parsed sentence, in text order.

    Spans are character offsets in ``doc.text``. Demonyms and capitals or countries used as
    governments are left out (they are actors, not locations).
    """
    gaz = state.gazetteer
    t = gaz.t
    mentions = [
        m
        for m in candidate_mentions(doc, state)
        if not _is_demonym(state, m.text) and m.text.lower() not in state.persons
    ]
    if not mentions:
        return []
    # Areas named in this sentence steer each other ("Andar district, Ghazni province").
    first: list[int | None] = []
    local: set[int] = set()
    base = state.context
    for m in mentions:
        res = resolve_name(gaz, m.text, base)
        first.append(res.row if res else None)
        if res is not None and t.kind[res.row] in (ADM1, ADM2, COUNTRY):
            local.add(res.row)
    out: list[Place] = []
    resolved = [
        (m.char_start, m.char_end, row)
        for m, row in zip(mentions, first, strict=True)
        if row is not None
    ]
    for m, row0 in zip(mentions, first, strict=True):
        if row0 is None:
            continue
        others = local - {row0}
        rel = (
            relations(t, doc.text, m.char_start, m.char_end, resolved)
            if len(resolved) > 1 or m.char_start > 0
            else NO_RELATIONS
        )
        ctx = Context(
            countries=base.countries,
            areas=base.areas,
            local_areas=others,
            anchors=base.anchors,
            enclosing=rel.enclosing,
            sibling_kinds=rel.sibling_kinds,
            area_modifier=rel.area_modifier,
        )
        again = others or rel is not NO_RELATIONS
        res = resolve_name(gaz, m.text, ctx) if again else None
        row = res.row if res else row0
        conf = res.confidence if res else _confidence(gaz, m.text, base)
        if is_government(doc, m, row, state):
            continue
        out.append(
            gaz.place(row, extracted=m.text, span=(m.char_start, m.char_end), confidence=conf)
        )
    return out


def _confidence(gaz, text: str, ctx: Context) -> float:
    res = resolve_name(gaz, text, ctx)
    return res.confidence if res else 0.0


def _is_demonym(state: PlaceState, text: str) -> bool:
    key = norm(text)
    if key.startswith("the "):
        key = key[4:]
    t = state.gazetteer.t
    if key not in t.demonyms:
        return False
    # "Georgian" is a demonym; "Jordan" is a country that no demonym list should hide.
    return not any(c & 3 == 0 and t.kind[c >> 2] in (COUNTRY, ADM1) for c in t.index.get(key, ()))
