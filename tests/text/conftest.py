from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from riftwatch.text import Repaired

WORD_RE = re.compile(r"[A-Za-z]+")


def _assert_words_map_back(r: Repaired, words: list[str] | None = None) -> int:
    """Every ASCII word of the repaired text (or each of ``words``) maps back to the same
    word in the original text; returns how many words were checked."""
    checked = 0
    for m in WORD_RE.finditer(r.text):
        if words is not None and m.group() not in words:
            continue
        s, e = r.span_to_original(m.span())
        assert r.original[s:e] == m.group(), (m.group(), r.original[s:e], (s, e))
        assert r.to_original(m.start()) == s
        checked += 1
    assert checked > 0
    return checked


@pytest.fixture
def words_map_back() -> Callable[..., int]:
    return _assert_words_map_back
