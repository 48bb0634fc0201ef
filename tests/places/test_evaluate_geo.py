from __future__ import annotations

from pathlib import Path

import pytest

from riftwatch.errors import ConfigError
from riftwatch.evaluate.geo import evaluate, format_report, haversine_km, read_corpus


def test_evaluate_geo_reads_geowebnews_format(fixtures: Path) -> None:
    arts = read_corpus(fixtures / "gwn_sample.xml")
    assert len(arts) == 2
    first = arts[0].toponyms[0]
    assert arts[0].text[first.start : first.end] == "Peshawar"
    assert first.geonameid == 1168197


def test_evaluate_geo_reads_lgl_format(fixtures: Path) -> None:
    arts = read_corpus(fixtures / "lgl_sample.xml")
    tops = arts[1].toponyms
    assert [t.text for t in tops] == ["Hyderabad", "Sindh", "Karachi"]
    assert tops[0].country == "PK"
    assert arts[0].toponyms[1].geonameid is None


@pytest.mark.parametrize("name", ["gwn_sample.xml", "lgl_sample.xml"])
def test_evaluate_geo_resolution_scores_on_fixtures(gazetteer, fixtures: Path, name: str) -> None:
    result = evaluate(fixtures / name, recognition=False)
    res = result["resolution"]
    assert res["acc_161km"] == 1.0
    assert res["country_acc"] == 1.0
    assert res["median_error_km"] < 50
    assert 0.5 <= res["exact_id"] <= 1.0


def test_evaluate_geo_recognition_scores(gazetteer, nlp, fixtures: Path) -> None:
    rec = evaluate(fixtures / "gwn_sample.xml", nlp=nlp)["recognition"]
    assert rec["gold"] == 7
    assert rec["recall"] >= 0.7
    assert rec["precision"] >= 0.7


def test_evaluate_geo_report_names_every_figure(gazetteer, fixtures: Path) -> None:
    text = format_report(evaluate(fixtures / "lgl_sample.xml", recognition=False))
    for label in (
        "exact GeoNames id",
        "within 161 km",
        "country accuracy",
        "mean error",
        "median error",
    ):
        assert label in text


def test_evaluate_geo_haversine_known_distance() -> None:
    # Peshawar to Kabul is about 225 km as the crow flies.
    assert 200 < haversine_km(34.008, 71.578, 34.528, 69.172) < 240


def test_evaluate_geo_bad_file_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.xml"
    bad.write_text("<articles><article>", encoding="utf-8")
    with pytest.raises(ConfigError):
        read_corpus(bad)


def test_evaluate_geo_gold_geowebnews_does_not_regress(gazetteer, shared_dir: Path) -> None:
    """A floor at the measured level (0.874 within 161 km, 0.945 country with the packaged
    gazetteer). Issue 5's target (0.94 / 0.97) is not reached without full GeoNames dumps."""
    result = evaluate(shared_dir / "gold" / "geowebnews" / "GWN.xml", recognition=False)
    res = result["resolution"]
    assert res["acc_161km"] >= 0.86
    assert res["country_acc"] >= 0.93
    assert res["exact_id"] >= 0.80
