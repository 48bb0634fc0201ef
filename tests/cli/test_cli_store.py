"""CLI commands that read a store (no NLP model needed)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from typer.testing import CliRunner

from riftwatch.cli import app
from riftwatch.model import ActorRef, Citation, Document, Event, Evidence, Size
from riftwatch.store import CodedDocument, Store

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "t.duckdb"
    doc = Document(
        id="d1",
        text="Pakistani jets bombed <script>alert(1)</script> a camp in Khost.",
        published=dt.date(2024, 3, 18),
        published_source="metadata",
        title="Strikes",
    )
    events = [
        Event(
            id=f"e{i}",
            event=ev,
            quad_code=q,
            actor=ActorRef(code="PAK", sector="MIL"),
            recipient=ActorRef(code=rc, sector="GOV", identifier_id="afghan_taliban"),
            text=doc.text,
            date=dt.date(2024, 3, 18 - i),
            size=Size(dead=8 if ev == "ASSAULT" else None),
            evidence=Evidence("d1", 0, (0, len(doc.text))),
            cite=Citation("d1", doc.title, published=doc.published),
        )
        for i, (ev, q, rc) in enumerate(
            [("ASSAULT", 4, "AFG"), ("THREATEN", 3, "AFG"), ("AGREE", 1, "CHN")]
        )
    ]
    with Store(path) as store:
        store.write_batch([CodedDocument(doc, events)])
    return path


def test_cli_every_command_has_help():
    for args in (
        ["--help"],
        ["code", "--help"],
        ["events", "--help"],
        ["export", "--help"],
        ["eval", "--help"],
        ["demo", "--help"],
        ["info", "--help"],
        ["rejected", "--help"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, args
        assert "Usage" in result.output


def test_cli_events_filters_by_actor_and_recipient(db):
    result = runner.invoke(
        app, ["events", "--db", str(db), "--recipient", "AFG", "--format", "jsonl"]
    )
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["event"] for r in records) == ["ASSAULT", "THREATEN"]


def test_cli_events_csv_has_a_header_and_one_row_per_event(db):
    result = runner.invoke(app, ["events", "--db", str(db), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["event"] for r in rows] == ["ASSAULT", "THREATEN", "AGREE"]


def test_cli_events_table_lists_events(db):
    result = runner.invoke(app, ["events", "--db", str(db), "--event", "ASSAULT"])
    assert result.exit_code == 0 and "ASSAULT" in result.stdout and "THREATEN" not in result.stdout


def test_cli_events_rejects_a_bad_date(db):
    result = runner.invoke(app, ["events", "--db", str(db), "--since", "last tuesday"])
    assert result.exit_code == 2


def test_cli_events_on_a_missing_store_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no store" in result.output


@pytest.mark.parametrize(
    "fmt,name", [("plover-jsonl", "e.jsonl"), ("csv", "e.csv"), ("parquet", "e.parquet")]
)
def test_cli_export_writes_each_format(db, tmp_path, fmt, name):
    out = tmp_path / name
    result = runner.invoke(app, ["export", "--db", str(db), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_cli_export_unknown_format_fails_clearly(db, tmp_path):
    result = runner.invoke(
        app, ["export", "--db", str(db), "--format", "xlsx", "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 1 and "unknown export format" in result.output


def test_cli_info_counts_the_store(db):
    result = runner.invoke(app, ["info", "--db", str(db)])
    assert "events" in result.stdout and " 3" in result.stdout
