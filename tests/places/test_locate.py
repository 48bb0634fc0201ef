from __future__ import annotations

import pytest

from riftwatch.model import Document
from riftwatch.places import locate_event, new_state, toponyms


def _locate(nlp, text: str, trigger: str, *, dateline: str | None = None):
    state = new_state(Document(id="t", text=text, dateline_place=dateline), None)
    doc = nlp(text)
    places = toponyms(doc, state=state)
    i = next(tok.i for tok in doc if tok.text == trigger)
    return locate_event(doc, (i, i + 1), places, state=state)


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("Officials in Islamabad said a drone hit a house in Miran Shah.", "hit", "Miran Shah"),
        ("A bomber killed six soldiers near Chaman, police in Quetta said.", "killed", "Chaman"),
        (
            "Taliban fighters attacked a police post in Andar district of Ghazni province.",
            "attacked",
            "Andar district",
        ),
        ("Border guards clashed across the Durand Line near Torkham.", "clashed", "Torkham"),
        ("Islamabad condemned the attack in Kabul.", "attack", "Kabul"),
    ],
)
def test_locate_event_picks_the_place_attached_to_the_trigger(
    gazetteer, nlp, text: str, trigger: str, expected: str
) -> None:
    place = _locate(nlp, text, trigger)
    assert place is not None and place.extracted_place == expected


def test_locate_event_ignores_the_target_country(gazetteer, nlp) -> None:
    place = _locate(
        nlp, "Pakistan accused Afghanistan of sheltering militants.", "accused", dateline="PESHAWAR"
    )
    assert place is not None and place.resolution == "dateline"


def test_locate_event_falls_back_to_the_dateline_marked_as_such(gazetteer, nlp) -> None:
    place = _locate(nlp, "Gunmen killed three people on Monday.", "killed", dateline="QUETTA")
    assert place is not None
    assert (place.resolution, place.country_code, place.extracted_place) == (
        "dateline",
        "PAK",
        "QUETTA",
    )


def test_locate_event_without_place_or_dateline_is_none(gazetteer, nlp) -> None:
    assert _locate(nlp, "Gunmen killed three people on Monday.", "killed") is None
