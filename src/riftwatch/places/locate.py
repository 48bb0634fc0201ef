"""Where an event happened: the one place of a sentence that is the event's location.

A sentence often names several places ("Pakistani officials in Islamabad said a drone hit a
house in Miran Shah"): the event's location is the toponym attached by a locative
preposition to the trigger or to one of its arguments, not one merely named, and never one
that is the actor or the target ("Pakistan accused Afghanistan"). When the sentence gives
no place, the dateline city stands in, marked ``resolution="dateline"``.
"""

from __future__ import annotations

from riftwatch.model import Place

from .state import PlaceState

LOCATIVE_PREPS = {
    "in",
    "at",
    "near",
    "across",
    "inside",
    "outside",
    "into",
    "on",
    "around",
    "along",
    "within",
    "throughout",
    "over",
    "through",
    "off",
    "outskirts",
}
_ARG_DEPS = {"nsubj", "nsubjpass", "dobj", "obj", "iobj", "agent", "attr", "dative"}
_LEVEL = {"city": 0, "district": 1, "province": 2, "country": 3, "region": 4}


def _tokens_of(doc, span: tuple[int, int]) -> list[int]:
    """Indices of the tokens overlapping the character span (spaCy aligns it in C)."""
    s, e = span
    if e <= s:
        return []
    sp = doc.char_span(s, e, alignment_mode="expand")
    return list(range(sp.start, sp.end)) if sp is not None else []


def _root(doc, idx: list[int]):
    inside = set(idx)
    for i in idx:
        if doc[i].head.i not in inside or doc[i].head.i == i:
            return doc[i]
    return doc[idx[0]]


def _locative_head(tok):
    """The preposition governing a place name, climbing through compounds and appositions
    ("in Andar district of Ghazni province": Ghazni hangs off "district", itself off "in")."""
    cur = tok
    for _ in range(6):
        if cur.dep_ == "pobj" and cur.head.lower_ in LOCATIVE_PREPS:
            return cur.head
        if cur.dep_ in ("compound", "appos", "conj", "pobj", "nmod", "npadvmod", "amod", "poss"):
            if cur.head.i == cur.i:
                return None
            cur = cur.head
            continue
        return None
    return None


def _distance_in_tree(a, b, limit: int = 4) -> int | None:
    """Steps from token ``a`` up to ``b`` (b an ancestor of a), or None."""
    cur = a
    for step in range(limit + 1):
        if cur.i == b.i:
            return step
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def locate_event(
    doc,
    trigger: tuple[int, int],
    places: list[Place],
    *,
    state: PlaceState | None = None,
) -> Place | None:
    """The place where the event of ``trigger`` (token span ``(start, end)``) happened."""
    if not places:
        return state.dateline_place() if state is not None else None
    t_start, t_end = trigger
    t_tokens = [doc[i] for i in range(max(0, t_start), min(len(doc), max(t_end, t_start + 1)))]
    if not t_tokens:
        return state.dateline_place() if state is not None else None
    trig = t_tokens[0] if len(t_tokens) == 1 else _root(doc, [tok.i for tok in t_tokens])
    args = [c for c in trig.children if c.dep_ in _ARG_DEPS]
    best: tuple[float, Place] | None = None
    for place in places:
        if place.span is None:
            continue
        idx = _tokens_of(doc, place.span)
        if not idx:
            continue
        root = _root(doc, idx)
        if root.head.i == trig.i and root.dep_ in _ARG_DEPS:
            continue  # the actor or the target of the event, not its location
        score = 0.5  # merely named
        prep = _locative_head(root)
        if prep is not None:
            score = 1.0
            d = _distance_in_tree(prep, trig)
            if d is not None:
                score = 3.0 - 0.2 * d
            else:
                for arg in args:
                    if _distance_in_tree(prep, arg) is not None:
                        score = 2.0
                        break
        # Finer places first among equals; then the nearest to the trigger.
        score -= 0.15 * _LEVEL.get(place.resolution or "", 2)
        score -= 0.001 * abs(root.i - trig.i)
        if best is None or score > best[0]:
            best = (score, place)
    if best is None:
        return state.dateline_place() if state is not None else None
    return best[1]
