"""A rule entity recogniser from riftwatch's own knowledge, for running without spaCy's NER.

Why: en_core_web_sm's entity recogniser carries its own token embedding and costs as much
as the tagger and parser together, yet the event coder needs little of what it finds:
dates (to date events and keep "in March" from being a protest march), money and
percentages (not victim counts), people (not places: "Hassan Rouhani" is no town called
Hassan), organisations (not triggers: "the Gulf Cooperation Council" is no act of
cooperation), nationalities and place names. Those come cheaply from the words, the
parse's proper-noun tags, the gazetteer and a few cue words (``data/text/entity_cues.yaml``).

``EntityRules`` sets ``doc.ents`` with the labels spaCy uses (DATE, TIME, MONEY, PERCENT,
PERSON, ORG, NORP, GPE), so every component reads entities the same way with either
recogniser. It is the default of ``Coder(ner=False)``; ``Coder(ner=True)`` runs the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ._yaml import safe_load
from .ingest.dates import MONTHS
from .places.normalize import norm
from .places.state import is_common_word
from .places.store import ADM1, ADM2, COUNTRY, REGION

_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)s?$")
_DAY = re.compile(r"^([1-9]|[12]\d|3[01])(st|nd|rd|th)?$")
_NUMBER = re.compile(r"^\d[\d,.]*$")


@dataclass(frozen=True)
class Cues:
    weekdays: frozenset[str]
    relative_units: frozenset[str]
    relative_words: frozenset[str]
    date_words: frozenset[str]
    period_edges: frozenset[str]
    times: frozenset[str]
    currencies: frozenset[str]
    percent: frozenset[str]
    titles: frozenset[str]
    org_words: frozenset[str]
    name_particles: frozenset[str]
    connectors: frozenset[str]


@cache
def load_cues() -> Cues:
    text = resources.files("riftwatch").joinpath("data/text/entity_cues.yaml").read_text("utf-8")
    raw = safe_load(text)
    return Cues(**{k: frozenset(str(w).lower() for w in v) for k, v in raw.items()})


class EntityRules:
    """Entity spans from cue words, proper-noun runs, the gazetteer and demonyms."""

    def __init__(self, gazetteer: Any = None) -> None:
        self.cues = load_cues()
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Any:
        if self._gazetteer is None:
            from .places import Gazetteer

            self._gazetteer = Gazetteer.load()
        return self._gazetteer

    def __call__(self, doc: Doc) -> Doc:
        spans = self.spans(doc)
        doc.set_ents([Span(doc, s, e, label=label) for s, e, label in spans], default="outside")
        return doc

    # -- finding spans --------------------------------------------------------------------
    def spans(self, doc: Doc) -> list[tuple[int, int, str]]:
        n = len(doc)
        taken = [False] * n
        out: list[tuple[int, int, str]] = []

        def add(s: int, e: int, label: str) -> None:
            if s < e and not any(taken[s:e]):
                out.append((s, e, label))
                for k in range(s, e):
                    taken[k] = True

        for s, e, label in self._dates_and_amounts(doc):
            add(s, e, label)
        for s, e in self._proper_runs(doc, taken):
            label = self._name_label(doc, s, e)
            if label == "PERSON" and s > 0 and self._honorific(doc[s - 1]):
                s -= 1  # "Sheikh Tamim": the honorific is part of the name, no place
            if label:
                add(s, e, label)
        t = self.gazetteer.t
        for i in range(n):
            if not taken[i] and doc[i].text[:1].isupper():
                if norm(doc[i].text) in t.demonyms:
                    add(i, i + 1, "NORP")
        out.sort()
        return out

    def _dates_and_amounts(self, doc: Doc) -> list[tuple[int, int, str]]:
        c = self.cues
        lows = [t.lower_ for t in doc]
        n = len(doc)
        out = []
        i = 0
        while i < n:
            low = lows[i]
            word = low.rstrip(".")
            start = end = None
            label = "DATE"
            if (
                word in MONTHS
                and doc[i].text[:1].isupper()
                and (len(word) > 3 or low.endswith(".") or self._month_context(lows, i))
                and (
                    word not in ("may", "march")
                    or self._month_context(lows, i)
                    or (word == "march" and doc[i].pos_ == "PROPN")
                )
            ):
                start, end = i, i + 1
                if i >= 2 and _DAY.match(lows[i - 2]) and lows[i - 1] == "of":
                    start = i - 2  # "22nd of June"
                elif i >= 1 and _DAY.match(lows[i - 1]):
                    start = i - 1  # "5 June"
                if end < n and _DAY.match(lows[end]):
                    end += 1  # "June 5"
                if end < n and lows[end] == "," and end + 1 < n and _YEAR.match(lows[end + 1]):
                    end += 2
                elif end < n and _YEAR.match(lows[end]):
                    end += 1
                if start > 0 and lows[start - 1] in c.period_edges:
                    start -= 1  # "late March"
            elif _YEAR.match(low) and doc[i].like_num:
                start, end = i, i + 1
                if start > 0 and lows[start - 1] in c.period_edges:
                    start -= 1
            elif word in c.weekdays or low in c.date_words:
                start, end = i, i + 1
            elif low in c.relative_words and i + 1 < n and lows[i + 1] in c.relative_units:
                start, end = i, i + 2
            elif _NUMBER.match(low) and i + 1 < n and lows[i + 1] in c.relative_units:
                if i + 2 < n and lows[i + 2] in ("ago", "earlier", "later"):
                    start, end = i, i + 3
            elif low in c.times and i > 0 and lows[i - 1] in c.relative_words:
                start, end, label = i - 1, i + 1, "TIME"
            elif low in ("$", "us$", "€", "£", "rs", "rs."):
                if i + 1 < n and doc[i + 1].like_num:
                    start, end, label = i, i + 2, "MONEY"
            elif doc[i].like_num and i + 1 < n:
                nxt = lows[i + 1]
                if nxt in c.percent:
                    start, end, label = i, i + 2, "PERCENT"
                elif nxt in c.currencies:
                    start, end, label = i, i + 2, "MONEY"
                elif nxt in ("million", "billion") and i + 2 < n and lows[i + 2] in c.currencies:
                    start, end, label = i, i + 3, "MONEY"
            if start is None:
                i += 1
                continue
            if label == "MONEY" and end < n and lows[end] in ("million", "billion"):
                end += 1
            out.append((start, end, label))
            i = end
        return out

    @staticmethod
    def _month_context(lows: list[str], i: int) -> bool:
        """ "May" and "March" are months beside a day, a year or "in"/"since"/"until"."""
        prev = lows[i - 1] if i else ""
        nxt = lows[i + 1] if i + 1 < len(lows) else ""
        return bool(
            _DAY.match(prev)
            or _DAY.match(nxt)
            or _YEAR.match(nxt)
            or prev
            in (
                "in",
                "since",
                "until",
                "till",
                "by",
                "early",
                "late",
                "mid",
                "last",
                "next",
                "this",
                "of",
            )
        )

    def _proper_runs(self, doc: Doc, taken: list[bool]) -> list[tuple[int, int]]:
        """Maximal runs of capitalised proper nouns, joined by "of"/"for"/"and" and name
        particles ("Abu Mahdi al-Muhandis", "Agency for Cooperation")."""
        c = self.cues
        n = len(doc)
        runs = []
        i = 0
        while i < n:
            tok = doc[i]
            if taken[i] or not self._name_token(tok) or self._title(tok):
                i += 1
                continue
            j = i + 1
            while j < n and not taken[j]:
                nxt = doc[j]
                if self._title(nxt):
                    break  # "Ayatollah Ali Khamenei and President Hassan Rouhani"
                if self._name_token(nxt) or nxt.lower_ in c.name_particles:
                    j += 1
                elif self._hyphen_link(doc, j):
                    j += 2  # "Al-Hajraf", "Qala-i-Naw": one name across the hyphen
                elif (
                    nxt.lower_ in c.connectors
                    and j + 1 < n
                    and not taken[j + 1]
                    and self._name_token(doc[j + 1])
                ):
                    j += 2
                else:
                    break
            while j > i + 1 and doc[j - 1].lower_ in c.name_particles:
                j -= 1
            runs.append((i, j))
            i = j
        return runs

    def _area(self, key: str) -> bool:
        """A country, province, district or region of that name ("Iran", "Punjab")."""
        t = self.gazetteer.t
        return any(t.kind[c >> 2] in (COUNTRY, ADM1, ADM2, REGION) for c in t.index[key])

    @staticmethod
    def _hyphen_link(doc: Doc, j: int) -> bool:
        """``doc[j]`` is a hyphen written inside a name: no space around it, a word after."""
        return (
            doc[j].text in ("-", "‐", "–")
            and j + 1 < len(doc)
            and not doc[j - 1].whitespace_
            and not doc[j].whitespace_
            and doc[j + 1].is_alpha
        )

    def _honorific(self, tok: Any) -> bool:
        return self._title(tok) and tok.text[:1].isupper() and not is_common_word(tok.lower_)

    def _title(self, tok: Any) -> bool:
        return tok.lower_.rstrip(".") in self.cues.titles

    @staticmethod
    def _name_token(tok: Any) -> bool:
        return tok.pos_ == "PROPN" and tok.text[:1].isupper()

    def _name_label(self, doc: Doc, s: int, e: int) -> str | None:
        c = self.cues
        t = self.gazetteer.t
        words = [doc[k].lower_ for k in range(s, e)]
        if any(w in c.org_words for w in words):
            return "ORG"
        if (
            e - s == 1
            and len(doc[s].text) > 1
            and doc[s].text.isupper()
            and not (self._area(norm(doc[s].text)) if norm(doc[s].text) in t.index else False)
        ):
            return "ORG"  # an acronym that names no country or province: "NATO", "ISNA"
        key = norm(doc[s:e].text)
        if key in t.demonyms:
            return "NORP"
        codes = t.index.get(key, ())
        if any(c & 3 < 3 for c in codes) and (e - s > 1 or self._area(key)):
            # a lone name that is only a town somewhere ("Bush", "Pang") is left to the
            # place recogniser, which asks for context or a large population
            return "GPE"
        if s > 0 and doc[s - 1].lower_.rstrip(".") in c.titles:
            return "PERSON"
        if e - s >= 2 and not all(is_common_word(w) for w in words if w not in c.name_particles):
            # a run of two or more names that is no place as a whole ("Hassan Rouhani",
            # "Fethullah Gulen"): a person; "Islamic Revolution" is words, not a name
            return "PERSON"
        return None


FACTORY = "riftwatch_entities"


@Language.factory(FACTORY)
def _make_entity_rules(nlp: Language, name: str) -> EntityRules:
    return EntityRules()
