"""Document ingest: files, folders and stdin to Documents (and Rejected records).

    read_inputs(paths, *, fields=None, published=None, max_bytes=50_000_000, source=None)
        -> Iterator[Document | Rejected]
    find_dateline(text, *, year_hint=None) -> Dateline | None
    FieldMap.parse(["text=body", ...]) -> FieldMap
    text_id(text) -> "h-<16 hex>"      parse_date(value) -> date | None

Formats, by extension (content sniffed for stdin ``-`` and files without an extension):
plain text (.txt/.text, optional ``Title:``/``Date:``/``Source:``/``URL:`` header lines),
JSON Lines (.jsonl/.ndjson/.jsonlines), JSON (.json: array, object, or object holding a
list under "articles"/"documents"/"items"/...), CSV/TSV (.csv/.tsv/.tab, header row,
delimiter sniffed), HTML (.html/.htm/.xhtml, main text by trafilatura), RSS/Atom
(.rss/.atom/.xml, by feedparser). Any of them gzipped (``.jsonl.gz``). Other extensions
are rejected, not guessed at. Folders are read recursively in sorted order; hidden files
and folders are skipped.

Rules (details in ``records``): the id is the record's own id, else ``h-`` + sha256 of the
NFKC, whitespace-collapsed text; ``published`` comes from metadata, else the dateline, else
the ``published`` argument, else None (``published_source`` says which; never today);
``source`` is the record's, else the ``source`` argument, else the feed title / HTML site
name, else the dateline's agency.

Nothing is fatal and nothing is lost: each bad input or part of one is yielded as a
Rejected(input, location, reason) — locations are ``line N`` (JSON Lines, text),
``row N`` (CSV; the header is row 1), ``item N`` (JSON array), ``entry N`` (feeds) or None
(the whole input). ``max_bytes`` limits whole-file formats per file and JSON Lines/CSV per
line/row, so big line-oriented corpora stream in constant memory.
"""

from __future__ import annotations

from riftwatch.ingest.dateline import Dateline, find_dateline
from riftwatch.ingest.dates import parse_date
from riftwatch.ingest.fields import FieldMap
from riftwatch.ingest.ids import normalise_text, text_id
from riftwatch.ingest.reader import DEFAULT_MAX_BYTES, read_inputs

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Dateline",
    "FieldMap",
    "find_dateline",
    "normalise_text",
    "parse_date",
    "read_inputs",
    "text_id",
]
