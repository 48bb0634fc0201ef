"""From a record (a JSON object, a CSV row, a feed entry, a text file) to a Document.

Every format ends here, so ids, dates, datelines and sources follow one set of rules:

- id: the record's own id as a string, else ``h-`` + a hash of the normalised text;
- published: the metadata date, else the dateline's date (a year-less dateline takes its
  year from a metadata year or from ``--published``), else ``--published``, else None,
  with ``published_source`` ``metadata`` | ``dateline`` | ``cli`` | ``unknown``;
- source: the record's own source field, else the ``source`` option, else the feed's title
  (feeds) or the site name (HTML), else the news agency of the dateline ("Reuters" in
  "ISLAMABAD, March 18 (Reuters) -"), else None. A file name is NOT a source: it says
  where the text was stored, not who published it (``Document.input`` keeps it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from riftwatch.ingest.dateline import find_dateline
from riftwatch.ingest.dates import make_date, parse_date_parts
from riftwatch.ingest.fields import FieldMap
from riftwatch.ingest.ids import given_id, text_id
from riftwatch.model import Document, Rejected


@dataclass(frozen=True, slots=True)
class Options:
    """What ``read_inputs`` was asked, handed to every reader."""

    fields: FieldMap
    published: dt.date | None
    max_bytes: int
    source: str | None


@dataclass(frozen=True, slots=True)
class Context:
    """One input being read: its name (path or ``-``) and the options."""

    input: str
    options: Options

    def reject(self, location: str | None, reason: str) -> Rejected:
        return Rejected(input=self.input, location=location, reason=reason)


def shown(names: Iterable[Any], limit: int = 12) -> str:
    """Names for a message: each cut to 40 characters, at most ``limit`` of them."""
    names = list(names)
    parts = [repr(str(n)[:40]) for n in names[:limit]]
    if len(names) > limit:
        parts.append(f"... ({len(names)} in all)")
    return ", ".join(parts) or "none"


def scalar_text(value: Any) -> str | None:
    """A metadata value as a stripped string; None for empty or structured values."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str | int | float):
        text = str(value).strip()
        return text or None
    return None


def body_text(value: Any) -> str | None:
    """A text field as a string: a string, or a list of strings (paragraphs) joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    return None


def from_record(
    ctx: Context,
    record: Mapping[str, Any],
    location: str | None,
    *,
    fallback_source: str | None = None,
) -> Document | Rejected:
    """A Document from a structured record, or Rejected saying which field was missing."""
    fm = ctx.options.fields
    found = fm.values(record)
    name, value = found["text"]
    if name is None:
        keys = shown(record)
        return ctx.reject(
            location,
            f"record has no text field (looked for {fm.describe('text')}; its fields: {keys}); "
            "name the text field with --field text=NAME",
        )
    text = body_text(value)
    if text is None:
        return ctx.reject(
            location, f"text field {name!r} holds a {type(value).__name__}, not a string"
        )
    source_value = found["source"][1]
    if isinstance(source_value, Mapping):  # NewsAPI style {"source": {"id": .., "name": ..}}
        source_value = source_value.get("name") or source_value.get("title")
    return make_document(
        ctx,
        text,
        location=location,
        id=given_id(found["id"][1]),
        title=scalar_text(found["title"][1]),
        date_value=found["date"][1],
        url=scalar_text(found["url"][1]),
        source=scalar_text(source_value),
        language=scalar_text(found["language"][1]),
        fallback_source=fallback_source,
    )


def make_document(
    ctx: Context,
    text: str,
    *,
    location: str | None,
    id: str | None = None,
    title: str | None = None,
    date_value: Any = None,
    url: str | None = None,
    source: str | None = None,
    language: str | None = None,
    fallback_source: str | None = None,
) -> Document | Rejected:
    """Apply the id, date and source rules (module docstring) to one text."""
    text = text.strip()
    if not text:
        return ctx.reject(location, "empty text")
    options = ctx.options
    meta_date, meta_year = parse_date_parts(date_value)
    cli = options.published
    hint = meta_year if meta_year is not None else (cli.year if cli else None)
    dateline = find_dateline(text, year_hint=hint)
    published: dt.date | None
    if meta_date is not None:
        published, how = meta_date, "metadata"
    elif dateline is not None and dateline.date is not None:
        published, how = dateline.date, "dateline"
        if not dateline.has_year and meta_year is None and cli is not None:
            published = _not_after(published, cli)
    elif cli is not None:
        published, how = cli, "cli"
    else:
        published, how = None, "unknown"
    return Document(
        id=id or text_id(text),
        text=text,
        title=title,
        published=published,
        published_source=how,
        source=source
        or options.source
        or fallback_source
        or (dateline.agency if dateline is not None else None),
        url=url,
        input=ctx.input,
        location=location,
        language=language,
        dateline_place=dateline.place if dateline is not None else None,
    )


def _not_after(day: dt.date, reference: dt.date) -> dt.date:
    """A year-less dateline date completed with ``reference``'s year cannot be after the
    publication: "Dec 30" published on 2 January is last year's 30 December."""
    if day > reference + dt.timedelta(days=1):
        earlier = make_date(day.year - 1, day.month, day.day)
        if earlier is not None:
            return earlier
    return day
