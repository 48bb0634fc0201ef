from __future__ import annotations

import pytest

from riftwatch.events import plover_tables


def test_tables_have_the_sixteen_plover_types():
    assert len(plover_tables().event_types) == 16


@pytest.mark.parametrize(
    ("event", "quad"),
    [
        ("AGREE", 1),
        ("CONSULT", 1),
        ("AID", 2),
        ("RETREAT", 2),
        ("REQUEST", 3),
        ("THREATEN", 3),
        ("SANCTION", 4),
        ("ASSAULT", 4),
    ],
)
def test_quad_codes(event, quad):
    assert plover_tables().quad_code(event) == quad


@pytest.mark.parametrize(
    ("event", "mode", "score"),
    [
        ("ASSAULT", "aerial", -9.5),
        ("ASSAULT", None, -9.0),
        ("CONSULT", "visit", 4.0),
        ("RETREAT", "disarm", 10.0),
        ("COERCE", "martial-law", -7.5),
        ("PROTEST", "vandalize", -5.0),
    ],
)
def test_plover_scores_follow_the_manual_table(event, mode, score):
    assert plover_tables().score(event, mode) == score


@pytest.mark.parametrize(
    ("event", "mode", "cameo", "goldstein"),
    [
        ("ASSAULT", "aerial", "195", -10.0),
        ("CONSULT", "visit", "042", 1.9),
        ("COERCE", "arrest", "173", -5.0),
        ("AGREE", None, "030", 4.0),
    ],
)
def test_closest_cameo_code_and_goldstein(event, mode, cameo, goldstein):
    t = plover_tables()
    assert t.cameo_code(event, mode) == cameo
    assert t.goldstein(cameo) == goldstein


def test_every_mode_has_a_cameo_code():
    t = plover_tables()
    missing = [(e, m) for e, modes in t.modes.items() for m in modes if not t.cameo_code(e, m)]
    assert missing == []
