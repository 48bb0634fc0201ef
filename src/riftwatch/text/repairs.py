"""The individual repair steps (all but glued words, see ``glued.py``).

Each step takes a text and returns ``(new_text, edits)`` where ``edits`` are the
replacements it made on its input, so ``repair_text`` can keep an offset map back to the
original. Each step has a fast path for the common case where it has nothing to do.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable

import ftfy

from riftwatch.text.offsets import Edit

StepResult = tuple[str, list[Edit]]

# --------------------------------------------------------------------------- helpers


def regex_edits(text: str, pattern: re.Pattern[str], repl: Callable[[str], str]) -> list[Edit]:
    """Edits replacing every match of ``pattern`` by ``repl(matched_text)`` where that
    differs. ``repl`` must depend on the matched text only: results are memoised, since
    hostile input repeats the same few matches millions of times."""
    edits: list[Edit] = []
    append = edits.append
    cache: dict[str, str] = {}
    for m in pattern.finditer(text):
        old = m.group()
        new = cache.get(old)
        if new is None:
            new = repl(old)
            if len(cache) < 10_000:
                cache[old] = new
        if new != old:
            start, end = m.span()
            append(Edit(start, end, new))
    return edits


def build(text: str, edits: list[Edit]) -> str:
    """The text after ``edits`` (sorted, non-overlapping)."""
    if not edits:
        return text
    out: list[str] = []
    pos = 0
    for e in edits:
        out.append(text[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def diff_edits(old: str, new: str, base: int) -> list[Edit]:
    """Edits turning ``old`` into ``new`` (offsets shifted by ``base``), in linear time.

    Fixes like ftfy's are local and keep plain spaces, so when both sides have the same
    number of spaces the words are aligned one to one and each changed word becomes one
    edit (its common prefix and suffix trimmed). Otherwise the changed middle becomes a
    single replacement: a coarser map, but never the quadratic cost of a general diff.
    """
    old_words = old.split(" ")
    new_words = new.split(" ")
    if len(old_words) != len(new_words):
        return _trimmed_edit(old, new, base)
    edits: list[Edit] = []
    pos = base
    for ow, nw in zip(old_words, new_words, strict=True):
        if ow != nw:
            edits.extend(_word_edits(ow, nw, pos))
        pos += len(ow) + 1
    return edits


def _word_edits(old: str, new: str, base: int) -> list[Edit]:
    """Edits within one word: difflib for short words (so "â€œstalledâ€" keeps "stalled"
    mapped letter for letter), a trimmed replacement for long ones."""
    if len(old) + len(new) > 200:
        return _trimmed_edit(old, new, base)
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [
        Edit(base + i1, base + i2, new[j1:j2])
        for tag, i1, i2, j1, j2 in sm.get_opcodes()
        if tag != "equal"
    ]


def _trimmed_edit(old: str, new: str, base: int) -> list[Edit]:
    """One edit replacing what lies between the common prefix and suffix."""
    p = 0
    n = min(len(old), len(new))
    while p < n and old[p] == new[p]:
        p += 1
    s = 0
    while s < n - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
        s += 1
    if p == len(old) and p == len(new):
        return []
    return [Edit(base + p, base + len(old) - s, new[p : len(new) - s])]


# --------------------------------------------------------------------------- mojibake

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # the HTML step does this, with offsets
    uncurl_quotes=False,  # the quote step does this, length-preserving
    fix_line_breaks=False,  # the whitespace step does this
    remove_control_chars=False,  # the whitespace step does this
    fix_character_width=False,
    normalization="NFC",
    explain=False,
)


# UTF-8 read as Latin-1/cp1252 always shows a lead byte \xc2-\xf4 as one of these
# characters (or a C1 control); lines without them are left to themselves.
_MOJIBAKE_HINT_RE = re.compile("[\u0080-\u009f\u00c2-\u00f4]")


def fix_mojibake(text: str) -> StepResult:
    """Undo mis-decoded UTF-8 ("Ã©", "â€™") with ftfy, piece by piece.

    ftfy can change the length, so each changed piece is diffed against its fixed form
    to get edits. Pieces are lines, and long lines are cut at spaces into pieces of about
    ``MOJIBAKE_PIECE`` characters (mojibake never spans a plain space), so the diff stays
    cheap and the map fine-grained. Pieces without a mojibake hint are skipped.
    """
    if text.isascii() or not _MOJIBAKE_HINT_RE.search(text):
        return text, []
    edits: list[Edit] = []
    budget = MOJIBAKE_BUDGET
    for start, end in _pieces(text, MOJIBAKE_PIECE):
        piece = text[start:end]
        if not _MOJIBAKE_HINT_RE.search(piece) or len(_BINARY_RE.findall(piece)) > 2:
            continue  # nothing to fix, or binary junk that ftfy would chew on slowly
        budget -= len(piece)
        if budget < 0:
            break
        fixed = ftfy.fix_text(piece, _FTFY_CONFIG)
        if fixed != piece:
            edits.extend(diff_edits(piece, fixed, start))
    return build(text, edits), edits


MOJIBAKE_PIECE = 2000
# ftfy costs ~0.1-1 s per MB of suspicious text; hostile input (MBs of random bytes read
# as Latin-1) would take minutes. Only this many suspicious characters per document are
# fixed; a real article is far shorter.
MOJIBAKE_BUDGET = 500_000
_BINARY_RE = re.compile("[\x00-\x08\x0e-\x1f]")


def _pieces(text: str, size: int):
    """(start, end) of lines, long lines cut after a space near every ``size`` chars."""
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        line_end = n if nl < 0 else nl
        while line_end - pos > size:
            cut = text.rfind(" ", pos + size // 2, pos + size)
            cut = pos + size if cut < 0 else cut + 1
            yield pos, cut
            pos = cut
        if line_end > pos:
            yield pos, line_end
        pos = line_end + 1


# --------------------------------------------------------------------------- HTML

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section table title tr ul".split()
)
_CELL_TAGS = frozenset({"td", "th"})
_DROP_CONTENT_TAGS = frozenset({"script", "style", "noscript", "template"})
_TAG_RE = re.compile(
    r"<!--|<!\[CDATA\[|<![A-Za-z][^<>]{0,500}>|</?([A-Za-z][A-Za-z0-9:-]{0,30})(?:[\s/][^<>]{0,4000})?>"
)
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def strip_tags(text: str) -> StepResult:
    """Remove leftover HTML tags, keeping their text; drop script/style bodies.

    Block-level tags become a newline so paragraphs stay apart; inline tags vanish (what
    a browser shows). Text that merely contains "<" (like "a < b") is left alone.
    """
    if "<" not in text:
        return text, []
    edits: list[Edit] = []
    pos = 0
    n = len(text)
    while True:
        m = _TAG_RE.search(text, pos)
        if m is None:
            break
        start = m.start()
        token = m.group(0)
        if token == "<!--":
            close = text.find("-->", m.end())
            end = n if close < 0 else close + 3
            edits.append(Edit(start, end, ""))
            pos = end
            continue
        if token == "<![CDATA[":
            close = text.find("]]>", m.end())
            end = n if close < 0 else close + 3
            edits.append(Edit(start, end, ""))
            pos = end
            continue
        name = (m.group(1) or "").lower()
        end = m.end()
        if name in _DROP_CONTENT_TAGS and not token.startswith("</"):
            close = _find_close(text, name, end)
            end = n if close < 0 else close
            edits.append(Edit(start, end, ""))
        elif name in _BLOCK_TAGS:
            edits.append(Edit(start, end, "\n"))
        elif name in _CELL_TAGS:
            edits.append(Edit(start, end, " "))
        else:
            edits.append(Edit(start, end, ""))
        pos = end
    return build(text, edits), edits


def _find_close(text: str, name: str, start: int) -> int:
    """End offset of the closing tag ``</name ...>`` after ``start``, or -1."""
    low = text.lower() if len(text) < 1_000_000 else None
    needle = "</" + name
    i = low.find(needle, start) if low is not None else _find_ci(text, needle, start)
    if i < 0:
        return -1
    gt = text.find(">", i)
    return len(text) if gt < 0 else gt + 1


def _find_ci(text: str, needle: str, start: int) -> int:
    m = re.compile(re.escape(needle), re.IGNORECASE).search(text, start)
    return -1 if m is None else m.start()


def unescape_entities(text: str) -> StepResult:
    """Decode HTML character references (&amp; &nbsp; &#39; &#x2019;); unknown ones stay."""
    if "&" not in text:
        return text, []
    edits = regex_edits(text, _ENTITY_RE, _unescape_one)
    return build(text, edits), edits


def _unescape_one(entity: str) -> str:
    out = html.unescape(entity)
    # A NUL or surrogate from a hostile "&#0;" is not text.
    if not out or any(c in "\x00\ufffd" or "\ud800" <= c <= "\udfff" for c in out):
        return ""
    return out


# --------------------------------------------------------------------------- paragraphs

_KEY_DELETE = str.maketrans(
    "",
    "",
    "".join(chr(c) for c in range(128) if not chr(c).isalnum())
    + "\u00a0\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb\u200b",
)
MIN_DUPLICATE_CHARS = 25  # shorter lines are never dropped
MIN_KEY_CHARS = 20  # ... nor lines with fewer letters and digits than this


def drop_repeated_paragraphs(text: str) -> StepResult:
    """Drop a paragraph (line) that repeats an earlier one, exactly or nearly.

    "Nearly" means equal after lower-casing and ignoring punctuation and spacing, which
    is how scrapers and translators duplicate paragraphs. Short lines (headings, bylines)
    are kept: repeating them is common and harmless.
    """
    if "\n" not in text:
        return text, []
    lines = text.split("\n")
    keys = [_paragraph_key(line) for line in lines if len(line) >= MIN_DUPLICATE_CHARS]
    if len(set(keys)) == len(keys):  # fast path: no repeats at all
        return text, []
    seen: set[str] = set()
    edits: list[Edit] = []
    pos = 0
    last = len(lines) - 1
    for idx, line in enumerate(lines):
        length = len(line)
        if length >= MIN_DUPLICATE_CHARS:
            key = _paragraph_key(line)
            if len(key) >= MIN_KEY_CHARS:
                if key in seen:
                    if idx < last:
                        edits.append(Edit(pos, pos + length + 1, ""))
                    elif pos > 0:  # last line: remove the newline before it instead
                        edits.append(Edit(pos - 1, pos + length, ""))
                else:
                    seen.add(key)
        pos += length + 1
    edits = _dedupe_overlaps(edits)
    return build(text, edits), edits


def _paragraph_key(line: str) -> str:
    """Comparison key: lower case, letters and digits only (``str.translate`` runs in C
    and is fast for ASCII, which matters on 20 MB inputs)."""
    return line.lower().translate(_KEY_DELETE)


def _dedupe_overlaps(edits: list[Edit]) -> list[Edit]:
    out: list[Edit] = []
    for e in edits:
        if out and e.start < out[-1].end:
            e = Edit(out[-1].end, e.end, "")
            if e.start >= e.end:
                continue
        out.append(e)
    return out


# --------------------------------------------------------------------------- whitespace

_HSPACE = " \t\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_NEWLINES = "\n\r\x0b\x0c\x85\u2028\u2029"
# Zero-width and bidi-control characters, C0/C1 controls, lone surrogates (which would
# make the text unencodable downstream).
_INVISIBLE = (
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad"
    "\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ud800-\udfff"
)
# A "cluster": two or more whitespace/invisible characters in a row, or one character
# that is not a plain space or "\n". A lone " " or "\n" (nearly all whitespace) never
# matches, which keeps the scan fast.
_WS_RE = re.compile(
    f"[{_HSPACE}{_NEWLINES}{_INVISIBLE}]{{2,}}|[\t\r\x0b\x0c\x85\u2028\u2029{_HSPACE[2:]}{_INVISIBLE}]"
)
_ALL_SPACE = (
    _HSPACE
    + _NEWLINES
    + "".join(map(chr, [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065)]))
    + "".join(map(chr, [*range(0x2066, 0x206A), 0xFEFF, 0xAD, *range(0xD800, 0xE000)]))
    + "".join(map(chr, [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)]))
)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]+")


def normalize_whitespace(text: str) -> StepResult:
    """Make whitespace plain: "\\r\\n" → "\\n", no zero-width or control characters,
    NBSP and exotic spaces → " ", runs of spaces → one, no spaces around a line break,
    at most one blank line in a row."""
    if text.isascii() and not _ascii_whitespace_work(text):
        return text, []
    edits = regex_edits(text, _WS_RE, _ws_replacement)
    lead = len(text) - len(text.lstrip(_ALL_SPACE))
    if lead:  # whitespace before the first word goes entirely
        edits = [Edit(0, lead, "")] + [e for e in edits if e.start >= lead]
    trail = len(text.rstrip(_ALL_SPACE))
    if trail < len(text) and trail >= lead:
        edits = [e for e in edits if e.end <= trail] + [Edit(trail, len(text), "")]
    return build(text, edits), edits


_ASCII_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _ascii_whitespace_work(text: str) -> bool:
    """Whether ASCII text has anything for this step (cheap C-level scans)."""
    if not text:
        return False
    return (
        text[0] in " \n\t\r"
        or text[-1] in " \n\t\r"
        or "  " in text
        or "\t" in text
        or "\r" in text
        or " \n" in text
        or "\n " in text
        or "\n\n\n" in text
        or _ASCII_CONTROL_RE.search(text) is not None
    )


def _ws_replacement(cluster: str) -> str:
    s = _INVISIBLE_RE.sub("", cluster)
    if not s:
        return ""
    s = s.replace("\r\n", "\n")
    newlines = sum(1 for c in s if c in _NEWLINES)
    if newlines == 0:
        return " "
    return "\n" if newlines == 1 else "\n\n"


# --------------------------------------------------------------------------- quotes

_QUOTES = tuple(
    [(c, "'") for c in "\u2018\u2019\u201a\u201b\u2032\u2039\u203a\u00b4\u0060\uff07"]
    + [(c, '"') for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u301d\u301e\uff02"]
)


def straighten_quotes(text: str) -> StepResult:
    """Curly and odd quotes (‘ ’ “ ” „ ″ « » ´ `) → ASCII ' and ". Length-preserving,
    so no edits are needed for the offset map."""
    if text.isascii() and "`" not in text:
        return text, []
    for odd, plain in _QUOTES:
        if odd in text:
            text = text.replace(odd, plain)
    return text, []
