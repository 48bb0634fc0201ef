"""Exact, faster stand-ins for two rule components of the spaCy English pipelines.

Why: profiling the parse of candidate sentences showed en_core_web_sm's
``attribute_ruler`` and ``lemmatizer`` costing a quarter of spaCy's time, more than the
dependency parser itself. Neither is a model: the attribute ruler runs spaCy's general
``Matcher`` (about 180 one- and two-token patterns, each tried at every token) to map
tags to universal POS and morphology; the lemmatizer walks the tokens one Python
``Token`` at a time. The stand-ins do the same work with hash lookups on
``Doc.to_array`` columns, and hand every decision that is not a lookup back to the
original component, so their output is identical token for token (tests compare them
with the originals on every attribute they set).

``accelerate(nlp)`` swaps them in when the pipeline's components are the ones this module
understands; with any pattern it cannot evaluate exactly, it leaves the pipeline alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

RULER_FACTORY = "riftwatch_attribute_ruler"
LEMMATIZER_FACTORY = "riftwatch_lemmatizer"

_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
"""The token attributes a pattern may test, and their column in the array read per Doc."""
_ARRAY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]


class Unsupported(ValueError):
    """A pattern uses a feature the fast matcher does not evaluate exactly."""


@dataclass(frozen=True)
class _Test:
    column: int
    kind: str  # "eq", "in", "not_in", "regex"
    value: Any


@dataclass(frozen=True)
class _Pattern:
    attr_id: int
    key: int
    tests: tuple[tuple[_Test, ...], ...]  # one tuple of tests per token of the pattern


def _compile_spec(spec: dict[str, Any], strings: Any) -> tuple[_Test, ...]:
    tests = []
    for name, value in spec.items():
        if name not in _COLUMNS:
            raise Unsupported(f"attribute {name}")
        col = _COLUMNS[name]
        if name == "IS_SPACE":
            if not isinstance(value, bool):
                raise Unsupported(f"IS_SPACE {value!r}")
            tests.append(_Test(col, "eq", int(value)))
        elif isinstance(value, str):
            tests.append(_Test(col, "eq", strings.add(value)))
        elif isinstance(value, dict) and len(value) == 1:
            op, arg = next(iter(value.items()))
            if op in ("IN", "NOT_IN") and all(isinstance(v, str) for v in arg):
                kind = "in" if op == "IN" else "not_in"
                tests.append(_Test(col, kind, frozenset(strings.add(v) for v in arg)))
            elif op == "REGEX" and isinstance(arg, str):
                tests.append(_Test(col, "regex", re.compile(arg)))
            else:
                raise Unsupported(f"{name} {op}")
        else:
            raise Unsupported(f"{name} {value!r}")
    return tuple(tests)


def _passes(tests: tuple[_Test, ...], row: Any, strings: Any) -> bool:
    for t in tests:
        v = row[t.column]
        if t.kind == "eq":
            if v != t.value:
                return False
        elif t.kind == "in":
            if v not in t.value:
                return False
        elif t.kind == "not_in":
            if v in t.value:
                return False
        elif not t.value.search(strings[v] if v else ""):
            return False
    return True


class FastAttributeRuler:
    """The attribute ruler's matching done with hash lookups; its setting done by it."""

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab
        self.ruler: Any = None
        self._by_column: list[dict[int, list[_Pattern]]] = []
        self._scan: list[_Pattern] = []

    def setup(self, ruler: Any) -> FastAttributeRuler:
        """Compile ``ruler``'s patterns; raises ``Unsupported`` if one cannot be."""
        strings = self.vocab.strings
        by_lower: dict[int, list[_Pattern]] = {}
        by_tag: dict[int, list[_Pattern]] = {}
        scan: list[_Pattern] = []
        for attr_id, entry in enumerate(ruler.patterns):
            key = strings.add(str(attr_id))
            for token_specs in entry["patterns"]:
                pattern = _Pattern(
                    attr_id, key, tuple(_compile_spec(s, strings) for s in token_specs)
                )
                first = {t.column: t for t in pattern.tests[0] if t.kind in ("eq", "in")}
                anchor = first.get(_COLUMNS["LOWER"]) or first.get(_COLUMNS["TAG"])
                if anchor is None:
                    scan.append(pattern)
                    continue
                index = by_lower if anchor.column == _COLUMNS["LOWER"] else by_tag
                values = [anchor.value] if anchor.kind == "eq" else sorted(anchor.value)
                for v in values:
                    index.setdefault(v, []).append(pattern)
        self.ruler = ruler
        self._by_column = [by_tag, by_lower]
        self._scan = scan
        return self

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """The matches ``AttributeRuler.match`` returns, in its order."""
        rows = doc.to_array(_ARRAY_ATTRS).tolist()
        strings = self.vocab.strings
        by_tag, by_lower = self._by_column
        n = len(rows)
        found = set()
        for i in range(n):
            row = rows[i]
            for pattern in (*by_tag.get(row[0], ()), *by_lower.get(row[1], ()), *self._scan):
                width = len(pattern.tests)
                if i + width > n:
                    continue
                if all(_passes(pattern.tests[k], rows[i + k], strings) for k in range(width)):
                    found.add((pattern.attr_id, pattern.key, i, i + width))
        return sorted(found)

    def __call__(self, doc: Doc) -> Doc:
        self.ruler.set_annotations(doc, self.match(doc))
        return doc


class FastLemmatizer:
    """spaCy's rule lemmatizer, memoised on what its answer depends on.

    ``rule_lemmatize`` is a function of a token's text, universal POS and morphology
    (spaCy caches it on the same key); the first token with a given key is lemmatised by
    the original component, every later one is a dictionary lookup over array columns.
    """

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab
        self.lemmatizer: Any = None
        self._memo: dict[tuple[int, int, int], int] = {}

    def setup(self, lemmatizer: Any) -> FastLemmatizer:
        if lemmatizer.mode != "rule" or lemmatizer.overwrite:
            raise Unsupported(f"lemmatizer mode {lemmatizer.mode!r}")
        self.lemmatizer = lemmatizer
        return self

    def __call__(self, doc: Doc) -> Doc:
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        memo = self._memo
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if not lemma:  # else set by the attribute ruler: the lemmatizer keeps it
                key = (orth, pos, morph)
                lemma = memo.get(key)
                if lemma is None:
                    lemma = self.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                    memo[key] = lemma
            lemmas.append(lemma)
        if lemmas:
            doc.from_array([LEMMA], np.array(lemmas, dtype=np.uint64))
        return doc


@Language.factory(RULER_FACTORY)
def _make_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    return FastAttributeRuler(nlp.vocab)


@Language.factory(LEMMATIZER_FACTORY)
def _make_lemmatizer(nlp: Language, name: str) -> FastLemmatizer:
    return FastLemmatizer(nlp.vocab)


def _swap(nlp: Language, name: str, factory: str, cls: Any) -> bool:
    if name not in nlp.pipe_names:
        return False
    original = nlp.get_pipe(name)
    try:
        cls(nlp.vocab).setup(original)  # fails here, before the pipeline is touched
    except Unsupported:
        return False
    nlp.replace_pipe(name, factory).setup(original)
    return True


def accelerate(nlp: Language) -> list[str]:
    """Swap in the fast components where they are exact; returns the names swapped."""
    plan = (
        ("attribute_ruler", RULER_FACTORY, FastAttributeRuler),
        ("lemmatizer", LEMMATIZER_FACTORY, FastLemmatizer),
    )
    return [name for name, factory, cls in plan if _swap(nlp, name, factory, cls)]
