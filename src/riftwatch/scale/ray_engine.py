"""The Ray engine: Ray Data reads, codes and writes; the driver only lists files.

Pipeline (one streaming Ray Data job):

    from_items(files)                    the listing, made on the driver
    -> map_batches(ReadFiles)            tasks: each file through the project's readers
    -> map_batches(CodeBatches, actors)  a pool of N actors; each loads the Coder once,
                                         codes a batch and writes its Parquet files
    -> iter_batches()                    the driver tallies one summary row per batch

Why the actors write their own files instead of ``Dataset.write_parquet``: the file names
must come from the batch's content (``parquet_out.batch_key``) so that a task retried after
its worker died, or a whole run repeated, overwrites instead of duplicating; and one pass
writes three tables (documents, events by date, rejected).

Fault tolerance is Ray Data's: an actor pool restarts a dead actor (``max_restarts``) and
re-submits the task it was running (``max_task_retries``), both unlimited by default. A
retried task gets the same input blocks, hence the same batches, keys and files.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from ..errors import ConfigError
from ..model import Document, Rejected
from .parquet_out import Occurrence, write_batch
from .sources import InputFile, ReadOptions, filesystem_for, list_inputs, read_file

_FEW_INPUTS = r"The (minimum|maximum) number of concurrent"
DEFAULT_BATCH_SIZE = 32
"""Documents per Ray batch: one set of Parquet files each. Bigger batches write fewer,
larger files; smaller ones spread a small input over more workers."""

_ITEM_SCHEMA = pa.schema(
    [
        pa.field("rejected", pa.bool_()),
        pa.field("id", pa.string()),
        pa.field("text", pa.string()),
        pa.field("title", pa.string()),
        pa.field("published", pa.date32()),
        pa.field("published_source", pa.string()),
        pa.field("source", pa.string()),
        pa.field("url", pa.string()),
        pa.field("input", pa.string()),
        pa.field("location", pa.string()),
        pa.field("language", pa.string()),
        pa.field("dateline_place", pa.string()),
        pa.field("reason", pa.string()),
        pa.field("file_index", pa.int64()),
        pa.field("item_index", pa.int64()),
    ]
)
_SUMMARY_SCHEMA = pa.schema(
    [
        pa.field("batch", pa.string()),
        pa.field("documents", pa.int64()),
        pa.field("events", pa.int64()),
        pa.field("rejected", pa.int64()),
        pa.field("sentences", pa.int64()),
        pa.field("sentences_parsed", pa.int64()),
        pa.field("not_coded", pa.int64()),
        pa.field("started", pa.float64()),
        pa.field("finished", pa.float64()),
    ]
)


@dataclass(frozen=True)
class RayOptions:
    """How to run: workers, cluster, batch size, coder and reader options."""

    workers: int = 1
    address: str | None = None
    """A running cluster (``auto``, ``ray://host:10001``); None starts a local Ray."""
    batch_size: int = DEFAULT_BATCH_SIZE
    coder_options: dict[str, Any] = field(default_factory=dict)
    read: ReadOptions = field(default_factory=ReadOptions)
    crash_marker: str | None = None
    """Fault injection for tests: the first batch to find this file absent creates it and
    kills its worker after writing its events, before its commit."""


@dataclass
class RaySummary:
    """What a Ray run wrote (counts over all batches)."""

    out: str = ""
    files: int = 0
    batches: int = 0
    documents: int = 0
    events: int = 0
    rejected: int = 0
    sentences: int = 0
    sentences_parsed: int = 0
    not_coded: int = 0
    seconds: float = 0.0
    coding_seconds: float = 0.0
    """From the first batch's start to the last batch's end, on the workers' clocks: the
    run without starting Ray and loading the pipeline in each actor."""
    rejected_items: list[Rejected] = field(default_factory=list)
    """Inputs rejected before any worker read them (missing paths)."""
    _span: tuple[float, float] = (float("inf"), 0.0)

    @property
    def documents_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds > 0 else 0.0

    @property
    def coding_documents_per_second(self) -> float:
        return self.documents / self.coding_seconds if self.coding_seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "out": self.out,
            "files": self.files,
            "batches": self.batches,
            "documents": self.documents,
            "events": self.events,
            "rejected": self.rejected,
            "sentences": self.sentences,
            "sentences_parsed": self.sentences_parsed,
            "not_coded": self.not_coded,
            "seconds": round(self.seconds, 2),
            "documents_per_second": round(self.documents_per_second, 2),
            "coding_seconds": round(self.coding_seconds, 2),
            "coding_documents_per_second": round(self.coding_documents_per_second, 2),
        }


# -- stage 1: read files (Ray tasks) ------------------------------------------------------
def _item_rows(items: list[tuple[Document | Rejected, int, int]]) -> pa.Table:
    cols: dict[str, list[Any]] = {f.name: [] for f in _ITEM_SCHEMA}
    for item, file_index, item_index in items:
        is_doc = isinstance(item, Document)
        values = {
            "rejected": not is_doc,
            "input": item.input,
            "location": item.location,
            "reason": None if is_doc else item.reason,  # type: ignore[union-attr]
            "file_index": file_index,
            "item_index": item_index,
        }
        if isinstance(item, Document):
            values.update(
                id=item.id,
                text=item.text,
                title=item.title,
                published=item.published,
                published_source=item.published_source,
                source=item.source,
                url=item.url,
                language=item.language,
                dateline_place=item.dateline_place,
            )
        for name, col in cols.items():
            col.append(values.get(name))
    return pa.Table.from_pydict(cols, schema=_ITEM_SCHEMA)


def read_files(
    batch: pa.Table, *, filesystems: list[Any], options: ReadOptions, chunk: int
) -> Iterator[pa.Table]:
    """Ray Data UDF: rows naming files in, rows of documents and rejected inputs out.

    A file streams out in blocks of ``chunk`` items, the coding batch size, so that each
    block is one batch for one actor and the batches of one big file spread over the pool.
    """
    for row in batch.to_pylist():
        fs = filesystems[row["filesystem"]]
        items: list[tuple[Document | Rejected, int, int]] = []
        for n, item in enumerate(read_file(fs, row["path"], row["name"], options)):
            items.append((item, row["index"], n))
            if len(items) >= chunk:
                yield _item_rows(items)
                items = []
        if items:
            yield _item_rows(items)


def _occurrences(table: pa.Table) -> list[Occurrence]:
    out = []
    for r in table.to_pylist():
        item: Document | Rejected
        if r["rejected"]:
            item = Rejected(r["input"], r["location"], r["reason"])
        else:
            item = Document(
                id=r["id"],
                text=r["text"],
                title=r["title"],
                published=r["published"],
                published_source=r["published_source"],
                source=r["source"],
                url=r["url"],
                input=r["input"],
                location=r["location"],
                language=r["language"],
                dateline_place=r["dateline_place"],
            )
        out.append(Occurrence(item, r["file_index"], r["item_index"]))
    return out


# -- stage 2: code and write (an actor pool) ----------------------------------------------
class CodeBatches:
    """Ray Data callable class: one per actor; the Coder (spaCy, knowledge base, lexicon,
    gazetteer) is loaded once in ``__init__`` and reused for every batch."""

    def __init__(
        self,
        *,
        out: str,
        run_started: dt.datetime,
        coder_options: dict[str, Any],
        crash_marker: str | None = None,
    ):
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        from ..pipeline import Coder

        self.coder = Coder(**coder_options)
        self.fs, self.root = filesystem_for(out)
        self.root = self.root.rstrip("/")
        self.run_started = run_started
        self.crash_marker = crash_marker

    def _crash_now(self) -> bool:
        if not self.crash_marker:
            return False
        try:
            fd = os.open(self.crash_marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return False
        os.write(fd, f"worker {os.getpid()} killed mid-batch\n".encode())
        os.close(fd)
        return True

    def __call__(self, batch: pa.Table) -> pa.Table:
        started = time.time()
        occurrences = _occurrences(batch)
        docs = [o for o in occurrences if isinstance(o.item, Document)]
        rejected = [o for o in occurrences if isinstance(o.item, Rejected)]
        coded = self.coder.code_batch([o.item for o in docs])  # type: ignore[misc]
        written = write_batch(
            self.fs,
            self.root,
            list(zip(docs, coded, strict=True)),
            rejected,
            run_started=self.run_started,
            crash_before_commit=self._crash_now(),
        )
        return pa.Table.from_pylist(
            [
                {
                    "batch": written.batch,
                    "documents": written.documents,
                    "events": written.events,
                    "rejected": written.rejected,
                    "sentences": written.sentences,
                    "sentences_parsed": written.sentences_parsed,
                    "not_coded": written.not_coded,
                    "started": started,
                    "finished": time.time(),
                }
            ],
            schema=_SUMMARY_SCHEMA,
        )


# -- the driver -----------------------------------------------------------------------------
def _start_ray(options: RayOptions) -> bool:
    """Connect to (or start) Ray; True when this call started it (and must shut it down)."""
    import ray

    if ray.is_initialized():
        return False
    quiet: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False}
    if options.address:
        ray.init(address=options.address, **quiet)
    else:
        ray.init(num_cpus=options.workers, include_dashboard=False, **quiet)
    return True


def _quiet_ray_data() -> None:
    from ray.data import DataContext

    ctx = DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    ctx.verbose_stats_logs = False
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)


def run_ray(
    inputs: list[str],
    out: str,
    *,
    options: RayOptions | None = None,
    on_batch: Callable[[RaySummary], None] | None = None,
) -> RaySummary:
    """Code ``inputs`` on Ray into Parquet files under ``out`` (a path or URI)."""
    options = options or RayOptions()
    if "://" not in out:
        out = os.path.abspath(out)  # workers need not share the driver's directory
    if options.workers < 1:
        raise ConfigError("workers must be at least 1")
    if "-" in inputs:
        raise ConfigError("the Ray engine reads files and folders, not stdin (-)")
    try:
        import ray
        import ray.data
    except ImportError as e:
        raise ConfigError(
            "the Ray engine needs Ray Data: pip install 'riftwatch[ray]' (ray[data])"
        ) from e

    started = time.perf_counter()
    run_started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    summary = RaySummary(out=out)
    filesystems, files, missing = list_inputs(inputs)
    summary.files = len(files)
    out_fs, out_root = filesystem_for(out)
    out_fs.create_dir(out_root, recursive=True)
    if missing:
        # rejected before any worker saw them: written by the driver, keyed like a batch
        write_batch(
            out_fs,
            out_root.rstrip("/"),
            [],
            [Occurrence(r, -1, i) for i, r in enumerate(missing)],
            run_started=run_started,
        )
        summary.rejected_items = missing
        summary.rejected += len(missing)
    if not files:
        summary.seconds = time.perf_counter() - started
        return summary

    own = _start_ray(options)
    try:
        _quiet_ray_data()
        blocks = min(len(files), 1000)
        ds = ray.data.from_items([_file_row(f) for f in files], override_num_blocks=blocks)
        ds = ds.map_batches(
            read_files,
            batch_size=1,
            batch_format="pyarrow",
            fn_kwargs={
                "filesystems": filesystems,
                "options": options.read,
                "chunk": options.batch_size,
            },
            # reading is light next to coding: it takes no core from the coding actors
            # (which would starve on a machine whose cores they all hold), a few at a time
            num_cpus=0,
            compute=ray.data.TaskPoolStrategy(size=min(blocks, max(2, options.workers // 8))),
        )
        ds = ds.map_batches(
            CodeBatches,
            batch_size=options.batch_size,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=options.workers),
            num_cpus=1,
            fn_constructor_kwargs={
                "out": out,
                "run_started": run_started,
                "coder_options": options.coder_options,
                "crash_marker": options.crash_marker,
            },
        )
        with warnings.catch_warnings():
            # Ray warns when an input has fewer batches than there are workers: not a fault
            warnings.filterwarnings("ignore", _FEW_INPUTS, UserWarning)
            for table in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
                _tally(summary, table)
                summary.seconds = time.perf_counter() - started
                if on_batch is not None:
                    on_batch(summary)
    finally:
        if own:
            ray.shutdown()
    summary.seconds = time.perf_counter() - started
    return summary


def _tally(summary: RaySummary, table: pa.Table) -> None:
    for row in table.to_pylist():
        summary.batches += 1
        summary.documents += row["documents"]
        summary.events += row["events"]
        summary.rejected += row["rejected"]
        summary.sentences += row["sentences"]
        summary.sentences_parsed += row["sentences_parsed"]
        summary.not_coded += row["not_coded"]
        summary._span = (
            min(summary._span[0], row["started"]),
            max(summary._span[1], row["finished"]),
        )
        summary.coding_seconds = summary._span[1] - summary._span[0]


def _file_row(f: InputFile) -> dict[str, Any]:
    return {"filesystem": f.filesystem, "path": f.path, "name": f.name, "index": f.index}
