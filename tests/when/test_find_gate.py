"""The cheap pre-check before the time-expression search never hides an expression.
Texts written for these tests."""

from __future__ import annotations

import pytest

from riftwatch.when import _FIND, _may_hold_time

WITH_TIME = [
    "Clashes continued for weeks along the frontier.",
    "The talks resumed yesterday evening in the capital.",
    "Police said the arrests were made on Thursday.",
    "Envoys met since early 2019 without result.",
    "Shelling has killed dozens over the past three months.",
    "The ban was imposed in the 1990s and lifted last year.",
    "The accord was signed on 4 March '21 in the capital.",
    "Residents fled last night as the bombardment began.",
    "The committee will meet this afternoon.",
    "Talks resume TOMORROW, the ministry said.",
    "Protesters gathered on the night of Friday outside the embassy.",
]
WITHOUT_TIME = [
    "Protesters marched through the old city chanting slogans.",
    "The minister rejected the demand for an inquiry.",
    "Rebels seized the road linking the two provinces.",
]


@pytest.mark.parametrize("text", WITH_TIME)
def test_gate_lets_through_every_text_with_a_time_expression(text):
    assert _FIND.search(text) is not None  # the sample really holds one
    assert _may_hold_time(text)


@pytest.mark.parametrize("text", WITHOUT_TIME)
def test_gate_rejects_text_without_time_words_or_digits(text):
    assert _FIND.search(text) is None
    assert not _may_hold_time(text)


def test_gate_reads_non_ascii_text_case_insensitively():
    assert _may_hold_time("Les négociations reprennent MONDAY à Genève.")
    assert not _may_hold_time("Les négociations reprennent à Genève.")
