"""The alias scan over a raw text matches the scan over its word stream. Texts our own."""

from __future__ import annotations

import pytest

from riftwatch.actors.matcher import words

TEXTS = [
    "Pakistan and Afghanistan agreed to reopen the Torkham crossing, the UN said.",
    "The U.S. envoy met Taliban officials in Doha; NATO and the EU stayed silent.",
    "Afganistan's neighbours, Iran and Tajikistan, closed their borders.",
    "Bhutto-Zardarí travelled to Kabul with İstanbul-based diplomats.",
    "the united nations and the government of pakistan",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("strict", [True, False])
def test_scan_text_finds_the_same_matches_as_scan_over_words(resolver, text, strict):
    index = resolver.index
    assert index.scan_text(text, strict_case=strict) == index.scan(words(text), strict_case=strict)


def test_scan_text_finds_country_names(resolver):
    text = "Officials from Pakistan met envoys from Afghanistan."
    found = [m for m in resolver.index.scan_text(text, strict_case=True)]
    named = {resolver.kb.entries[m.infos[0].entry_id].country for m in found}
    assert {"PAK", "AFG"} <= named
