from __future__ import annotations

import pytest

from riftwatch.analysis.drivers import shift_drivers
from riftwatch.analysis.shifts import dyad_shifts


@pytest.fixture(scope="module")
def drivers(story_store):
    shift = dyad_shifts(story_store, "PAK", "AFG").shifts[0]
    return shift_drivers(story_store, "PAK", "AFG", shift, top=50)


def test_drivers_contributions_add_up_to_the_index_change(drivers):
    for grouping, items in drivers.drivers.items():
        assert sum(d.contribution for d in items) == pytest.approx(drivers.delta, abs=1e-3), (
            grouping
        )


def test_drivers_name_the_air_strikes_and_the_lost_cooperation(drivers):
    subs = {d.label: d.contribution for d in drivers.drivers["sub-dyad"][:3]}
    assert subs["PAK:MIL → AFG:GOV"] < -0.3
    assert subs["PAK:GOV → AFG:GOV"] < -0.3
    types = [d.label for d in drivers.drivers["event type"][:2]]
    assert "ASSAULT" in types
    places = [d.label for d in drivers.drivers["place"][:4]]
    assert "Khost (AFG)" in places


def test_drivers_evidence_carries_sentence_and_source(drivers):
    strike = next(d for d in drivers.drivers["sub-dyad"] if d.label == "PAK:MIL → AFG:GOV")
    ev = strike.evidence[0]
    assert "PAK:MIL" in ev.text
    assert ev.url.startswith("https://") and ev.title and ev.source
    assert ev.date >= drivers.after[0]


def test_drivers_turn_lists_conflict_near_a_deterioration(story_store):
    shift = dyad_shifts(story_store, "PAK", "AFG").shifts[0]
    found = shift_drivers(story_store, "PAK", "AFG", shift, turn_days=45)
    assert found.turn
    for e in found.turn:
        assert e.event in {"ASSAULT", "ACCUSE", "THREATEN", "COERCE", "SANCTION", "PROTEST"}
        assert abs((e.date - shift.date).days) <= 45


def test_drivers_turn_takes_one_event_per_document_first(story_store):
    shift = dyad_shifts(story_store, "PAK", "AFG").shifts[0]
    found = shift_drivers(story_store, "PAK", "AFG", shift, turn=3)
    docs = [e.document_id for e in found.turn]
    assert len(docs) == 3 and len(set(docs)) == 3
