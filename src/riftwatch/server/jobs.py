"""Coding jobs that run inside the server, one after another, on a background thread.

The server owns the DuckDB file, so ingestion cannot be a second process: POST
/api/documents and the directory watcher queue a job here, and one worker thread codes
it through its own cursor on the server's connection. Each batch commits as it is coded
(``riftwatch.api.code_documents``), so pages show new events while a long job runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import queue
import threading
import traceback
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from ..store import Store

KEEP_JOBS = 200
"""Finished jobs remembered for /api/jobs (the oldest are forgotten first)."""
MAX_PENDING = 100
"""Jobs queued or running at most; more are refused (``QueueFull``) until some finish."""


class QueueFull(RuntimeError):
    """Too many jobs waiting: the client should retry later."""


class _Stopped(Exception):
    """Raised between batches when the server stops: what was committed stays."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Job:
    id: str
    items: list[Any] = field(repr=False)
    origin: str = "api"
    submitted: int = 0
    """``api`` (POST /api/documents) or ``watch:<file>``."""
    status: str = "queued"
    documents: int = 0
    """Documents coded (skipped ones, already stored with the same text, not counted)."""
    skipped: int = 0
    events: int = 0
    rejected: int = 0
    error: str | None = None
    submitted_at: str = field(default_factory=_now)
    started_at: str | None = None
    finished_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "origin": self.origin,
            "submitted": self.submitted,
            "documents": self.documents,
            "skipped": self.skipped,
            "events": self.events,
            "rejected": self.rejected,
            "error": self.error,
            "submitted_at": self.submitted_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
        }


class JobQueue:
    """A FIFO of coding jobs and the one thread that works through it."""

    def __init__(self, state: Any, *, coder: Any = None, batch_size: int = 8) -> None:
        self.state = state
        self.coder = coder
        self.batch_size = batch_size
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = False

    # -- submitting and reading --------------------------------------------------------
    def submit(self, items: list[Any], *, origin: str = "api") -> Job:
        job = Job(uuid.uuid4().hex[:12], list(items), origin=origin, submitted=len(items))
        with self._lock:
            if self._stopping:
                raise QueueFull("the server is shutting down")
            pending = sum(1 for j in self._jobs.values() if j.status in ("queued", "running"))
            if pending >= MAX_PENDING:
                raise QueueFull(
                    f"{pending} coding jobs are already waiting; retry when some have finished"
                )
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP_JOBS:
                oldest = next(iter(self._jobs))
                if self._jobs[oldest].status in ("queued", "running"):
                    break
                del self._jobs[oldest]
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="riftwatch-jobs", daemon=True
                )
                self._thread.start()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def recent(self, limit: int = 50) -> list[Job]:
        with self._lock:
            return list(reversed(self._jobs.values()))[:limit]

    def running(self) -> int:
        with self._lock:
            return sum(1 for j in self._jobs.values() if j.status in ("queued", "running"))

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every queued job has finished (tests, shutdown); False on timeout."""
        done = threading.Event()

        def waiter() -> None:
            self._queue.join()
            done.set()

        threading.Thread(target=waiter, daemon=True).start()
        return done.wait(timeout)

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the job in hand, drop the queued ones, and end the worker thread."""
        with self._lock:
            self._stopping = True
            thread = self._thread
        if thread is None:
            return
        with contextlib.suppress(queue.Empty):
            while True:
                job = self._queue.get_nowait()
                if job is not None:
                    job.status, job.error = "failed", "server stopped before the job ran"
                    job.finished_at = _now()
                self._queue.task_done()
        self._queue.put(None)
        thread.join(timeout)

    # -- the worker ----------------------------------------------------------------------
    def _work(self) -> None:
        store = _cursor_store(self.state.store)
        try:
            while True:
                job = self._queue.get()
                try:
                    if job is None:
                        return
                    self._run(job, store)
                finally:
                    self._queue.task_done()
        finally:
            with contextlib.suppress(Exception):
                store.con.close()

    def _run(self, job: Job, store: Store) -> None:
        from ..api import code_documents, get_coder

        job.status, job.started_at = "running", _now()

        def progress(summary: Any) -> None:
            job.documents, job.skipped = summary.documents, summary.skipped
            job.events, job.rejected = summary.events, summary.rejected
            self.state.bump()
            if self._stopping:
                raise _Stopped

        try:
            coder = self.coder or get_coder()
            summary = code_documents(
                job.items,
                store,
                coder=coder,
                batch_size=self.batch_size,
                on_batch=progress,
                inputs=[job.origin],
            )
            job.documents, job.skipped = summary.documents, summary.skipped
            job.events, job.rejected = summary.events, summary.rejected
            job.status = "done"
        except _Stopped:
            job.status = "failed"
            job.error = "the server stopped; the batches coded before that are stored"
        except Exception as e:  # noqa: BLE001 - a failed job is reported, the server lives on
            job.status = "failed"
            job.error = f"{type(e).__name__}: {e}"
            traceback.print_exc()
        finally:
            job.items = []
            job.finished_at = _now()
            self.state.bump()


def _cursor_store(store: Store) -> Store:
    """A ``Store`` writing through a new cursor of ``store``'s connection.

    ``Store`` methods use ``self.con``; a cursor is a connection to the same database
    that this thread alone uses, so the worker's transactions never share a connection
    with request threads.
    """
    worker = object.__new__(Store)
    worker.path = store.path
    worker.aggregate_config = store.aggregate_config
    worker.con = store.con.cursor()
    return worker
