"""PETRARCH/TABARI dictionary import, on small fixtures written in that format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from riftwatch.actors import ActorResolver, load_kb
from riftwatch.actors.petrarch import import_dictionary, parse_code
from riftwatch.errors import ConfigError

FIX = Path(__file__).parent / "fixtures"
D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def actors():
    return {e.id: e for e in import_dictionary(FIX / "actors_sample.txt")}


def test_petrarch_reads_every_actor(actors):
    assert set(actors) == {
        "zorbanistan",
        "kharavan_liberation_front",
        "taliban",
        "gul_marjan",
        "tariq_noorani",
        "northern_watch",
    }


def test_petrarch_synonyms_become_aliases(actors):
    assert actors["kharavan_liberation_front"].aliases == ["Klf", "Kharavan Front"]


@pytest.mark.parametrize(
    ("entry_id", "day", "expected"),
    [
        ("taliban", "2020-01-01", ("AFG", "REB")),
        ("taliban", "2021-08-15", ("AFG", "GOV")),
        ("gul_marjan", "2019-01-01", ("PAK", "GOV")),
        ("gul_marjan", "2023-01-01", ("PAK", "OPP")),
        ("tariq_noorani", "2015-01-01", ("PAK", "GOV")),
        ("tariq_noorani", "2019-01-01", ("PAK", "PTY")),
        ("northern_watch", "2019-01-01", ("AFG", "REB")),
    ],
)
def test_petrarch_date_restricted_codes(actors, entry_id, day, expected):
    code, sector, _ = actors[entry_id].code_sector_at(D(day))
    assert (code, sector) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("AFGGOV >20210815", ("AFG", "GOV", dt.date(2021, 8, 15), None)),
        ("AFGREB <20210815", ("AFG", "REB", None, dt.date(2021, 8, 15))),
        ("PAKGOV 20180818-20220410", ("PAK", "GOV", dt.date(2018, 8, 18), dt.date(2022, 4, 10))),
        ("PAKGOV 130605-170728", ("PAK", "GOV", dt.date(2013, 6, 5), dt.date(2017, 7, 28))),
    ],
)
def test_petrarch_parse_code_dates(code, expected):
    country, sector, role = parse_code(code, "test")
    assert (country, sector, role.start, role.end) == expected


@pytest.mark.parametrize(
    ("code", "expected"), [("AFGINS", "REB"), ("USAMED", "JRN"), ("COP", "COP")]
)
def test_petrarch_maps_cameo_sectors(code, expected):
    assert parse_code(code, "test")[1] == expected


def test_petrarch_agents_file_gives_agents():
    agents = {e.name: e for e in import_dictionary(FIX / "agents_sample.txt")}
    assert {e.kind for e in agents.values()} == {"agent"}
    assert agents["constabulary"].sector == "COP"
    assert agents["overseer"].aliases == ["overseers"]
    assert agents["broadcaster"].sector == "JRN"


def test_petrarch_bad_date_names_file_and_line():
    with pytest.raises(ConfigError, match=r"bad_code.txt, line 1"):
        import_dictionary(FIX / "bad_code.txt")


def test_petrarch_dictionaries_load_as_extra_files():
    kb = load_kb([FIX / "actors_sample.txt", FIX / "agents_sample.txt"])
    r = ActorResolver(kb)
    assert [(m.code, m.sector) for m in r.resolve("Kharavan Front")] == [("PAK", "REB")]
    m = r.resolve("Afghan highlanders")[0]
    assert (m.code, m.sector) == ("AFG", "REB")
    assert r.resolve("Gul Marjan", date=D("2020-01-01"))[0].sector == "GOV"


def test_petrarch_synonym_before_actor_is_error(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_text("+LONELY_SYNONYM_\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 1"):
        import_dictionary(f)


def test_petrarch_actor_without_code_is_error(tmp_path):
    f = tmp_path / "nocode.txt"
    f.write_text("SOMEBODY_\n+SOMEONE_\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="has no"):
        import_dictionary(f)
