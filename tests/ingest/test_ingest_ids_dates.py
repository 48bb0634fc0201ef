from __future__ import annotations

import datetime as dt
import json

import pytest

from riftwatch.ingest import normalise_text, parse_date, text_id
from riftwatch.ingest.dates import parse_date_parts
from riftwatch.ingest.ids import given_id

D = dt.date

# --- ids -----------------------------------------------------------------------------


def test_ids_same_text_gives_same_id():
    assert text_id("Talks resumed in Kabul.") == text_id("Talks resumed in Kabul.")


def test_ids_whitespace_differences_give_same_id():
    a = "Talks resumed\nin  Kabul.\n"
    b = "  Talks\tresumed in\u00a0Kabul."
    assert text_id(a) == text_id(b)


def test_ids_compatibility_characters_give_same_id():
    assert text_id("ﬁrst ｆｕｌｌ width") == text_id("first full width")


def test_ids_different_text_gives_different_id():
    assert text_id("Talks resumed in Kabul.") != text_id("Talks stalled in Kabul.")


def test_ids_have_prefix_and_16_hex_digits():
    found = text_id("x")
    assert found.startswith("h-")
    assert len(found) == 18
    int(found[2:], 16)


def test_ids_hash_is_pinned_so_stored_ids_never_change_silently():
    assert text_id("Talks resumed in Kabul.") == "h-86eb218b85213e7a"


def test_ids_normalise_collapses_and_strips():
    assert normalise_text("  a \n\n b\t c  ") == "a b c"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(7, "7"), (7.0, "7"), (" a1 ", "a1"), ("", None), (None, None), (True, None), ({}, None)],
)
def test_ids_given_id_as_string(value, expected):
    assert given_id(value) == expected


def test_ids_same_text_in_two_files_gives_the_same_document_id(read, tmp_path):
    (tmp_path / "a.txt").write_text("The envoy arrived in Kabul\non Monday.")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"text": "The envoy arrived in Kabul on Monday."}) + "\n"
    )
    docs, _ = read(tmp_path)
    assert docs[0].id == docs[1].id


def test_ids_record_id_wins_over_the_hash(read, tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": 42, "text": "x"}) + "\n")
    (doc,), _ = read(tmp_path / "a.jsonl")
    assert doc.id == "42"


# --- metadata dates ------------------------------------------------------------------

DATES = [
    ("2023-05-06", D(2023, 5, 6)),
    ("2023-05-06T08:30:00+05:00", D(2023, 5, 6)),
    ("2023-05-06 08:30:00", D(2023, 5, 6)),
    ("20230506", D(2023, 5, 6)),
    ("2023/05/06", D(2023, 5, 6)),
    ("Tue, 05 Mar 2024 10:00:00 +0500", D(2024, 3, 5)),
    ("5 May 2023", D(2023, 5, 5)),
    ("05 May, 2023", D(2023, 5, 5)),
    ("May 5, 2023", D(2023, 5, 5)),
    ("Jan. 25, 2013", D(2013, 1, 25)),
    ("Sept 3rd, 2021", D(2021, 9, 3)),
    ("Monday, 3 June 2024", D(2024, 6, 3)),
    ("14/08/2021", D(2021, 8, 14)),
    ("03/05/2023", D(2023, 5, 3)),
    ("05/13/2023", D(2023, 5, 13)),
    ("14.08.2021", D(2021, 8, 14)),
    ("25 janvier 2013", D(2013, 1, 25)),
    ("the 3rd of May, 2023 at noon", D(2023, 5, 3)),
    (dt.datetime(2020, 1, 2, 3, 4), D(2020, 1, 2)),
    (D(2020, 1, 2), D(2020, 1, 2)),
    (1_700_000_000, D(2023, 11, 14)),
    (1_700_000_000_000, D(2023, 11, 14)),
    ("1700000000", D(2023, 11, 14)),
]


@pytest.mark.parametrize(("value", "expected"), DATES)
def test_dates_metadata_formats_are_parsed(value, expected):
    assert parse_date(value) == expected


NOT_DATES = [
    "yesterday",
    "2 days ago",
    "now",
    "today",
    "last week",
    "March 2023",
    "2023",
    "soon",
    "",
    "31/02/2023",
    "0023-01-01",
    None,
    True,
    {"date": "2023-01-01"},
    "x" * 500,
]


@pytest.mark.parametrize("value", NOT_DATES)
def test_dates_relative_partial_or_bad_values_give_no_date(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(("value", "year"), [("2023", 2023), (2019, 2019), ("2023-05", 2023)])
def test_dates_year_only_values_keep_the_year(value, year):
    assert parse_date_parts(value) == (None, year)


@pytest.mark.parametrize(
    "text",
    ["a\u00b4b", "x\u00a0\u0301y", "\u3000lead", "ﬁ\u2002ﬂ", "e\u0301 \u0301e", "\u2026 end\u00a0"],
)
def test_ids_normalise_equals_nfkc_then_collapse(text):
    import unicodedata

    assert normalise_text(text) == " ".join(unicodedata.normalize("NFKC", text).split())
