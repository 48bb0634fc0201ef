"""``detect_language``: which language a document is in, cheaply and without a model.

Non-Latin scripts are told apart by their letters (Arabic-script languages by the
letters only Persian, Urdu or Pashto use). Latin-script languages are scored on their
most frequent words (``data/text/language_profiles.tsv``, from wordfreq). Only
lower-case words and sentence-initial capitalised words count, so a page of English full
of Pashto or Urdu names ("Tehreek-e-Taliban", "Al Qaeda", "Din") is still English: names
are capitalised, and hyphenated compounds are one token. Only the first few KB are read.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from riftwatch.text.lexicon import data_text, english_frequencies

SAMPLE_CHARS = 4096
MIN_LETTERS = 12  # fewer letters than this: "und"
UNDETERMINED = "und"

WORD_SAMPLE_CHARS = 1500  # words beyond this add little evidence

_ASCII_LETTERS_RE = re.compile(r"[A-Za-z]+")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# A capitalised word at the start of the text or of a sentence / quotation.
_SENTENCE_START_RE = re.compile(r"(?:\A|[.!?:;\"'\n\u201c\u00ab(])[ \t]*([^\W\d_][^\W\d_]*)")

# Script of a code point, by block (first match wins).
_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "latin"),
    (0x1E00, 0x1EFF, "latin"),
    (0x0370, 0x03FF, "greek"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x08A0, 0x08FF, "arabic"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0x0900, 0x097F, "devanagari"),
    (0x0980, 0x09FF, "bengali"),
    (0x0E00, 0x0E7F, "thai"),
    (0x1100, 0x11FF, "hangul"),
    (0xAC00, 0xD7AF, "hangul"),
    (0x3040, 0x309F, "kana"),
    (0x30A0, 0x30FF, "kana"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
)
_SCRIPT_LANGUAGE = {
    "greek": "el",
    "hebrew": "he",
    "devanagari": "hi",
    "bengali": "bn",
    "thai": "th",
    "hangul": "ko",
}
# Letters that only some Arabic-script languages use.
_PASHTO_LETTERS = frozenset("ټډړږښځڅڼېۍ")
_URDU_LETTERS = frozenset("ٹڈڑںےۓ")
_PERSIAN_LETTERS = frozenset("پچژگکی")  # shared by Urdu and Pashto too
_ARABIC_LETTERS = frozenset("ةىكي")  # Arabic kaf/yeh and ta marbuta
_UKRAINIAN_LETTERS = frozenset("їєґЇЄҐ")


@lru_cache(maxsize=1)
def _profiles() -> dict[str, dict[str, float]]:
    profiles: dict[str, dict[str, float]] = {}
    for line in data_text("language_profiles.tsv").splitlines():
        if not line or line.startswith("#"):
            continue
        lang, word, zipf = line.split("\t")
        profiles.setdefault(lang, {})[word] = float(zipf)
    return profiles


@lru_cache(maxsize=1)
def _word_index() -> dict[str, tuple[tuple[str, float], ...]]:
    """word -> ((language, zipf), ...) over all profiles."""
    index: dict[str, list[tuple[str, float]]] = {}
    for lang, words in _profiles().items():
        for w, z in words.items():
            index.setdefault(w, []).append((lang, z))
    return {w: tuple(v) for w, v in index.items()}


def _script_counts(sample: str) -> Counter[str]:
    """Letters per script. ASCII letters are counted in one C-level pass; only the
    non-ASCII letters are looked up one by one."""
    counts: Counter[str] = Counter()
    ascii_letters = len(sample) - len(_ASCII_LETTERS_RE.sub("", sample))
    if ascii_letters:
        counts["latin"] = ascii_letters
    for run in _NON_ASCII_RE.findall(sample):
        for ch in run:
            if not ch.isalpha():
                continue
            cp = ord(ch)
            for lo, hi, script in _SCRIPT_RANGES:
                if lo <= cp <= hi:
                    counts[script] += 1
                    break
            else:
                counts["other"] += 1
    return counts


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language ("en", "fr", "ps", ...), or "und" when the
    text is too short or matches no known language well enough."""
    if not text:
        return UNDETERMINED
    sample = text[:SAMPLE_CHARS]
    counts = _script_counts(sample)
    letters = sum(counts.values())
    if letters < MIN_LETTERS:
        return UNDETERMINED
    script, n = counts.most_common(1)[0]
    if script == "latin" and n * 2 >= letters:
        return _latin_language(sample)
    if script == "arabic":
        return _arabic_language(sample)
    if script == "cyrillic":
        return "uk" if any(c in _UKRAINIAN_LETTERS for c in sample) else "ru"
    if script in ("han", "kana"):
        return "ja" if counts["kana"] * 10 >= counts["han"] + counts["kana"] else "zh"
    return _SCRIPT_LANGUAGE.get(script, UNDETERMINED)


def _arabic_language(sample: str) -> str:
    chars = Counter(sample)
    pashto = sum(chars[c] for c in _PASHTO_LETTERS)
    urdu = sum(chars[c] for c in _URDU_LETTERS)
    persian = sum(chars[c] for c in _PERSIAN_LETTERS)
    arabic = sum(chars[c] for c in _ARABIC_LETTERS)
    if pashto and pashto >= urdu:
        return "ps"
    if urdu:
        return "ur"
    if persian > arabic:
        return "fa"
    return "ar"


def _counted_words(sample: str) -> list[str]:
    """Lower-case words, plus capitalised words that start a sentence (lower-cased).

    Hyphenated compounds are one token ("Tehreek-e-Taliban"), so their pieces never
    count as function words of another language.
    """
    words = [w for w in _WORD_RE.findall(sample) if w.islower()]
    words.extend(
        w.lower()
        for w in _SENTENCE_START_RE.findall(sample)
        if w[0].isupper() and (len(w) == 1 or w[1:].islower())
    )
    return words


def latin_scores(words: list[str]) -> dict[str, float]:
    """Sum of profile zipf values of ``words``, per language."""
    index = _word_index()
    scores: dict[str, float] = {}
    for w in words:
        for lang, z in index.get(w, ()):
            scores[lang] = scores.get(lang, 0.0) + z
    return scores


def _latin_language(sample: str) -> str:
    words = _counted_words(sample[:WORD_SAMPLE_CHARS])
    if not words:
        return UNDETERMINED
    scores = latin_scores(words)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    if ranked:
        best, best_score = ranked[0]
        second_score = ranked[1][1] if len(ranked) > 1 else 0.0
        clear = best_score >= 12.0 and best_score >= 1.15 * second_score
        if clear:
            return best
        if best == "en" or _looks_english(words):
            return "en"
        return best if best_score >= 12.0 else UNDETERMINED
    return "en" if _looks_english(words) else UNDETERMINED


def _looks_english(words: list[str]) -> bool:
    """Weak-evidence fallback: most words are common English words."""
    zipf = english_frequencies().zipf
    known = sum(1 for w in words if zipf(w) >= 3.0)
    return known >= 2 and known >= 0.75 * len(words)
