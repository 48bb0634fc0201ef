"""Stable document ids.

A record's own id wins (as a string). Otherwise the id is a hash of the NORMALISED text, so
that the same article ingested twice, from a different file or with different line breaks
or spacing, gets the same id and re-coding it is idempotent.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Any

HASH_PREFIX = "h-"


def normalise_text(text: str) -> str:
    """NFKC, every run of whitespace collapsed to one space, ends stripped.

    Whitespace is collapsed FIRST: most non-NFKC text is so only because of no-break spaces,
    and skipping the (slow) normalisation for it makes hashing several times faster. The
    result equals NFKC-then-collapse because NFKC never composes across whitespace and
    maps every whitespace character to whitespace; whitespace that NFKC creates (U+00B4
    becomes space + accent) is collapsed by the second pass.
    """
    text = " ".join(text.split())  # str.split() splits on exactly what re's \s matches
    if not unicodedata.is_normalized("NFKC", text):
        text = " ".join(unicodedata.normalize("NFKC", text).split())
    return text


def text_id(text: str) -> str:
    """``h-`` + the first 16 hex digits of sha256 of the normalised text."""
    digest = hashlib.sha256(normalise_text(text).encode("utf-8", "surrogatepass")).hexdigest()
    return HASH_PREFIX + digest[:16]


def given_id(value: Any) -> str | None:
    """A record's id field as a string; None when absent, empty or not a scalar."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str | int | float):
        text = str(value).strip()
        return text or None
    return None
