"""Country borders for the map: simplification, the Natural Earth reader, the cache file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from riftwatch.server import basemap as bm


def test_simplify_reduces_a_straight_line_to_its_ends() -> None:
    line = np.column_stack([np.linspace(0, 10, 101), np.linspace(0, 5, 101)])
    out = bm.simplify(line, 0.01)
    assert out.tolist() == [[0.0, 0.0], [10.0, 5.0]]


def test_simplify_keeps_a_corner_beyond_the_tolerance() -> None:
    pts = np.array([[0, 0], [1, 0.001], [2, 0], [2, 1], [2, 2]], dtype=float)
    out = bm.simplify(pts, 0.05)
    assert [2.0, 0.0] in out.tolist()
    assert [1.0, 0.001] not in out.tolist()


def test_simplify_leaves_two_points_alone() -> None:
    pts = np.array([[0, 0], [1, 1]], dtype=float)
    assert bm.simplify(pts, 1.0).tolist() == pts.tolist()


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    pytest.importorskip("shapefile")
    try:
        bm.source_archive()
    except bm.BasemapUnavailable as e:
        pytest.skip(str(e))
    return bm.build()


def test_build_reads_every_country_from_natural_earth(built: dict[str, Any]) -> None:
    codes = {c["iso3"] for c in built["countries"]}
    assert len(built["countries"]) > 200
    assert {"AFG", "PAK", "IND", "IRN", "CHN"} <= codes
    assert built["source_version"]


def test_build_puts_pakistan_where_it_is(built: dict[str, Any]) -> None:
    pak = next(c for c in built["countries"] if c["iso3"] == "PAK")
    pts = np.array([p for ring in pak["rings"] for p in ring])
    assert 60 < pts[:, 0].min() < 62 and 75 < pts[:, 0].max() < 80  # longitudes
    assert 23 < pts[:, 1].min() < 25 and 35 < pts[:, 1].max() < 38  # latitudes
    assert 60 < pak["label"][0] < 75 and 25 < pak["label"][1] < 35


def test_build_stays_small_enough_for_a_browser(built: dict[str, Any]) -> None:
    assert len(json.dumps(built, separators=(",", ":"))) < 3_000_000


def test_load_basemap_writes_then_reuses_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def fake_build() -> dict[str, Any]:
        calls.append(1)
        return {"format": bm.FORMAT_VERSION, "countries": [], "licence": "public domain"}

    monkeypatch.setattr(bm, "build", fake_build)
    monkeypatch.setattr(bm, "_loaded", {})
    path = tmp_path / "basemap.json"
    bm.load_basemap(path)
    assert path.is_file()
    monkeypatch.setattr(bm, "_loaded", {})
    bm.load_basemap(path)
    assert len(calls) == 1


def test_load_basemap_rebuilds_a_corrupt_cache_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        bm, "build", lambda: {"format": bm.FORMAT_VERSION, "countries": [{"iso3": "AFG"}]}
    )
    monkeypatch.setattr(bm, "_loaded", {})
    path = tmp_path / "basemap.json"
    path.write_text("{not json")
    assert bm.load_basemap(path).data["countries"] == [{"iso3": "AFG"}]
    assert json.loads(path.read_text())["countries"] == [{"iso3": "AFG"}]


def test_source_archive_names_the_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bm, "PACKAGE", "riftwatch_no_such_package")
    with pytest.raises(bm.BasemapUnavailable, match="no-such-package"):
        bm.source_archive()
