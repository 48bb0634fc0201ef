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


def _signed_events(con, before, after):
    """Every PAK–AFG event of the two windows, recomputed here row by row."""
    rows = con.execute(
        """
        SELECT id, date, event, coalesce(abs(event_scale), 1.0),
               CASE WHEN quad_code IN (1, 2) THEN 1 WHEN quad_code IN (3, 4) THEN -1 END,
               coalesce(sources, 1), coalesce(dead, 0)
        FROM events
        WHERE ((actor_code = 'PAK' AND recipient_code = 'AFG')
               OR (actor_code = 'AFG' AND recipient_code = 'PAK'))
          AND quad_code BETWEEN 1 AND 4
        """
    ).fetchall()
    sides = {"before": [], "after": []}
    for r in rows:
        if before[0] <= r[1] <= before[1]:
            sides["before"].append(r)
        elif after[0] <= r[1] <= after[1]:
            sides["after"].append(r)
    return sides


def test_drivers_event_type_contributions_match_a_recomputation_from_the_events(
    story_store, drivers
):
    sides = _signed_events(story_store.con, drivers.before, drivers.after)
    total = {k: sum(r[3] for r in v) for k, v in sides.items()}
    expected = {}
    for side, rows in sides.items():
        for r in rows:
            expected.setdefault(r[2], {"before": 0.0, "after": 0.0})[side] += r[4] * r[3]
    contribution = {
        k: v["after"] / total["after"] - v["before"] / total["before"] for k, v in expected.items()
    }
    found = {d.label: d.contribution for d in drivers.drivers["event type"]}
    assert set(found) == set(contribution)
    for label, value in contribution.items():
        assert found[label] == pytest.approx(value, abs=1e-4)


def test_drivers_evidence_is_the_weightiest_of_its_group_in_its_direction(story_store, drivers):
    sides = _signed_events(story_store.con, drivers.before, drivers.after)
    top = drivers.drivers["event type"][0]
    side = "after" if abs(top.share_after) >= abs(top.share_before) else "before"
    sign = 1 if (top.contribution >= 0) == (side == "after") else -1
    ranked = sorted(
        (r for r in sides[side] if r[2] == top.label),
        key=lambda r: (-(sign * r[4] * r[3]), -r[5], -r[6], r[0]),
    )
    assert [e.event_id for e in top.evidence] == [r[0] for r in ranked[:3]]
