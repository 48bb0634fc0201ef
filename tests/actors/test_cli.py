"""The ``riftwatch actors`` sub-app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from riftwatch.actors.cli import app

FIX = Path(__file__).parent / "fixtures"
runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["Imran Khan", "--date", "2020-01-01"], ("PAK", "GOV", "imran_khan")),
        (["Imran Khan", "--date", "2023-01-01"], ("PAK", "OPP", "imran_khan")),
        (["Taliban", "--date", "2010-01-01"], ("AFG", "REB", "afghan_taliban")),
        (["police", "--context", "Police in Pakistan said."], ("PAK", "COP", "police")),
    ],
)
def test_cli_resolve_json(args, expected):
    res = runner.invoke(app, ["resolve", *args, "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert (rows[0]["code"], rows[0]["sector"], rows[0]["kb_id"]) == expected
    assert {"code", "country", "sector", "kb_id", "name", "confidence"} <= set(rows[0])


def test_cli_resolve_non_actor_is_empty_list():
    res = runner.invoke(app, ["resolve", "the weather", "--json"])
    assert res.exit_code == 0
    assert json.loads(res.output) == []


def test_cli_resolve_with_extra_actor_file():
    res = runner.invoke(
        app, ["resolve", "Blue Crescent", "--actors", str(FIX / "extra_actors.yaml"), "--json"]
    )
    assert json.loads(res.output)[0]["kb_id"] == "blue_crescent_militia"


def test_cli_resolve_bad_date_exits_2():
    res = runner.invoke(app, ["resolve", "Taliban", "--date", "yesterday"])
    assert res.exit_code == 2


def test_cli_list_filters_by_country_and_sector():
    res = runner.invoke(app, ["list", "--country", "PAK", "--sector", "SPY", "--json"])
    ids = {e["id"] for e in json.loads(res.output)}
    assert "ISI" in ids and "NDS" not in ids


def test_cli_show_entry():
    res = runner.invoke(app, ["show", "afghan_taliban", "--json"])
    d = json.loads(res.output)
    assert d["country"] == "AFG" and any(r["sector"] == "GOV" for r in d["roles"])


def test_cli_show_unknown_id_fails():
    res = runner.invoke(app, ["show", "no_such_actor"])
    assert res.exit_code == 1
