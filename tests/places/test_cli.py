from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from riftwatch.places.cli import gazetteer_app, geo_app

runner = CliRunner()


def test_cli_geo_resolve_with_offsets_writes_one_line_per_record(gazetteer, tmp_path: Path) -> None:
    text = "Police in Quetta arrested two men."
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": text, "start": 10, "end": 16})
        + "\n"
        + json.dumps({"id": "b", "text": "Rain in Zzyzxq.", "start": 8, "end": 14})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(geo_app, ["resolve", "--jsonl", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in lines] == ["a", "b"]
    assert lines[0]["place"]["country_code"] == "PAK"
    assert lines[0]["place"]["span"] == [10, 16]
    assert lines[1]["place"] is None


def test_cli_geo_resolve_without_offsets_finds_every_toponym(
    gazetteer, nlp, tmp_path: Path
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"text": "Trucks crossed from Peshawar to Jalalabad."}) + "\n", encoding="utf-8"
    )
    result = runner.invoke(geo_app, ["resolve", "--jsonl", str(src)])
    assert result.exit_code == 0, result.output
    rec = json.loads(result.stdout.strip())
    assert [p["country_code"] for p in rec["places"]] == ["PAK", "AFG"]


def test_cli_geo_resolve_bad_json_is_a_one_line_error(gazetteer, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("{not json\n", encoding="utf-8")
    result = runner.invoke(geo_app, ["resolve", "--jsonl", str(src)])
    assert result.exit_code == 1
    assert "line 1" in result.output


def test_cli_gazetteer_info_prints_path_size_and_sources(gazetteer) -> None:
    result = runner.invoke(gazetteer_app, ["info"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["path"] == str(gazetteer.path)
    assert info["bytes"] > 0 and info["sources"]


def test_cli_gazetteer_import_upgrades_the_cache_file(
    gazetteer, fixtures: Path, tmp_path: Path, monkeypatch
) -> None:
    import shutil

    from riftwatch.places.gazetteer import Gazetteer

    copy = tmp_path / gazetteer.path.name
    shutil.copy(gazetteer.path, copy)
    monkeypatch.setenv("RIFTWATCH_CACHE", str(tmp_path))
    try:
        result = runner.invoke(
            gazetteer_app,
            ["import", str(fixtures / "cities_sample.zip"), str(fixtures / "admin1CodesASCII.txt")],
        )
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report["imported"]["added"] >= 2
        assert "geonames:cities_sample.zip" in report["gazetteer"]["sources"]
        assert Gazetteer.load().row_by_name("Qalaat Test") is not None
    finally:
        Gazetteer.forget(copy)
    assert gazetteer.row_by_name("Qalaat Test") is None  # the session's file is untouched


def test_cli_gazetteer_import_missing_file_is_a_one_line_error(gazetteer, tmp_path: Path) -> None:
    result = runner.invoke(gazetteer_app, ["import", str(tmp_path / "allCountries.zip")])
    assert result.exit_code == 1
    assert "no such file" in result.output
