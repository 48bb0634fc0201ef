"""Shared helpers for the benchmarks: where ../shared is, and peak memory of a process tree.

Peak memory is sampled from /proc (RSS of a process and all its descendants), so it counts
worker processes too; no third-party dependency is needed.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("RIFTWATCH_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "tehran_times_afpak.jsonl"
RESULTS = ROOT / "benchmarks" / "results"


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            tree.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    return tree


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def tree_rss(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in bytes."""
    tree = _children()
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += _rss(p)
        stack += tree.get(p, [])
    return total


def tree_rss_parts(pid: int) -> tuple[int, int, int]:
    """(whole tree, ``pid`` alone, largest single descendant) resident memory, in bytes."""
    tree = _children()
    own = _rss(pid)
    total, largest, stack = own, 0, list(tree.get(pid, []))
    while stack:
        p = stack.pop()
        rss = _rss(p)
        total += rss
        largest = max(largest, rss)
        stack += tree.get(p, [])
    return total, own, largest


class PeakMemory:
    """Samples the RSS of this process tree every ``interval`` seconds; ``.peak`` in bytes.

    Also keeps the peak of the top process alone (``.peak_main``), of the largest single
    descendant (``.peak_child``: a worker), and a window peak that ``window()`` reads and
    resets, so that one run shows whether memory stays flat as the input grows.
    """

    def __init__(self, interval: float = 0.2, pid: int | None = None):
        self.interval = interval
        self.pid = pid or os.getpid()
        self.peak = self.peak_main = self.peak_child = self._window = 0
        self._window_main = self._window_child = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        total, own, child = tree_rss_parts(self.pid)
        with self._lock:
            self.peak = max(self.peak, total)
            self.peak_main = max(self.peak_main, own)
            self.peak_child = max(self.peak_child, child)
            self._window = max(self._window, total)
            self._window_main = max(self._window_main, own)
            self._window_child = max(self._window_child, child)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def window(self) -> int:
        """The peak since the previous call (bytes), then start a new window."""
        return self.window_parts()[0]

    def window_parts(self) -> tuple[int, int, int]:
        """(whole tree, top process, largest descendant) peaks since the previous call,
        in bytes; then start a new window."""
        self._sample()
        with self._lock:
            parts = (self._window, self._window_main, self._window_child)
            self._window = self._window_main = self._window_child = 0
        return parts

    def __enter__(self) -> PeakMemory:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def read_corpus(limit: int | None = None, *, every: int = 1) -> list[dict]:
    """The corpus records in file order: the first ``limit`` of every ``every``-th one."""
    out = []
    with CORPUS.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % every:
                continue
            out.append(json.loads(line))
            if limit and len(out) >= limit:
                break
    return out


def mb(n_bytes: int) -> int:
    return round(n_bytes / 2**20)


def save(name: str, result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    result = {"benchmark": name, "at": time.strftime("%Y-%m-%d %H:%M:%S"), **result}
    path.write_text(json.dumps(result, indent=2) + "\n")
    return path
