"""WHEN: the date of one event, read from its sentence relative to the publication date.

An event dated by its article's publication day is off by a day, a week or a decade, so
the sentence's own time expression wins when it modifies the event. Two steps:

1. *Attachment* (``_attached``): every time expression of the sentence (spaCy DATE/TIME
   entities plus a few patterns the small model misses) is tied to the clause it modifies;
   only one tied to the trigger's clause (or to a clause governing it, such as a reporting
   verb) dates the event. A time expression in a coordinated clause with its own subject
   ("... and the army retaliated on Wednesday") belongs to that clause's event.
2. *Resolution* (``resolve``): cheap rules for the frequent relative and partial forms
   ("yesterday", "on Monday", "last month", "in March", "the 1990s"), dateparser for the
   explicit rest. Resolution is cached because the same expressions recur in every
   article of a day.

Conventions: a date of precision week/month/year/decade is the FIRST day of that period
(week = Monday; a stretch ending at publication, "in the past week", starts where it
starts). Relative expressions prefer the past: "on Monday" is the most recent
Monday on or before publication, "in March" the March before or at publication; only an
explicit "next" ("next Tuesday", "on Tuesday next week") points forward.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .doccache import doc_text
from .ingest.dates import MONTHS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

PRECISIONS = ("day", "week", "month", "year", "decade")


@dataclass(frozen=True, slots=True)
class EventDate:
    """The date the text gives an event; ``date`` None when the text gives none.

    ``start`` is the beginning of an ongoing event when the text says it ("since 2022");
    ``text``/``span`` are the time expression as written and its character span in the
    sentence doc.
    """

    date: dt.date | None = None
    precision: str | None = None
    ongoing: bool = False
    start: dt.date | None = None
    text: str | None = None
    span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Resolved:
    """A resolved time expression. ``kind``: ``point``, ``since`` or ``duration``."""

    date: dt.date | None
    precision: str | None
    kind: str = "point"
    start: dt.date | None = None


# --------------------------------------------------------------------------- words

WEEKDAYS = {
    name: i
    for i, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
# month names and abbreviations: the same table the ingest's date reader uses
SMALL_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "several": 3,
    "a few": 3,
    "few": 3,
    "a couple of": 2,
    "couple of": 2,
}
UNIT_PRECISION = {"day": "day", "night": "day", "week": "week", "month": "month", "year": "year"}

_WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
# full weekday names only when searching free text ("sun", "wed" are ordinary words)
_WDFULL = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MO = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMW = "|".join(sorted((re.escape(k) for k in SMALL_NUMBERS), key=len, reverse=True))
_PART = r"(?:morning|afternoon|evening|night|midnight|noon)"

# Patterns used to FIND time expressions spaCy's small model misses (it often skips
# "yesterday" in headlines, "since ..." prepositions and weekday+part-of-day combos).
_FIND = re.compile(
    rf"""\b(?:
        (?:since|for|over|in|during)\s+(?:the\s+)?(?:past|last)\s+(?:(?:\d+|{_NUMW})\s+)?(?:days?|weeks?|months?|years?|decades?)
      | for\s+(?:days|weeks|months|years|decades)
      | since\s+(?:(?:early|late|mid-?)\s*)?(?:(?:{_MO})\.?\s+)?(?:19|20)\d\d
      | since\s+(?:{_MO}|last\s+(?:week|month|year)|(?:{_WDFULL}))
      | (?:the\s+)?day\s+before\s+yesterday
      | (?:yesterday|today|tonight|tomorrow)(?:\s+{_PART})?
      | (?:last|this)\s+{_PART}
      | (?:(?:earlier|later)\s+)?(?:(?:early|late|mid-?)\s*)?(?:this|last|next|past)\s+(?:week|month|year|weekend)
      | (?:(?:early|late)\s+)?(?:last|next|this|on|on\s+the\s+night\s+of)?\s*(?:{_WDFULL})\b(?:\s+{_PART})?(?:\s+(?:next|last)\s+week)?
      | (?:\d+|{_NUMW})\s+(?:days?|weeks?|months?|years?)\s+ago
      | (?:in\s+|since\s+)?(?:the\s+)?(?:early\s+|late\s+|mid-?)?(?:19|20)\d0s
      | (?:in|since|during)\s+(?:early\s+|late\s+|mid-?)?(?:19|20)\d\d\b
      | \d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MO})\.?,?\s+(?:(?:19|20)\d\d|'?\d\d)\b
      | (?:{_MO})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_FIND_NEEDS = (
    "day",  # days, today, yesterday, every weekday name
    "week",
    "month",
    "year",
    "decade",
    "since",
    "tomorrow",
    "morning",
    "evening",
    "night",  # tonight, midnight
    "noon",  # afternoon
)
"""Every match of ``_FIND`` holds one of these words or a digit (read its alternatives):
most sentences hold none, and scanning them with ``_FIND``'s fourteen alternatives at
every word was the date reader's largest cost."""
_FIND_NEEDS_RE = re.compile("|".join(_FIND_NEEDS) + r"|\d", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


def _may_hold_time(text: str) -> bool:
    """False only when ``_FIND`` cannot match ``text`` (a cheap necessary condition)."""
    if text.isascii():  # ASCII: case-insensitive matching is lower-casing
        low = text.lower()
        return any(w in low for w in _FIND_NEEDS) or _DIGIT.search(text) is not None
    return _FIND_NEEDS_RE.search(text) is not None


# --------------------------------------------------------------------------- resolution


def _week_start(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _month_shift(d: dt.date, months: int) -> dt.date:
    m = d.year * 12 + (d.month - 1) + months
    return dt.date(m // 12, m % 12 + 1, 1)


def _number(word: str) -> int | None:
    word = word.strip().lower()
    if word.isdigit():
        return int(word)
    return SMALL_NUMBERS.get(word)


def _shift(published: dt.date, n: int, unit: str) -> dt.date:
    unit = unit.rstrip("s")
    if unit in ("day", "night"):
        return published - dt.timedelta(days=n)
    if unit == "week":
        return published - dt.timedelta(weeks=n)
    if unit == "month":
        return _month_shift(published, -n).replace(day=min(published.day, 28))
    if unit == "decade":
        return published.replace(year=published.year - 10 * n, day=min(published.day, 28))
    return published.replace(year=published.year - n, day=min(published.day, 28))


def _period_start(d: dt.date, precision: str) -> dt.date:
    if precision == "week":
        return _week_start(d)
    if precision == "month":
        return d.replace(day=1)
    if precision == "year":
        return dt.date(d.year, 1, 1)
    if precision == "decade":
        return dt.date(d.year - d.year % 10, 1, 1)
    return d


_LEAD = re.compile(
    r"^(?:(?:on|in|at|during|by|of|around|about|from|until|till|as\s+of)\s+)+", re.IGNORECASE
)
_RE_AGO = re.compile(rf"^(\d+|{_NUMW})\s+(day|week|month|year|decade)s?\s+ago$")
_RE_PAST_N = re.compile(
    rf"^(for|over|in|during|since)\s+(?:the\s+)?(?:past|last)\s+(?:(\d+|{_NUMW})\s+)?(day|week|month|year|decade)s?$"
    rf"|^()(?:the\s+)?(?:past|last)\s+(\d+|{_NUMW})\s+(day|week|month|year|decade)s$"
)
_RE_SEASON = re.compile(
    r"^(?:the\s+)?(?:(?:early|late|mid)-?\s*)?(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?((?:19|20)\d\d)$"
)
_RE_FOR = re.compile(
    rf"^for\s+(?:(?:about|around|nearly|almost|more\s+than|over)\s+)?(?:(\d+|{_NUMW})\s+)?(day|week|month|year|decade)s?$"
)
_RE_REL = re.compile(
    r"^(?:(earlier|later)\s+)?(?:(early|late|mid)-?\s*)?(this|last|next|past|the\s+past)\s+(week|month|year|weekend)$"
)
_RE_WD = re.compile(
    rf"^(?:(early|late)\s+)?(?:the\s+night\s+of\s+)?(last|next|this|past)?\s*({_WD})\.?(?:\s+{_PART})?(?:\s+(next|last)\s+week)?$"
)
_RE_WD_AFTER = re.compile(rf"^(?:(?:early|late)\s+)?{_PART}\s+(?:of\s+)?({_WD})$")
_RE_DECADE = re.compile(r"^(?:the\s+)?(?:(?:early|late|mid)-?\s*)?((?:19|20)\d)0s$")
_RE_YEAR = re.compile(r"^(?:(?:early|late|mid)-?\s*)?((?:19|20)\d\d)$")
_RE_MONTH = re.compile(
    rf"^(?:(?:early|late|mid)-?\s*)?({_MO})\.?(?:\s+(?:of\s+)?((?:19|20)\d\d))?(?:\s+this\s+year)?$"
)
_RE_MONTH_LAST = re.compile(rf"^(?:(?:early|late|mid)-?\s*)?({_MO})\.?\s+(last|this|next)\s+year$")
_RE_MD = re.compile(
    rf"^(?:{_WD}\.?,?\s+)?({_MO})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+((?:19|20)\d\d))?$"
)
_RE_DM = re.compile(
    rf"^(?:{_WD}\.?,?\s+)?(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MO})\.?(?:,?\s+((?:19|20)\d\d|'?\d\d))?$"
)
_WORDS_DAY = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": 1,
    "last night": 1,
    "last evening": 1,
    "the day before yesterday": 2,
    "day before yesterday": 2,
    "tomorrow": -1,
}


def _past_month_day(published: dt.date, month: int, day: int, year: int | None) -> dt.date | None:
    """The month/day on or before publication (prefer the past) unless a year is given."""
    try:
        if year is not None:
            return dt.date(year, month, day)
        candidate = dt.date(published.year, month, day)
        if candidate > published + dt.timedelta(days=1):
            candidate = dt.date(published.year - 1, month, day)
        return candidate
    except ValueError:
        return None


def _weekday(published: dt.date, wd: int, modifier: str | None, week: str | None) -> dt.date:
    if week == "next":
        return _week_start(published) + dt.timedelta(days=7 + wd)
    if week == "last":
        return _week_start(published) - dt.timedelta(days=7 - wd)
    if modifier == "next":
        delta = (wd - published.weekday()) % 7 or 7
        return published + dt.timedelta(days=delta)
    delta = (published.weekday() - wd) % 7
    if modifier in ("last", "past") and delta == 0:
        delta = 7
    return published - dt.timedelta(days=delta)


@lru_cache(maxsize=4096)
def resolve(text: str, published: dt.date | None) -> Resolved | None:
    """Resolve one time expression relative to ``published``; None when it is no date.

    Rules decide the common forms without dateparser; dateparser (past-preferring,
    ``RELATIVE_BASE`` = publication) handles explicit dates the rules do not know.
    """
    t = " ".join(text.lower().replace("’", "'").split()).strip(" ,.;:")
    t = re.sub(r"^(?:the\s+)?(?:early\s+)?hours\s+of\s+", "", t)
    t = re.sub(
        r"^(?:earlier|later)\s+(?=today|tonight|this\s+(?:morning|afternoon|evening))", "", t
    )
    t = re.sub(r"^(early|late)\s+on\s+", r"\1 ", t)  # "late on Monday"
    t = re.sub(r"^this\s+past\s+", "last ", t)  # "this past weekend"
    if not t:
        return None
    if t.startswith("since "):
        inner = resolve(t[6:], published)
        if inner is not None and inner.date is not None:
            return Resolved(None, None, "since", inner.date)
        m = _RE_PAST_N.match(t)
        if m is None:
            return None
    m = _RE_PAST_N.match(t) or _RE_FOR.match(t)
    if m:
        groups = [g for g in m.groups() if g is not None]
        num, unit = (groups[-2], groups[-1]) if len(groups) >= 2 else (None, groups[-1])
        if num in ("for", "over", "in", "during", "since", ""):
            num = None
        n = _number(num) if num else None
        if n is None and num is None and m.re is _RE_PAST_N:
            n = 1
        start = _shift(published, n, unit) if (published and n is not None) else None
        return Resolved(None, None, "duration", start)
    t = _LEAD.sub("", t)
    t = re.sub(r"^the\s+(?=(?:early|late|mid)?-?\s*(?:19|20)\d0s)", "", t)

    # absolute forms first: they need no publication date
    if m := _RE_DECADE.match(t):
        return Resolved(dt.date(int(m.group(1)) * 10, 1, 1), "decade")
    if (m := _RE_YEAR.match(t)) or (m := _RE_SEASON.match(t)):
        return Resolved(dt.date(int(m.group(1)), 1, 1), "year")
    if (m := _RE_MD.match(t)) or (m := _RE_DM.match(t)):
        a, b, year = m.groups()
        month, day = (MONTHS[a], int(b)) if a in MONTHS else (MONTHS[b], int(a))
        y = int(year.lstrip("'")) if year else None
        if y is not None and y < 100:  # wire style "25 May 14"
            y += 2000 if y < 50 else 1900
        if y is None and published is None:
            return None
        d = _past_month_day(published, month, day, y) if published or y else None
        return Resolved(d, "day") if d else None
    if m := _RE_MONTH.match(t):
        month = MONTHS[m.group(1)]
        if m.group(2):
            return Resolved(dt.date(int(m.group(2)), month, 1), "month")
        if published is None:
            return None
        year = published.year if month <= published.month else published.year - 1
        return Resolved(dt.date(year, month, 1), "month")
    if published is None:
        return _dateparser(t, None)

    if t in _WORDS_DAY or any(t.startswith(k + " ") for k in ("yesterday", "today", "tomorrow")):
        key = t if t in _WORDS_DAY else t.split()[0]
        return Resolved(published - dt.timedelta(days=_WORDS_DAY[key]), "day")
    if m := _RE_AGO.match(t):
        n = _number(m.group(1))
        if n is None:
            return None
        unit = m.group(2)
        prec = "decade" if unit == "decade" else UNIT_PRECISION[unit]
        return Resolved(_period_start(_shift(published, n, unit), prec), prec)
    if m := _RE_REL.match(t):
        _earlier, _part, rel, unit = m.groups()
        rel = "past" if rel.startswith("the") else rel
        step = {"this": 0, "last": -1, "past": -1, "next": 1}[rel]
        if unit == "weekend":
            sat = published - dt.timedelta(days=(published.weekday() - 5) % 7)
            if rel in ("last", "past") and published.weekday() >= 5:
                sat -= dt.timedelta(days=7)
            if rel == "next":
                sat += dt.timedelta(days=7)
            return Resolved(sat, "week")
        if unit == "week":
            return Resolved(_week_start(published) + dt.timedelta(weeks=step), "week")
        if unit == "month":
            return Resolved(_month_shift(published, step), "month")
        return Resolved(dt.date(published.year + step, 1, 1), "year")
    if t in ("the weekend", "weekend"):
        sat = published - dt.timedelta(days=(published.weekday() - 5) % 7)
        return Resolved(sat, "week")
    if m := _RE_MONTH_LAST.match(t):
        step = {"last": -1, "this": 0, "next": 1}[m.group(2)]
        return Resolved(dt.date(published.year + step, MONTHS[m.group(1)], 1), "month")
    if m := _RE_WD.match(t):
        _edge, modifier, wd, week = m.groups()
        return Resolved(_weekday(published, WEEKDAYS[wd], modifier, week), "day")
    if m := _RE_WD_AFTER.match(t):
        return Resolved(_weekday(published, WEEKDAYS[m.group(1)], None, None), "day")
    return _dateparser(t, published)


def warm_up() -> None:
    """Have dateparser build its tables now (its time-zone and locale regular
    expressions, compiled at its first date, take about half a second): a process that
    codes calls this at start, so the cost is not charged to its first documents."""
    _dateparser("5 march 2011", None)  # lower case, as `resolve` passes it


@lru_cache(maxsize=64)
def _parser_for(published: dt.date | None) -> Any:
    """One past-preferring DateDataParser per publication date (RELATIVE_BASE)."""
    from dateparser.date import DateDataParser

    base = dt.datetime.combine(published or dt.date(2000, 1, 1), dt.time())
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY",
    }
    return DateDataParser(languages=["en"], settings=settings)


def _dateparser(text: str, published: dt.date | None) -> Resolved | None:
    """Explicit dates the rules do not cover ("2011-03-05", "5/3/2011", "March 5th 2011")."""
    # dateparser turns almost anything into "now" (and "54" into 1954); only give it text
    # that names a date: a month name, or digits with a date separator.
    if not re.search(rf"\b(?:{_MO})\b|\d+[-/.]\d+", text):
        return None
    if published is None and not re.search(r"\b(?:19|20)\d\d\b", text):
        return None
    try:
        data = _parser_for(published).get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    if data is None or data.date_obj is None:
        return None
    period = data.period or "day"
    precision = "day" if period == "time" else period
    if precision not in PRECISIONS:
        return None
    d = data.date_obj.date()
    if not 1900 <= d.year <= 2100:
        return None
    return Resolved(_period_start(d, precision), precision)


# --------------------------------------------------------------------------- attachment

_CLAUSE_SUBJ = ("nsubj", "nsubjpass", "csubj", "expl")
_ONGOING_VERBS = {"continue", "keep", "persist", "carry"}
_HABITUAL = {
    "routinely",
    "regularly",
    "frequently",
    "often",
    "repeatedly",
    "daily",
    "constantly",
    "continually",
    "continuously",
    "still",
}
_ONGOING_ADJ = {"ongoing", "continuing", "continued", "persistent", "relentless", "sustained"}


def _has_own_subject(tok: Token) -> bool:
    return any(c.dep_ in _CLAUSE_SUBJ for c in tok.children)


def _governor(tok: Token, stop: set[int]) -> Token:
    """First ancestor of ``tok`` that is a verb (or one of the ``stop`` tokens)."""
    cur = tok
    while cur.head.i != cur.i:
        cur = cur.head
        if cur.i in stop or cur.pos_ in ("VERB", "AUX"):
            return cur
    return cur


def _clause_chain(trigger: Token) -> list[Token]:
    """The trigger, its clause verb and the clauses governing it, nearest first.

    The chain stops at a coordination whose conjunct has its own subject: "X attacked on
    Monday and Y retaliated" -- Monday is not Y's date.
    """
    chain = [trigger]
    cur = trigger
    while cur.head.i != cur.i:
        if cur.dep_ == "conj" and cur.pos_ in ("VERB", "AUX") and _has_own_subject(cur):
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            chain.append(cur)
    return chain


_GROW = re.compile(r"\b(since|for|over|during|from)\s+(?:the\s+)?$", re.I)


def _candidates(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of time expressions: spaCy entities and pattern matches (both kept:
    the small model's entity is sometimes too wide, "the area two months ago")."""
    text = doc_text(doc)  # spaCy rebuilds Doc.text from its tokens at every access
    spans: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            spans.append((ent.start_char, ent.end_char))
    for m in _FIND.finditer(text) if _may_hold_time(text) else ():
        if m.group().strip():
            spans.append((m.start(), m.end()))
    # grow spans over a preposition that decides their meaning ("since", "for", "in")
    out = []
    for s, e in sorted(set(spans)):
        m = _GROW.search(text[max(0, s - 16) : s])
        if m:
            s = max(0, s - 16) + m.start()
        while s < e and text[s] in " ,":
            s += 1
        out.append((s, e))
    return out


def _trimmed(span: Any, published: dt.date | None) -> tuple[Any, Resolved | None]:
    """Resolve a time expression, dropping words the entity swallowed at either end
    ("the area two months ago", "March 2017 - Kashmir")."""
    res = resolve(span.text, published)
    if res is not None:
        return span, res
    for cut_left in range(min(4, len(span))):
        for cut_right in range(min(4, len(span) - cut_left)):
            if cut_left == cut_right == 0:
                continue
            sub = span[cut_left : len(span) - cut_right]
            if len(sub) and (res := resolve(sub.text, published)) is not None:
                return sub, res
    return span, None


def _modifies_other_noun(span: Any, trig: Token) -> bool:
    """The time expression is a bare modifier of a noun other than the trigger."""
    k = 0
    while k < len(span) - 1 and span[k].pos_ in ("ADP", "DET"):
        k += 1  # the core of "over the March 5 ..."
    root = span[k:].root
    head = root.head
    if not (
        root.dep_ in ("compound", "nmod", "amod", "nummod", "poss")
        and head.i != trig.i
        and head.pos_ in ("NOUN", "PROPN")
        and head.dep_ != "ROOT"  # a verbless headline's date is the headline's
    ):
        return False
    # ... unless that noun is the trigger's violent subject: "the 2008 attacks killed 166"
    from riftwatch.sizes import lexicon

    return not (
        head.dep_ in ("nsubj", "nsubjpass")
        and head.head.i == trig.i
        and head.lemma_.lower() in lexicon().violent
    )


def _continuing(verb: Token) -> bool:
    """Perfect, progressive or present aspect: the event reaches the time of writing."""
    kids = list(verb.children)
    if any(k.lemma_ == "have" and k.dep_ in ("aux", "auxpass") for k in kids):
        return True
    if verb.tag_ == "VBG" and any(k.lemma_ == "be" and k.dep_ == "aux" for k in kids):
        return True
    return verb.tag_ in ("VBZ", "VBP")


def _stretch_precision(start: dt.date, published: dt.date | None) -> str:
    days = (published - start).days if published else 0
    if days <= 7:
        return "week"
    if days <= 31:
        return "month"
    if days <= 366:
        return "year"
    return "decade"


_CACHE_KEY = "riftwatch.when.candidates"


def _cached_candidates(doc: Doc) -> list[tuple[int, int]]:
    """``_candidates(doc)`` once per sentence doc: the pipeline dates every event of it."""
    cached = doc.user_data.get(_CACHE_KEY)  # a Doc's text never changes
    if cached is None or cached[0] != len(doc):
        cached = (len(doc), _candidates(doc))
        doc.user_data[_CACHE_KEY] = cached
    return cached[1]


_RESOLVED_KEY = "riftwatch.when.resolved"


def _resolved_candidates(
    doc: Doc, published: dt.date | None
) -> list[tuple[tuple[int, int], Resolved]]:
    """The sentence's time expressions that resolve, as token spans, once per sentence:
    a sentence with several events asks for them once per event (and dateparser is slow).

    Token offsets, not Span objects, are kept in ``doc.user_data``: a Span refers to its
    Doc, and that cycle would keep every parsed sentence alive until the next collection.
    """
    cached = doc.user_data.get(_RESOLVED_KEY)
    if cached is not None and cached[0] == (len(doc), published):
        return cached[1]
    out = []
    for s, e in _cached_candidates(doc):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        span, res = _trimmed(span, published)
        if res is not None:
            out.append(((span.start, span.end), res))
    doc.user_data[_RESOLVED_KEY] = ((len(doc), published), out)
    return out


def _ongoing_marked(trigger: Token) -> bool:
    """Habitual/ongoing aspect: "has continued to bomb", "have been attacking", "ongoing"."""
    head = trigger
    if trigger.dep_ == "xcomp" and trigger.head.lemma_.lower() in _ONGOING_VERBS:
        return True
    if trigger.lemma_.lower() in _ONGOING_VERBS:
        return True
    kids = list(head.children)
    if (
        trigger.tag_ == "VBG"
        and any(c.lower_ == "been" for c in kids)
        and any(c.lemma_ == "have" for c in kids)
    ):
        return True
    if any(c.lower_ in _HABITUAL for c in kids if c.dep_ in ("advmod", "npadvmod")):
        return True
    if any(c.lower_ in _ONGOING_ADJ for c in kids if c.dep_ in ("amod", "advmod")):
        return True
    return False


def event_date(doc: Doc, trigger: tuple[int, int], *, published: dt.date | None) -> EventDate:
    """The date (and precision, ongoing flag, start) of the event whose trigger is given.

    ``trigger`` is a token span ``(start, end)`` of the sentence ``doc``. Returns
    ``EventDate()`` (date None) when no time expression of the sentence modifies the event;
    the pipeline then falls back to the publication date.
    """
    if not len(doc):
        return EventDate()
    t0 = min(max(0, trigger[0]), len(doc) - 1)
    t1 = min(len(doc), max(trigger[1], t0 + 1))
    trig = doc[t0:t1].root
    chain = _clause_chain(trig)
    rank = {tok.i: k for k, tok in enumerate(chain)}
    trig_ids = set(range(t0, t1))
    best: tuple[tuple[int, int, int], EventDate] | None = None
    for (start, end), res in _resolved_candidates(doc, published):
        span = doc[start:end]
        if _modifies_other_noun(span, trig):
            continue  # "the 2008 attacks", "last year's election": that noun's date
        inside = trig_ids & set(range(span.start, span.end))
        gov = trig if inside else _governor(span.root, {trig.i} | {t.i for t in chain})
        if gov.i not in rank:
            continue
        # nearest clause first; then the finer date ("July 2020 (27 July)"), then nearest
        if res.kind == "duration" and not (_continuing(gov) or _continuing(trig)):
            # a finished stretch: "fought for three days" gives no date; "killed 20 in the
            # past week" dates the event to that stretch
            if res.start is None or not re.search(r"\b(?:past|last)\b", span.text, re.I):
                continue
            res = Resolved(res.start, _stretch_precision(res.start, published), "point")
        fine = PRECISIONS.index(res.precision) if res.precision in PRECISIONS else 0
        key = (rank[gov.i], fine, abs(span.start - trig.i))
        ed = EventDate(
            date=res.date,
            precision=res.precision,
            ongoing=res.kind in ("since", "duration"),
            start=res.start if res.kind != "point" else None,
            text=span.text,
            span=(span.start_char, span.end_char),
        )
        if best is None or key < best[0]:
            best = (key, ed)
    ongoing = _ongoing_marked(trig)
    if best is None:
        return EventDate(ongoing=ongoing)
    ed = best[1]
    if ongoing and not ed.ongoing:
        return EventDate(
            date=ed.date,
            precision=ed.precision,
            ongoing=True,
            start=ed.start,
            text=ed.text,
            span=ed.span,
        )
    return ed
