"""Per-Doc values shared by the components (riftwatch.doccache). Texts written for these tests."""

from __future__ import annotations

from riftwatch.doccache import doc_text, token_forms

SENTENCE = "Border guards Detained 14 smugglers near the river crossing on Sunday."


def test_doc_text_is_the_docs_text(nlp):
    doc = nlp(SENTENCE)
    assert doc_text(doc) == doc.text == SENTENCE


def test_doc_text_is_built_once_per_doc(nlp):
    doc = nlp(SENTENCE)
    assert doc_text(doc) is doc_text(doc)


def test_token_forms_are_lower_cased_lemmas_and_forms_in_token_order(nlp):
    doc = nlp(SENTENCE)
    forms = token_forms(doc)
    assert forms.lowers == [t.lower_ for t in doc]
    assert forms.lemmas == [t.lemma_.lower() for t in doc]
    assert "detained" in forms.lowers and "Detained" not in forms.lowers


def test_token_forms_are_read_once_per_doc(nlp):
    doc = nlp(SENTENCE)
    first, again = token_forms(doc), token_forms(doc)
    assert first.lemmas is again.lemmas and first.lowers is again.lowers


def test_a_doc_with_cached_values_still_serialises(nlp):
    doc = nlp(SENTENCE)
    doc_text(doc), token_forms(doc)
    from spacy.tokens import Doc

    assert Doc(nlp.vocab).from_bytes(doc.to_bytes()).text == SENTENCE


def test_cached_values_are_not_shared_between_docs(nlp):
    first, second = nlp("Troops withdrew."), nlp("Protesters marched through the old city.")
    second.user_data.update(first.user_data)  # a copied user_data must not leak values
    doc_text(first), token_forms(first)
    second.user_data.update(first.user_data)
    assert doc_text(second) == second.text
    assert token_forms(second).lowers == [t.lower_ for t in second]
