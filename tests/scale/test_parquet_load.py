"""The Parquet layout and ``load`` (no Ray needed: batches are written directly)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pyarrow.fs as pafs
import pyarrow.parquet as pq
import pytest

from riftwatch.api import make_document
from riftwatch.scale.load import load_dir, pick_versions
from riftwatch.scale.parquet_out import Occurrence, batch_key, event_from_record, write_batch
from riftwatch.store import Store
from riftwatch.store.db import event_row

TEXTS = [
    "Pakistani troops shelled Taliban positions near the Chaman border crossing on Monday,"
    " killing four fighters, the army said.",
    "Afghanistan's foreign ministry summoned Pakistan's envoy in Kabul on Tuesday to protest"
    " the shelling.",
    "Police in Peshawar arrested six suspected militants on Wednesday after a raid on a"
    " hideout, officials said.",
]
RUN_1 = dt.datetime(2026, 1, 1, 10, 0)
RUN_2 = dt.datetime(2026, 1, 2, 10, 0)


def _docs():
    return [
        make_document(t, published="2024-03-18", id=f"d{i}", source="Test Wire")
        for i, t in enumerate(TEXTS)
    ]


def _occ(docs, coded, indexes):
    return [(Occurrence(docs[i], 0, i), coded[i]) for i in indexes]


@pytest.fixture(scope="module")
def coded(coder):
    docs = _docs()
    return docs, coder.code_batch(docs)


def test_event_from_record_rebuilds_what_the_store_writes(coded):
    _, batch = coded
    events = [e for c in batch for e in c.events]
    assert len(events) >= 3
    for e in events:
        rebuilt = event_from_record(e.to_plover())
        assert rebuilt.to_plover() == e.to_plover()
        assert event_row(rebuilt) == event_row(e)


def test_batch_key_depends_on_the_batch_content_only():
    docs = _docs()
    a = batch_key([Occurrence(d, 0, i) for i, d in enumerate(docs)])
    assert a == batch_key([Occurrence(d, 0, i) for i, d in enumerate(docs)])
    changed = [*docs[:2], replace(docs[2], text=docs[2].text + " More.")]
    assert a != batch_key([Occurrence(d, 0, i) for i, d in enumerate(changed)])


def test_pick_versions_keeps_what_the_local_engine_would_store():
    run = RUN_1
    copies = [
        ("x", "A", run, 0, 0, "b1"),
        ("x", "A", run, 0, 5, "b2"),  # same text again: skipped
        ("x", "B", run, 1, 0, "b3"),  # changed: replaces
        ("x", "A", run, 2, 0, "b3"),  # changed back: replaces again
        ("x", "A", run, 3, 0, "b4"),  # same: skipped
        ("y", "C", run, 0, 1, "b1"),
    ]
    chosen = pick_versions(reversed(copies))
    assert chosen["x"] == ("x", "A", run, 2, 0, "b3")
    assert chosen["y"] == ("y", "C", run, 0, 1, "b1")


def test_overlapping_batches_and_reruns_load_each_document_once(coded, coder, tmp_path):
    docs, batch = coded
    fs = pafs.LocalFileSystem()
    root = str(tmp_path / "out")
    # run 1 writes d0,d1 and (other batch boundaries) d1,d2: d1 twice
    write_batch(fs, root, _occ(docs, batch, [0, 1]), [], run_started=RUN_1)
    write_batch(fs, root, _occ(docs, batch, [1, 2]), [], run_started=RUN_1)
    # run 2, a day later, codes a new text of d2
    d2 = replace(docs[2], text=TEXTS[2].replace("six", "nine"))
    write_batch(
        fs, root, [(Occurrence(d2, 0, 2), coder.code_batch([d2])[0])], [], run_started=RUN_2
    )
    with Store(tmp_path / "rw.duckdb") as store:
        summary = load_dir(root, store)
        rows = store.con.execute("SELECT id, text, version FROM documents ORDER BY id").fetchall()
        mentions = store.con.execute(
            "SELECT document_id, count(*) FROM event_mentions GROUP BY 1 ORDER BY 1"
        ).fetchall()
    assert summary.rows == 5 and summary.documents == 3 and summary.superseded == 2
    assert [(r[0], r[2]) for r in rows] == [("d0", 1), ("d1", 1), ("d2", 1)]
    assert rows[2][1] == d2.text
    expected = coder.code_batch([docs[0], docs[1], d2])
    assert mentions == [(c.document.id, len(c.events)) for c in expected if c.events]


def test_a_batch_killed_before_its_commit_is_not_loaded(coded, tmp_path):
    docs, batch = coded
    fs = pafs.LocalFileSystem()
    root = str(tmp_path / "out")
    write_batch(fs, root, _occ(docs, batch, [0]), [], run_started=RUN_1)
    write_batch(fs, root, _occ(docs, batch, [1, 2]), [], run_started=RUN_1)
    for f in (tmp_path / "out" / "documents").iterdir():
        if "d1" in pq.read_table(f, columns=["id"]).column("id").to_pylist():
            f.unlink()  # events written, documents (the commit mark) missing
    with Store(":memory:") as store:
        summary = load_dir(root, store)
        ids = store.con.execute("SELECT DISTINCT document_id FROM event_mentions").fetchall()
    assert summary.documents == 1
    assert ids == [("d0",)]


def test_rejected_inputs_are_loaded_once(tmp_path):
    from riftwatch.model import Rejected

    fs = pafs.LocalFileSystem()
    root = str(tmp_path / "out")
    bad = Occurrence(Rejected("feed.jsonl", "line 3", "malformed JSON"), 0, 2)
    write_batch(fs, root, [], [bad], run_started=RUN_1)
    write_batch(fs, root, [], [bad], run_started=RUN_2)
    with Store(":memory:") as store:
        load_dir(root, store)
        load_dir(root, store)
        assert [(r["input"], r["reason"]) for r in store.rejected()] == [
            ("feed.jsonl", "malformed JSON")
        ]
