"""Checks on ../shared (skipped when it is absent). No shared text is copied here."""

from __future__ import annotations

import json

import pytest

from riftwatch.text import detect_language, repair_text

SEED = "seed/000_3183bd3c9aab315d.txt"


@pytest.mark.shared
def test_seed_article_is_english_and_glued_words_get_split(shared_dir, words_map_back):
    original = (shared_dir / SEED).read_text(encoding="utf-8")
    r = repair_text(original)
    assert detect_language(r.text) == "en"
    assert "glued" in r.steps
    assert repair_text(r.text).text == r.text  # nothing left to repair
    words_map_back(r)


@pytest.mark.shared
@pytest.mark.slow
def test_english_corpus_is_detected_as_english(shared_dir):
    path = shared_dir / "corpus" / "tehran_times_afpak.jsonl"
    langs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            langs.append(detect_language(json.loads(line)["text"]))
    share = langs.count("en") / len(langs)
    assert share >= 0.995, share
