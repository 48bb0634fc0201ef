from __future__ import annotations

import datetime as dt
import json

import pyarrow.parquet as pq
import pytest

from riftwatch.errors import ConfigError, StoreError
from riftwatch.model import ActorRef, Citation, Document, Event, Evidence, Rejected, Size
from riftwatch.store import CodedDocument, Store
from riftwatch.store.export import export_events
from riftwatch.store.migrations import MIGRATIONS


@pytest.fixture
def store():
    s = Store(":memory:")
    yield s
    s.close()


def _doc(id: str = "d1", text: str = "Pakistani jets struck a camp in Khost.") -> Document:
    return Document(id=id, text=text, published=dt.date(2024, 3, 18), published_source="metadata")


def _event(doc: Document, n: int = 0, *, actor: str = "PAK", recipient: str = "AFG") -> Event:
    return Event(
        id=f"{doc.id}-e{n}",
        event="ASSAULT",
        mode="aerial",
        quad_code=4,
        actor=ActorRef(code=actor, sector="MIL", entity_text="Pakistani jets"),
        recipient=ActorRef(
            code=recipient, sector="GOV", entity_text="Afghan", identifier_id="afghan_taliban"
        ),
        text=doc.text,
        date=doc.published,
        date_precision="published",
        size=Size(dead=8),
        evidence=Evidence(doc.id, 0, (0, len(doc.text)), trigger_span=(15, 21)),
        cite=Citation(doc.id, published=doc.published),
    )


def test_store_records_applied_migrations(store):
    names = [r[0] for r in store.con.execute("SELECT name FROM _riftwatch_migrations").fetchall()]
    assert names == [name for name, _ in MIGRATIONS]


def test_store_reopening_a_file_does_not_reapply_migrations(tmp_path):
    path = tmp_path / "x.duckdb"
    Store(path).close()
    with Store(path) as again:
        n = again.con.execute("SELECT count(*) FROM _riftwatch_migrations").fetchone()[0]
    assert n == len(MIGRATIONS)


def test_store_rewriting_the_same_document_does_not_duplicate(store):
    doc = _doc()
    store.write_batch([CodedDocument(doc, [_event(doc)])])
    store.write_batch([CodedDocument(doc, [_event(doc)])])
    assert store.counts()["documents"] == 1
    assert store.counts()["event_mentions"] == 1


def test_store_needs_coding_skips_unchanged_documents(store):
    doc = _doc()
    store.write_batch([CodedDocument(doc, [])])
    assert store.needs_coding([doc, _doc("d2")]) == [_doc("d2")]


def test_store_changed_text_is_a_new_version_replacing_old_events(store):
    doc = _doc()
    store.write_batch([CodedDocument(doc, [_event(doc, 0), _event(doc, 1)])])
    changed = _doc(text="Pakistani jets struck two camps in Paktika.")
    assert store.needs_coding([changed]) == [changed]
    store.write_batch([CodedDocument(changed, [_event(changed, 5)])])
    version = store.con.execute("SELECT version FROM documents WHERE id = 'd1'").fetchone()[0]
    ids = [r[0] for r in store.con.execute("SELECT id FROM event_mentions").fetchall()]
    assert (version, ids) == (2, ["d1-e5"])


def test_store_failed_batch_leaves_nothing_behind(store):
    doc = _doc()
    bad = CodedDocument(_doc("d2"), [_event(doc, 0), _event(doc, 0)])  # duplicate primary key
    with pytest.raises(StoreError, match="could not write a batch"):
        store.write_batch([CodedDocument(doc, []), bad])
    assert store.counts()["documents"] == 0


def test_store_a_document_twice_in_one_batch_keeps_the_last_copy_as_version_two(store):
    first, second = _doc(), _doc(text="Pakistani jets struck two camps in Paktika.")
    store.write_batch(
        [CodedDocument(first, [_event(first, 0)]), CodedDocument(second, [_event(second, 1)])]
    )
    version = store.con.execute("SELECT version FROM documents WHERE id = 'd1'").fetchone()[0]
    ids = [r[0] for r in store.con.execute("SELECT id FROM event_mentions").fetchall()]
    assert (version, ids) == (2, ["d1-e1"])


def _setting(store: Store, name: str) -> object:
    return store.con.execute("SELECT current_setting(?)", [name]).fetchone()[0]


def test_store_file_writer_caps_duckdb_memory_and_threads(tmp_path, monkeypatch):
    monkeypatch.delenv("RIFTWATCH_DUCKDB_MEMORY", raising=False)
    monkeypatch.delenv("RIFTWATCH_DUCKDB_THREADS", raising=False)
    with Store(tmp_path / "w.duckdb") as s:
        assert (_setting(s, "memory_limit"), _setting(s, "threads")) == ("244.1 MiB", 1)


def test_store_memory_limit_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("RIFTWATCH_DUCKDB_MEMORY", "512MB")
    monkeypatch.setenv("RIFTWATCH_DUCKDB_THREADS", "2")
    with Store(tmp_path / "w.duckdb") as s:
        assert (_setting(s, "memory_limit"), _setting(s, "threads")) == ("488.2 MiB", 2)


def test_store_bad_thread_count_in_the_environment_is_a_store_error(tmp_path, monkeypatch):
    monkeypatch.setenv("RIFTWATCH_DUCKDB_THREADS", "many")
    with pytest.raises(StoreError, match="RIFTWATCH_DUCKDB_THREADS"):
        Store(tmp_path / "w.duckdb")


def test_store_large_batch_is_written_under_a_small_memory_limit(tmp_path):
    docs = [
        _doc(f"d{i}", f"Pakistani jets struck camp number {i} in Khost. " * 40) for i in range(400)
    ]
    coded = [CodedDocument(d, [_event(d, n) for n in range(5)]) for d in docs]
    with Store(tmp_path / "big.duckdb", memory_limit="64MB") as s:
        assert s.write_batch(coded) == 2000
        assert s.counts()["event_mentions"] == 2000
        assert s.counts()["events"] >= 1


def test_store_batch_that_runs_out_of_memory_is_written_under_a_raised_cap(tmp_path):
    docs = [_doc(f"d{i}", f"Report {i}: jets struck a camp in Khost. " * 400) for i in range(60)]
    coded = [CodedDocument(d, [_event(d, n) for n in range(3)]) for d in docs]
    with Store(tmp_path / "tight.duckdb", memory_limit="4MB") as s:
        assert s.write_batch(coded) == 180
        assert s.counts()["documents"] == 60
        assert _setting(s, "memory_limit") != "3.8 MiB"


def test_store_gives_up_with_a_store_error_when_the_cap_cannot_grow(tmp_path, monkeypatch):
    import riftwatch.store.db as db

    monkeypatch.setattr(db, "MAX_MEMORY_RETRIES", 0)
    docs = [_doc(f"d{i}", f"Report {i}: jets struck a camp in Khost. " * 400) for i in range(60)]
    with Store(tmp_path / "tight.duckdb", memory_limit="2MB") as s:
        with pytest.raises(StoreError, match="could not write a batch"):
            s.write_batch([CodedDocument(d, []) for d in docs])
        assert s.counts()["documents"] == 0


def test_store_rejected_inputs_are_recorded_once(store):
    r = Rejected("bad.jsonl", "line 3", "malformed JSON")
    store.add_rejected([r])
    store.add_rejected([r])
    assert [(x["input"], x["location"], x["reason"]) for x in store.rejected()] == [
        ("bad.jsonl", "line 3", "malformed JSON")
    ]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [("PAK", 1), ("PAK:MIL", 1), ("PAK:GOV", 0), ("IND", 0), ("pak:mil", 1)],
)
def test_store_filters_events_by_actor_selector(store, selector, expected):
    doc = _doc()
    store.write_batch([CodedDocument(doc, [_event(doc)])])
    assert len(store.query_events(actor=selector)) == expected


def test_store_filters_recipient_by_knowledge_base_id(store):
    doc = _doc()
    store.write_batch([CodedDocument(doc, [_event(doc)])])
    assert len(store.query_events(recipient="afghan_taliban")) == 1


def test_store_rejects_an_injection_attempt_in_a_selector(store):
    doc = _doc()
    store.write_batch([CodedDocument(doc, [_event(doc)])])
    with pytest.raises(ConfigError):
        store.query_events(actor="PAK' OR 1=1; DROP TABLE events; --")
    assert store.counts()["events"] == 1


def test_store_event_type_filter_is_parameterised(store):
    doc = _doc()
    store.write_batch([CodedDocument(doc, [_event(doc)])])
    assert store.query_events(event="ASSAULT') OR ('1'='1") == []
    assert len(store.query_events(event="assault")) == 1


def test_store_date_filters_bound_the_events(store):
    doc = _doc()
    store.write_batch([CodedDocument(doc, [_event(doc)])])
    assert len(store.query_events(since=dt.date(2024, 3, 18), until=dt.date(2024, 3, 18))) == 1
    assert store.query_events(since=dt.date(2024, 3, 19)) == []


def test_export_plover_jsonl_has_the_design_fields(store, tmp_path):
    doc = _doc()
    store.write_batch([CodedDocument(doc, [_event(doc)])])
    path = tmp_path / "e.jsonl"
    assert export_events(store, path, format="plover-jsonl") == 1
    record = json.loads(path.read_text().splitlines()[0])
    for key in (
        "id",
        "date",
        "date_precision",
        "event",
        "mode",
        "context",
        "quad_code",
        "event_scale",
        "actor",
        "recipient",
        "event_loc",
        "size",
        "event_text",
        "text",
        "cite_info",
        "riftwatch",
    ):
        assert key in record
    assert record["actor"]["code"] == "PAK" and record["size"]["dead"] == 8
    assert record["riftwatch"]["evidence"]["trigger_span"] == [15, 21]


def test_export_parquet_and_csv_hold_one_row_per_event(store, tmp_path):
    doc = _doc()
    store.write_batch([CodedDocument(doc, [_event(doc, 0), _event(doc, 1)])])
    assert (
        export_events(store, tmp_path / "e.parquet", format="parquet", table="event_mentions") == 2
    )
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 2
    assert export_events(store, tmp_path / "e.csv", format="csv", table="event_mentions") == 2
    assert len((tmp_path / "e.csv").read_text().strip().splitlines()) == 3


def test_export_unknown_format_is_a_clear_error(store, tmp_path):
    with pytest.raises(ConfigError, match="unknown export format"):
        export_events(store, tmp_path / "x", format="xlsx")
