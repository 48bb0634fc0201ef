from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from riftwatch.analysis.cli import register
from riftwatch.analysis.synthetic import insert_coded, relation_story
from riftwatch.store import Store


@pytest.fixture(scope="module")
def app():
    a = typer.Typer()
    register(a)
    return a


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "story.duckdb"
    with Store(path) as s:
        insert_coded(s.con, relation_story()[:400])
    return path


runner = CliRunner()


def test_cli_dyad_prints_a_table(app, db):
    r = runner.invoke(app, ["dyad", "PAK", "AFG", "--db", str(db), "--by", "month"])
    assert r.exit_code == 0, r.output
    assert "PAK – AFG by month" in r.output and "2022-01-01" in r.output


def test_cli_dyad_json_uses_the_env_db(app, db, monkeypatch):
    monkeypatch.setenv("RIFTWATCH_DB", str(db))
    r = runner.invoke(app, ["dyad", "PAK:MIL", "AFG", "--json", "--directed", "--by", "week"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["by"] == "week" and data["directed"] is True
    assert data["total_events"] == sum(p["events"] for p in data["periods"]) > 0


def test_cli_shifts_json_lists_shift_and_drivers(app, db):
    r = runner.invoke(app, ["shifts", "PAK", "AFG", "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert len(data["shifts"]) == 1 and data["shifts"][0]["delta"] < 0
    assert data["drivers"][0]["drivers"]["sub-dyad"]


def test_cli_network_json(app, db):
    r = runner.invoke(app, ["network", "--db", str(db), "--json", "--until", "2024-12-31"])
    assert r.exit_code == 0, r.output
    assert {n["actor"] for n in json.loads(r.output)["nodes"]} >= {"PAK:GOV", "AFG:GOV"}


def test_cli_report_prints_the_path(app, db, tmp_path):
    out = tmp_path / "brief.html"
    r = runner.invoke(app, ["report", "--dyad", "PAK", "AFG", "--db", str(db), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == str(out) and out.read_text(encoding="utf-8").startswith("<!DOCTYPE")


def test_cli_missing_store_is_an_error(app, tmp_path):
    r = runner.invoke(app, ["dyad", "PAK", "AFG", "--db", str(tmp_path / "none.duckdb")])
    assert r.exit_code == 1


def test_cli_bad_date_is_a_usage_error(app, db):
    r = runner.invoke(app, ["dyad", "PAK", "AFG", "--db", str(db), "--since", "March"])
    assert r.exit_code == 2
