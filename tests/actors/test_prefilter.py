"""Cheap document helpers: the sentence pre-filter and the country focus."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Pakistani police arrested two men.", True),
        ("The TTP claimed the attack.", True),
        ("Militants stormed the school.", True),
        ("Kabul said it would respond.", True),
        ("It rained all day.", False),
        ("The price of wheat rose sharply.", False),
    ],
)
def test_has_candidate(resolver, sentence, expected):
    assert resolver.has_candidate(sentence) is expected


def test_country_focus_orders_by_mentions(resolver):
    text = (
        "Pakistan and Afghanistan traded fire. Pakistani officials said Islamabad would "
        "respond. The TTP, a Pakistani group, was blamed."
    )
    focus = resolver.country_focus(text)
    assert focus[0] == "PAK" and "AFG" in focus


def test_country_focus_empty_text(resolver):
    assert resolver.country_focus("") == []
