"""A fast token matcher for knowledge-base aliases over raw strings.

Why not spaCy's PhraseMatcher: the resolver must work on raw strings too (``resolve``, the
CLI, the gold evaluation, the pre-filter) and 100,000 resolutions must take seconds, so the
matcher runs on its own normalised word stream: words are maximal runs of letters/digits,
folded to lower case without accents. "U.S." becomes ``u s``, "Tehrik-i-Taliban" becomes
``tehrik i taliban``, "Pakistan's" becomes ``pakistan s``; aliases are normalised the same
way, so spelling variants in punctuation match for free.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower-case ``word`` and strip accents ("Bhutto-Zardarí" -> "bhutto-zardari")."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@dataclass(slots=True)
class Word:
    norm: str
    start: int
    end: int
    text: str

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def words(text: str) -> list[Word]:
    """The normalised word stream of ``text`` with character offsets."""
    low = text.lower()
    if len(low) != len(text):  # a case mapping that changes length ("İ"): word by word
        return [Word(fold(m.group()), m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    # one lower() for the whole text: folding word by word dominated the resolver's time
    out = []
    append = out.append
    for m in _WORD.finditer(text):
        s, e = m.span()
        w = low[s:e]
        append(Word(w if w.isascii() else fold(text[s:e]), s, e, text[s:e]))
    return out


def norm_key(alias: str) -> tuple[str, ...]:
    return tuple(fold(m.group()) for m in _WORD.finditer(alias))


@dataclass(frozen=True, slots=True)
class AliasInfo:
    """What an alias points at: an entry id and how it names it."""

    entry_id: str
    form: str
    """name | alias | adjective | demonym | capital | agent"""
    case: str
    """acronym (every word upper case) | proper (first word capitalised, in running text) |
    title (first word capitalised, always) | any"""
    titled: bool = False
    """The alias itself opens with a title ("President Karzai")."""


def case_rule(alias: str, form: str) -> str:
    letters = [c for c in alias if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) <= 8:
        return "acronym"
    if alias[:1].islower():
        return "any"
    if form == "agent":
        return "title"
    # agents written capitalised in the KB ("Major", "General") are titles only when
    # capitalised in the text: "a major attack" is no army officer
    return "proper"


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    """Index of the first word."""
    end: int
    """Index after the last word."""
    infos: tuple[AliasInfo, ...]


class AliasIndex:
    """Longest-match-first lookup of alias word sequences, keyed by their first word."""

    def __init__(self) -> None:
        self._by_first: dict[str, dict[tuple[str, ...], list[AliasInfo]]] = {}
        self._sorted: dict[str, list[int]] = {}
        self._fuzzy: dict[str, list[tuple[str, AliasInfo]]] = {}

    def add(self, alias: str, info: AliasInfo) -> None:
        key = norm_key(alias)
        if not key:
            return
        bucket = self._by_first.setdefault(key[0], {})
        infos = bucket.setdefault(key, [])
        if all(i.entry_id != info.entry_id or i.form != info.form for i in infos):
            # later-loaded entries (analyst files) come first, so they win ties
            infos.insert(0, info)
        self._sorted.pop(key[0], None)

    @property
    def first_words(self) -> frozenset[str]:
        return frozenset(self._by_first)

    def add_fuzzy(self, alias: str, info: AliasInfo) -> None:
        """Index a one-word alias (a country name, adjective or capital) for
        one-edit spelling variants ("Afganistan", "Ethopia", "Khatmandu")."""
        key = norm_key(alias)
        if len(key) != 1 or len(key[0]) < 6:
            return
        word = key[0]
        for variant in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
            self._fuzzy.setdefault(variant, []).append((word, info))

    def fuzzy(self, word: str) -> AliasInfo | None:
        """The alias within one edit of ``word`` (symmetric deletes), if exactly one."""
        if not self._fuzzy or len(word) < 6:
            return None
        found: dict[str, tuple[str, AliasInfo]] = {}
        for variant in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
            for target, info in self._fuzzy.get(variant, ()):
                if target[0] != word[0]:  # misspellings keep the first letter
                    continue
                best = found.get(info.entry_id)
                if best is None or abs(len(target) - len(word)) < abs(len(best[0]) - len(word)):
                    found[info.entry_id] = (target, info)
        if len(found) != 1:  # ambiguous between two entries: no guess
            return None
        return next(iter(found.values()))[1]

    def anchor_words(self, stop: frozenset[str]) -> frozenset[str]:
        """One word every alias must contain: its first word that is not a stop word.

        A sentence without any anchor word cannot hold an alias, which makes a cheap
        pre-filter with no false negatives ("the UN" is anchored on "un", not "the").
        """
        out = set()
        for bucket in self._by_first.values():
            for key in bucket:
                out.add(next((w for w in key if w not in stop), key[0]))
        return frozenset(out)

    def _lengths(self, first: str) -> list[int]:
        """Alias lengths (in words) starting with ``first``, longest first."""
        lengths = self._sorted.get(first)
        if lengths is None:
            lengths = sorted({len(k) for k in self._by_first.get(first, {})}, reverse=True)
            self._sorted[first] = lengths
        return lengths

    def scan(self, ws: list[Word], *, strict_case: bool) -> list[Match]:
        """Greedy longest matches, left to right, without overlaps."""
        return self._scan([w.norm for w in ws], [w.text for w in ws], strict_case)

    def scan_text(self, text: str, *, strict_case: bool) -> list[Match]:
        """``scan(words(text))`` for a caller that needs the matches alone: a long ASCII
        text (a document's lead) is read without building a ``Word`` per word."""
        if not text.isascii():
            ws = words(text)
            return self._scan([w.norm for w in ws], [w.text for w in ws], strict_case)
        # ASCII lower-casing keeps every character's length and class: the word streams
        # of the text and of its lower-cased copy align one to one
        return self._scan(_WORD.findall(text.lower()), _WORD.findall(text), strict_case)

    def _scan(self, norms: list[str], texts: list[str], strict_case: bool) -> list[Match]:
        out: list[Match] = []
        n = len(norms)
        by_first = self._by_first
        fuzzy = bool(self._fuzzy)
        # only words that start an alias or may be a misspelt one need a look: most do not
        starts = [j for j, w in enumerate(norms) if w in by_first or (fuzzy and len(w) >= 6)]
        end = 0
        for i in starts:
            if i < end:
                continue  # inside the previous match
            norm = norms[i]
            bucket = by_first.get(norm)
            if bucket is None:
                if texts[i][:1].isupper() and _rare(norm):
                    info = self.fuzzy(norm)
                    if info is not None:
                        out.append(Match(i, i + 1, (info,)))
                continue
            for k in self._lengths(norm):
                if i + k > n:
                    continue
                infos = bucket.get(tuple(norms[i : i + k]))
                if infos is None:
                    continue
                ok = tuple(inf for inf in infos if _case_ok(inf.case, texts, i, k, strict_case))
                if ok:
                    out.append(Match(i, i + k, ok))
                    end = i + k
                    break
        return out


@lru_cache(maxsize=65536)
def _rare(word: str) -> bool:
    """Not an ordinary English word (so a one-edit variant is likely a misspelling)."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a declared dependency
        return False
    return zipf_frequency(word, "en") < 2.5


def _case_ok(rule: str, texts: list[str], i: int, k: int, strict: bool) -> bool:
    if rule == "acronym":
        return all(t.isupper() or t.isdigit() for t in texts[i : i + k])
    if rule == "title" or (rule == "proper" and strict):
        return texts[i][:1].isupper()
    return True
