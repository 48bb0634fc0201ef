"""Byte-level checks shared by every format: binary content, encodings, format sniffing.

Everything here works on the first bytes of an input (the "head") or on one line, so that
a hostile input (random bytes, a 20 MB line, a NUL-filled file) is judged cheaply and
rejected with a reason instead of being decoded and parsed.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from typing import BinaryIO

HEAD_BYTES = 65536
"""How much of an input is read up front to check and sniff it."""

UTF8_BOM = codecs.BOM_UTF8
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = b"\t\n\r\x0c\x0b\x1b\x08"
_CONTROL_BYTES = bytes(b for b in range(32) if bytes([b]) not in _TEXT_CONTROLS) + b"\x7f"
_CHARSET = re.compile(
    rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,200}?encoding\s*=\s*["'])([A-Za-z0-9_.:\-]{1,40})""",
    re.I,
)

EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}


class PrefixedReader(io.RawIOBase):
    """A raw stream that replays already-read ``head`` bytes before the rest of ``tail``.

    Lets stdin (which cannot seek) be sniffed and then streamed from its first byte.
    """

    def __init__(self, head: bytes, tail: BinaryIO) -> None:
        self._head = memoryview(head)
        self._tail = tail

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head.nbytes:
            n = min(len(buffer), self._head.nbytes)
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        chunk = self._tail.read(len(buffer))
        if not chunk:
            return 0
        buffer[: len(chunk)] = chunk
        return len(chunk)


def read_head(stream: BinaryIO, size: int = HEAD_BYTES) -> bytes:
    """Up to ``size`` bytes, looping over short reads (pipes)."""
    parts: list[bytes] = []
    remaining = size
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def wide_encoding(head: bytes) -> str | None:
    """``utf-16``/``utf-32`` when the input starts with such a byte-order mark."""
    for bom, name in _WIDE_BOMS:
        if head.startswith(bom):
            return name
    return None


def binary_reason(head: bytes, *, lenient: bool = False) -> str | None:
    """Why ``head`` looks like binary data rather than text, or None if it looks like text.

    Strict (whole-file formats): any NUL byte makes the file binary. Lenient (line formats,
    where a NUL in one line must not cost the other lines): only a head with many control
    bytes is binary; lines with a NUL are rejected one by one later.
    """
    if wide_encoding(head):
        return None
    nul = head.find(b"\x00")
    if nul >= 0 and not lenient:
        return f"binary file (NUL byte at offset {nul}); riftwatch reads text formats only"
    sample = head[:8192]
    if sample:
        controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if controls / len(sample) > (0.05 if lenient else 0.1):
            return (
                f"binary file ({controls} control bytes in the first {len(sample)}); "
                "riftwatch reads text formats only"
            )
    return None


def undecodable_reason(error: UnicodeDecodeError, offset: int, encoding: str = "UTF-8") -> str:
    bad = error.object[error.start : error.start + 4]
    if encoding != "UTF-8":  # declared by a byte-order mark, and still broken
        return f"not valid {encoding} at byte offset {offset} (bytes {bytes(bad)!r})"
    return (
        f"not valid UTF-8 at byte offset {offset} (bytes {bytes(bad)!r}) and no charset "
        "declared; convert the file to UTF-8"
    )


def decode_text(data: bytes) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason). UTF-8 strictly (a BOM is dropped), or UTF-16/32 when a
    byte-order mark declares it."""
    wide = wide_encoding(data)
    if wide:
        try:
            return data.decode(wide), None
        except UnicodeDecodeError as e:
            return None, undecodable_reason(e, e.start, wide.upper())
    skip = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    try:
        return data[skip:].decode("utf-8"), None
    except UnicodeDecodeError as e:
        return None, undecodable_reason(e, e.start + skip)


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first bytes, if any."""
    m = _CHARSET.search(head[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def sniff_format(head: bytes, text_names: tuple[str, ...]) -> str:
    """Guess the format of an input from its first bytes (stdin, files without extension)."""
    wide = wide_encoding(head)
    if wide:
        sample = head.decode(wide, "replace")[:4096]
    else:
        sample = head.removeprefix(UTF8_BOM)[:4096].decode("utf-8", "replace")
    stripped = sample.lstrip()
    low = stripped[:2048].lower()
    if stripped.startswith("<"):
        if "<rss" in low or "<feed" in low or "<rdf:rdf" in low:
            return "feed"
        if low.startswith("<?xml") and "<html" not in low:
            return "feed"
        return "html"
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        first = stripped.split("\n", 1)[0].strip()
        if len(first) >= 4000:
            return "jsonl"  # one long line: JSON Lines (or one record, read the same way)
        try:
            return "jsonl" if isinstance(json.loads(first), dict) else "json"
        except (ValueError, RecursionError):
            return "json"
    header = stripped.split("\n", 1)[0].strip()
    delimiter = guess_delimiter(header)
    if delimiter:
        names = {n.lower() for n in text_names}
        columns = [c.strip().strip('"').lower() for c in header.split(delimiter)]
        if len(columns) >= 2 and names.intersection(columns):
            return "csv"
    return "txt"


def guess_delimiter(header: str, prefer: str | None = None) -> str | None:
    """The delimiter of a CSV header line: the most frequent of tab , ; | (None if none)."""
    counts = {d: header.count(d) for d in ("\t", ",", ";", "|")}
    if prefer and counts.get(prefer):
        return prefer
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None
