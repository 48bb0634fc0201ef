from __future__ import annotations

import datetime as dt

import pytest

from riftwatch.ingest import find_dateline

D = dt.date

# (text, place, date without a hint, agency, style)
STYLES = [
    (
        "KABUL, Afghanistan (Jan. 25, 2013) — The ministry said",
        "KABUL",
        D(2013, 1, 25),
        None,
        "paren_date",
    ),
    ("ISLAMABAD, March 18 (Reuters) - Officials met", "ISLAMABAD", None, "Reuters", "place_date"),
    (
        "PESHAWAR, Pakistan, Oct 3, 2023 (AP) — A bomb went off",
        "PESHAWAR",
        D(2023, 10, 3),
        "AP",
        "place_date",
    ),
    ("Quetta, 12 February 2022: Police said", "Quetta", D(2022, 2, 12), None, "place_date"),
    ("KARACHI (Dawn) – 5 May 2023 – The city", "KARACHI", D(2023, 5, 5), "Dawn", "agency_date"),
    ("Islamabad, 2023-05-06: The ministry", "Islamabad", D(2023, 5, 6), None, "place_date"),
    ("WASHINGTON — The State Department said", "WASHINGTON", None, None, "place_only"),
    ("TEHRAN, Nov. 2 (Xinhua) -- Iran said", "TEHRAN", None, "Xinhua", "place_date"),
    (
        "By Jane Doe | Kabul | 14/08/2021\nThe city was calm.",
        "Kabul",
        D(2021, 8, 14),
        None,
        "byline",
    ),
    (
        "MONDAY, 3 JUNE 2024, PESHAWAR\nA blast shook the market.",
        "PESHAWAR",
        D(2024, 6, 3),
        None,
        "date_place",
    ),
    ("TEHRAN (IRNA) – The envoy arrived", "TEHRAN", None, "IRNA", "agency"),
    (
        "NEW YORK, June 5, 2022 (AFP) — The council met",
        "NEW YORK",
        D(2022, 6, 5),
        "AFP",
        "place_date",
    ),
    (
        "DERA ISMAIL KHAN, Pakistan, Sunday, Aug. 15, 2021 — Gunmen attacked",
        "DERA ISMAIL KHAN",
        D(2021, 8, 15),
        None,
        "place_date",
    ),
    ("PESHAWAR: The police said two men were held.", "PESHAWAR", None, None, "place_only"),
    ("KABUL - The ministry announced", "KABUL", None, None, "place_only"),
    (
        "Jalalabad, 3rd of March, 2024 (Pajhwok): Farmers protested",
        "Jalalabad",
        D(2024, 3, 3),
        "Pajhwok",
        "place_date",
    ),
    (
        "March 3, 2023\nThe army said on Friday that it had moved troops.",
        None,
        D(2023, 3, 3),
        None,
        "date_only",
    ),
    (
        "LAHORE, 21.09.2023 — Traders closed their shops",
        "LAHORE",
        D(2023, 9, 21),
        None,
        "place_date",
    ),
    ("Tehran – Iran's cabinet approved the plan", "Tehran", None, None, "place_only"),
    ("Kabul, Afghanistan – A study found", "Kabul", None, None, "place_only"),
    ("TEHRAN\u00a0- The minister said", "TEHRAN", None, None, "place_only"),
    ("KABUL/KANDAHAR (AFP/AP) -- Troops moved", "KABUL/KANDAHAR", None, "AFP/AP", "agency"),
    ("(FNA) - An adviser said", None, None, "FNA", "agency_only"),
]


@pytest.mark.parametrize(("text", "place", "date", "agency", "style"), STYLES)
def test_dateline_styles_are_recognised(text, place, date, agency, style):
    found = find_dateline(text)
    assert found is not None
    assert (found.place, found.date, found.agency, found.style) == (place, date, agency, style)


@pytest.mark.parametrize(("text", "place", "date", "agency", "style"), STYLES)
def test_dateline_span_covers_the_dateline(text, place, date, agency, style):
    found = find_dateline(text)
    start, end = found.span
    covered = text[start:end]
    assert start == 0
    assert (place or "") in covered
    assert not covered.endswith((" ", "\n"))
    assert text[end:].startswith(("\n", " "))


def test_dateline_after_a_title_line_is_found():
    text = "Envoy arrives for talks\nKABUL, Aug 15 (Pajhwok): The envoy arrived."
    found = find_dateline(text, year_hint=2022)
    assert found.place == "KABUL"
    assert found.date == D(2022, 8, 15)
    assert text[found.span[0] : found.span[1]] == "KABUL, Aug 15 (Pajhwok):"


def test_dateline_region_is_kept_apart_from_the_place():
    found = find_dateline("KABUL, Afghanistan (Jan. 25, 2013) — x")
    assert (found.place, found.region) == ("KABUL", "Afghanistan")


NOT_DATELINES = [
    "In 2011, the army said it would withdraw.",
    "On March 3 the army launched an operation in the valley.",
    "Kabul is a city of five million people.",
    "Peshawar, the capital of Khyber Pakhtunkhwa, was hit by a blast.",
    "12 people were killed on 3 May 2023 - police said.",
    "The army said on 3 May 2023 - nothing more.",
    "UPDATE: the army has released a statement.",
    "BREAKING — the border has been closed.",
    "Pakistan: the army says it is ready.",
    "Imran Khan said: we will not accept this.",
    "March 2023 was a bad month - the army said.",
    "Khan, 25, said - that he was innocent.",
    "September 11, 2001 - the attacks changed the region.",
    "Police, 12 of them - arrived later.",
    "2023 was a year of attacks: more than 600 people died.",
    "Saudi Arabia - along with its allies - cut ties.",
    "Pakistan–Afghanistan ties worsened in 2023.",
    "Exclusive – Documents show the plan.",
    "(Updated) - The toll rose.",
    "Quetta, Pakistan's provincial capital, was calm.",
    "Kabul — a city of five million — is short of water.",
    "THE ARMY SAID — nothing.",
    "ON MONDAY — the talks ended.",
    "Title of the piece\nTehran – Iran's cabinet met.",
]


@pytest.mark.parametrize("text", NOT_DATELINES)
def test_dateline_is_not_found_in_ordinary_sentences(text):
    assert find_dateline(text) is None


def test_dateline_without_year_and_without_hint_has_no_date():
    found = find_dateline("ISLAMABAD, March 18 (Reuters) - Officials met")
    assert found.date is None
    assert (found.month, found.day, found.has_year) == (3, 18, False)
    assert found.precision == "day"


def test_dateline_without_year_takes_the_hint():
    found = find_dateline("ISLAMABAD, March 18 (Reuters) - Officials met", year_hint=2024)
    assert found.date == D(2024, 3, 18)
    assert found.has_year is False


def test_dateline_own_year_wins_over_the_hint():
    found = find_dateline("Quetta, 12 February 2022: Police said", year_hint=2024)
    assert found.date == D(2022, 2, 12)
    assert found.has_year is True


def test_dateline_impossible_date_keeps_place_but_no_date():
    found = find_dateline("KABUL, Feb. 30, 2023 (AP) — The ministry said")
    assert found.place == "KABUL"
    assert found.date is None


def test_dateline_is_only_looked_for_near_the_top():
    text = "A long opening line. " * 20 + "\nKABUL, Aug 15, 2021 (AP) — late"
    assert find_dateline(text) is None


def test_dateline_numeric_date_is_read_day_first_when_ambiguous():
    assert find_dateline("Kabul, 03/05/2023: x").date == D(2023, 5, 3)
    assert find_dateline("Kabul, 05/13/2023: x").date == D(2023, 5, 13)
