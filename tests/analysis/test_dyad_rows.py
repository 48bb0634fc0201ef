"""The dyad's rows read once (``read_dyad_rows``) give the answers the table gives."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from riftwatch.analysis.drivers import shift_drivers, shift_rows_range, window_drivers
from riftwatch.analysis.dyads import dyad_series, read_dyad_rows
from riftwatch.analysis.shifts import dyad_shifts

SINCE, UNTIL = dt.date(2022, 2, 10), dt.date(2024, 5, 20)


@pytest.mark.parametrize("by", ["month", "week", "day"])
def test_series_from_read_rows_equals_the_series_from_the_table(story_store, by):
    lo, hi = shift_rows_range(SINCE, UNTIL)
    with read_dyad_rows(story_store, "PAK", "AFG", since=lo, until=hi) as rows:
        got = dyad_series(story_store, "PAK", "AFG", by=by, since=SINCE, until=UNTIL, rows=rows)
    assert got == dyad_series(story_store, "PAK", "AFG", by=by, since=SINCE, until=UNTIL)


def test_drivers_from_read_rows_equal_the_drivers_from_the_table(story_store):
    with read_dyad_rows(story_store, "PAK", "AFG") as rows:
        result = dyad_shifts(story_store, "PAK", "AFG", rows=rows)
        assert result.all_shifts
        for shift in result.all_shifts:
            got = shift_drivers(story_store, "PAK", "AFG", shift, top=50, rows=rows)
            want = shift_drivers(story_store, "PAK", "AFG", shift, top=50)
            assert got.to_dict() == want.to_dict()


def test_drivers_of_a_dated_series_read_rows_covering_their_turn(story_store):
    lo, hi = shift_rows_range(SINCE, UNTIL)
    with read_dyad_rows(story_store, "PAK", "AFG", since=lo, until=hi) as rows:
        result = dyad_shifts(story_store, "PAK", "AFG", by="week", since=SINCE, until=UNTIL)
        for shift in result.all_shifts:
            turn = (shift.date - dt.timedelta(days=75), shift.date + dt.timedelta(days=75))
            start = min(shift.before_start, turn[0])
            assert rows.serves(
                "PAK", "AFG", directed=False, table="events", since=start, until=turn[1]
            )
            got = shift_drivers(story_store, "PAK", "AFG", shift, rows=rows)
            assert got.to_dict() == shift_drivers(story_store, "PAK", "AFG", shift).to_dict()


def test_rows_that_miss_some_dates_are_not_used(story_store):
    with read_dyad_rows(story_store, "PAK", "AFG", since=SINCE) as rows:
        assert not rows.serves("PAK", "AFG", directed=False, table="events", since=None, until=None)
        got = dyad_series(story_store, "PAK", "AFG", rows=rows)
    assert got == dyad_series(story_store, "PAK", "AFG")
    assert got.periods[0].period < SINCE


def test_rows_of_another_dyad_or_direction_are_not_used(story_store):
    window = {"before": (dt.date(2022, 1, 1), dt.date(2023, 2, 28))}
    window["after"] = (dt.date(2023, 3, 1), dt.date(2024, 12, 31))
    with read_dyad_rows(story_store, "PAK", "AFG", directed=True) as rows:
        assert not rows.serves("PAK", "AFG", directed=False, table="events", since=None, until=None)
        got = window_drivers(story_store, "PAK", "AFG", rows=rows, **window)
    assert got.to_dict() == window_drivers(story_store, "PAK", "AFG", **window).to_dict()


def test_read_rows_live_on_a_cursor_closed_after_the_block(story_store):
    with read_dyad_rows(story_store, "PAK", "AFG") as rows:
        assert rows.con.execute(f"SELECT count(*) FROM {rows.name}").fetchall()[0][0] > 0
    with pytest.raises(duckdb.ConnectionException):
        rows.con.execute(f"SELECT count(*) FROM {rows.name}")
    with pytest.raises(duckdb.CatalogException):
        story_store.con.execute(f"SELECT count(*) FROM {rows.name}")


def test_read_rows_work_beside_an_unfinished_result(story_store):
    story_store.con.execute("SELECT * FROM range(100000)").fetchone()
    with read_dyad_rows(story_store, "PAK", "AFG") as rows:
        assert rows.con.execute(f"SELECT count(*) FROM {rows.name}").fetchall()[0][0] > 0
