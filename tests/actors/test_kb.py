"""Loading the knowledge base: coverage, validation, analyst overrides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pycountry
import pytest

from riftwatch.actors import ActorResolver, load_kb
from riftwatch.actors.kb import SECTORS, parse_yaml
from riftwatch.errors import ConfigError

FIX = Path(__file__).parent / "fixtures"


def test_kb_has_several_hundred_entries(kb):
    assert len(kb) >= 700
    assert len(kb.by_kind("person")) >= 250


def test_kb_covers_every_iso_country(kb):
    missing = [c.alpha_3 for c in pycountry.countries if c.alpha_3 not in kb.entries]
    assert missing == []


def test_kb_sectors_are_plover_sectors(kb):
    for e in kb.entries.values():
        assert e.sector is None or e.sector in SECTORS
        for r in e.roles:
            assert r.sector in SECTORS, e.id


def test_kb_roles_do_not_end_before_start(kb):
    for e in kb.entries.values():
        for r in e.roles:
            assert not (r.start and r.end) or r.start <= r.end, e.id


def test_kb_country_codes_resolve(kb):
    specials = {"IGO", "UNO", "EUR", "NGO", "IMG", "ISM", "MNC"}
    for e in kb.entries.values():
        codes = {e.country} | {r.code for r in e.roles}
        for c in codes - {None}:
            assert c in specials or kb.get(c) is not None, (e.id, c)


def test_kb_extra_file_overrides_and_adds():
    kb = load_kb([FIX / "extra_actors.yaml"])
    assert kb.get("TTP").name.endswith("(analyst edit)")
    r = ActorResolver(kb)
    assert r.resolve("Kharwari Taliban")[0].kb_id == "TTP"
    assert (r.resolve("Blue Crescent")[0].code, r.resolve("Blue Crescent")[0].sector) == (
        "AFG",
        "PRM",
    )
    m = r.resolve("Zarina Qadiri", date=dt.date(2021, 5, 1))[0]
    assert (m.code, m.sector, m.office) == ("PAK", "GOV", "governor")


def test_kb_bad_sector_names_file_and_line():
    with pytest.raises(ConfigError, match=r"bad_sector.yaml, line 7"):
        load_kb([FIX / "bad_sector.yaml"])


def test_kb_missing_file_is_config_error(tmp_path):
    with pytest.raises(ConfigError):
        load_kb([tmp_path / "nope.yaml"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entries: [{id: x}]", "needs 'id' and 'name'"),
        ("entries: [{id: x, name: X, kind: planet}]", "unknown kind"),
        ("entries: [{id: x, name: X, roles: [{sector: GOV, start: 2020-13-01}]}]", "bad date"),
        (
            "entries: [{id: x, name: X, roles: [{sector: GOV, start: 2021-01-01, end: 2020-01-01}]}]",
            "ends before",
        ),
        ("entries: [oops", "not valid YAML"),
    ],
)
def test_kb_validation_errors(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_yaml(text, "inline.yaml")


def test_kb_role_at_prefers_first_listed(kb):
    musharraf = kb.get("pervez_musharraf")
    assert musharraf.role_at(dt.date(2005, 1, 1)).office == "president"
