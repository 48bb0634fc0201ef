"""The Ray engine against the local one, on a local Ray with 2 CPUs.

Each Ray run starts actors that load the pipeline, so the runs are few and shared: one
clean run through the CLI (compared with the local engine) and one run whose worker is
killed in the middle of a batch.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.dataset as pads
import pytest
from typer.testing import CliRunner

from riftwatch.cli import app

pytestmark = pytest.mark.ray
runner = CliRunner()

_DOC_COLUMNS = (
    "id, version, text_hash, title, text, published, published_source, source, url,"
    " language, dateline_place, sentences, sentences_parsed, note"
)
"""documents columns that do not depend on the run (not ingested_at, coded_at) or on the
file a record came from (input, location: the Parquet file replaces a JSON one)."""


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _mentions(db: Path, where: str = "", exclude: str = "") -> list[tuple]:
    columns = f"* EXCLUDE ({exclude})" if exclude else "*"
    return _rows(db, f"SELECT {columns} FROM event_mentions {where} ORDER BY id")


@pytest.fixture(scope="module")
def ray_out(ray_local, sample, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scale-ray") / "out"
    args = ["code", "--engine", "ray", "--workers", "2", "--batch-size", "6", "--no-progress"]
    result = runner.invoke(app, [*args, *sample.ray_inputs, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def ray_db(ray_out: Path, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("scale-ray-db") / "ray.duckdb"
    result = runner.invoke(app, ["load", str(ray_out), "--db", str(db), "--no-progress"])
    assert result.exit_code == 0, result.output
    return db


def test_ray_engine_codes_the_same_event_mentions_as_the_local_engine(local_db, ray_db):
    local = _mentions(local_db)
    assert len(local) > 100
    assert _mentions(ray_db) == local


def test_ray_engine_stores_the_same_documents_as_the_local_engine(local_db, ray_db):
    sql = f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY id"
    assert _rows(ray_db, sql) == _rows(local_db, sql)


def test_ray_engine_names_inputs_and_locations_as_the_local_engine(local_db, ray_db, sample):
    sql = (
        "SELECT id, input, location FROM documents"
        f" WHERE input <> '{sample.roundup_json}' AND input <> '{sample.roundup_parquet}'"
        " ORDER BY id"
    )
    rows = _rows(ray_db, sql)
    assert len(rows) == 18
    assert rows == _rows(local_db, sql)


def test_ray_engine_reads_parquet_rows_as_records(ray_db, sample):
    rows = _rows(
        ray_db,
        f"SELECT location FROM documents WHERE input = '{sample.roundup_parquet}' ORDER BY 1",
    )
    assert rows == [("row 1",), ("row 2",), ("row 3",), ("row 4",)]


def test_ray_engine_aggregates_the_same_events_as_the_local_engine(local_db, ray_db):
    sql = "SELECT * EXCLUDE (record) FROM events ORDER BY id"
    assert _rows(ray_db, sql) == _rows(local_db, sql)


def test_ray_engine_partitions_event_mentions_by_date(ray_out, ray_db):
    parts = {p.name for p in (ray_out / "events").iterdir()}
    days = {f"date={d}" for (d,) in _rows(ray_db, "SELECT DISTINCT date FROM event_mentions")}
    assert parts == days
    table = pads.dataset(ray_out / "events", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == len(_mentions(ray_db))


def test_loading_the_same_folder_twice_changes_nothing(ray_out, ray_db, tmp_path):
    db = tmp_path / "twice.duckdb"
    for _ in range(2):
        result = runner.invoke(app, ["load", str(ray_out), "--db", str(db), "--no-progress"])
        assert result.exit_code == 0, result.output
    assert _mentions(db) == _mentions(ray_db)
    assert _rows(db, "SELECT count(*), count(DISTINCT id) FROM documents") == [(22, 22)]


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(
    ray_local, sample, local_db, tmp_path
):
    from riftwatch.scale import RayOptions, load_dir, run_ray
    from riftwatch.store import Store

    marker = tmp_path / "killed"
    out = tmp_path / "out"
    summary = run_ray(
        [str(sample.wire)],
        str(out),
        options=RayOptions(workers=2, batch_size=4, crash_marker=str(marker)),
    )
    assert marker.exists(), "no worker was killed"
    assert summary.documents == 14
    files = pads.dataset(out / "documents", format="parquet").to_table(columns=["id"])
    ids = files.column("id").to_pylist()
    assert len(ids) == len(set(ids)) == 14
    db = tmp_path / "crash.duckdb"
    with Store(db) as store:
        loaded = load_dir(str(out), store)
    assert loaded.documents == 14 and loaded.superseded == 0
    assert _rows(db, "SELECT count(*), count(DISTINCT id) FROM documents") == [(14, 14)]
    wire = f"WHERE document_id IN (SELECT id FROM documents WHERE input = '{sample.wire}')"
    # event_id links a mention to its aggregated event, which depends on the other
    # documents in the store: the clean store holds the whole sample, this one a part
    clean = _mentions(local_db, wire, exclude="event_id")
    assert clean and _mentions(db, exclude="event_id") == clean
