"""News datelines: the place (and often the date) that opens a wire story.

``find_dateline`` looks only at the start of the text and at the starts of the lines that
begin in its first ~200 characters (a title line may come first), so its cost does not grow
with the article. Each recognised style is one anchored regular expression built from the
same fragments (place, date, agency, dash); the first style that matches wins.

Styles (``Dateline.style``):

==============  ======================================================
paren_date      KABUL, Afghanistan (Jan. 25, 2013) —
place_date      ISLAMABAD, March 18 (Reuters) - / Quetta, 12 February 2022: /
                PESHAWAR, Pakistan, Oct 3, 2023 (AP) — / Islamabad, 2023-05-06:
agency_date     KARACHI (Dawn) – 5 May 2023 –
agency          TEHRAN (IRNA) – (no date)
date_place      MONDAY, 3 JUNE 2024, PESHAWAR / 3 June 2024, Peshawar —
byline          By Jane Doe | Kabul | 14/08/2021
date_only       March 3, 2023 (alone on the first line: a date stamp, no place)
place_only      WASHINGTON — / PESHAWAR: / Kabul, Afghanistan – The ... (no date; a
                mixed-case place needs a dash and a capitalised word after it)
agency_only     (FNA) - An ideological ... (no place, no date)
==============  ======================================================

What is NOT a dateline: a sentence that starts with a year or a date ("In 2011, the army
said", "On March 3 the army ..."), a city starting an ordinary sentence ("Kabul is ...",
"Peshawar, the capital of ..."), a label such as "UPDATE:" or "BREAKING —". A month-less
number is never a date. A dateline without a year takes ``year_hint``; with no hint the
date stays unknown (``date`` None, ``has_year`` False) — never today's year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from riftwatch.ingest.dates import MONTH_RE, WEEKDAY_RE, make_date, month_number, numeric_date

SCAN_CHARS = 200
"""Datelines are looked for only at line starts within this many characters."""


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline found at the top of a text."""

    place: str | None
    """The place as written ("KABUL", "Peshawar, Pakistan" gives "Peshawar")."""
    date: dt.date | None
    """Full date, when the dateline has a day and month and a year (its own or the hint)."""
    span: tuple[int, int]
    """Characters of the text the dateline occupies, its closing dash or colon included."""
    has_year: bool = False
    """True when the dateline itself writes the year."""
    precision: str | None = None
    """``day`` when the dateline gives a day and month; None when it gives no date."""
    month: int | None = None
    day: int | None = None
    year: int | None = None
    region: str | None = None
    """What follows the place ("Afghanistan" in "KABUL, Afghanistan")."""
    agency: str | None = None
    """The news agency in parentheses ("Reuters", "AP"), if any."""
    style: str = ""


# --- fragments -----------------------------------------------------------------------

_MON = rf"(?i:{MONTH_RE})"
_WKD = rf"(?i:{WEEKDAY_RE})"

_SP = r"[ \t\u00a0]"
"""Spacing inside a dateline: blanks, tabs and no-break spaces, never a line break."""
_NOT_PLACE = rf"(?!(?i:{MONTH_RE}|{WEEKDAY_RE}|by|on|in|at|the|a|an|as|for|from|after|during)\b)"
_WORD = r"[A-Z][A-Za-z'’\-]*\.?(?:/[A-Z][A-Za-z'’\-]*\.?)*"
_PARTICLE = r"(?:al|el|de|du|la|le|of|ul|e|i|bin|van|von)"
_PLACE = rf"{_NOT_PLACE}{_WORD}(?:[ \-](?:{_PARTICLE}[ \-])?{_NOT_PLACE}{_WORD}){{0,3}}"
_REGION = rf"{_NOT_PLACE}{_WORD}(?: {_NOT_PLACE}{_WORD}){{0,2}}"
_PLACE_GROUP = rf"(?P<place>{_PLACE})(?:,{_SP}*(?P<region>{_REGION}(?:,{_SP}*{_REGION})?))?"
_UPPER_PLACE = rf"(?P<place>{_NOT_PLACE}[A-Z][A-Z'’.\-/]+(?: {_NOT_PLACE}[A-Z][A-Z'’.\-/]+){{0,2}})"

_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_ORD = r"(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:{_WKD}\.?,?{_SP}+)?"
    r"(?:"
    rf"(?P<md_m>{_MON})\.?{_SP}+(?P<md_d>{_DAY}){_ORD}(?![\d:])(?:,?{_SP}+(?P<md_y>\d{{4}}))?"
    rf"|(?P<dm_d>{_DAY}){_ORD}{_SP}+(?:of{_SP}+)?(?P<dm_m>{_MON})\.?(?:,?{_SP}+(?P<dm_y>\d{{4}}))?"
    r"|(?P<iso_y>\d{4})-(?P<iso_m>0?[1-9]|1[0-2])-(?P<iso_d>[0-3]?\d)"
    r"|(?P<num_a>\d{1,2})[/.](?P<num_b>\d{1,2})[/.](?P<num_y>\d{4})"
    r")(?![\w/])"
)
_AGENCY = r"\((?P<agency>[A-Z][A-Za-z0-9&.'’/ \-]{0,39}?)\)"
_DASH = r"(?:—|–|--|-|:|\|)"
_STRONG_DASH = r"(?:—|–|-{1,2}(?=\s))"
"""A dash that can close a date-less dateline: not a colon, not a hyphen inside a word."""
_END = rf"{_SP}*{_DASH}"
_END_OR_EOL = rf"(?:{_SP}*{_DASH}|{_SP}*(?=\r?\n))"
_NEXT_UPPER = rf"(?={_SP}*[A-Z\"“‘'])"

_STYLES: list[tuple[str, re.Pattern[str]]] = [
    (
        "byline",
        re.compile(
            rf"By{_SP}+[^|\n]{{2,60}}?{_SP}*\|{_SP}*{_PLACE_GROUP}{_SP}*\|{_SP}*{_DATE}"
            rf"(?:{_END_OR_EOL}|{_SP}*$)"
        ),
    ),
    ("paren_date", re.compile(rf"{_PLACE_GROUP}{_SP}*\({_SP}*{_DATE}{_SP}*\){_END}")),
    (
        "place_date",
        re.compile(rf"{_PLACE_GROUP},{_SP}*{_DATE}(?:{_SP}*{_AGENCY})?{_END_OR_EOL}"),
    ),
    (
        "agency_date",
        re.compile(rf"{_PLACE_GROUP}{_SP}*{_AGENCY}{_END}{_SP}*{_DATE}{_END_OR_EOL}"),
    ),
    ("agency", re.compile(rf"{_PLACE_GROUP}{_SP}*{_AGENCY}{_SP}*(?:{_DASH}+|(?=\r?\n))")),
    (
        "date_place",
        re.compile(rf"{_DATE},?{_SP}+(?P<place>{_PLACE})(?:{_SP}*{_AGENCY})?{_END_OR_EOL}"),
    ),
    ("date_only", re.compile(rf"{_DATE}{_SP}*(?=\r?\n)")),
    (
        "place_only",
        re.compile(rf"{_UPPER_PLACE}(?:,{_SP}*(?P<region>{_REGION}))?{_SP}*(?:{_STRONG_DASH}|:)"),
    ),
    # The two weakest styles, tried only at the very start of the text (not after a title
    # line) and only before a capitalised word: "Tehran – Iran's cabinet ...".
    (
        "place_only",
        re.compile(
            rf"(?P<place>{_PLACE})(?:,{_SP}*(?P<region>{_REGION}))?{_SP}*{_STRONG_DASH}"
            rf"{_SP}+{_NEXT_UPPER}"
        ),
    ),
    ("agency_only", re.compile(rf"{_AGENCY}{_SP}*{_STRONG_DASH}{_SP}+{_NEXT_UPPER}")),
]
_START_ONLY = 2
"""The last this many styles are tried at the start of the text only."""

_LABELS = {
    "update",
    "updated",
    "breaking",
    "breaking news",
    "note",
    "editor's note",
    "editor’s note",
    "editors note",
    "exclusive",
    "analysis",
    "opinion",
    "comment",
    "correction",
    "clarification",
    "photo",
    "photos",
    "video",
    "watch",
    "live",
    "file",
    "report",
    "factbox",
    "explainer",
    "urgent",
    "flash",
    "alert",
    "warning",
    "interview",
    "editorial",
    "summary",
    "advisory",
    "listen",
    "read more",
    "related",
    "q&a",
    "by",
    "source",
    "sources",
    "title",
    "date",
    "url",
}
_DATELESS = ("place_only", "agency", "agency_only")
_LINE_START = re.compile(r"\n[ \t]*(?=\S)")


def find_dateline(text: str, *, year_hint: int | None = None) -> Dateline | None:
    """The dateline at the top of ``text``, or None.

    ``year_hint`` completes a dateline without a year (from the metadata year or the
    ``--published`` date); without it such a dateline keeps its place but no date.
    """
    head = text[: SCAN_CHARS + 120]
    starts = [len(head) - len(head.lstrip())]
    for m in _LINE_START.finditer(head, 0, SCAN_CHARS):
        starts.append(m.end())
    for n, start in enumerate(starts):
        found = _match_at(head, start, year_hint, at_top=n == 0)
        if found is not None:
            return found
    return None


def _match_at(head: str, start: int, year_hint: int | None, *, at_top: bool) -> Dateline | None:
    first = head[start : start + 1]
    if not first or not (first.isalnum() or first == "("):
        return None
    styles = _STYLES if at_top else _STYLES[:-_START_ONLY]
    for style, pattern in styles:
        m = pattern.match(head, start)
        if m is None:
            continue
        dateline = _build(m, style, year_hint)
        if dateline is not None:
            return dateline
    return None


def _build(m: re.Match[str], style: str, year_hint: int | None) -> Dateline | None:
    groups = m.groupdict()
    place = _clean(groups.get("place"))
    region = _clean(groups.get("region"))
    agency = _clean(groups.get("agency"))
    if place and place.lower() in _LABELS:
        return None
    if agency and _looks_like_date(agency):
        return None
    month, day, year = _date_parts(groups)
    if agency and agency.lower() in _LABELS:
        return None
    if style not in _DATELESS and month is None:
        return None
    if style == "date_only" and year is None:
        return None  # "March 3 - ..." alone is too weak to call a dateline
    date = None
    has_year = year is not None
    if month is not None and day is not None:
        use_year = year if year is not None else year_hint
        if use_year is not None:
            date = make_date(use_year, month, day)
    end = m.end()
    while end > m.start() and m.string[end - 1].isspace():
        end -= 1
    return Dateline(
        place=place,
        date=date,
        span=(m.start(), end),
        has_year=has_year,
        precision="day" if month is not None and day is not None else None,
        month=month,
        day=day,
        year=year if year is not None else (date.year if date else None),
        region=region,
        agency=agency,
        style=style,
    )


def _date_parts(g: dict[str, str | None]) -> tuple[int | None, int | None, int | None]:
    if g.get("md_m"):
        return month_number(g["md_m"] or ""), int(g["md_d"] or 0), _int(g.get("md_y"))
    if g.get("dm_m"):
        return month_number(g["dm_m"] or ""), int(g["dm_d"] or 0), _int(g.get("dm_y"))
    if g.get("iso_y"):
        return int(g["iso_m"] or 0), int(g["iso_d"] or 0), int(g["iso_y"] or 0)
    if g.get("num_y"):
        found = numeric_date(int(g["num_a"] or 0), int(g["num_b"] or 0), int(g["num_y"] or 0))
        if found is None:
            return None, None, None
        return found.month, found.day, found.year
    return None, None, None


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip(" \t\u00a0,")
    return value or None


_DATE_WORD = re.compile(rf"^(?:{MONTH_RE}|{WEEKDAY_RE})\b|\d{{4}}", re.I)


def _looks_like_date(text: str) -> bool:
    return bool(_DATE_WORD.search(text))
