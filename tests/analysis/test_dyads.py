from __future__ import annotations

import datetime as dt

import pytest

from riftwatch.analysis.dyads import dyad_series
from riftwatch.analysis.synthetic import Mention, coded_document, insert_coded
from riftwatch.errors import ConfigError
from riftwatch.store import Store

D = dt.date(2024, 1, 10)


@pytest.fixture
def small():
    s = Store(":memory:")
    insert_coded(
        s.con,
        [
            coded_document("a", [Mention("ASSAULT", "PAK:MIL", "AFG:GOV", D, "Khost", dead=5)]),
            coded_document(
                "b", [Mention("AGREE", "AFG:GOV", "PAK:GOV", D + dt.timedelta(days=3), "Kabul")]
            ),
            coded_document("c", [Mention("ASSAULT", "TTP", "PAK:COP", D, "Bannu", dead=2)]),
            coded_document(
                "d", [Mention("ACCUSE", "PAK:GOV", "AFG:GOV", dt.date(2024, 3, 5), None)]
            ),
            coded_document(
                "e", [Mention("ASSAULT", "PAK:MIL", "AFG:GOV", D, "Khost", modality="negated")]
            ),
        ],
    )
    yield s
    s.close()


def test_dyads_counts_quads_and_fills_empty_months(small):
    s = dyad_series(small, "PAK", "AFG", by="month")
    assert [p.period for p in s.periods] == [
        dt.date(2024, 1, 1),
        dt.date(2024, 2, 1),
        dt.date(2024, 3, 1),
    ]
    jan, feb, mar = s.periods
    assert (jan.events, jan.verbal_coop, jan.material_conflict, jan.dead) == (2, 1, 1, 5)
    assert feb.events == 0 and feb.index is None
    assert mar.verbal_conflict == 1 and mar.index == -1.0


def test_dyads_index_weights_by_plover_score(small):
    jan = dyad_series(small, "PAK", "AFG").periods[0]
    # AGREE |2.5| cooperation vs ASSAULT |9| conflict
    assert jan.index == pytest.approx((2.5 - 9.0) / (2.5 + 9.0))
    assert -1.0 <= jan.index <= 1.0
    assert jan.score_sum == pytest.approx(2.5 - 9.0)


def test_dyads_directed_keeps_one_direction(small):
    s = dyad_series(small, "AFG", "PAK", directed=True)
    assert s.total_events == 1 and s.periods[0].verbal_coop == 1


def test_dyads_sector_and_kb_selectors(small):
    assert dyad_series(small, "PAK:MIL", "AFG:GOV").total_events == 1
    assert dyad_series(small, "TTP", "PAK").total_events == 1
    assert dyad_series(small, "PAK:COP", "AFG").total_events == 0


def test_dyads_weeks_start_on_monday_and_respect_bounds(small):
    s = dyad_series(
        small, "PAK", "AFG", by="week", since=dt.date(2024, 1, 1), until=dt.date(2024, 1, 31)
    )
    assert all(p.period.weekday() == 0 for p in s.periods)
    assert s.periods[0].period == dt.date(2024, 1, 1)
    assert s.total_events == 2


def test_dyads_negated_mentions_do_not_count(small):
    jan = dyad_series(small, "PAK", "AFG", table="event_mentions").periods[0]
    assert jan.events == 3  # mentions table holds the negated one too
    assert dyad_series(small, "PAK", "AFG").periods[0].events == 2


def test_dyads_reject_unknown_period(small):
    with pytest.raises(ConfigError):
        dyad_series(small, "PAK", "AFG", by="year")


def test_dyads_reject_bad_selector(small):
    with pytest.raises(ConfigError):
        dyad_series(small, "PAK;DROP", "AFG")


def test_dyads_empty_dyad_has_no_periods(small):
    assert dyad_series(small, "IND", "CHN").periods == []


def test_dyads_period_dict_holds_every_field(small):
    from dataclasses import asdict

    period = dyad_series(small, "PAK", "AFG", by="month").periods[0]
    expected = asdict(period) | {"period": period.period.isoformat()}
    assert period.to_dict() == expected


def test_dyads_many_pairs_at_once_equal_each_pair_alone(small):
    from riftwatch.analysis.dyads import dyad_series_many

    pairs = [("PAK", "AFG"), ("PAK:MIL", "AFG:GOV"), ("TTP", "PAK"), ("PAK", "IRN")]
    for options in (
        {"by": "month"},
        {"by": "week", "since": D, "until": dt.date(2024, 2, 20), "directed": True},
    ):
        many = dyad_series_many(small, pairs, **options)
        assert [s.to_dict() for s in many] == [
            dyad_series(small, a, b, **options).to_dict() for a, b in pairs
        ]


def test_dyads_many_pairs_count_an_event_for_every_pair_it_belongs_to(small):
    from riftwatch.analysis.dyads import dyad_series_many

    broad, narrow = dyad_series_many(small, [("PAK", "AFG"), ("PAK:MIL", "AFG")])
    assert broad.total_events == 3
    assert narrow.total_events == 1


def test_dyads_many_pairs_from_given_actor_combinations_equal_each_pair_alone(small):
    from riftwatch.analysis.dyads import dyad_series_many

    pairs = [("PAK", "AFG"), ("PAK:MIL", "AFG:GOV"), ("TTP", "PAK")]
    columns = "actor_code, actor_sector, actor_kb_id, recipient_code, recipient_sector"
    combos = set(small.con.execute(f"SELECT {columns}, recipient_kb_id FROM events").fetchall())
    many = dyad_series_many(small, pairs, combos=combos)
    assert [s.to_dict() for s in many] == [dyad_series(small, a, b).to_dict() for a, b in pairs]
