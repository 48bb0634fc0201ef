"""``load``: the Parquet files of a Ray run into the store, once per document version.

A folder may hold several copies of a document: the same text twice in the inputs, a
second run over the same inputs with other batch boundaries, a batch re-written by a
retried task. ``load`` keeps, for each document id, the version the local engine would
have stored after reading the inputs in order (see ``pick_versions``), takes its event
mentions from the same batch file, and writes through ``Store.write_batch``, so the
aggregation into ``events`` runs as it does for the local engine. Documents already
stored with the same text are skipped (``Store.needs_coding``): loading twice changes
nothing.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow.fs as pafs
import pyarrow.parquet as pq

from ..errors import StoreError
from ..model import Rejected
from ..store import Store
from .parquet_out import DOCUMENTS, EVENTS, REJECTED, coded_from_rows
from .sources import filesystem_for

_KEY = ("run_started", "file_index", "item_index", "batch")


@dataclass
class LoadSummary:
    """What a load did."""

    files: int = 0
    rows: int = 0
    """Document rows read (every copy)."""
    documents: int = 0
    """Documents written to the store."""
    skipped: int = 0
    """Documents already stored with the same text."""
    superseded: int = 0
    """Copies dropped: duplicates and older versions of a document."""
    events: int = 0
    rejected: int = 0
    run_id: str = ""
    rejected_items: list[Rejected] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "files": self.files,
            "rows": self.rows,
            "documents": self.documents,
            "skipped": self.skipped,
            "superseded": self.superseded,
            "events": self.events,
            "rejected": self.rejected,
        }


def pick_versions(occurrences: Iterable[tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    """For each document id, the copy the local engine would keep.

    ``occurrences`` are ``(id, text_hash, run_started, file_index, item_index, batch)``.
    Read in order, the local engine stores a document's first copy, skips copies with the
    same text and replaces it when the text changes: the copy kept is the FIRST of the
    LAST run of equal texts.
    """
    by_id: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for occ in occurrences:
        by_id[occ[0]].append(occ)
    chosen = {}
    for doc_id, copies in by_id.items():
        copies.sort(key=lambda o: (o[2], o[3], o[4], o[5]))
        keep = copies[0]
        for prev, cur in zip(copies, copies[1:], strict=False):
            if cur[1] != prev[1]:
                keep = cur
        chosen[doc_id] = keep
    return chosen


def _parquet_files(fs: pafs.FileSystem, folder: str) -> list[str]:
    info = fs.get_file_info(folder)
    if info.type != pafs.FileType.Directory:
        return []
    out = []
    for entry in fs.get_file_info(pafs.FileSelector(folder, recursive=True)):
        name = entry.path.rsplit("/", 1)[-1]
        if entry.type == pafs.FileType.File and name.endswith(".parquet"):
            if not name.startswith((".", "_")):  # unfinished temporary files
                out.append(entry.path)
    return sorted(out)


def _batch_of(path: str) -> str:
    return path.rsplit("/", 1)[-1].removeprefix("part-").removesuffix(".parquet")


def load_dir(
    out: str,
    store: Store,
    *,
    on_batch: Callable[[LoadSummary], None] | None = None,
) -> LoadSummary:
    """Import the Parquet files under ``out`` (a path or URI) into ``store``."""
    fs, root = filesystem_for(out)
    root = root.rstrip("/")
    if fs.get_file_info(root).type != pafs.FileType.Directory:
        raise StoreError(f"{out} is not a folder written by `riftwatch code --engine ray`")
    doc_files = _parquet_files(fs, f"{root}/{DOCUMENTS}")
    event_files: dict[str, list[str]] = defaultdict(list)
    for path in _parquet_files(fs, f"{root}/{EVENTS}"):
        event_files[_batch_of(path)].append(path)
    rejected_files = _parquet_files(fs, f"{root}/{REJECTED}")
    if not doc_files and not rejected_files:
        raise StoreError(f"{out} holds no riftwatch Parquet output (documents/, rejected/)")

    summary = LoadSummary(run_id=uuid.uuid4().hex[:12])
    summary.files = len(doc_files) + len(rejected_files) + sum(map(len, event_files.values()))
    store.start_run(summary.run_id, [out])
    status = "interrupted"
    try:
        occurrences = []
        for path in doc_files:
            index = pq.read_table(path, columns=["id", "text_hash", *_KEY], filesystem=fs)
            occurrences += [tuple(r.values()) for r in index.to_pylist()]
        summary.rows = len(occurrences)
        chosen = pick_versions(occurrences)
        summary.superseded = summary.rows - len(chosen)
        by_batch: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
        for occ in chosen.values():
            by_batch[occ[5]].add((occ[0], *occ[2:6]))
        # batches in input order, so versions are written in the order they were read
        first = {b: min((k[2], k[3]) for k in keys) for b, keys in by_batch.items()}
        paths = {_batch_of(p): p for p in doc_files}
        for batch in sorted(by_batch, key=lambda b: (first[b], b)):
            _load_batch(
                fs, paths[batch], event_files.get(batch, []), by_batch[batch], store, summary
            )
            if on_batch is not None:
                on_batch(summary)
        _load_rejected(fs, rejected_files, store, summary)
        status = "done"
    finally:
        store.finish_run(
            summary.run_id,
            status=status,
            documents=summary.documents,
            skipped=summary.skipped,
            events=summary.events,
            rejected=summary.rejected,
        )
    return summary


def _key(row: dict[str, Any], id_column: str) -> tuple[Any, ...]:
    return (row[id_column], *(row[k] for k in _KEY))


def _load_batch(
    fs: pafs.FileSystem,
    doc_path: str,
    event_paths: list[str],
    keep: set[tuple[Any, ...]],
    store: Store,
    summary: LoadSummary,
) -> None:
    rows = [r for r in pq.read_table(doc_path, filesystem=fs).to_pylist() if _key(r, "id") in keep]
    events: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for path in event_paths:
        for e in pq.read_table(path, filesystem=fs).to_pylist():
            k = _key(e, "document_id")
            if k in keep:
                events[k].append(e)
    coded = []
    for row in sorted(rows, key=lambda r: (r["file_index"], r["item_index"])):
        mentions = sorted(events.get(_key(row, "id"), []), key=lambda e: e["event_index"])
        coded.append(coded_from_rows(row, mentions))
    todo = {(d.id, d.text) for d in store.needs_coding([c.document for c in coded])}
    new = [c for c in coded if (c.document.id, c.document.text) in todo]
    summary.skipped += len(coded) - len(new)
    if new:
        summary.events += store.write_batch(new, run_id=summary.run_id)
        summary.documents += len(new)


def _load_rejected(
    fs: pafs.FileSystem, paths: list[str], store: Store, summary: LoadSummary
) -> None:
    seen: set[tuple[str, str | None, str]] = set()
    items = []
    for path in paths:
        table = pq.read_table(path, columns=["input", "location", "reason"], filesystem=fs)
        for r in table.to_pylist():
            key = (r["input"], r["location"], r["reason"])
            if key not in seen:
                seen.add(key)
                items.append(Rejected(*key))
    if items:
        store.add_rejected(items, run_id=summary.run_id)
    summary.rejected = len(items)
    summary.rejected_items = items
