"""HOW MANY: counts of dead, injured and arrested for one event, read from its sentence.

Neither PETRARCH nor the Next Generation Event Coder extracts fatalities; riftwatch does,
from the dependency parse with a word-window fallback for the small model's misparses:

1. *Casualty mentions*: words that report victims ("killed", "died", "dead", "wounded",
   "arrested", "deaths", "death toll", "lost their lives").
2. *The victims' side*: active transitive verbs take the victims as object ("militants
   killed three soldiers" -> the soldiers), passive and headline participles as subject
   ("three militants were killed", "six militants killed in ..."), intransitives ("five
   died") and predicate adjectives ("left five people dead") likewise.
3. *Counting the victims' noun phrase*: numerals and number words, ranges and bounds
   ("at least 12", "between 10 and 15"), vague quantities ("dozens"; table in
   ``data/numbers/numbers.yaml``), "a policeman" = 1, coordinations summed ("two soldiers
   and three civilians" = 5). Numbers that are no count of people are refused: years,
   ages ("a 12-year-old"), units ("15 km"), labels ("Article 370"), and heads such as
   "villages".
4. *Linking to the event*: casualties in the trigger's own clause; for violent triggers
   (ASSAULT/COERCE) the sentence's other casualty clauses too when the trigger's clause
   has none. Other triggers get an empty ``Size`` unless the casualty word is in their
   own clause.

``dead`` is the best estimate (the low end for vague counts and ranges, as UCDP's "best"
usually is); ``dead_low``/``dead_high`` are set only for vague, bounded or ranged counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from riftwatch._yaml import safe_load
from riftwatch.doccache import token_forms
from riftwatch.model import Size

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

KINDS = ("dead", "injured", "arrested")
_FAMILY = {"dead": "harm", "injured": "harm", "arrested": "arrest"}
VIOLENT_EVENTS = {"ASSAULT", "COERCE"}


@dataclass(frozen=True, slots=True)
class Qty:
    """A count with its bounds; ``exact`` False for vague, bounded or ranged counts."""

    best: int
    low: int | None
    high: int | None
    exact: bool = True


@dataclass(frozen=True, slots=True)
class Mention:
    """One casualty report in the sentence: the word, its kind and the victims' count."""

    token: int
    kind: str
    victims: int
    """Token index of the victims' head (deduplicates "were shot dead")."""
    qty: Qty | None
    toll: bool = False


@dataclass(frozen=True, slots=True)
class _Lex:
    units: dict[str, int]
    scales: dict[str, int]
    vague: dict[str, tuple[int, int | None, int | None]]
    qualifiers: list[tuple[tuple[str, ...], str]]
    transitive: dict[str, str]
    intransitive: dict[str, str]
    adjectives: dict[str, str]
    nouns: dict[str, str]
    non_victims: frozenset[str]
    collective: frozenset[str]
    violent: frozenset[str]
    coercive: frozenset[str]


def _load_yaml(name: str) -> Any:
    text = resources.files("riftwatch").joinpath("data", "numbers", name).read_text("utf-8")
    return safe_load(text)


@lru_cache(maxsize=1)
def lexicon() -> _Lex:
    """The number words and casualty vocabulary (``data/numbers/*.yaml``), loaded once."""
    num = _load_yaml("numbers.yaml")
    cas = _load_yaml("casualty.yaml")
    quals = [
        (tuple(phrase.split()), kind)
        for kind, phrases in num["qualifiers"].items()
        for phrase in phrases
    ]
    quals.sort(key=lambda q: -len(q[0]))
    return _Lex(
        units={str(k): int(v) for k, v in num["units"].items()},
        scales={str(k): int(v) for k, v in num["scales"].items()},
        vague={str(k): tuple(v) for k, v in num["vague"].items()},
        qualifiers=quals,
        transitive=dict(cas["verbs_transitive"]),
        intransitive=dict(cas["intransitive"]),
        adjectives=dict(cas["adjectives"]),
        nouns=dict(cas["nouns"]),
        non_victims=frozenset(str(x) for x in cas["non_victims"]),
        collective=frozenset(str(x) for x in cas["collective"]),
        violent=frozenset(str(x) for x in cas["violent"]),
        coercive=frozenset(str(x) for x in cas["coercive"]),
    )


# --------------------------------------------------------------------------- numbers

_TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")
_AGE_NEXT = ("year", "years", "yr", "month", "months")
_UNIT_NEXT = {"%", "percent", "per", "km", "pm", "am", "p.m.", "a.m.", "o'clock", "kg", "mm"}


def _is_numword(tok: Token) -> bool:
    lex = lexicon()
    w = tok.lower_
    return bool(_DIGITS.match(w)) or w in lex.units or w in lex.scales


def _is_quantity_word(tok: Token) -> bool:
    lex = lexicon()
    return _is_numword(tok) or tok.lower_ in lex.vague or tok.lemma_.lower() in lex.vague


def _phrase(doc: Doc, i: int) -> tuple[int, int]:
    """Token range ``[start, end)`` of the multi-word number around token ``i``."""
    lex = lexicon()
    s = e = i
    while s > 0:
        p = doc[s - 1]
        if _is_numword(p):
            s -= 1
        elif (
            p.lower_ == "-"
            and s > 1
            and doc[s - 2].lower_ in _TENS
            and lex.units.get(doc[s].lower_, 99) < 10
        ) or (p.lower_ == "and" and s > 1 and doc[s - 2].lower_ in lex.scales):
            s -= 2
        else:
            break
    while e + 1 < len(doc):
        n = doc[e + 1]
        if _is_numword(n):
            e += 1
        elif (
            n.lower_ == "-"
            and e + 2 < len(doc)
            and doc[e].lower_ in _TENS
            and lex.units.get(doc[e + 2].lower_, 99) < 10
        ):
            e += 2
        elif (
            n.lower_ == "and"
            and doc[e].lower_ in lex.scales
            and e + 2 < len(doc)
            and doc[e + 2].lower_ in lex.units
        ):
            e += 2
        else:
            break
    return s, e + 1


def _value(words: list[str]) -> int | None:
    """Integer value of number words/numerals: "two hundred and five", "1,500", "1.5 million"."""
    lex = lexicon()
    total = current = 0
    seen = False
    for w in words:
        if w in ("-", "and", "a", "an"):
            continue
        if _DIGITS.match(w):
            current += float(w.replace(",", ""))  # type: ignore[assignment]
            seen = True
        elif w in lex.units:
            current += lex.units[w]
            seen = True
        elif w in lex.scales:
            current = (current or 1) * lex.scales[w]
            if lex.scales[w] >= 1000:
                total += current
                current = 0
            seen = True
        else:
            return None
    return int(total + current) if seen else None


def _invalid_number(doc: Doc, s: int, e: int) -> bool:
    """Numbers that count no people: years, ages, units, times, labels ("Article 370")."""
    first, last = doc[s], doc[e - 1]
    text = last.lower_
    if re.fullmatch(r"(?:19|20)\d\d", text) and last.dep_ != "nummod":
        return True
    nxt = [t.lower_ for t in doc[e : e + 3]]
    if nxt and nxt[0] in _UNIT_NEXT:
        return True
    if nxt[:1] == ["-"] and nxt[1:2] and nxt[1] in _AGE_NEXT:
        return True
    if nxt[:1] and nxt[0] in _AGE_NEXT and "old" in [t.lower_ for t in doc[e : e + 4]]:
        return True
    if nxt[:1] and nxt[0] in (":", "."):
        if e + 1 < len(doc) and doc[e + 1].like_num:
            return True
    if s > 0:
        prev = doc[s - 1]
        if (
            prev.pos_ == "PROPN"
            and prev.is_title
            and last.dep_ != "nummod"
            and not prev.ent_type_ == "NORP"
        ):
            return True
        if prev.lower_ in ("no.", "number", "#", "article", "section", "flight", "clause"):
            return True
        if prev.text == "." and s > 1 and doc[s - 2].lower_ == "no":
            return True
    if first.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL"):
        return False
    if any(t.lower_ in ("between", "and") for t in doc[max(0, s - 1) : e + 2]):
        return False  # the small model tags "between 10 and 15" as a DATE
    ent = next((x for x in doc.ents if x.start <= s < x.end), None)
    # a bare number the small model called a DATE ("the toll was 14") is still a count
    return not (
        first.ent_type_ == "DATE"
        and ent is not None
        and all(t.like_num for t in ent)
        and not re.fullmatch(r"(?:19|20)\d\d", ent.text)
    )


def _qualifier(doc: Doc, s: int) -> str | None:
    words = [t.lower_ for t in doc[max(0, s - 5) : s]]
    for phrase, kind in lexicon().qualifiers:
        n = len(phrase)
        if tuple(words[-n:]) == phrase:
            return kind
    return None


def quantity(doc: Doc, i: int) -> Qty | None:
    """The count expressed by the number (or vague quantity word) at token ``i``."""
    lex = lexicon()
    tok = doc[i]
    w = tok.lower_
    if not _is_numword(tok):
        key = w if w in lex.vague else tok.lemma_.lower()
        if key not in lex.vague:
            return None
        best, low, high = lex.vague[key]
        prev = doc[i - 1].lower_ if i else ""
        if key == "few" and prev != "a":
            return None  # "few" alone means "not many": no count
        return Qty(int(best), low, high, exact=False)
    s, e = _phrase(doc, i)
    if _invalid_number(doc, s, e):
        return None
    words = [t.lower_ for t in doc[s:e]]
    if (
        s > 0
        and doc[s - 1].lower_ in ("a", "an")
        and words[0] in ("dozen", "hundred", "thousand", "couple")
    ):
        words = ["a", *words]
    before = [t.lower_ for t in doc[max(0, s - 2) : s]]
    if words[-1] == "dozen" and (before[-1:] == ["half"] or before == ["half", "a"]):
        return Qty(6, 6, 6)
    val = _value(words)
    if val is None:
        return None
    # ranges: "between 10 and 15", "10 to 15", "two or three", "10-15"
    after = [t for t in doc[e : e + 2]]
    if len(after) == 2 and after[0].lower_ in ("and", "to", "or", "-") and _is_numword(after[1]):
        hs, he = _phrase(doc, after[1].i)
        hi = _value([t.lower_ for t in doc[hs:he]])
        between = s > 0 and doc[s - 1].lower_ == "between"
        dash_ok = after[0].lower_ != "-" or (doc[e - 1].is_digit and after[1].is_digit)
        if (
            hi is not None
            and hi > val
            and dash_ok
            and (between or after[0].lower_ in ("to", "or", "-"))
        ):
            return Qty(val, val, hi, exact=False)
    if (
        s > 1
        and doc[s - 1].lower_ in ("and", "to", "or", "-")
        and _is_numword(doc[s - 2])
        and (doc[s - 1].lower_ != "-" or (doc[s - 2].is_digit and doc[s].is_digit))
    ):
        lo = quantity(doc, doc[s - 2].i)
        if lo is not None and not lo.exact and lo.high == val:
            return lo
    if [t.lower_ for t in doc[e : e + 2]] == ["or", "more"]:
        return Qty(val, val, None, exact=False)
    qual = _qualifier(doc, s)
    if qual == "at_least":
        return Qty(val, val, None, exact=False)
    if qual == "more_than":
        return Qty(val + 1, val + 1, None, exact=False)
    if qual == "at_most":
        return Qty(val, None, val, exact=False)
    if qual == "fewer_than":
        return Qty(max(val - 1, 0), None, max(val - 1, 0), exact=False)
    if qual == "about":
        return Qty(val, None, None, exact=False)
    return Qty(val, val, val)


# --------------------------------------------------------------------------- victims

_QUAL_WORDS = {
    "at",
    "least",
    "more",
    "than",
    "over",
    "up",
    "to",
    "as",
    "many",
    "nearly",
    "almost",
    "about",
    "around",
    "some",
    "approximately",
    "roughly",
    "an",
    "estimated",
    "a",
    "total",
    "of",
    "no",
    "not",
    "fewer",
    "less",
}
_PARTICLES = {"down", "up", "dead", "off"}
_ONE_DET = {"a", "an", "another", "one", "each"}
_ONE_PRON = {"he", "she", "him", "her", "himself", "herself"}


def doc_prev(v: Token) -> str:
    return v.doc[v.i - 1].lower_ if v.i else ""


def _victim_like(v: Token) -> bool:
    """False for heads that cannot be victims: places, things, units, event nouns."""
    lex = lexicon()
    if _is_quantity_word(v) or (v.lower_ == "old" and v.i and doc_prev(v) in ("-", "year")):
        return True  # a number, or an age used as a noun ("a 12-year-old")
    lemma = v.lemma_.lower()
    if lemma in lex.non_victims or v.lower_ in lex.non_victims:
        return False
    if v.ent_type_ in ("GPE", "LOC", "FAC", "DATE", "TIME", "MONEY", "PERCENT"):
        return False
    if v.tag_ == "NNP" and v.is_upper and len(v) > 1:
        return False  # a dateline ("TEHRAN -") or an acronym, not a victim
    return lemma not in lex.violent  # an event noun ("blast, ambush") is no victim


def _count_head(doc: Doc, v: Token) -> Qty | None:
    """Count one victim head noun (not its coordination)."""
    lex = lexicon()
    lemma = v.lemma_.lower()
    if not _victim_like(v):
        return None
    if v.lower_ in ("nobody", "none", "noone") or any(
        c.dep_ == "det" and c.lower_ == "no" for c in v.children
    ):
        return Qty(0, 0, 0)  # "no one was killed", "no soldiers were hurt"
    if _is_quantity_word(v):
        q = quantity(doc, v.i)
        if q is not None:
            return q
    for c in v.children:
        if c.dep_ in ("nummod", "quantmod") or (c.dep_ in ("amod", "det") and _is_quantity_word(c)):
            q = quantity(doc, c.i)
            if q is not None:
                return q
    # a number just before the head that the parser hung elsewhere ("killed 12 people")
    for j in range(v.i - 1, max(-1, v.i - 3), -1):
        t = doc[j]
        if t.pos_ in ("ADJ", "PROPN") or t.dep_ in ("compound", "amod"):
            continue
        if _is_quantity_word(t):
            q = quantity(doc, j)
            if q is not None:
                return q
        break
    if v.pos_ == "PRON":
        if v.lower_ in _ONE_PRON:
            return Qty(1, 1, 1)
        if v.lower_ == "both":
            return Qty(2, 2, 2)
        return None
    if any(c.dep_ in ("det", "predet") and c.lower_ == "both" for c in v.children):
        return Qty(2, 2, 2)
    if lemma in lex.collective or v.lower_ in lex.collective:
        return None
    if v.tag_ == "NN" or (v.lower_ == "old" and v.i > 0 and doc[v.i - 1].lower_ in ("-", "year")):
        if any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in v.children):
            return Qty(1, 1, 1)
        return Qty(1, 1, 1)
    if any(c.dep_ == "det" and c.lower_ in _ONE_DET for c in v.children):
        return Qty(1, 1, 1)
    if v.tag_ == "NNP" and v.ent_type_ in ("PERSON", "NORP", ""):
        return Qty(1, 1, 1)  # a named person, or a title-cased headline noun ("Man killed")
    if v.tag_ == "JJ" and v.dep_ == "appos" and _bare(v):
        return Qty(1, 1, 1)  # a noun the tagger read as adjective: "official, civilian"
    if (
        v.tag_ == "JJ"
        and v.ent_type_ == "NORP"
        and v.dep_ in ("nsubj", "nsubjpass", "dobj", "ROOT")
    ):
        return Qty(1, 1, 1)
    return None


def _sum(qs: list[Qty]) -> Qty:
    best = sum(q.best for q in qs)
    exact = all(q.exact for q in qs)
    lows = [q.low for q in qs]
    highs = [q.high for q in qs]
    low = sum(x for x in lows if x is not None) if all(x is not None for x in lows) else None
    high = sum(x for x in highs if x is not None) if all(x is not None for x in highs) else None
    return Qty(best, low, high, exact)


_PARTITIVE_HEADS = {
    "one",
    "some",
    "each",
    "most",
    "many",
    "all",
    "rest",
    "several",
    "member",
    "none",
}


def _attribution_mark(t: Token) -> bool:
    """ ":" or a spaced dash: the mark before a headline's source ("...: police")."""
    if t.text == ":" or t.text == "|":
        return True
    spaced = bool(t.whitespace_) and t.i > 0 and bool(t.doc[t.i - 1].whitespace_)
    return t.text in ("-", "--", "—", "–") and spaced


def _separated(doc: Doc, a: Token, b: Token) -> bool:
    """A headline attribution mark lies between ``a`` and ``b``."""
    lo, hi = sorted((a.i, b.i))
    return any(_attribution_mark(t) for t in doc[lo:hi])


def _subset_apposition(a: Token) -> bool:
    """ "100 people, nearly 90 of them fighters": the apposition is part of the head."""
    doc = a.doc
    if a.i > 0 and doc[a.i - 1].lower_ in ("including", "mostly", "mainly", "among"):
        return True
    for t in a.subtree:
        if t.lower_ == "of" and any(
            p.lower_ in ("them", "whom", "those", "these") for p in t.children
        ):
            return True
    return False


def _own_casualty(tok: Token, verb: Token | None) -> bool:
    """``tok`` carries a casualty word of its own other than ``verb``."""
    lex = lexicon()
    for c in tok.children:
        if verb is not None and c.i == verb.i:
            continue
        if c.dep_ in ("acl", "relcl", "amod") and (
            c.lemma_.lower() in lex.transitive
            or c.lemma_.lower() in lex.intransitive
            or c.lower_ in lex.adjectives
        ):
            return True
    return False


def _along_with(doc: Doc, v: Token, verb: Token | None) -> Qty | None:
    """ "X was killed along with two others" = X + 2."""
    for w in [*v.children, *(verb.children if verb is not None else [])]:
        if (
            w.dep_ == "prep"
            and w.lower_ == "with"
            and w.i > 0
            and doc[w.i - 1].lower_
            in (
                "along",
                "together",
            )
        ):
            others = [p for p in w.children if p.dep_ == "pobj"]
            if not others:
                continue
            extra = _count_coordination(doc, others[0], None)
            own = _count_coordination(doc, v, verb)
            if extra is not None and own is not None:
                return _sum([own, extra])
    return None


def _bare(tok: Token) -> bool:
    return not any(c.dep_ in ("det", "nummod", "poss") for c in tok.children)


def _count_group(doc: Doc, v: Token, verb: Token | None = None) -> Qty | None:
    """Count a victim noun phrase with its coordinated heads ("two soldiers and three
    civilians" = 5). Heads without a count make the total a lower bound. An apposition
    adds to the count only when it does not restate it: "eight militants, soldier" = 9,
    but "two people, a soldier and a civilian" = 2. "a minister among 16 killed" = 16."""
    if not _victim_like(v):
        # "TEHRAN - At least 109 people ... were killed": the dateline took the subject slot
        for a in v.children:
            if a.dep_ == "appos" and _victim_like(a):
                return _count_coordination(doc, a, verb)
        return None
    head_of = v.head.head
    if (
        v.dep_ == "pobj"
        and v.head.lower_ == "of"
        and head_of.i < v.i
        and (
            _is_quantity_word(head_of)
            or head_of.pos_ == "PRON"
            or head_of.lemma_.lower() in _PARTITIVE_HEADS
            or any(c.dep_ == "nummod" for c in head_of.children)
        )
    ):
        v = head_of  # partitive: "two members of the group", "one of the soldiers"
    total_with = _along_with(doc, v, verb)
    if total_with is not None:
        return total_with
    for prep in v.children:
        if prep.dep_ == "prep" and prep.lower_ == "among":
            for p in prep.children:
                if p.dep_ == "pobj" and (q := _count_coordination(doc, p, verb)) is not None:
                    return q
    h = v.head
    if (
        v.dep_ == "appos"
        and (
            h.tag_ in ("NNS", "CD")
            or any(c.dep_ == "nummod" for c in h.children)
            or (h.tag_ in ("NN", "NNP") and _bare(h) and _bare(v))  # "soldier, civilian killed"
        )
        and not _separated(doc, h, v)
        and (verb is None or (h.i < verb.i) == (v.i < verb.i))
        and not _own_casualty(h, verb)
    ):
        v = h
    total = _count_coordination(doc, v, verb)
    for a in v.children:
        if a.dep_ != "appos" or _separated(doc, v, a):
            continue
        if a.pos_ not in ("NOUN", "PROPN", "NUM") and not (a.pos_ == "ADJ" and _bare(a)):
            continue
        if verb is not None and (a.i < verb.i) != (v.i < verb.i):
            continue
        if _own_casualty(a, verb) or _subset_apposition(a):
            continue  # "Four killed, 11 hurt": the apposition has its own verb
        extra = _count_coordination(doc, a, verb)
        if extra is None:
            continue
        bare = _bare(a)
        if total is None:
            total = extra
        elif extra.best != total.best or bare:
            total = _sum([total, extra])
    return total


def _count_coordination(doc: Doc, v: Token, verb: Token | None = None) -> Qty | None:
    heads = [v, *[c for c in v.conjuncts if c.pos_ in ("NOUN", "PROPN", "NUM", "PRON")]]
    heads = [h for h in heads if h is v or _victim_like(h)]
    if verb is not None:
        # "Four killed, 11 hurt": a conjunct beyond the verb is another verb's victims
        heads = [h for h in heads if h is v or (h.i < verb.i) == (v.i < verb.i)]
    heads = [h for h in heads if h is v or not _separated(doc, v, h)]
    qs = [_count_head(doc, h) for h in heads]
    known = [q for q in qs if q is not None]
    if not known:
        return None
    total = _sum(known)
    if len(known) < len(qs):
        return Qty(total.best, total.low if total.low is not None else total.best, None, False)
    return total


def _resolve_relative(v: Token, verb: Token) -> Token:
    """ "the soldiers who were killed": the relative pronoun stands for its antecedent."""
    if v.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
        return verb.head
    return v


def _near_number(doc: Doc, c: Token, direction: int, limit: int) -> Token | None:
    """Word-window fallback: the nearest valid count next to a casualty word."""
    lex = lexicon()
    j = c.i + direction
    steps = 0
    while 0 <= j < len(doc) and steps < limit:
        t = doc[j]
        if t.lower_ in (";", "while", "but", "when", "after") or t.lemma_.lower() in lex.transitive:
            return None
        if _is_quantity_word(t):
            s, e = _phrase(doc, j) if _is_numword(t) else (j, j + 1)
            head = doc[e - 1].head if doc[e - 1].dep_ == "nummod" else None
            if head is not None and head.lemma_.lower() in lex.non_victims:
                return None
            if quantity(doc, j) is not None:
                return doc[e - 1] if direction > 0 else t
        j += direction
        steps += 1
    return None


def _toll_number(doc: Doc, toll: Token) -> Token | None:
    """The figure a toll reaches: "rose to 25" beats the earlier "of 18"."""
    for j in range(toll.i + 1, min(len(doc), toll.i + 12)):
        t = doc[j]
        if t.text in (";", ".") or _attribution_mark(t):
            break
        if t.lower_ in ("to", "at") and j + 1 < len(doc):
            near = _near_number(doc, t, 1, 4)
            if near is not None:
                return near
    return _near_number(doc, toll, 1, 8)


def _subject(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("nsubjpass", "nsubj"):
            return c
    return None


def _victim_head(doc: Doc, c: Token, kind_source: str) -> tuple[Token | None, int]:
    """The victims' head token for casualty word ``c`` and the fallback direction."""
    kids: dict[str, Token] = {}
    for k in c.children:
        kids.setdefault(k.dep_, k)
    nums = [k for k in c.children if k.dep_ in ("nummod", "quantmod") and _is_quantity_word(k)]
    if kind_source == "adjective":
        if nums:  # "14 dead", "11 wounded"
            return nums[0], -1
        if c.dep_ in ("amod",) or (c.dep_ == "acl" and c.head.pos_ in ("NOUN", "NUM", "PROPN")):
            return c.head, -1
        if c.dep_ in ("oprd", "acomp", "xcomp", "ccomp", "advcl", "advmod", "conj"):
            h = c.head
            hk = {k.dep_: k for k in h.children}
            if "dobj" in hk:
                return hk["dobj"], -1
            if c.dep_ == "conj" and _subject(c) is not None:
                return _subject(c), -1
            subj = _subject(h) or _subject(c)
            return subj, -1
        return _subject(c), -1
    if kind_source == "intransitive":
        subj = _subject(c)
        if subj is None and c.dep_ in ("acl", "relcl"):
            return c.head, -1
        return (_resolve_relative(subj, c) if subj is not None else None), -1
    # transitive verb
    passive = "nsubjpass" in kids or "auxpass" in kids
    if passive:
        subj = kids.get("nsubjpass")
        if subj is None and c.dep_ in ("acl", "relcl", "amod"):
            return c.head, -1
        return (_resolve_relative(subj, c) if subj is not None else None), -1
    if "dobj" in kids and _separated(doc, c, kids["dobj"]):
        del kids["dobj"]  # headline attribution: "... shot dead in Quetta: officials"
    if c.dep_ in ("acl", "amod") and c.tag_ in ("VBN", "VBD") and "dobj" not in kids:
        if "nsubj" in kids:  # "violation: 2 killed" -- the subject, not the noun before
            return kids["nsubj"], -1
        if not _separated(doc, c.head, c):
            return c.head, -1
    if "dobj" in kids:
        obj = kids["dobj"]
        if _victim_like(obj) or "nsubj" not in kids:
            return obj, 1
        return kids["nsubj"], -1  # "37 militants killed <place>": a misread headline passive
    if "nsubj" in kids:
        # headline passive, tagged VBN or VBD: "Five killed in ...", "2 soldiers killed, 9
        # injured" -- unless a count follows the verb ("gunmen killed 12 in ...")
        if c.tag_ == "VBN" or not _count_follows(doc, c):
            return kids["nsubj"], -1
    return None, (-1 if c.tag_ == "VBN" else 1)


def _other_subjects(c: Token, v: Token) -> list[Token]:
    """Further subjects of the casualty word besides the victims' head ``v``, when the
    parser split a list: "Four soldiers, 12 militants die", "leaves 3 soldiers, 10
    militants dead"."""
    if v.head.i == c.i and v.dep_ == "dobj":
        # "kills three police, one attacker": the parser hung the second item on the verb
        subs = [
            k
            for k in c.children
            if k.dep_ == "npadvmod"
            and k.i > v.i
            and k.pos_ in ("NOUN", "PROPN")
            and any(n.dep_ == "nummod" for n in k.children)
            and c.doc[k.i - 1].text != "-"
            and any(t.text == "," for t in c.doc[v.i : k.i])
        ]
    elif v.head.i == c.i and v.dep_ in ("nsubj", "nsubjpass"):
        subs = [k for k in c.children if k.dep_ in ("nsubj", "nsubjpass")]
    elif v.dep_ == "dobj" and c.lower_ in lexicon().adjectives:
        subs = [k for k in c.children if k.dep_ in ("nsubj", "nsubjpass")]
    else:
        return []
    return [k for k in subs if k.i != v.i and _victim_like(k) and not _separated(c.doc, k, v)]


def _count_follows(doc: Doc, c: Token) -> bool:
    """A count right after the verb, maybe behind a qualifier: "killed (at least) 12"."""
    for t in doc[c.i + 1 : c.i + 4]:
        if _is_quantity_word(t):
            return True
        if not (t.is_alpha and (t.lower_ in _QUAL_WORDS or t.lower_ in _PARTICLES)):
            return False
    return False


_INTENT = {
    "plan",
    "want",
    "try",
    "attempt",
    "threaten",
    "vow",
    "intend",
    "seek",
    "aim",
    "plot",
    "conspire",
    "fail",
    "refuse",
    "hope",
    "pledge",
    "promise",
    "order",
    "urge",
    "decide",
    "agree",
}
_MODAL = {"will", "would", "could", "might", "may", "should", "can", "must", "shall", "'ll", "wo"}


def _unreal(c: Token) -> bool:
    """A casualty word that reports no casualties: negated ("were not killed"),
    intended ("planned to kill"), or modal ("could kill")."""
    kids = [k.lower_ for k in c.children if k.dep_ in ("neg", "aux", "auxpass")]
    if any(k in ("not", "n't", "never") for k in kids) or any(k in _MODAL for k in kids):
        return True
    return c.dep_ == "xcomp" and c.head.lemma_.lower() in _INTENT


def _is_casualty_word(tok: Token) -> bool:
    lex = lexicon()
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
        return lemma in lex.transitive or lemma in lex.intransitive or tok.lower_ in lex.adjectives
    return tok.lower_ in lex.adjectives and tok.pos_ == "ADJ"


def _verb_lemma(tok: Token) -> str:
    """Verb lemma of a word the tagger may have read as a noun ("kills" -> "kill")."""
    return _verb_lemma_of(tok.lower_)


def _verb_lemma_of(w: str) -> str:
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w if w not in ("killing",) else w


_REPORT_LEMMAS = frozenset({"lose", "take", "toll", "life", "killing", "murder"})
"""Lemmas ``mentions`` reads as casualty words beside the lexicon's lists."""


def _may_report(lemma: str, low: str, lex: _Lex) -> bool:
    """False for a word no branch of ``mentions`` can read as a casualty report: the
    sentence's other words are skipped without building their spaCy tokens."""
    if lemma in lex.intransitive or lemma in lex.transitive or lemma in lex.nouns:
        return True
    if low in lex.adjectives or lemma in _REPORT_LEMMAS:
        return True
    verb = _verb_lemma_of(low)
    return verb in lex.transitive or verb in lex.intransitive


def mentions(doc: Doc) -> list[Mention]:
    """Every casualty report of the sentence with its victims' count (None if unstated)."""
    lex = lexicon()
    out: list[Mention] = []
    forms = token_forms(doc)
    lemmas, lowers = forms.lemmas, forms.lowers
    for i in [i for i, low in enumerate(lowers) if _may_report(lemmas[i], low, lex)]:
        c = doc[i]
        lemma = lemmas[i]
        low = lowers[i]
        kind: str | None = None
        source = ""
        if c.pos_ in ("VERB", "AUX") or (c.tag_.startswith("VB") and low not in lex.adjectives):
            if lemma in lex.intransitive:
                kind, source = lex.intransitive[lemma], "intransitive"
            elif lemma in lex.transitive:
                kind, source = lex.transitive[lemma], "transitive"
                kids = [k.lower_ for k in c.children]
                if lemma == "round" and "up" not in kids:
                    kind = None
                elif lemma == "gun" and "down" not in kids:
                    kind = None
                elif (
                    lemma == "shoot"
                    and "dead" not in kids
                    and "death" not in [t.lower_ for t in c.subtree]
                ):
                    kind = None
            elif low in lex.adjectives:
                kind, source = lex.adjectives[low], "adjective"
            elif lemma == "lose" and any(k.lemma_ == "life" for k in c.children):
                kind, source = "dead", "intransitive"
            elif lemma == "take" and any(
                k.lower_ == "custody" for k in c.subtree if k.head.head.i == c.i
            ):
                kind, source = "arrested", "transitive"
        elif low in lex.adjectives and c.pos_ in ("ADJ", "ADV", "NOUN"):
            kind, source = lex.adjectives[low], "adjective"
        elif c.pos_ in ("NOUN", "PROPN") and lemma in ("toll",):
            qtok = _toll_number(doc, c)
            q = quantity(doc, qtok.i) if qtok is not None else None
            kind_toll = (
                "injured"
                if any(t.lower_ == "injury" for t in doc[max(0, c.i - 2) : c.i])
                else "dead"
            )
            out.append(Mention(c.i, kind_toll, qtok.i if qtok is not None else c.i, q, toll=True))
            continue
        elif (
            c.pos_ == "NOUN"
            and lemma == "life"
            and c.head.lemma_.lower() in ("claim", "take", "cost")
        ):
            q = _count_group(doc, c)
            out.append(Mention(c.i, "dead", c.i, q))
            continue
        elif (
            c.pos_ in ("NOUN", "PROPN")
            and ((verb := _verb_lemma(c)) in lex.transitive or verb in lex.intransitive)
            and lemma not in lex.nouns
        ):
            # a headline verb the tagger read as a noun: "Three die, ...", "Firing kills 2"
            kind = lex.transitive.get(verb) or lex.intransitive[verb]
            nums = [k for k in c.children if k.dep_ == "nummod" and _is_quantity_word(k)]
            if nums:
                out.append(Mention(c.i, kind, nums[0].i, quantity(doc, nums[0].i)))
            elif _count_follows(doc, c):
                near = _near_number(doc, c, 1, 4)
                if near is not None:
                    out.append(Mention(c.i, kind, near.i, quantity(doc, near.i)))
            continue
        elif c.pos_ == "NOUN" and (lemma in lex.nouns or lemma in ("killing", "murder")):
            kind = lex.nouns.get(lemma, "dead")
            q = None
            for k in c.children:
                if k.dep_ == "prep" and k.lower_ == "of":
                    for p in k.children:
                        if p.dep_ == "pobj":
                            q = _count_group(doc, p)
                            if q is not None:
                                out.append(Mention(c.i, kind, p.i, q))
            if q is None and lemma in lex.nouns:
                nq = [quantity(doc, k.i) for k in c.children if k.dep_ == "nummod"]
                nq = [x for x in nq if x is not None]
                if nq:
                    out.append(Mention(c.i, kind, c.i, nq[0]))
            continue
        if kind is None or _unreal(c):
            continue
        v, direction = _victim_head(doc, c, source)
        if v is not None and v.i < c.i and any(_is_casualty_word(t) for t in doc[v.i + 1 : c.i]):
            # "Four killed, 11 hurt": the head before "killed" is killed's, not hurt's
            v = _near_number(doc, c, -1, 4)
        q = _count_group(doc, v, c) if v is not None else None
        if q is not None and v is not None:
            extra = [_count_group(doc, x, c) for x in _other_subjects(c, v)]
            known = [x for x in extra if x is not None]
            if known:
                q = _sum([q, *known])  # "Four soldiers, 12 militants die": two subjects
        if q is None:
            near = _near_number(doc, c, direction, 4 if direction > 0 else 6)
            if near is not None:
                v, q = near, quantity(doc, near.i)
        key = v.i if v is not None else c.i
        out.append(Mention(c.i, kind, key, q))
    return out


# --------------------------------------------------------------------------- linking


def _has_own_subject(tok: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in tok.children)


def _dominates(top: Token, low: Token) -> bool:
    """``low`` is in ``top``'s subtree without crossing into a coordinated clause that has
    its own subject (such a clause is another event)."""
    cur = low
    while cur.i != top.i:
        if cur.head.i == cur.i:
            return False
        if cur.dep_ == "conj" and cur.pos_ in ("VERB", "AUX") and _has_own_subject(cur):
            return False
        cur = cur.head
    return True


def _clause(tok: Token) -> Token:
    cur = tok
    while cur.pos_ not in ("VERB", "AUX") and cur.head.i != cur.i:
        cur = cur.head
    return cur


def _combine(ms: list[Mention]) -> Qty | None:
    counted = [m for m in ms if m.qty is not None]
    if not counted:
        return None
    tolls = [m.qty for m in counted if m.toll and m.qty is not None]
    if tolls:
        return max(tolls, key=lambda q: q.best)
    seen: dict[int, Qty] = {}
    for m in counted:
        assert m.qty is not None
        seen.setdefault(m.victims, m.qty)
    return _sum(list(seen.values()))


_CACHE_KEY = "riftwatch.sizes.mentions"


def _cached_mentions(doc: Doc) -> list[Mention]:
    """``mentions(doc)`` once per sentence doc: the pipeline asks for every event of it."""
    cached = doc.user_data.get(_CACHE_KEY)  # a Doc's text never changes
    if cached is None or cached[0] != len(doc):
        cached = (len(doc), mentions(doc))
        doc.user_data[_CACHE_KEY] = cached
    return cached[1]


def count_victims(doc: Doc, trigger: tuple[int, int], *, event: str | None = None) -> Size:
    """Dead, injured and arrested of the event whose trigger is ``trigger`` (token span).

    ``event`` (PLOVER type, optional) says whether the trigger is violent; without it the
    trigger word decides (``violent`` list in ``data/numbers/casualty.yaml``).
    """
    if not len(doc):
        return Size()
    lex = lexicon()
    t0 = min(max(0, trigger[0]), len(doc) - 1)
    t1 = min(len(doc), max(trigger[1], t0 + 1))
    trig = doc[t0:t1].root
    trig_lemma = trig.lemma_.lower()
    if event is not None:
        violent = event.upper() in VIOLENT_EVENTS
    else:
        violent = trig_lemma in lex.violent
    coercive = (event or "").upper() == "COERCE" or trig_lemma in lex.coercive
    all_ms = _cached_mentions(doc)
    trig_clause = _clause(trig)
    own_kinds = {m.kind for m in all_ms if t0 <= m.token < t1}
    counts: dict[str, Qty | None] = {}
    for kind in KINDS:
        ms = [m for m in all_ms if m.kind == kind]
        if not ms:
            counts[kind] = None
            continue
        if kind in own_kinds:
            # the trigger reports these victims itself: other mentions of the same kind
            # are other events (or misparsed coordinations of them)
            linked = [
                m
                for m in ms
                if t0 <= m.token < t1 or (m.toll and _clause(doc[m.token]).i == trig_clause.i)
            ]
        elif violent:
            linked = [
                m
                for m in ms
                if _dominates(trig, doc[m.token])
                or _dominates(doc[m.token], trig)
                or _clause(doc[m.token]).i == trig_clause.i
            ]
        else:
            linked = [m for m in ms if _clause(doc[m.token]).i == trig_clause.i]
        q = _combine(linked)
        # a violent trigger takes the sentence's other casualty reports when its own
        # clause has none -- but a kill does not take an arrest's count, nor the reverse
        families = {_FAMILY[k] for k in own_kinds}
        same_family = not families or _FAMILY[kind] in families
        if q is None and violent and same_family and (kind != "arrested" or coercive):
            q = _combine(ms)
        counts[kind] = q
    dead = counts["dead"]
    return Size(
        dead=dead.best if dead else None,
        injured=counts["injured"].best if counts["injured"] else None,
        arrested=counts["arrested"].best if counts["arrested"] else None,
        dead_low=dead.low if dead and not dead.exact else None,
        dead_high=dead.high if dead and not dead.exact else None,
    )
