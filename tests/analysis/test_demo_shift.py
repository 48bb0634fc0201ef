"""Issue 7 acceptance on the demo corpus: the 2021→2024 deterioration is found where the
corpus writes it, as a robust shift, with drivers that name the events of the turn.

The corpus (examples/demo/README.md) writes the turn at the end of the TTP ceasefire in
late November 2022, followed by the Chaman shelling in December; the test accepts a robust
deterioration dated within three months of 2022-11-28, so it checks the analysis and not
one exact month.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from riftwatch.analysis.drivers import shift_drivers
from riftwatch.analysis.shifts import dyad_shifts
from riftwatch.store import Store

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
TURN = dt.date(2022, 11, 28)
"""The TTP ends its ceasefire (the written turning point)."""


@pytest.fixture(scope="module")
def demo_store(coder):
    from riftwatch.api import code_documents
    from riftwatch.ingest import read_inputs

    store = Store(":memory:")
    code_documents(read_inputs([DEMO]), store, coder=coder)
    yield store
    store.close()


@pytest.fixture(scope="module")
def turn_shift(demo_store):
    result = dyad_shifts(demo_store, "PAK", "AFG", by="month")
    near = [s for s in result.shifts if abs((s.date - TURN).days) <= 92]
    return result, near


def test_demo_shift_is_a_robust_deterioration_near_the_written_turn(turn_shift):
    result, near = turn_shift
    assert near, f"no robust shift within 3 months of {TURN}: {result.to_dict()['shifts']}"
    assert near[0].robust and near[0].p_value < 0.01
    assert near[0].direction == "deterioration"
    assert near[0].after_mean < 0 < near[0].before_mean


def test_demo_shift_drivers_name_the_border_fighting_at_the_turn(demo_store, turn_shift):
    _, near = turn_shift
    assert near
    found = shift_drivers(demo_store, "PAK", "AFG", near[0])
    types = [d.label for d in found.drivers["event type"][:3]]
    assert "ASSAULT" in types
    turn_text = " ".join(e.text or "" for e in found.turn)
    assert found.turn and all(
        e.event
        in {
            "ASSAULT",
            "COERCE",
            "SANCTION",
            "ACCUSE",
            "THREATEN",
            "REJECT",
            "PROTEST",
            "REQUEST",
            "MOBILIZE",
        }
        for e in found.turn
    )
    assert "Chaman" in turn_text or any("Chaman" in (e.title or "") for e in found.turn)
