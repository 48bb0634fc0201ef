"""One reader per input format.

Line formats (JSON Lines, CSV/TSV) are STREAMED from a binary stream: one line (or row) in
memory at a time, ``max_bytes`` limiting each line, so a corpus of any size reads at disk
speed. Whole-file formats (plain text, JSON, HTML, feeds) get the file's bytes, which the
caller has already limited to ``max_bytes``.

Readers yield a Rejected for each bad part and carry on with the rest; they never raise for
bad data. Third-party parsers (trafilatura, feedparser) are called inside a broad ``except``
because on hostile input their failures are data problems, not riftwatch bugs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from riftwatch.ingest.htmltext import html_to_text
from riftwatch.ingest.raw import (
    HEAD_BYTES,
    UTF8_BOM,
    declared_charset,
    decode_text,
    guess_delimiter,
    line_of,
    undecodable_reason,
)
from riftwatch.ingest.records import Context, from_record, make_document, scalar_text, shown
from riftwatch.model import Document, Rejected

Item = Document | Rejected

_NUL = b"\x00"
_DEEP = "JSON nested too deeply to read (over about 1,000 levels)"
_CONTAINER_KEYS = (
    "articles",
    "documents",
    "docs",
    "items",
    "entries",
    "records",
    "stories",
    "posts",
    "news",
    "results",
    "data",
    "rows",
    "hits",
)


# --- JSON Lines ----------------------------------------------------------------------


def read_jsonl(ctx: Context, stream: BinaryIO) -> Iterator[Item]:
    """JSON Lines: one object per line; a bad line is rejected, the others are kept."""
    limit = ctx.options.max_bytes
    offset = 0
    lineno = 0
    loads = json.loads
    fields = ctx.options.fields
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        lineno += 1
        start = offset
        offset += len(raw)
        if len(raw) > limit and not raw.endswith(b"\n"):
            offset += _skip_rest_of_line(stream)
            yield ctx.reject(f"line {lineno}", f"line is over the size limit of {limit:,} bytes")
            continue
        if lineno == 1 and raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM) :]
            start += len(UTF8_BOM)
        if not raw.strip():
            continue
        try:
            record = loads(raw)
        except RecursionError:
            yield ctx.reject(f"line {lineno}", _DEEP)
            continue
        except UnicodeDecodeError as e:
            yield ctx.reject(f"line {lineno}", undecodable_reason(e, start + e.start))
            continue
        except ValueError as e:  # JSONDecodeError
            yield ctx.reject(f"line {lineno}", _line_problem(raw, start, e))
            continue
        if not isinstance(record, dict):
            yield ctx.reject(
                f"line {lineno}", f"expected a JSON object, got a {type(record).__name__}"
            )
            continue
        if fields.values(record)["text"][0] is None:
            items = _find_container(record)
            if items is not None:  # a one-line JSON envelope {"articles": [...]}
                yield from _json_items(ctx, items)
                continue
        yield from_record(ctx, record, f"line {lineno}")


def _skip_rest_of_line(stream: BinaryIO) -> int:
    skipped = 0
    while True:
        chunk = stream.readline(1 << 20)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _line_problem(raw: bytes, start: int, error: ValueError) -> str:
    nul = raw.find(b"\x00")
    if nul >= 0:
        return f"NUL byte at byte offset {start + nul}: binary data, not a JSON line"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return undecodable_reason(e, start + e.start)
    if isinstance(error, json.JSONDecodeError):
        return f"malformed JSON: {error.msg} (column {error.colno})"
    return f"malformed JSON: {error}"


# --- JSON ----------------------------------------------------------------------------


def read_json(ctx: Context, data: bytes) -> Iterator[Item]:
    """A JSON array of objects, one object, or an object holding a list of objects."""
    text, problem = decode_text(data)
    if text is None:
        yield ctx.reject(None, problem or "undecodable")
        return
    try:
        value = json.loads(text)
    except RecursionError:
        yield ctx.reject(None, _DEEP)
        return
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and text.lstrip().startswith("{"):
            # Several objects, one per line: JSON Lines saved as .json.
            yield from _jsonl_from_text(ctx, text)
            return
        yield ctx.reject(
            f"line {e.lineno}", f"malformed JSON: {e.msg} (line {e.lineno}, column {e.colno})"
        )
        return
    yield from _json_value(ctx, value)


def _jsonl_from_text(ctx: Context, text: str) -> Iterator[Item]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except RecursionError:
            yield ctx.reject(f"line {lineno}", _DEEP)
            continue
        except json.JSONDecodeError as e:
            yield ctx.reject(f"line {lineno}", f"malformed JSON: {e.msg} (column {e.colno})")
            continue
        if isinstance(record, dict):
            yield from_record(ctx, record, f"line {lineno}")
        else:
            yield ctx.reject(
                f"line {lineno}", f"expected a JSON object, got a {type(record).__name__}"
            )


def _json_value(ctx: Context, value: Any) -> Iterator[Item]:
    fm = ctx.options.fields
    if isinstance(value, list):
        yield from _json_items(ctx, value)
        return
    if isinstance(value, dict):
        if fm.find(value, "text")[0] is not None:
            yield from_record(ctx, value, None)
            return
        items = _find_container(value)
        if items is not None:
            yield from _json_items(ctx, items)
            return
        keys = shown(value)
        yield ctx.reject(
            None,
            f"JSON object has no text field (looked for {fm.describe('text')}) and no list "
            f"of documents (looked for {', '.join(_CONTAINER_KEYS[:6])}, ...); its keys: {keys}",
        )
        return
    yield ctx.reject(
        None, f"expected a JSON array or object of documents, got a {type(value).__name__}"
    )


def _find_container(value: Mapping[str, Any], depth: int = 0) -> list[Any] | None:
    for key in _CONTAINER_KEYS:
        found = value.get(key)
        if isinstance(found, list):
            return found
    for found in value.values():
        if isinstance(found, list) and found and all(isinstance(v, dict) for v in found[:5]):
            return found
    if depth < 2:
        for found in value.values():
            if isinstance(found, dict):
                inner = _find_container(found, depth + 1)
                if inner is not None:
                    return inner
    return None


def _json_items(ctx: Context, items: list[Any]) -> Iterator[Item]:
    if not items:
        yield ctx.reject(None, "JSON array is empty: no documents")
        return
    for n, item in enumerate(items, start=1):
        location = f"item {n}"
        if isinstance(item, dict):
            yield from_record(ctx, item, location)
        elif isinstance(item, str):
            yield make_document(ctx, item, location=location)
        else:
            yield ctx.reject(location, f"expected a JSON object, got a {type(item).__name__}")


# --- plain text ----------------------------------------------------------------------

_HEADER = re.compile(r"[ \t]*([A-Za-z][A-Za-z _\-]{0,30}?)[ \t]*:[ \t]*(.*?)[ \t\r]*$")
_HEADER_ROLES = ("title", "date", "source", "url", "id", "language")
_MAX_HEADER_LINES = 12


def read_txt(ctx: Context, data: bytes) -> Iterator[Item]:
    """Plain text, with optional ``Title:``/``Date:``/``Source:``/``URL:`` header lines."""
    text, problem = decode_text(data)
    if text is None:
        yield ctx.reject(_undecodable_line(data, problem), problem or "undecodable")
        return
    if not text.strip():
        yield ctx.reject(None, "empty file (only whitespace)")
        return
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        yield ctx.reject(f"line {line}", "NUL character in the text: binary data, not text")
        return
    headers, body = split_headers(text, ctx)
    if not body.strip():
        yield ctx.reject(None, "no text after the header lines")
        return
    yield make_document(
        ctx,
        body,
        location=None,
        id=headers.get("id"),
        title=headers.get("title"),
        date_value=headers.get("date"),
        url=headers.get("url"),
        source=headers.get("source"),
        language=headers.get("language"),
    )


def split_headers(text: str, ctx: Context) -> tuple[dict[str, str], str]:
    """Header lines at the very top (``Key: value`` with a known key), then the body.

    The header block ends at the first blank line or the first line that is not a known
    header, so a body opening with "PESHAWAR: ..." stays body.
    """
    fm = ctx.options.fields
    keys = {
        name.lower().replace("_", " "): role for role in _HEADER_ROLES for name in fm.names(role)
    }
    keys.update({role: role for role in _HEADER_ROLES})  # Title:, Date:, ... always work
    keys.update({"link": "url", "published": "date", "headline": "title"})
    headers: dict[str, str] = {}
    pos = 0
    lines = text.split("\n", _MAX_HEADER_LINES)
    for line in lines[:_MAX_HEADER_LINES]:
        m = _HEADER.match(line)
        role = keys.get(m.group(1).lower().replace("_", " ").replace("-", " ")) if m else None
        if m is None or role is None:
            break
        headers.setdefault(role, m.group(2))
        pos += len(line) + 1
    if not headers:
        return {}, text
    return {k: v for k, v in headers.items() if v}, text[pos:]


def _undecodable_line(data: bytes, problem: str | None) -> str | None:
    m = re.search(r"byte offset (\d+)", problem or "")
    return f"line {line_of(data, int(m.group(1)))}" if m else None


# --- CSV / TSV -----------------------------------------------------------------------


def read_csv(ctx: Context, stream: BinaryIO, *, tab: bool = False) -> Iterator[Item]:
    """CSV/TSV with a header row; the delimiter is sniffed from the header line."""
    limit = ctx.options.max_bytes
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)  # the default (128 KiB) is shorter than long articles
    problems: list[Rejected] = []
    lines = _decoded_lines(ctx, stream, problems)
    header_line = next(lines, None)
    while header_line is not None and not header_line.strip():
        header_line = next(lines, None)
    if header_line is None:
        yield from problems
        yield ctx.reject(None, "empty CSV file (no header row)")
        return
    delimiter = guess_delimiter(header_line, "\t" if tab else None) or ","
    header = next(csv.reader([header_line], delimiter=delimiter))
    fm = ctx.options.fields
    text_col = fm.column(header, "text")
    if text_col is None:
        yield from problems
        yield ctx.reject(
            "row 1",
            f"CSV has no text column (looked for {fm.describe('text')}; header: {shown(header)}, "
            f"read with delimiter {delimiter!r}); name it with --field text=COLUMN",
        )
        return
    columns = [h.strip() for h in header]
    reader = csv.reader(lines, delimiter=delimiter)
    row_no = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            row_no += 1
            yield from _drain(problems)
            yield ctx.reject(f"row {row_no}", f"unreadable CSV row: {e}")
            continue
        row_no += 1
        yield from _drain(problems)
        if not row or not any(cell.strip() for cell in row):
            continue
        size = sum(len(cell) for cell in row)
        if size > limit:
            yield ctx.reject(
                f"row {row_no}", f"row is over the size limit of {limit:,} bytes ({size:,})"
            )
            continue
        if len(row) <= text_col:
            yield ctx.reject(
                f"row {row_no}",
                f"row has {len(row)} fields but the text column is number {text_col + 1}",
            )
            continue
        record = dict(zip(columns, row, strict=False))
        record = {k: (v if v != "" else None) for k, v in record.items()}
        record[columns[text_col]] = row[text_col]
        yield from_record(ctx, record, f"row {row_no}")
    yield from _drain(problems)


def _drain(problems: list[Rejected]) -> Iterator[Rejected]:
    while problems:
        yield problems.pop(0)


def _decoded_lines(ctx: Context, stream: BinaryIO, problems: list[Rejected]) -> Iterator[str]:
    """Lines of the stream as text; an undecodable or over-long line becomes a problem (and
    is skipped) instead of ending the file."""
    limit = ctx.options.max_bytes
    offset = 0
    lineno = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        lineno += 1
        start = offset
        offset += len(raw)
        if len(raw) > limit and not raw.endswith(b"\n"):
            offset += _skip_rest_of_line(stream)
            problems.append(
                ctx.reject(f"line {lineno}", f"line is over the size limit of {limit:,} bytes")
            )
            continue
        if lineno == 1 and raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM) :]
            start += len(UTF8_BOM)
        if b"\x00" in raw:
            problems.append(
                ctx.reject(
                    f"line {lineno}",
                    f"NUL byte at byte offset {start + raw.find(_NUL)}: binary data",
                )
            )
            continue
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append(ctx.reject(f"line {lineno}", undecodable_reason(e, start + e.start)))


# --- HTML ----------------------------------------------------------------------------


def read_html(ctx: Context, data: bytes) -> Iterator[Item]:
    """An HTML page: main text via trafilatura (boilerplate dropped), title/date/url/site
    from its metadata."""
    html = _decode_markup(ctx, data)
    if isinstance(html, Rejected):
        yield html
        return
    try:
        import trafilatura

        result = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_recall=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # trafilatura/lxml failures on hostile markup are data problems
        yield ctx.reject(None, f"HTML could not be parsed: {type(e).__name__}: {e}")
        return
    text = _attr(result, "text")
    if not text:
        # trafilatura finds no main text in bare fragments ("<p>...</p>"); keep their
        # visible text when it is more than a few words (not just a menu).
        visible = html_to_text(html)
        text = visible if len(visible.split()) >= _MIN_FALLBACK_WORDS else None
    if not text or not text.strip():
        yield ctx.reject(
            None, "no main text found in the HTML page (only scripts, navigation or boilerplate)"
        )
        return
    yield make_document(
        ctx,
        text,
        location=None,
        title=_attr(result, "title"),
        date_value=_attr(result, "date"),
        url=_attr(result, "url"),
        language=_attr(result, "language"),
        fallback_source=_attr(result, "sitename"),
    )


_MIN_FALLBACK_WORDS = 8


def _attr(result: Any, name: str) -> str | None:
    if result is None:
        return None
    value = result.get(name) if isinstance(result, dict) else getattr(result, name, None)
    return scalar_text(value)


def _decode_markup(ctx: Context, data: bytes) -> str | Rejected:
    text, problem = decode_text(data)
    if text is not None:
        return text
    charset = declared_charset(data)
    if charset is None:
        return ctx.reject(_undecodable_line(data, problem), problem or "undecodable")
    return data.decode(charset, "replace")


# --- RSS / Atom ----------------------------------------------------------------------


_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.I | re.S)
"""A feed's DOCTYPE is dropped before parsing: its internal subset can declare entities
that expand exponentially ("billion laughs"); no real feed needs one."""


def _drop_doctype(data: bytes) -> bytes:
    start = data.find(b"<!", 0, HEAD_BYTES)
    while start >= 0 and data[start : start + 9].upper() != b"<!DOCTYPE":
        start = data.find(b"<!", start + 2, HEAD_BYTES)
    if start < 0:
        return data
    m = _DOCTYPE.match(data, start, HEAD_BYTES)
    return data[:start] + data[m.end() :] if m else data


def read_feed(ctx: Context, data: bytes) -> Iterator[Item]:
    """An RSS/Atom feed file: one document per entry. Never fetches anything: the bytes are
    parsed, and links are kept as data."""
    if declared_charset(data) is None:
        _, problem = decode_text(data)
        if problem is not None:
            yield ctx.reject(_undecodable_line(data, problem), problem)
            return
    data = _drop_doctype(data)
    try:
        import feedparser

        # A stream, never bytes: feedparser tries bytes as a FILE NAME first, so a feed file
        # whose content is a path would make it read that other file.
        parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    except Exception as e:  # feedparser failures on hostile XML are data problems
        yield ctx.reject(None, f"feed could not be parsed: {type(e).__name__}: {e}")
        return
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") and not parsed.get("version"):
            reason = f"not a readable RSS/Atom feed ({parsed.get('bozo_exception')})"
        elif not parsed.get("version"):
            reason = "XML file is not an RSS/Atom feed"
        else:
            reason = "feed has no entries"
        yield ctx.reject(None, reason)
        return
    feed_title = scalar_text(html_to_text(parsed.get("feed", {}).get("title") or ""))
    for n, entry in enumerate(entries, start=1):
        yield _feed_entry(ctx, entry, f"entry {n}", feed_title)


def _feed_entry(
    ctx: Context, entry: Mapping[str, Any], location: str, feed_title: str | None
) -> Item:
    bodies = [c.get("value") or "" for c in entry.get("content") or [] if isinstance(c, Mapping)]
    body = (
        max(bodies, key=len, default="") or entry.get("summary") or entry.get("description") or ""
    )
    text = html_to_text(body) if isinstance(body, str) else ""
    if not text.strip():
        return ctx.reject(location, "feed entry has no text (no content or summary)")
    date_value: Any = entry.get("published") or entry.get("updated") or entry.get("created")
    from riftwatch.ingest.dates import parse_date

    if parse_date(date_value) is None:
        parsed_time = entry.get("published_parsed") or entry.get("updated_parsed")
        if parsed_time:
            date_value = dt.date(*parsed_time[:3])
    source = entry.get("source")
    source_title = source.get("title") if isinstance(source, Mapping) else None
    title = entry.get("title")
    return make_document(
        ctx,
        text,
        location=location,
        id=scalar_text(entry.get("id")),
        title=scalar_text(html_to_text(title)) if isinstance(title, str) else None,
        date_value=date_value,
        url=scalar_text(entry.get("link")),
        source=scalar_text(source_title),
        language=scalar_text(entry.get("language")),
        fallback_source=feed_title,
    )


__all__ = [
    "read_csv",
    "read_feed",
    "read_html",
    "read_json",
    "read_jsonl",
    "read_txt",
]
