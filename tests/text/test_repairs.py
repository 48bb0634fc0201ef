"""Each repair step alone, and its offsets (through repair_text's map)."""

from __future__ import annotations

import pytest

from riftwatch.text import repair_text
from riftwatch.text.repairs import (
    drop_repeated_paragraphs,
    fix_mojibake,
    normalize_whitespace,
    straighten_quotes,
    strip_tags,
    unescape_entities,
)

# ----------------------------------------------------------------------------- mojibake


def test_fix_mojibake_repairs_utf8_read_as_cp1252():
    bad = "The caf\u00c3\u00a9 was closed \u00e2\u20ac\u201d the owner fled."
    fixed, edits = fix_mojibake(bad)
    assert fixed == "The caf\u00e9 was closed \u2014 the owner fled."
    assert edits


def test_fix_mojibake_leaves_clean_accented_text_alone():
    text = "Le pr\u00e9sident a visit\u00e9 Kaboul \u2013 mardi."
    assert fix_mojibake(text) == (text, [])


def test_fix_mojibake_ascii_fast_path():
    text = "Plain ASCII text."
    out, edits = fix_mojibake(text)
    assert out is text and edits == []


def test_fix_mojibake_offsets_point_to_original_words(words_map_back):
    bad = "Talks in Doha \u00e2\u20ac\u0153stalled\u00e2\u20ac\x9d again, officials said."
    r = repair_text(bad)
    assert '"stalled"' in r.text
    words_map_back(r, ["Talks", "Doha", "stalled", "again", "officials"])


def test_fix_mojibake_on_a_very_long_line_keeps_a_fine_map():
    bad = "caf\u00c3\u00a9 open. " * 5000
    r = repair_text(bad)
    assert r.text.startswith("caf\u00e9 open.")
    assert sum(len(m) for m in r.maps) >= 1000  # not one coarse replacement
    i = r.text.rindex("open")
    s, e = r.span_to_original((i, i + 4))
    assert bad[s:e] == "open"


# ----------------------------------------------------------------------------- tags


def test_strip_tags_keeps_link_text():
    out, _ = strip_tags('See <a href="https://x.org/a?b=1&c=2">the report</a> now.')
    assert out == "See the report now."


def test_strip_tags_block_tags_become_line_breaks():
    out, _ = strip_tags("<p>First.</p><p>Second.<br/>Third.</p>")
    assert out.split() == ["First.", "Second.", "Third."]
    assert "First.\n" in out


def test_strip_tags_drops_script_and_style_contents():
    out, _ = strip_tags("A<script>var x = '<p>';alert(1)</script>B<style>p{color:red}</style>C")
    assert out == "ABC"


def test_strip_tags_unclosed_script_drops_rest():
    out, _ = strip_tags("Kept text.<script>for(;;){}")
    assert out == "Kept text."


def test_strip_tags_drops_comments():
    out, _ = strip_tags("a<!-- hidden -->b")
    assert out == "ab"


def test_strip_tags_leaves_comparisons_alone():
    text = "If a < b and c > d, then 3<4."
    assert strip_tags(text)[0] == text


def test_strip_tags_offsets(words_map_back):
    r = repair_text('<div><p>Militants <b>attacked</b> a <a href="/x">checkpoint</a>.</p></div>')
    assert r.text == "Militants attacked a checkpoint."
    words_map_back(r)


# ----------------------------------------------------------------------------- entities


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AT&amp;T", "AT&T"),
        ("it&#39;s", "it's"),
        ("a&nbsp;b", "a\xa0b"),
        ("&#x2019;", "\u2019"),
        ("&lt;p&gt;", "<p>"),
        ("&unknownentity;", "&unknownentity;"),
        ("Q&A session", "Q&A session"),
        ("&#0;x", "x"),
    ],
)
def test_unescape_entities(raw, expected):
    assert unescape_entities(raw)[0] == expected


def test_entities_decoded_after_tags_stay_text():
    assert repair_text("&lt;p&gt;kept&lt;/p&gt;").text == "<p>kept</p>"


def test_entities_offsets(words_map_back):
    r = repair_text("Trade&nbsp;talks &amp; border &quot;fencing&quot; resumed.")
    assert r.text == 'Trade talks & border "fencing" resumed.'
    words_map_back(r)
    i = r.text.index("&")
    assert r.span_to_original((i, i + 1)) == (17, 22)


# ----------------------------------------------------------------------------- paragraphs


PARA_A = "The ministry said the crossing would reopen on Monday after talks."
PARA_B = "Traders waited on both sides of the border for a third day."


def test_drop_repeated_paragraphs_exact():
    text = f"{PARA_A}\n{PARA_B}\n{PARA_A}\nEnd of story here."
    out, _ = drop_repeated_paragraphs(text)
    assert out == f"{PARA_A}\n{PARA_B}\nEnd of story here."


def test_drop_repeated_paragraphs_near_exact_case_and_punctuation():
    near = PARA_A.upper().replace(",", "").replace(".", " !")
    out, _ = drop_repeated_paragraphs(f"{PARA_A}\n\n{near}\n\n{PARA_B}")
    assert out.count("crossing") + out.count("CROSSING") == 1
    assert PARA_B in out


def test_drop_repeated_paragraphs_last_line():
    out, _ = drop_repeated_paragraphs(f"{PARA_A}\n{PARA_B}\n{PARA_A}")
    assert out == f"{PARA_A}\n{PARA_B}"


def test_drop_repeated_paragraphs_keeps_short_repeated_lines():
    text = f"Background\n{PARA_A}\nBackground\n{PARA_B}"
    assert drop_repeated_paragraphs(text)[0] == text


def test_drop_repeated_paragraphs_keeps_different_paragraphs():
    text = f"{PARA_A}\n{PARA_B}"
    assert drop_repeated_paragraphs(text) == (text, [])


def test_repeated_paragraph_offsets(words_map_back):
    original = f"{PARA_A}\n{PARA_A}\n{PARA_B}"
    r = repair_text(original)
    assert r.text == f"{PARA_A}\n{PARA_B}"
    i = r.text.index("Traders")
    assert r.span_to_original((i, i + 7)) == (
        original.index("Traders"),
        original.index("Traders") + 7,
    )
    words_map_back(r)


# ----------------------------------------------------------------------------- whitespace


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb", "a\nb"),
        ("a\u00a0b", "a b"),
        ("a\u200bb", "ab"),
        ("a\ufeffb", "ab"),
        ("a  \t b", "a b"),
        ("a \n b", "a\nb"),
        ("a\n\n\n\nb", "a\n\nb"),
        ("a\x00b", "ab"),
        ("a\u2003\u2003b", "a b"),
        ("a\u2028b", "a\nb"),
        ("a\tb", "a b"),
        ("a\ud800b", "ab"),
        ("\u202eevil\u202c code\u200f", "evil code"),
        ("a b\nc", "a b\nc"),
    ],
)
def test_normalize_whitespace(raw, expected):
    assert normalize_whitespace(raw)[0] == expected


def test_normalize_whitespace_clean_text_has_no_edits():
    assert normalize_whitespace("One line.\nTwo lines.\n\nThree.")[1] == []


def test_whitespace_offsets(words_map_back):
    r = repair_text("Kabul\r\n\r\n\r\nthe\u00a0\u00a0capital \u200bof  Afghanistan\x00.")
    assert r.text == "Kabul\n\nthe capital of Afghanistan."
    words_map_back(r)


# ----------------------------------------------------------------------------- quotes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u201cyes\u201d", '"yes"'),
        ("\u2018no\u2019", "'no'"),
        ("\u201eja\u201c", '"ja"'),
        ("\u00abnon\u00bb", '"non"'),
        ("6\u2033 tall", '6" tall'),
        ("Pakistan\u00b4s", "Pakistan's"),
        ("it\u2019s", "it's"),
    ],
)
def test_straighten_quotes(raw, expected):
    out, edits = straighten_quotes(raw)
    assert out == expected
    assert edits == []  # length-preserving
    assert len(out) == len(raw)


def test_quotes_offsets_identical(words_map_back):
    r = repair_text("He called it a \u201creal arm\u201d of the agency.")
    assert r.maps == ()
    words_map_back(r)
