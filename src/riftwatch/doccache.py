"""Per-sentence values every component reads, computed once per parsed Doc.

Why: spaCy rebuilds ``Doc.text`` from its tokens at every access and creates a new
``Token`` object at every index or iteration, so the resolver, the event detector, the
modality and date readers each paying for the same text and the same lemma list made up a
large share of the post-parse time. A Doc's text and annotations never change once
parsed, so the values are kept in ``doc.user_data`` (plain strings and lists: nothing
that refers back to the Doc, which would keep every sentence alive until the next garbage
collection). The length check guards against a different Doc reusing a copied
``user_data``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_TEXT_KEY = "riftwatch.text"
_FORMS_KEY = "riftwatch.forms"


def doc_text(doc: Any) -> str:
    """``doc.text``, built once per Doc."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is not None and cached[0] == len(doc):
        return cached[1]
    text = doc.text
    doc.user_data[_TEXT_KEY] = (len(doc), text)
    return text


@dataclass(frozen=True, slots=True)
class TokenForms:
    """Lower-cased lemma and form of every token of a Doc, in token order."""

    lemmas: list[str]
    lowers: list[str]


def token_forms(doc: Any) -> TokenForms:
    """The lower-cased lemmas and forms of ``doc``'s tokens, read once per Doc."""
    cached = doc.user_data.get(_FORMS_KEY)
    if cached is not None and len(cached[1]) == len(doc):
        return TokenForms(cached[0], cached[1])
    lemmas: list[str] = []
    lowers: list[str] = []
    for t in doc:
        lemmas.append(t.lemma_.lower())
        lowers.append(t.lower_)
    # plain lists in user_data: a Doc serialised with it (msgpack) stays serialisable
    doc.user_data[_FORMS_KEY] = (lemmas, lowers)
    return TokenForms(lemmas, lowers)
