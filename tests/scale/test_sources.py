"""Listing and reading inputs for the Ray engine (no Ray needed)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.fs as pafs
import pytest

from riftwatch.ingest import read_inputs
from riftwatch.model import Document
from riftwatch.scale.sources import ReadOptions, filesystem_for, list_inputs, read_file

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def _write_tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "a.txt").write_text("Troops shelled a border post near Chaman on Monday.\n")
    (root / "b" / "c.txt").write_text("Police arrested two men in Quetta on Tuesday.\n")
    (root / "b.txt").write_text("The ministry summoned the envoy in Islamabad.\n")
    (root / ".hidden" / "d.txt").write_text("Nobody reads this.\n")
    (root / ".e.txt").write_text("Nor this.\n")


def _read_all(inputs: list[str]) -> list:
    filesystems, files, missing = list_inputs(inputs)
    out = list(missing)
    for f in files:
        out += list(read_file(filesystems[f.filesystem], f.path, f.name, ReadOptions()))
    return out


def test_list_inputs_follows_the_local_readers_order_and_names(tmp_path):
    _write_tree(tmp_path / "corpus")
    given = str(tmp_path / "corpus")
    _, files, _ = list_inputs([given])
    expected = [d.input for d in read_inputs([given])]
    assert [f.name for f in files] == expected
    assert len(expected) == 3


def test_read_file_gives_the_documents_the_local_reader_gives(tmp_path):
    _write_tree(tmp_path / "corpus")
    inputs = [str(tmp_path / "corpus"), str(DEMO / "batch" / "regional_desk.csv")]
    assert _read_all(inputs) == list(read_inputs(inputs))


def test_a_file_uri_lists_and_reads_like_a_local_path(tmp_path):
    _write_tree(tmp_path / "corpus")
    docs = _read_all([(tmp_path / "corpus").as_uri()])
    local = list(read_inputs([str(tmp_path / "corpus")]))
    assert [(d.id, d.text, d.input.rsplit("/", 2)[-2:]) for d in docs] == [
        (d.id, d.text, d.input.rsplit("/", 2)[-2:]) for d in local
    ]


def test_an_fsspec_filesystem_is_read_through_a_local_copy(tmp_path):
    fsspec = pytest.importorskip("fsspec")
    mem = fsspec.filesystem("memory")
    data = (DEMO / "batch" / "pak_afg_wire_2021_2024.jsonl").read_bytes()
    mem.pipe("/riftwatch-test/wire.jsonl", data)
    try:
        fs, _ = filesystem_for("memory://riftwatch-test")
        assert isinstance(fs, pafs.PyFileSystem)
        docs = _read_all(["memory://riftwatch-test"])
    finally:
        mem.rm("/riftwatch-test", recursive=True)
    local = list(read_inputs([DEMO / "batch" / "pak_afg_wire_2021_2024.jsonl"]))
    assert [d.id for d in docs] == [d.id for d in local] and len(docs) == 14
    assert {d.input for d in docs} == {"memory://riftwatch-test/wire.jsonl"}
    assert all(isinstance(d, Document) for d in docs)


def test_a_missing_input_is_rejected_before_any_worker_reads(tmp_path):
    _, files, missing = list_inputs([str(tmp_path / "nowhere")])
    assert files == []
    assert [(r.input, r.reason) for r in missing] == [
        (str(tmp_path / "nowhere"), "no such file or directory")
    ]


def test_a_parquet_file_is_read_as_records_with_row_locations(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        {"id": "p1", "text": "Border guards exchanged fire at Torkham.", "date": "2023-09-06"},
        {"id": "p2", "text": "", "date": "2023-09-07"},
    ]
    path = tmp_path / "docs.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    items = list(read_file(pafs.LocalFileSystem(), str(path), "docs.parquet", ReadOptions()))
    assert [(type(i).__name__, i.location) for i in items] == [
        ("Document", "row 1"),
        ("Rejected", "row 2"),
    ]
    assert items[0].published.isoformat() == "2023-09-06"
