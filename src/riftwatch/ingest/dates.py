"""Publication dates from metadata fields, in any common spelling, never "today".

Fast paths (ISO 8601, RFC 2822, "5 May 2023", "May 5, 2023", "05/05/2023", epoch seconds)
cover nearly all real feeds and exports without calling dateparser, which costs
milliseconds a call. dateparser is the fallback (cached per string) and is restricted to
ABSOLUTE parsers with day, month and year required, so "yesterday", "2 days ago", "now" or
a bare "March 2023" never turn into a made-up day.

Numeric dates whose order is ambiguous ("03/05/2023") are read day first, as the South
Asian and British press write them; "05/13/2023" is unambiguous and read month first.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from functools import lru_cache
from typing import Any

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ],
    start=1,
):
    for _n in _names:
        MONTHS[_n] = _i

MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
WEEKDAY_RE = (
    r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?)"
)

MIN_YEAR, MAX_YEAR = 1800, 2200

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:[T ]|$)")
_YEAR_MONTH = re.compile(r"(\d{4})(?:-(\d{1,2}))?$")
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?![\d])")
_YMD_SLASH = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?![\d])")
_DMY = re.compile(
    rf"(?:{WEEKDAY_RE}\.?,?\s+)?(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})\.?,?\s+(\d{{4}})\b",
    re.I,
)
_MDY = re.compile(
    rf"(?:{WEEKDAY_RE}\.?,?\s+)?({MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b",
    re.I,
)
_YEAR_IN = re.compile(r"(?<!\d)(?:1[89]\d\d|2[01]\d\d)(?!\d)")
_LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "ar", "fa", "ur", "ps", "ru", "tr"]
"""Languages dateparser tries: a fixed list, because letting it detect among all of its
locales costs seconds on the first date it cannot read."""
_DATEPARSER_SETTINGS = {
    "PREFER_DATES_FROM": "past",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "STRICT_PARSING": True,
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
}


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """A date, or None for an impossible or implausible one (Feb 30, year 0023)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def numeric_date(first: int, second: int, year: int) -> dt.date | None:
    """``first/second/year``: day first unless that is impossible and month first is not."""
    if first > 12 >= second:
        return make_date(year, second, first)
    if second > 12 >= first:
        return make_date(year, first, second)
    return make_date(year, second, first)


def month_number(name: str) -> int | None:
    return MONTHS.get(name.lower().rstrip("."))


def parse_date(value: Any) -> dt.date | None:
    """A publication date from a metadata value, or None when there is no full date."""
    return parse_date_parts(value)[0]


def parse_date_parts(value: Any) -> tuple[dt.date | None, int | None]:
    """(date, year): the year alone survives when the value has no day ("2023", "2023-05"),
    so that a year-less dateline can still be completed."""
    if value is None or isinstance(value, bool):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), value.year
    if isinstance(value, dt.date):
        return value, value.year
    if isinstance(value, int | float):
        return _from_number(value)
    if not isinstance(value, str):
        return None, None
    text = value.strip()
    if not text or len(text) > 100:
        return None, None
    if text.isdigit() and len(text) >= 9:
        return _from_number(int(text))
    found = _fast(text)
    if found is not None:
        return found, found.year
    ym = _YEAR_MONTH.match(text)
    if ym:
        year = int(ym.group(1))
        return None, year if MIN_YEAR <= year <= MAX_YEAR else None
    found = _slow(text)
    return found, found.year if found else None


def _from_number(value: float) -> tuple[dt.date | None, int | None]:
    if MIN_YEAR <= value <= MAX_YEAR and float(value).is_integer():
        return None, int(value)  # a bare year
    if value > 1e11:  # milliseconds
        value = value / 1000
    try:
        day = dt.datetime.fromtimestamp(value, tz=dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        return None, None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return None, None
    return day, day.year


def _fast(text: str) -> dt.date | None:
    m = _ISO.match(text) or _YMD_SLASH.match(text)
    if m:
        return make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _COMPACT.match(text)
    if m:
        return make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _NUMERIC.match(text)
    if m:
        return numeric_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if text[:3].lower() in _RFC_HEADS or text[:1].isdigit():
        parts = email.utils.parsedate_tz(text)
        if parts is not None and parts[2] and parts[1]:
            found = make_date(parts[0], parts[1], parts[2])
            if found is not None:
                return found
    m = _DMY.match(text)
    if m:
        month = month_number(m.group(2))
        return make_date(int(m.group(3)), month, int(m.group(1))) if month else None
    m = _MDY.match(text)
    if m:
        month = month_number(m.group(1))
        return make_date(int(m.group(3)), month, int(m.group(2))) if month else None
    return None


_RFC_HEADS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}


@lru_cache(maxsize=4096)
def _slow(text: str) -> dt.date | None:
    import dateparser  # slow to import; only inputs with unusual date spellings need it

    if not _YEAR_IN.search(text):
        return None  # a full date has a year; without one dateparser would only burn time
    try:
        parsed = dateparser.parse(text, settings=_DATEPARSER_SETTINGS, languages=_LANGUAGES)
    except Exception:  # dateparser raises assorted errors on odd strings; a bad date is no date
        return None
    if parsed is None or not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    return parsed.date()
