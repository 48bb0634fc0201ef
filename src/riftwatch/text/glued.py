"""Split words glued together by machine translation or scraping.

Translated pages lose the space where a link ended: the link's last word is glued to the
next word ("Durand Linethe border", "a sanctuarya successful attack"). A token is split
only when it is unknown to the English word list (wordfreq) AND it splits into two known
words with good evidence. Precision matters more than recall: a wrong split breaks a
name, a missed one merely leaves a rare token. Hence:

- protected names (data/text/glued_words.yaml) are never split;
- a capitalised token is split only when a lower-case function word is glued on
  ("Linethe" → "Line the"), since names are what capitalised unknown tokens usually are;
- two content words glued together ("keyrole") are NOT split (on real news such splits
  were mostly wrong: "brainchildren", "misspent", "stakeholdership"), except camel case
  ("borderPakistan", "KabulThe");
- single letters and word-ending-like function words ("a", "as", "an") need stronger
  evidence than "the" or "which".
"""

from __future__ import annotations

import re

from riftwatch.text.lexicon import GlueLists, english_frequencies, glue_lists
from riftwatch.text.offsets import Edit

# Thresholds on wordfreq zipf values (7 = "the"-frequent, 3 = once per million words).
RARE_TOKEN = 2.0  # a lower-case token at least this frequent is a real word: never split
ABSENT = 1.0  # below this a token is practically absent from the list (needed for weak cases)
KNOWN_PART = 3.0  # a word glued to a strong function word must be this frequent
COMMON_PART = 4.5  # ... and this frequent when it has only 3 letters ("warthe")
STRONG_PART = 3.5  # a word glued to a weak function word ("as", "its") must be this frequent
A_GLUED_LOWER = 3.5  # "xa": x must be a common word ("sanctuarya")
A_GLUED_TO_NAME = 4.0  # "Xa" capitalised: stricter, names often end in -a
PAIR_TOKEN_MAX = 3.5  # "ofthe", "inthe" are in web word lists, but below this

# Capitalised function words that start a sentence glued to a link ("KabulThe").
_TITLE_RIGHT_CAMEL = frozenset(
    {"the", "this", "these", "but", "however", "he", "she", "they", "according", "while"}
)
# Function words that may be glued after a capitalised word, and the subset allowed
# after an UNKNOWN capitalised word (a rare name: "Torkhamthe").
_TITLE_RIGHT = frozenset({"the", "of", "and", "that", "which", "from", "with", "their", "into"})
_TITLE_RIGHT_AFTER_UNKNOWN = frozenset({"the", "that", "which", "from", "with", "their"})
_NEEDS_STRONGER_LEFT = frozenset({"and", "of"})  # Durand, Roland; Romanof

# The first letter comes before the look-behind so the regex engine can skip ahead to
# letters quickly. Tokens touching dots followed by letters, slashes or "@" (URLs,
# e-mail addresses, file names) are not considered.
_TOKEN_RE = re.compile(r"[A-Za-z](?<![\w'./@:-][A-Za-z])[A-Za-z]{3,39}(?![\w'@/:-]|\.[A-Za-z])")
# "Kabul.The": a full stop after a lower-case word, then a capitalised word followed by a
# space or punctuation (not "News.Net)" or "Site.Com/").
_SENTENCE_GLUE_RE = re.compile(r"[.!?](?<=[a-z]{3}[.!?])(?=[A-Z][a-z]*(?:[\s,;:'\"]|\Z))")
_CAMEL_LOWER_RE = re.compile(r"([a-z]{3,})([A-Z][a-z]{2,})")
_CAMEL_TITLE_RE = re.compile(r"([A-Z][a-z]{2,})([A-Z][a-z]+)")
_CAPS_LOWER_RE = re.compile(r"([A-Z]{2,})([a-z]{2,})")

_CACHE: dict[str, int] = {}
_CACHE_MAX = 500_000
_CHUNK = 1 << 18


def split_point(token: str) -> int:
    """Where to insert a space in ``token`` (an index into it), or 0 to leave it whole."""
    cached = _CACHE.get(token)
    if cached is not None:
        return cached
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    cut = _split_point(token, glue_lists())
    _CACHE[token] = cut
    return cut


def _split_point(token: str, lists: GlueLists) -> int:
    low = token.lower()
    if low in lists.protected or not token.isascii() or not token.isalpha():
        return 0
    zipf = english_frequencies().zipf
    z_tok = zipf(low)
    if token.islower():
        return _split_lower(low, z_tok, lists, zipf)
    if token[0].isupper() and token[1:].islower():
        return _split_title(low, z_tok, lists, zipf)
    if z_tok > 0:
        return 0
    m = _CAMEL_LOWER_RE.fullmatch(token)
    if m and zipf(m.group(1)) >= KNOWN_PART and m.group(1) not in lists.blocked_prefixes:
        return len(m.group(1))
    m = _CAMEL_TITLE_RE.fullmatch(token)
    if m and m.group(2).lower() in _TITLE_RIGHT_CAMEL:
        return len(m.group(1))
    m = _CAPS_LOWER_RE.fullmatch(token)
    if m and m.group(2) in _TITLE_RIGHT:
        return len(m.group(1))
    return 0


def _split_lower(low: str, z_tok: float, lists: GlueLists, zipf) -> int:
    for right in lists.pair_right:
        if low.endswith(right) and low[: -len(right)] in lists.pair_left:
            return len(low) - len(right) if z_tok < PAIR_TOKEN_MAX else 0
    if z_tok >= RARE_TOKEN:
        return 0
    best = 0
    best_score = 0.0
    for i in range(2, len(low) - 1):
        left, right = low[:i], low[i:]
        if right in lists.strong_right:
            zl = zipf(left)
            ok = zl >= KNOWN_PART and (len(left) >= 4 or zl >= COMMON_PART)
            score = zl
        elif right in lists.weak_right:
            zl = zipf(left)
            ok = z_tok < ABSENT and len(left) >= 4 and zl >= STRONG_PART
            score = zl
        elif left in lists.strong_left:
            zr = zipf(right)
            ok = len(right) >= 4 and zr >= KNOWN_PART and right not in lists.blocked_suffixes
            score = zr
        else:
            continue
        if ok and score > best_score:
            best, best_score = i, score
    # A single "a" glued on ("sanctuarya"): the word before must be common.
    if not best and low.endswith("a") and z_tok < ABSENT and len(low) >= 6:
        if zipf(low[:-1]) >= A_GLUED_LOWER:
            best = len(low) - 1
    return best


def _split_title(low: str, z_tok: float, lists: GlueLists, zipf) -> int:
    if z_tok >= ABSENT:
        return 0
    for right in _TITLE_RIGHT:
        if not low.endswith(right) or len(low) - len(right) < 4:
            continue
        left = low[: -len(right)]
        need = STRONG_PART if right in _NEEDS_STRONGER_LEFT else KNOWN_PART
        if zipf(left) >= need or left in lists.protected:
            return len(left)
        if right in _TITLE_RIGHT_AFTER_UNKNOWN:
            return len(left)
    if low.endswith("a") and len(low) >= 7 and zipf(low[:-1]) >= A_GLUED_TO_NAME:
        return len(low) - 1
    return 0


def split_glued_words(text: str) -> tuple[str, list[Edit]]:
    """Insert a space inside glued tokens and after a full stop glued to a sentence
    ("Kabul.The"). Only tokens of 4-40 ASCII letters not touching other word characters,
    apostrophes, dots or slashes (URLs, e-mail addresses) are considered."""
    if not text:
        return text, []
    unique: set[str] = set()
    for start in range(0, len(text), _CHUNK):
        # Chunks overlap by 64 chars so no token is cut; duplicates do not matter.
        chunk_start = max(0, start - 64)
        unique.update(_TOKEN_RE.findall(text, chunk_start, start + _CHUNK))
    splits = {t: cut for t in unique if (cut := split_point(t))}
    inserts: list[int] = []
    if splits:
        # A pattern of just the glued tokens scans in C; the generic one is the fallback.
        if len(splits) <= 500:
            alternation = "|".join(sorted(map(re.escape, splits), key=len, reverse=True))
            finder = re.compile(r"(?<![\w'./@:-])(?:" + alternation + r")(?![\w'@/:-]|\.[A-Za-z])")
        else:
            finder = _TOKEN_RE
        inserts.extend(
            m.start() + splits[m.group(0)] for m in finder.finditer(text) if m.group(0) in splits
        )
    if "." in text or "!" in text or "?" in text:
        inserts.extend(m.end() for m in _SENTENCE_GLUE_RE.finditer(text))
    if not inserts:
        return text, []
    inserts = sorted(set(inserts))
    edits = [Edit(i, i, " ") for i in inserts]
    out: list[str] = []
    pos = 0
    for i in inserts:
        out.append(text[pos:i])
        out.append(" ")
        pos = i
    out.append(text[pos:])
    return "".join(out), edits
