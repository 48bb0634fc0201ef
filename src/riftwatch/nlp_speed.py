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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

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


def _column_mask(test: _Test, rows: np.ndarray, strings: Any) -> np.ndarray:
    """Which rows pass one test: a vector operation over the batch's array."""
    values = rows[:, test.column]
    if test.kind == "eq":
        return values == np.uint64(test.value)
    if test.kind in ("in", "not_in"):
        hit = np.isin(values, np.fromiter(test.value, dtype=np.uint64, count=len(test.value)))
        return hit if test.kind == "in" else ~hit
    # a regular expression: tried once per distinct string of the batch, not per token
    unique, inverse = np.unique(values, return_inverse=True)
    passes = np.fromiter(
        (bool(test.value.search(strings[int(v)] if v else "")) for v in unique),
        dtype=bool,
        count=len(unique),
    )
    return passes[inverse]


class FastAttributeRuler:
    """The attribute ruler's matching done as array operations; its setting done by it.

    Every pattern is evaluated over the token arrays of a whole batch of documents at
    once (one comparison per test and batch, instead of a Python loop per token and
    pattern); a match may not cross from one document into the next.
    """

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab
        self.ruler: Any = None
        self._patterns: list[_Pattern] = []

    def setup(self, ruler: Any) -> FastAttributeRuler:
        """Compile ``ruler``'s patterns; raises ``Unsupported`` if one cannot be."""
        strings = self.vocab.strings
        patterns = []
        for attr_id, entry in enumerate(ruler.patterns):
            key = strings.add(str(attr_id))
            for token_specs in entry["patterns"]:
                tests = tuple(_compile_spec(s, strings) for s in token_specs)
                if not tests or not all(tests):
                    raise Unsupported("a pattern with an empty token")
                patterns.append(_Pattern(attr_id, key, tests))
        self.ruler = ruler
        self._patterns = patterns
        return self

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """The matches ``AttributeRuler.match`` returns, in its order."""
        return self.match_many([doc])[0]

    def match_many(self, docs: Sequence[Doc]) -> list[list[tuple[int, int, int, int]]]:
        """``match`` for each of ``docs``, computed over their arrays together."""
        arrays = [doc.to_array(_ARRAY_ATTRS).reshape(-1, len(_ARRAY_ATTRS)) for doc in docs]
        lengths = np.array([len(a) for a in arrays], dtype=np.int64)
        n = int(lengths.sum())
        found: list[set[tuple[int, int, int, int]]] = [set() for _ in docs]
        if n == 0:
            return [[] for _ in docs]
        rows = np.concatenate(arrays)
        starts = np.cumsum(lengths) - lengths
        doc_of = np.repeat(np.arange(len(docs)), lengths)
        doc_end = np.repeat(starts + lengths, lengths)
        strings = self.vocab.strings
        tested: dict[_Test, np.ndarray] = {}
        position = np.arange(n)

        def mask(tests: tuple[_Test, ...]) -> np.ndarray:
            out = None
            for t in tests:
                m = tested.get(t)
                if m is None:
                    m = tested[t] = _column_mask(t, rows, strings)
                out = m if out is None else out & m
            assert out is not None
            return out

        for pattern in self._patterns:
            width = len(pattern.tests)
            size = n - width + 1
            if size <= 0:
                continue
            ok = mask(pattern.tests[0])[:size]
            for k in range(1, width):
                ok = ok & mask(pattern.tests[k])[k : k + size]
            if width > 1:
                ok = ok & (position[:size] + width <= doc_end[:size])
            for i in np.flatnonzero(ok).tolist():
                d = int(doc_of[i])
                local = i - int(starts[d])
                found[d].add((pattern.attr_id, pattern.key, local, local + width))
        return [sorted(f) for f in found]

    def __call__(self, doc: Doc) -> Doc:
        self.ruler.set_annotations(doc, self.match(doc))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size):
            for doc, matches in zip(batch, self.match_many(batch), strict=True):
                self.ruler.set_annotations(doc, matches)
                yield doc


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
        _index_word_lists(lemmatizer.lookups)
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


class _WordList(list):
    """A list whose ``in`` is a set lookup: same contents, same order, same equality.

    The rule lemmatizer asks whether each candidate form is ``in`` the part of speech's
    word list, a plain list of up to 57,000 words in the English tables: a linear scan,
    about 0.2 ms per new word, which made lemmatising the larger part of the parse's
    rule work. Still a ``list``, so the tables serialise as before.
    """

    def __init__(self, words: Any) -> None:
        super().__init__(words)
        self._set = frozenset(self)

    def __contains__(self, item: object) -> bool:
        try:
            return item in self._set
        except TypeError:  # unhashable: compare as a list does
            return super().__contains__(item)


def _index_word_lists(lookups: Any) -> None:
    if not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key, words in list(table.items()):
        if type(words) is list:
            table[key] = _WordList(words)


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
