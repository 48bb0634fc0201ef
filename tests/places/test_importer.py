from __future__ import annotations

from pathlib import Path

import pytest

from riftwatch.errors import ConfigError
from riftwatch.places.gazetteer import Gazetteer
from riftwatch.places.importer import import_files
from riftwatch.places.store import ADM1


@pytest.fixture(scope="module")
def imported(gazetteer: Gazetteer, fixtures: Path):
    files = [
        fixtures / "cities_sample.zip",
        fixtures / "admin1CodesASCII.txt",
        fixtures / "alternateNamesV2.txt",
    ]
    tables, stats = import_files(files, gazetteer.t)
    return Gazetteer(tables), stats


def test_importer_adds_new_places_with_their_hierarchy(imported) -> None:
    gaz, stats = imported
    row = gaz.row_by_name("Qalaat Test")
    assert row is not None
    place = gaz.place(row, extracted="Qalaat Test")
    assert place.geonameid == 9100001
    assert place.province and place.province.startswith("Pakt")
    assert stats["added"] >= 2


def test_importer_updates_known_places_by_geonames_id(imported) -> None:
    gaz, stats = imported
    row = gaz.row_by_name("Paktika", ADM1)
    assert (gaz.t.lat[row], gaz.t.lon[row]) == (32.5, 68.75)
    assert stats["updated"] >= 1


def test_importer_adds_alternate_names_but_not_links_or_historic_names(imported) -> None:
    gaz, _ = imported
    assert gaz.row_by_name("Qalaat-e-Testan") == gaz.row_by_name("Qalaat Test")
    assert gaz.row_by_name("Old Testabad") is None
    assert gaz.row_by_name("Qalat Testi") == gaz.row_by_name("Qalaat Test")


def test_importer_skips_feature_classes_news_does_not_locate(imported) -> None:
    gaz, _ = imported
    assert gaz.row_by_name("Some Hotel") is None
    assert gaz.row_by_name("Sarobi Test Pass") is not None


def test_importer_leaves_the_loaded_gazetteer_untouched(gazetteer: Gazetteer, imported) -> None:
    assert gazetteer.row_by_name("Qalaat Test") is None


def test_importer_rejects_a_malformed_dump(gazetteer: Gazetteer, tmp_path: Path) -> None:
    bad = tmp_path / "PK.txt"
    bad.write_text("1\tonly three\tcolumns\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        import_files([bad], gazetteer.t)


def test_importer_missing_file_is_a_config_error(gazetteer: Gazetteer, tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        import_files([tmp_path / "allCountries.zip"], gazetteer.t)
