from __future__ import annotations

import pytest

from riftwatch.sentences import split_sentences


def _split(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("Is it? Yes! Fine.", ["Is it?", "Yes!", "Fine."]),
        ('He said: "It ended." Then he left.', ['He said: "It ended."', "Then he left."]),
        ("Gen. Asim Munir spoke.", ["Gen. Asim Munir spoke."]),
        ("Mr. J. Smith met Dr. Khan.", ["Mr. J. Smith met Dr. Khan."]),
        ("On Jan. 25 the talks began.", ["On Jan. 25 the talks began."]),
        ("The U.S. Army left. It was 2021.", ["The U.S. Army left.", "It was 2021."]),
        ("Some 3.5 million fled. Others stayed.", ["Some 3.5 million fled.", "Others stayed."]),
        ("a headline\nThe body starts here.", ["a headline", "The body starts here."]),
        (
            "lower case after. a stop is not a boundary",
            ["lower case after. a stop is not a boundary"],
        ),
        ("  \n \n", []),
        ("", []),
    ],
)
def test_sentences_split_news_prose(text, expected):
    assert _split(text) == expected


def test_sentences_spans_index_the_original_text():
    text = "  First one.  Second one.\n\nThird."
    assert [text[s:e] for s, e in split_sentences(text)] == ["First one.", "Second one.", "Third."]


def test_sentences_a_huge_text_without_stops_is_one_sentence_per_line():
    text = ("word " * 200_000) + "\n" + ("word " * 10)
    assert len(split_sentences(text)) == 2
