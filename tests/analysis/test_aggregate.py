from __future__ import annotations

import datetime as dt
import random

import pytest

from riftwatch.analysis.aggregate import (
    AggregateConfig,
    combined_confidence,
    event_id_for,
    rebuild_events,
    update_events,
)
from riftwatch.analysis.synthetic import (
    Mention,
    coded_document,
    insert_coded,
    insert_flood,
    relation_story,
)
from riftwatch.store import Store

D = dt.date(2024, 3, 18)


@pytest.fixture
def store():
    s = Store(":memory:")
    yield s
    s.close()


def write(store: Store, coded) -> None:
    """Write a batch: the store aggregates its mentions in the same transaction."""
    store.write_batch(coded)


def snapshot(store: Store) -> list[tuple]:
    """Events and their membership, independent of row order."""
    events = store.con.execute(
        "SELECT id, event, mentions, sources, first_report, last_report, round(confidence, 6),"
        " dead FROM events ORDER BY id"
    ).fetchall()
    members = store.con.execute("SELECT id, event_id FROM event_mentions ORDER BY id").fetchall()
    return [tuple(e) for e in events] + [tuple(m) for m in members]


def three_reports():
    texts = [
        "Pakistani jets struck a compound in Khost overnight, killing eight people.",
        "At least 8 dead after Pakistan's air force bombed targets in Khost province.",
        "Taliban officials condemned the Pakistani raid on a village near Khost city.",
    ]
    return [
        coded_document(
            f"art{i}",
            [
                Mention(
                    "ASSAULT",
                    "PAK:MIL",
                    "AFG:GOV",
                    D + dt.timedelta(days=i % 2),
                    "Khost",
                    t,
                    8,
                    confidence=0.5,
                )
            ],
            published=D + dt.timedelta(days=i),
            source=f"Outlet {i}",
        )
        for i, t in enumerate(texts)
    ]


def test_aggregate_three_articles_of_one_strike_make_one_event_with_three_sources(store):
    write(store, three_reports())
    rows = store.con.execute(
        "SELECT id, mentions, sources, outlets, first_report, last_report, confidence FROM events"
    ).fetchall()
    assert len(rows) == 1
    eid, mentions, sources, outlets, first, last, conf = rows[0]
    assert (mentions, sources, outlets) == (3, 3, 3)
    assert (first, last) == (D, D + dt.timedelta(days=2))
    assert conf == pytest.approx(1 - 0.5**3)
    pointed = store.con.execute("SELECT DISTINCT event_id FROM event_mentions").fetchall()
    assert pointed == [(eid,)]


def test_aggregate_two_same_day_attacks_in_different_districts_stay_two(store):
    docs = [
        coded_document(
            "a", [Mention("ASSAULT", "TTP", "PAK:COP", D, "North Waziristan", "Gunmen hit a post.")]
        ),
        coded_document(
            "b", [Mention("ASSAULT", "TTP", "PAK:COP", D, "Quetta", "Gunmen hit a post.")]
        ),
    ]
    write(store, docs)
    assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == 2


def test_aggregate_unknown_place_or_recipient_joins_the_located_report(store):
    docs = [
        coded_document("a", [Mention("ASSAULT", "PAK:MIL", "AFG:GOV", D, "Khost")]),
        coded_document("b", [Mention("ASSAULT", "PAK:MIL", None, D, None)]),
    ]
    write(store, docs)
    rows = store.con.execute("SELECT mentions, district, recipient_code FROM events").fetchall()
    assert rows == [(2, "Khost", "AFG")]


def test_aggregate_dates_beyond_the_window_stay_apart(store):
    docs = [
        coded_document("a", [Mention("ASSAULT", "PAK:MIL", "AFG:GOV", D, "Khost")]),
        coded_document(
            "b", [Mention("ASSAULT", "PAK:MIL", "AFG:GOV", D + dt.timedelta(days=5), "Khost")]
        ),
    ]
    write(store, docs)
    assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == 2


def test_aggregate_window_is_configurable():
    docs = [
        coded_document("a", [Mention("ASSAULT", "PAK:MIL", "AFG:GOV", D, "Khost")]),
        coded_document(
            "b", [Mention("ASSAULT", "PAK:MIL", "AFG:GOV", D + dt.timedelta(days=5), "Khost")]
        ),
    ]
    with Store(":memory:", aggregate_config=AggregateConfig(window_days=7)) as wide:
        write(wide, docs)
        assert wide.con.execute("SELECT count(*) FROM events").fetchone()[0] == 1


def test_aggregate_daily_series_does_not_chain_into_one_event(store):
    docs = [
        coded_document(
            f"d{i}", [Mention("ASSAULT", "TTP", "PAK:COP", D + dt.timedelta(days=i), "Bannu")]
        )
        for i in range(9)
    ]
    write(store, docs)
    n = store.con.execute("SELECT count(*) FROM events").fetchone()[0]
    assert n == 3  # anchored on days 0, 3, 6 with a 2-day window


def test_aggregate_negated_and_future_mentions_make_no_event(store):
    docs = [
        coded_document(
            "n",
            [
                Mention(
                    "ASSAULT",
                    "PAK:MIL",
                    "AFG:GOV",
                    D,
                    "Khost",
                    "Pakistan denied the strike.",
                    modality="negated",
                )
            ],
        ),
        coded_document(
            "f",
            [
                Mention(
                    "ASSAULT",
                    "PAK:MIL",
                    "AFG:GOV",
                    D,
                    "Khost",
                    "Pakistan will strike.",
                    modality="future",
                )
            ],
        ),
        coded_document(
            "c",
            [
                Mention(
                    "ASSAULT",
                    "TTP",
                    "PAK:COP",
                    D,
                    "Bannu",
                    "The TTP said it attacked.",
                    modality="claimed",
                )
            ],
        ),
    ]
    write(store, docs)
    rows = store.con.execute(
        "SELECT id, event_id IS NOT NULL FROM event_mentions ORDER BY id"
    ).fetchall()
    assert rows == [("c-m0", True), ("f-m0", False), ("n-m0", False)]
    assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == 1


def test_aggregate_event_id_is_the_hash_of_the_earliest_mention(store):
    write(store, three_reports())
    eid = store.con.execute("SELECT id FROM events").fetchone()[0]
    assert eid == event_id_for("art0-m0")


def test_aggregate_arrival_order_does_not_change_events():
    docs = relation_story(seed=3)[:36]
    snaps = []
    for seed in (1, 2):
        order = docs[:]
        random.Random(seed).shuffle(order)
        with Store(":memory:") as s:
            for i in range(0, len(order), 12):
                write(s, order[i : i + 17])
            snaps.append(snapshot(s))
    assert snaps[0] == snaps[1]
    assert len(snaps[0]) > 0


def test_aggregate_incremental_updates_equal_a_full_rebuild():
    docs = relation_story(seed=5)[:40]
    with Store(":memory:") as s:
        for i in range(0, len(docs), 10):
            write(s, docs[i : i + 11])
        incremental = snapshot(s)
        rebuild_events(s.con)
        assert snapshot(s) == incremental


def test_aggregate_recoding_a_document_removes_its_old_report(store):
    docs = three_reports()
    write(store, docs)
    changed = coded_document(
        "art2", [Mention("AGREE", "PAK:GOV", "AFG:GOV", D, "Kabul", "Both sides agreed to talk.")]
    )
    write(store, [changed])
    rows = store.con.execute(
        "SELECT event, mentions, sources FROM events ORDER BY event"
    ).fetchall()
    assert rows == [("AGREE", 1, 1), ("ASSAULT", 2, 2)]
    incremental = snapshot(store)
    rebuild_events(store.con)
    assert snapshot(store) == incremental


def test_aggregate_bulk_insert_rebuild_matches_write_path():
    docs = relation_story(seed=9)[:30]
    with Store(":memory:") as a, Store(":memory:") as b:
        write(a, docs)
        insert_coded(b.con, docs)
        ea = a.con.execute("SELECT id, mentions, sources FROM events ORDER BY id").fetchall()
        eb = b.con.execute("SELECT id, mentions, sources FROM events ORDER BY id").fetchall()
    assert ea == eb


def test_aggregate_combined_confidence_counts_each_document_once():
    assert combined_confidence({"a": 0.5, "b": 0.5}) == pytest.approx(0.75)
    assert combined_confidence({"a": 0.0}) == 0.0


def test_aggregate_config_rejects_unknown_match():
    from riftwatch.errors import ConfigError

    with pytest.raises(ConfigError):
        AggregateConfig(match="actor")


def test_aggregate_province_level_report_joins_a_district_of_that_province(store):
    docs = [
        coded_document("a", [Mention("ASSAULT", "TTP", "PAK:COP", D, "Bannu")]),
        coded_document("b", [Mention("ASSAULT", "TTP", "PAK:COP", D, "Bannu", level="province")]),
        coded_document("c", [Mention("ASSAULT", "TTP", "PAK:COP", D, "Quetta", level="province")]),
    ]
    write(store, docs)
    rows = store.con.execute("SELECT mentions FROM events ORDER BY mentions").fetchall()
    assert rows == [(1,), (2,)]


def test_aggregate_dateline_place_does_not_block_a_cross_border_match(store):
    docs = [
        coded_document(
            "a", [Mention("ASSAULT", "PAK:MIL", "AFG:GOV", D, "Islamabad", level="dateline")]
        ),
        coded_document("b", [Mention("ASSAULT", "PAK:MIL", "AFG:GOV", D, "Khost")]),
    ]
    write(store, docs)
    assert store.con.execute("SELECT mentions, district FROM events").fetchall() == [(2, "Khost")]


def test_aggregate_update_twice_changes_nothing(store):
    write(store, three_reports())
    before = snapshot(store)
    store.con.execute("BEGIN TRANSACTION")
    update_events(store.con, ["art0", "art1", "art2"])
    store.con.execute("COMMIT")
    assert snapshot(store) == before


def test_aggregate_twenty_thousand_reports_of_one_strike_make_one_event(store):
    insert_flood(store.con, 20_000)
    assert rebuild_events(store.con) == 1
    row = store.con.execute("SELECT mentions, sources, outlets FROM events").fetchone()
    assert row == (20_000, 20_000, 40)


def test_aggregate_update_into_a_huge_group_equals_a_rebuild(store):
    insert_flood(store.con, 20_000)
    rebuild_events(store.con)
    late = coded_document(
        "late-report",
        [
            Mention(
                "ASSAULT",
                "PAK:MIL",
                "AFG:GOV",
                D + dt.timedelta(days=1),
                "Khost",
                "Jets hit Khost.",
            )
        ],
    )
    write(store, [late])
    incremental = snapshot(store)
    rebuild_events(store.con)
    assert snapshot(store) == incremental
    assert store.con.execute("SELECT count(*), max(mentions) FROM events").fetchone() == (1, 20_001)
