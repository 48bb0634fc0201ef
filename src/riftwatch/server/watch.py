"""``--watch DIR``: code files as they appear in a folder, for continuous monitoring.

A poller, not inotify: it works the same on every filesystem (network shares included)
and needs no extra dependency. A file is queued once its size and modification time have
stayed the same over two polls, so a file still being copied in is not read half-written;
a file that changes later is queued again, and the store skips the documents whose text
it already holds.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

from ..ingest import read_inputs

Stamp = tuple[int, int]


class Watcher:
    """Polls ``directory`` every ``interval`` seconds and queues new or changed files."""

    def __init__(self, directory: Path, jobs: Any, *, interval: float = 2.0) -> None:
        self.directory = Path(directory)
        self.jobs = jobs
        self.interval = interval
        self._queued: dict[Path, Stamp] = {}
        self._pending: dict[Path, Stamp] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.errors: list[str] = []

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="riftwatch-watch", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.interval + 5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.scan()
            except Exception as e:  # noqa: BLE001 - keep watching after a bad poll
                self.errors.append(f"{type(e).__name__}: {e}")
                del self.errors[:-20]

    def _files(self) -> dict[Path, Stamp]:
        out: dict[Path, Stamp] = {}
        if not self.directory.is_dir():
            return out
        for path in self.directory.rglob("*"):
            if any(part.startswith(".") for part in path.relative_to(self.directory).parts):
                continue
            with contextlib.suppress(OSError):
                if path.is_file():
                    st = path.stat()
                    out[path] = (st.st_size, st.st_mtime_ns)
        return out

    def scan(self) -> list[str]:
        """One poll: queue the files that are new or changed and now stable; their job ids."""
        with self._lock:
            return self._scan()

    def _scan(self) -> list[str]:
        seen = self._files()
        ready = []
        for path, stamp in sorted(seen.items()):
            if self._queued.get(path) == stamp:
                continue
            if self._pending.get(path) == stamp:
                ready.append(path)
            else:
                self._pending[path] = stamp
        for path in list(self._pending):
            if path not in seen:
                del self._pending[path]
        job_ids = []
        for path in ready:
            stamp = self._pending.pop(path)
            items = list(read_inputs([path]))
            job = self.jobs.submit(items, origin=f"watch:{path.name}")
            self._queued[path] = stamp
            job_ids.append(job.id)
        return job_ids
