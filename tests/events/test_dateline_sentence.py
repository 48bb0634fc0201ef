"""The first sentence is coded without its news dateline (pipeline, on a text written here)."""

from __future__ import annotations

import datetime as dt

from riftwatch.api import make_document

TEXT = (
    "QUETTA, March 3, 2024 (Frontier Wire) — Hundreds of shopkeepers marched through the"
    " city on Sunday, protesting against new taxes.\n\nThe march ended peacefully.\n"
)


def _protests(coder):
    doc = make_document(TEXT, published=dt.date(2024, 3, 3))
    return [e for e in coder.code_batch([doc])[0].events if e.event == "PROTEST"]


def test_dateline_place_is_not_the_subject_of_the_first_sentence(coder):
    protests = _protests(coder)
    assert protests
    assert all(e.actor.entity_text == "shopkeepers" for e in protests)


def test_sentence_after_its_dateline_keeps_spans_in_the_original_text(coder):
    ev = _protests(coder)[0]
    start, end = ev.evidence.sentence_span
    assert TEXT[start:end].startswith("Hundreds of shopkeepers")
    t0, t1 = ev.evidence.trigger_span
    assert TEXT[t0:t1] in ("marched", "protesting")
