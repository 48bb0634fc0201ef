"""Name normalisation shared by the gazetteer index and every lookup.

Both sides of a lookup must agree on one form, so this is the only place that decides it:
ASCII transliteration, "St"/"Mt"/"Ft" expanded to "saint"/"mount"/"fort", (so "Paktīkā" meets "Paktika"), lower case, periods and apostrophes
dropped (so "U.S." meets "US" and "Côte d'Ivoire" meets "Cote dIvoire"), other punctuation
turned into spaces, whitespace collapsed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

_DROP = re.compile(r"[.'’`´]")
_PUNCT = re.compile(r"[^\w\s]|_")
# Abbreviated name words, expanded on both sides of a lookup ("St. Petersburg").
_ABBREV = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "port"}


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """The lookup key of a place name (cached: scans ask for the same words again and again)."""
    if not text.isascii():
        text = unidecode(text)
    text = _DROP.sub("", text.lower())
    text = _PUNCT.sub(" ", text)
    words = text.split()
    if any(w in _ABBREV for w in words):
        words = [_ABBREV.get(w, w) for w in words]
    return " ".join(words)


def is_latin(text: str) -> bool:
    """True when a name is written in (extended) Latin script, the only aliases worth indexing.

    Transliterating Arabic or Cyrillic aliases would add noisy keys that no English text uses.
    """
    return all(ord(ch) < 0x250 or ch in "’‘ʻʼ" for ch in text)
