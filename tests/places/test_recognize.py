from __future__ import annotations

import pytest

from riftwatch.model import Document
from riftwatch.places import new_state, toponyms


def _places(nlp, text: str):
    state = new_state(Document(id="t", text=text), None)
    return toponyms(nlp(text), state=state)


def _names(nlp, text: str) -> list[str]:
    return [p.extracted_place for p in _places(nlp, text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A drone strike hit a house in Paktika on Monday.", "Paktika"),
        ("Clashes were reported in Kurram after the funeral.", "Kurram"),
        ("The convoy was ambushed near Zhob late on Friday.", "Zhob"),
        ("Trade resumed at the Torkham crossing.", "Torkham"),
        ("Soldiers patrolled Spin Boldak and Chaman.", "Spin Boldak"),
        ("A bomb exploded in Miran Shah, the main town of North Waziristan.", "Miran Shah"),
        ("Violence flared along the border near Angoor Adda.", "Angoor Adda"),
    ],
)
def test_recognize_finds_toponyms_the_model_misses(
    gazetteer, nlp, text: str, expected: str
) -> None:
    assert any(expected in name for name in _names(nlp, text))


@pytest.mark.parametrize(
    ("text", "demonym"),
    [
        ("Afghan forces said they had retaken the post.", "Afghan"),
        ("Pakistani officials met their Afghan counterparts.", "Pakistani"),
        ("Afghans crossed into Pakistan at dawn.", "Afghans"),
        ("Three Pakistanis were among the dead in Kabul.", "Pakistanis"),
    ],
)
def test_recognize_demonyms_are_not_places(gazetteer, nlp, text: str, demonym: str) -> None:
    assert demonym not in _names(nlp, text)


@pytest.mark.parametrize(
    ("text", "capital"),
    [
        ("Islamabad said the border would stay closed.", "Islamabad"),
        ("Kabul rejected the accusation on Tuesday.", "Kabul"),
        ("Washington warned both sides against escalation.", "Washington"),
        ("Islamabad's decision angered traders in Peshawar.", "Islamabad"),
    ],
)
def test_recognize_capital_as_government_is_not_a_place(
    gazetteer, nlp, text: str, capital: str
) -> None:
    assert capital not in _names(nlp, text)


def test_recognize_capital_as_location_is_a_place(gazetteer, nlp) -> None:
    assert "Kabul" in _names(nlp, "A car bomb exploded in Kabul on Sunday.")


def test_recognize_spans_are_character_offsets_of_the_sentence(gazetteer, nlp) -> None:
    text = "Police in Quetta arrested two men."
    (place,) = _places(nlp, text)
    start, end = place.span
    assert text[start:end] == "Quetta"
    assert place.country_code == "PAK"


def test_recognize_keeps_the_cue_word_and_resolves_the_district(gazetteer, nlp) -> None:
    text = "Militants attacked a post in Andar district of Ghazni province."
    places = {p.extracted_place: p for p in _places(nlp, text)}
    assert places["Andar district"].resolution == "district"
    assert places["Ghazni province"].resolution == "province"


@pytest.mark.parametrize(
    "text",
    [
        "Reading the report, the General said Mobile units would help.",
        "The ceasefire collapsed in August 2021.",
    ],
)
def test_recognize_common_words_and_dates_are_not_places(gazetteer, nlp, text: str) -> None:
    assert _names(nlp, text) == []


def test_recognize_a_named_persons_surname_is_not_a_place(gazetteer, nlp) -> None:
    state = new_state(Document(id="t", text=""), None)
    toponyms(nlp("The spokesman, Mark Nelson, said the road was closed."), state=state)
    later = toponyms(nlp("Nelson said the flood came at night."), state=state)
    assert "Nelson" not in [p.extracted_place for p in later]
