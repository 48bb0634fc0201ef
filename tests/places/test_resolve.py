from __future__ import annotations

import pytest

from riftwatch.model import Document
from riftwatch.places import new_state, resolve_toponym
from riftwatch.places.gazetteer import Gazetteer


def _resolve(text: str, name: str, *, occurrence: int = 0, focus: list[str] | None = None):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(name, start + 1)
    return resolve_toponym(text, start, start + len(name), country_focus=focus)


@pytest.mark.parametrize(
    ("text", "name", "country", "resolution"),
    [
        ("Fighting was reported in Khost province overnight.", "Khost province", "AFG", "province"),
        ("A drone struck a compound in Paktika near the border.", "Paktika", "AFG", "province"),
        ("Tribal elders from Paktia met in the capital.", "Paktia", "AFG", "province"),
        (
            "Curfew was imposed in North Waziristan after the attack.",
            "North Waziristan",
            "PAK",
            "district",
        ),
        ("Schools in Kurram district were closed.", "Kurram district", "PAK", "district"),
        ("Troops moved into Bajaur on Sunday.", "Bajaur", "PAK", "district"),
        ("Traders in Khyber district protested the closure.", "Khyber district", "PAK", "district"),
        ("A convoy left Zhob for the border.", "Zhob", "PAK", "city"),
        ("A blast hit a market in Quetta on Friday.", "Quetta", "PAK", "city"),
        ("Police in Peshawar arrested two suspects.", "Peshawar", "PAK", "city"),
        ("Trucks queued at Torkham for a week.", "Torkham", "PAK", "city"),
        ("The Chaman crossing stayed shut.", "Chaman", "PAK", "city"),
        ("Refugees returned through Spin Boldak.", "Spin Boldak", "AFG", "city"),
    ],
)
def test_resolve_afghan_and_pakistani_places(
    gazetteer: Gazetteer, text: str, name: str, country: str, resolution: str
) -> None:
    place = _resolve(text, name)
    assert place is not None
    assert place.country_code == country
    assert place.resolution == resolution
    assert place.geonameid is not None or name == "Torkham"


def test_resolve_admin_hierarchy_in_text_picks_the_district(gazetteer: Gazetteer) -> None:
    text = "Gunmen attacked a checkpoint in Andar district, Ghazni province."
    place = _resolve(text, "Andar district")
    assert place.resolution == "district"
    assert place.province and place.province.startswith("Ghazn")
    assert place.country_code == "AFG"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Pakistan's Sindh government said floods hit Hyderabad, the second city of Sindh.", "PAK"),
        ("India's Telangana state said floods hit Hyderabad, its capital, on Monday.", "IND"),
    ],
)
def test_resolve_hyderabad_follows_the_story_country(
    gazetteer: Gazetteer, text: str, country: str
) -> None:
    assert _resolve(text, "Hyderabad").country_code == country


@pytest.mark.parametrize(
    ("text", "country", "resolution"),
    [
        ("Tbilisi said Georgia would not join the talks with Russia or Armenia.", "GEO", "country"),
        (
            "Voters in Atlanta and across Georgia lined up; Florida and Alabama voted too.",
            "USA",
            "province",
        ),
    ],
)
def test_resolve_georgia_by_context(
    gazetteer: Gazetteer, text: str, country: str, resolution: str
) -> None:
    place = _resolve(text, "Georgia")
    assert (place.country_code, place.resolution) == (country, resolution)


def test_resolve_kandahar_is_the_afghan_city(gazetteer: Gazetteer) -> None:
    place = _resolve("Taliban leaders met in Kandahar on Thursday.", "Kandahar")
    assert (place.country_code, place.resolution) == ("AFG", "city")


def test_resolve_kandahar_province_with_cue(gazetteer: Gazetteer) -> None:
    place = _resolve("Clashes spread across Kandahar province.", "Kandahar province")
    assert (place.country_code, place.resolution) == ("AFG", "province")


def test_resolve_country_focus_argument_steers_ambiguous_name(gazetteer: Gazetteer) -> None:
    text = "Rain fell on Hyderabad."
    assert _resolve(text, "Hyderabad", focus=["PAK"]).country_code == "PAK"
    assert _resolve(text, "Hyderabad", focus=["IND"]).country_code == "IND"


@pytest.mark.parametrize(
    ("name", "iso3"), [("U.S.", "USA"), ("Britain", "GBR"), ("Afghanistan", "AFG")]
)
def test_resolve_country_aliases(gazetteer: Gazetteer, name: str, iso3: str) -> None:
    place = _resolve(f"Talks with {name} resumed.", name)
    assert (place.country_code, place.resolution) == (iso3, "country")


def test_resolve_demonym_span_maps_to_its_country(gazetteer: Gazetteer) -> None:
    place = _resolve("Afghan officials met on Monday.", "Afghan")
    assert (place.country_code, place.resolution) == ("AFG", "country")


def test_resolve_unknown_name_returns_none(gazetteer: Gazetteer) -> None:
    assert _resolve("They met at Zzyzxq Qwertabad.", "Zzyzxq Qwertabad") is None


def test_resolve_bad_offsets_raise_config_error(gazetteer: Gazetteer) -> None:
    from riftwatch.errors import ConfigError

    with pytest.raises(ConfigError):
        resolve_toponym("short", 3, 99)


def test_resolve_state_reuses_document_context(gazetteer: Gazetteer) -> None:
    text = "Sindh police said Hyderabad was calm. Karachi too."
    state = new_state(Document(id="d", text=text), None)
    start = text.index("Hyderabad")
    place = resolve_toponym(text, start, start + 9, state=state)
    assert place.country_code == "PAK"
    assert place.span == (start, start + 9)
    assert 0.0 < place.confidence <= 1.0


def test_resolve_waziristan_alone_is_the_pakistani_region(gazetteer: Gazetteer) -> None:
    place = _resolve("Militants regrouped in Waziristan last winter.", "Waziristan")
    assert place is not None
    assert place.resolution == "region"
    assert place.country_code == "PAK"
    assert place.province == "Khyber Pakhtunkhwa"
    assert 32.0 < place.lat < 33.5 and 69.0 < place.lon < 70.5


@pytest.mark.parametrize(
    ("name", "country"),
    [("Eastern Ghouta", "SYR"), ("Nagorno-Karabakh", "AZE"), ("Baluchistan", "PAK")],
)
def test_resolve_curated_regions_and_spelling_variants(
    gazetteer: Gazetteer, name: str, country: str
) -> None:
    place = _resolve(f"Shelling resumed in {name} on Monday.", name)
    assert place is not None and place.country_code == country


def test_resolve_town_named_beside_its_state_sets_the_document_locality(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "Homes go on sale in Gainesville, Va., this spring. Buyers get a pool, and the "
        "Maple Leaf Clubhouse hosts the sales office."
    )
    place = _resolve(text, "Maple Leaf Clubhouse")
    assert place is None  # without fallback an unknown building stays unresolved
    state = new_state(Document(id="d", text=text), None)
    start = text.index("Maple Leaf Clubhouse")
    place = resolve_toponym(text, start, start + 20, state=state, fallback=True)
    assert place is not None and place.resolution == "approximate"
    assert place.province == "Virginia"


def test_resolve_street_is_placed_in_the_story_town_not_its_namesake(
    gazetteer: Gazetteer,
) -> None:
    text = "A fire broke out in Saskatoon on Tuesday. Crews closed Northumberland Avenue."
    state = new_state(Document(id="d", text=text), None)
    start = text.index("Northumberland Avenue")
    place = resolve_toponym(text, start, start + 21, state=state, fallback=True)
    assert place is not None and place.country_code == "CAN"
    assert place.resolution == "approximate"


def test_resolve_county_cue_prefers_the_place_called_county(gazetteer: Gazetteer) -> None:
    text = "Police in Suffolk County searched the house."
    place = _resolve(text, "Suffolk County")
    assert place is not None and place.country_code == "USA"
