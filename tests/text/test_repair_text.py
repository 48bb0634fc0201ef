"""repair_text as a whole: composition, identity on clean text, edge cases, speed."""

from __future__ import annotations

import time

import pytest

from riftwatch.text import Repaired, repair_text

CLEAN = (
    "Pakistani officials said on Monday that the crossing at Torkham would reopen.\n\n"
    'Traders in Peshawar, Khyber Pakhtunkhwa, welcomed the decision. "We lost weeks," one said.'
)

NOISY = (
    "<p>Officials in Islamabad said the Durand Linethe border\u00a0was &quot;closed&quot;.</p>\r\n"
    "<p>Traders in Peshawar waited for a \u201cthird day\u201d at the gate.</p>\r\n"
    "<p>Officials in Islamabad said the Durand Linethe border\u00a0was &quot;closed&quot;.</p>\r\n"
    "<script>track('x')</script><p>The caf\u00c3\u00a9 near the sanctuarya market shut.</p>"
)


def test_repair_text_identity_on_clean_text():
    r = repair_text(CLEAN)
    assert r.text == CLEAN
    assert r.text is CLEAN  # no copy
    assert r.maps == () and r.steps == ()
    assert not r.changed
    assert r.to_original(10) == 10
    assert r.span_to_original((5, 9)) == (5, 9)


def test_repaired_is_frozen():
    r = repair_text("x")
    with pytest.raises(AttributeError):
        r.text = "y"  # type: ignore[misc]


def test_repair_text_composition():
    r = repair_text(NOISY)
    assert r.text == (
        'Officials in Islamabad said the Durand Line the border was "closed".\n\n'
        'Traders in Peshawar waited for a "third day" at the gate.\n\n'
        "The caf\u00e9 near the sanctuary a market shut."
    )
    assert set(r.steps) >= {
        "mojibake",
        "tags",
        "entities",
        "paragraphs",
        "whitespace",
        "quotes",
        "glued",
    }


def test_repair_text_is_idempotent():
    once = repair_text(NOISY).text
    assert repair_text(once).text == once


def test_repair_text_composition_words_map_back(words_map_back):
    r = repair_text(NOISY)
    n = words_map_back(r)
    assert n > 25


def test_repair_text_span_of_split_word_points_into_glued_original():
    r = repair_text(NOISY)
    i = r.text.index("Line the")
    s, e = r.span_to_original((i, i + len("Line the")))
    assert NOISY[s:e] == "Linethe"


def test_repair_text_span_of_decoded_entity_covers_entity():
    r = repair_text(NOISY)
    i = r.text.index('"closed"')
    s, e = r.span_to_original((i, i + len('"closed"')))
    assert NOISY[s:e] == "&quot;closed&quot;"


def test_repair_text_offsets_are_monotonic():
    r = repair_text(NOISY)
    mapped = [r.to_original(i) for i in range(len(r.text) + 1)]
    assert mapped == sorted(mapped)
    assert mapped[-1] <= len(NOISY)


def test_repair_text_out_of_range_offsets_are_clamped():
    r = repair_text(NOISY)
    assert r.to_original(-5) == r.to_original(0)
    assert r.to_original(10**9) == r.to_original(len(r.text))
    s, e = r.span_to_original((10, 5))
    assert s <= e


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("   \n\t\r\n  ", ""),
        ("<p><br/><div></div></p>", ""),
        ("<script>alert(1)</script>", ""),
        ("\x00\x00a\x00b\x00", "ab"),
        ("\ufeffHello", "Hello"),
    ],
)
def test_repair_text_edge_cases(text, expected):
    r = repair_text(text)
    assert isinstance(r, Repaired)
    assert r.text == expected
    assert r.to_original(len(r.text)) <= len(text)


def test_repair_text_rejects_non_str():
    with pytest.raises(TypeError):
        repair_text(b"bytes")  # type: ignore[arg-type]


def test_repair_text_five_thousand_word_sentence():
    words = ["militants", "attacked", "the", "checkpoint", "near", "Torkham"] * 834
    text = " ".join(words) + "."
    start = time.perf_counter()
    r = repair_text(text)
    assert time.perf_counter() - start < 2.0
    assert r.text == text


def test_repair_text_hostile_repetition_does_not_hang():
    text = "<a" * 200_000 + "&#" * 200_000 + "<script" * 50_000
    start = time.perf_counter()
    repair_text(text)
    assert time.perf_counter() - start < 10.0


def _clean_article(n_paragraphs: int) -> str:
    sentences = [
        "Officials in Islamabad said the talks with Kabul would resume next week.",
        "Security forces killed {n} militants in North Waziristan on Tuesday.",
        "Traders at the Torkham crossing said trucks had waited for {n} days.",
        "The ministry denied reports that the border had been closed again.",
    ]
    return "\n\n".join(
        " ".join(s.format(n=i + j) for j, s in enumerate(sentences)) for i in range(n_paragraphs)
    )


def test_repair_text_twenty_megabytes_finishes_in_seconds():
    text = _clean_article(72_000)
    assert len(text) > 20_000_000
    start = time.perf_counter()
    r = repair_text(text)
    elapsed = time.perf_counter() - start
    assert r.text is text
    assert elapsed < 20.0, elapsed  # ~5 s on a loaded 2-core machine


NOISY_LINE = "Officials said the Linethe border&nbsp;was \u201cclosed\u201d near Torkham. "


def test_repair_text_five_megabyte_single_line_with_noise():
    text = NOISY_LINE * 78_000
    assert len(text) > 5_000_000
    start = time.perf_counter()
    r = repair_text(text)
    elapsed = time.perf_counter() - start
    assert 'Line the border was "closed"' in r.text[:200]
    assert r.text.count("Line the") == 78_000
    assert elapsed < 20.0, elapsed


@pytest.mark.slow
def test_repair_text_twenty_megabyte_single_line_with_noise():
    text = NOISY_LINE * 310_000
    assert len(text) > 20_000_000
    start = time.perf_counter()
    r = repair_text(text)
    elapsed = time.perf_counter() - start
    assert r.text.count("Line the") == 310_000
    i = r.text.rindex("Torkham")
    s, e = r.span_to_original((i, i + 7))
    assert text[s:e] == "Torkham"
    assert elapsed < 60.0, elapsed
