"""A fast rule-based sentence splitter for news text.

Why not spaCy's: the pre-filter must look at every sentence of every document before
anything is parsed, so splitting has to cost far less than tokenising. A regular
expression over the raw string does (about 50 MB/s), and news prose is regular enough:
a sentence ends at ``.``, ``!`` or ``?`` (plus closing quotes or brackets) followed by
space and an upper-case letter, digit or opening quote, unless the full stop belongs to
a known abbreviation or an initial; a line break always ends a sentence (headlines,
bylines, list items).
"""

from __future__ import annotations

import re

from .model import Span

_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt cpt sgt cpl pvt adm cmdr brig st mt ft sen rep gov
    pres rev hon jr sr jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu
    thurs fri sat sun no nos vs etc inc ltd co corp dept est approx fig vol al op govt intl
    u.s u.k u.n e.g i.e a.m p.m u.s.a
    """.split()
)

# candidate ends: terminal punctuation, optional closers, then whitespace, then a starter
_END = re.compile(r"""[.!?]+['"\u2019\u201d)\]]*(?=\s+['"\u2018\u201c(\[]?[A-Z0-9])""")
_LINE = re.compile(r"[^\n]+")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Does the full stop at ``dot`` close an abbreviation or an initial ("J. Smith")?"""
    m = _WORD_BEFORE.search(text, max(0, dot - 12), dot + 1)
    if not m:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isupper():
        return True  # an initial
    return word.lower().rstrip(".") in _ABBREVIATIONS


def split_sentences(text: str) -> list[Span]:
    """Character spans of the sentences of ``text`` (stripped, non-empty, in order)."""
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        start = line.start()
        end_of_line = line.end()
        for m in _END.finditer(text, start, end_of_line):
            if (
                text[m.start()] == "."
                and m.end() - m.start() == 1
                and _is_abbreviation(text, m.start())
            ):
                continue
            _add(text, start, m.end(), spans)
            start = m.end()
        _add(text, start, end_of_line, spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
