"""CLI checks of the Ray engine that need no Ray run."""

from __future__ import annotations

from typer.testing import CliRunner

from riftwatch.cli import app

runner = CliRunner()


def test_code_with_the_ray_engine_needs_an_output_folder(tmp_path):
    (tmp_path / "a.txt").write_text("Troops shelled a post near Chaman.\n")
    result = runner.invoke(app, ["code", "--engine", "ray", str(tmp_path / "a.txt")])
    assert result.exit_code == 2
    assert "--out" in result.output


def test_code_rejects_an_unknown_engine(tmp_path):
    (tmp_path / "a.txt").write_text("Troops shelled a post near Chaman.\n")
    result = runner.invoke(app, ["code", "--engine", "spark", str(tmp_path / "a.txt")])
    assert result.exit_code == 2
    assert "local or ray" in result.output


def test_load_of_a_folder_without_ray_output_fails_with_one_line(tmp_path):
    (tmp_path / "empty").mkdir()
    db = tmp_path / "rw.duckdb"
    result = runner.invoke(app, ["load", str(tmp_path / "empty"), "--db", str(db)])
    assert result.exit_code == 1
    assert "no riftwatch Parquet output" in result.output
