"""``read_inputs``: paths, folders and stdin in; Documents and Rejected records out.

The format of a file comes from its extension; files without one, and stdin, are sniffed
from their first bytes. ``NAME.EXT.gz`` is read as ``NAME.EXT`` through gzip, streamed
like the plain file (whole-file formats are limited by their UNCOMPRESSED size). A file with an extension riftwatch does not read (``.pdf``,
``.docx``) is rejected, not guessed at.

Size limit (``max_bytes``): whole-file formats (text, JSON, HTML, feeds) over the limit are
rejected; line formats (JSON Lines, CSV/TSV) stream, and the limit applies to each line, so
a 10 GB JSONL corpus reads while a 20 MB single line in it is rejected.

Nothing is lost silently: every input, and every part of one, ends as a Document or a
Rejected with a reason. A file that yields neither (e.g. a JSONL file of blank lines) is
itself rejected.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from riftwatch.ingest import formats
from riftwatch.ingest.fields import FieldMap
from riftwatch.ingest.raw import (
    EXTENSIONS,
    HEAD_BYTES,
    PrefixedReader,
    binary_reason,
    decode_text,
    read_head,
    sniff_format,
    wide_encoding,
)
from riftwatch.ingest.records import Context, Options
from riftwatch.model import Document, Rejected

Item = Document | Rejected
STDIN = "-"
DEFAULT_MAX_BYTES = 50_000_000
_LINE_FORMATS = ("jsonl", "csv")


def read_inputs(
    paths: Iterable[str | Path],
    *,
    fields: FieldMap | None = None,
    published: dt.date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    source: str | None = None,
) -> Iterator[Document | Rejected]:
    """Read files, folders (recursively, in sorted order, hidden entries skipped) and ``-``
    (stdin), yielding each Document as soon as it is read and a Rejected for every input or
    part of one that cannot become a document.

    ``published`` is the date for documents whose own date is unknown (and the year for
    year-less datelines); ``source`` names the publisher of documents that do not.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    if max_bytes < 1:
        raise ValueError(f"max_bytes must be positive, not {max_bytes}")
    if isinstance(published, dt.datetime):
        published = published.date()
    options = Options(
        fields=fields or FieldMap(), published=published, max_bytes=max_bytes, source=source
    )
    for path in paths:
        if str(path) == STDIN:
            yield from _read_stdin(options)
        else:
            yield from _read_path(Path(path), str(path), options)


def _read_stdin(options: Options) -> Iterator[Item]:
    ctx = Context(STDIN, options)
    stdin = getattr(sys.stdin, "buffer", None)
    if stdin is None:
        yield ctx.reject(None, "stdin is not readable as bytes")
        return
    try:
        head = read_head(stdin)
    except OSError as e:
        yield ctx.reject(None, f"cannot read stdin: {e.strerror or e}")
        return
    stream = io.BufferedReader(PrefixedReader(head, stdin), buffer_size=HEAD_BYTES)
    yield from _read_stream(ctx, stream, head, fmt=None, tab=False)


def _read_path(path: Path, name: str, options: Options) -> Iterator[Item]:
    try:
        info = path.stat()
    except FileNotFoundError:
        yield Rejected(name, None, "no such file or directory")
        return
    except PermissionError:
        yield Rejected(name, None, "permission denied")
        return
    except OSError as e:
        yield Rejected(name, None, f"cannot read: {e.strerror or e}")
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _read_folder(path, name, options, seen=set())
    elif stat.S_ISREG(info.st_mode):
        yield from _read_file(path, name, info.st_size, options)
    else:
        yield Rejected(name, None, "not a regular file (a device, pipe or socket)")


def _read_folder(
    folder: Path, name: str, options: Options, seen: set[tuple[int, int]]
) -> Iterator[Item]:
    try:
        info = folder.stat()
        key = (info.st_dev, info.st_ino)
        if key in seen:
            return  # a symlink loop back into a folder already read
        seen.add(key)
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        yield Rejected(name, None, f"cannot list folder: {e.strerror or e}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = os.path.join(name, entry.name)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _read_folder(Path(entry.path), child, options, seen)
        else:
            yield from _read_path(Path(entry.path), child, options)


def _read_file(path: Path, name: str, size: int, options: Options) -> Iterator[Item]:
    ctx = Context(name, options)
    suffix = path.suffix.lower()
    compressed = suffix == ".gz"
    if compressed:
        suffix = Path(path.stem).suffix.lower()
    fmt = EXTENSIONS.get(suffix)
    if fmt is None and suffix and not _is_versionish(suffix):
        known = " ".join(sorted(EXTENSIONS))
        yield ctx.reject(
            None, f"unsupported file type {suffix!r} (riftwatch reads {known}, or no extension)"
        )
        return
    if size == 0:
        yield ctx.reject(None, "empty file")
        return
    if fmt not in (*_LINE_FORMATS, None) and size > options.max_bytes and not compressed:
        yield ctx.reject(None, _too_big(size, options.max_bytes))
        return
    try:
        with gzip.open(path, "rb") if compressed else open(path, "rb") as stream:
            head = read_head(stream)
            stream.seek(0)
            yield from _read_stream(ctx, stream, head, fmt=fmt, tab=suffix in (".tsv", ".tab"))
    except PermissionError:
        yield ctx.reject(None, "permission denied")
    except (OSError, EOFError, zlib.error) as e:  # gzip reports corrupt data as any of these
        what = "corrupt or truncated gzip data" if compressed else "read error"
        yield ctx.reject(None, f"{what}: {getattr(e, 'strerror', None) or e}")


def _is_versionish(suffix: str) -> bool:
    """``report.2023`` or ``notes.v2``: a dot in the name, not a file type."""
    return suffix[1:].isdigit()


def _read_stream(
    ctx: Context, stream: BinaryIO, head: bytes, *, fmt: str | None, tab: bool
) -> Iterator[Item]:
    if not head:
        yield ctx.reject(None, "empty file" if ctx.input != STDIN else "empty input")
        return
    reason = binary_reason(head, lenient=True)
    if reason is None and not head.strip() and len(head) < HEAD_BYTES:
        reason = "empty file (only whitespace)"
    if reason is None and fmt is None:
        fmt = sniff_format(head, ctx.options.fields.names("text"))
    if reason is None and fmt not in _LINE_FORMATS:
        reason = binary_reason(head)
    if reason is not None or fmt is None:
        yield ctx.reject(None, reason or "unknown format")
        return
    count = 0
    for item in _dispatch(ctx, stream, head, fmt, tab):
        count += 1
        yield item
    if count == 0:
        yield ctx.reject(None, f"no documents found in this {fmt} input")


def _dispatch(ctx: Context, stream: BinaryIO, head: bytes, fmt: str, tab: bool) -> Iterator[Item]:
    if fmt in ("jsonl", "csv") and wide_encoding(head):
        data = _read_limited(stream, ctx.options.max_bytes)  # UTF-16 lines: decode whole
        if data is None:
            yield ctx.reject(None, _too_big(None, ctx.options.max_bytes))
            return
        text, problem = decode_text(data)
        if text is None:
            yield ctx.reject(None, problem or "undecodable")
            return
        stream = io.BytesIO(text.encode("utf-8"))
    if fmt == "jsonl":
        yield from formats.read_jsonl(ctx, stream)
        return
    if fmt == "csv":
        yield from formats.read_csv(ctx, stream, tab=tab)
        return
    data = _read_limited(stream, ctx.options.max_bytes)
    if data is None:
        yield ctx.reject(None, _too_big(None, ctx.options.max_bytes))
        return
    reader = {
        "txt": formats.read_txt,
        "json": formats.read_json,
        "html": formats.read_html,
        "feed": formats.read_feed,
    }[fmt]
    yield from reader(ctx, data)


def _read_limited(stream: BinaryIO, limit: int) -> bytes | None:
    """All of the stream, or None when it holds more than ``limit`` bytes."""
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def _too_big(size: int | None, limit: int) -> str:
    what = f"{size:,} bytes" if size is not None else "more bytes"
    return f"input is {what}, over the size limit of {limit:,} bytes (max_bytes)"
