"""``create_app``: the FastAPI app of ``riftwatch serve`` (JSON API + dashboard pages).

The server process owns the DuckDB file: one read-write connection, opened here, and a
cursor per thread (a DuckDB connection must not be used by two threads at once). Request
threads read through their cursor; coding jobs write through the job worker's own cursor,
so pages see new data as soon as a batch commits.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import duckdb
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError

from ..errors import StoreError
from ..store import Store
from ..store.db import MEMORY_ENV, THREADS_ENV
from ..store.migrations import MIGRATIONS

DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024


class ServerState:
    """The store and the per-thread cursors over its one connection."""

    def __init__(self, db_path: str | Path, *, read_only: bool = False) -> None:
        self.db_path = str(db_path)
        self.read_only = read_only
        self.store = _open_store(self.db_path, read_only=read_only)
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._lock = threading.Lock()
        self.closed = False
        self._cache: dict[tuple, tuple[int, Any]] = {}
        self.on_change: Callable[[], None] | None = None
        self.data_version = 0
        """Bumped after every write (coding job), so caches know when to drop."""

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the store's connection (made on first use)."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            with self._lock:
                if self.closed:
                    raise StoreError("the server is shutting down")
                cur = self.store.con.cursor()
                self._cursors.append(cur)
            self._local.cursor = cur
        return cur

    def bump(self) -> None:
        with self._lock:
            self.data_version += 1
            self._cache.clear()
        if self.on_change is not None:
            self.on_change()

    def cached(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per ``key`` until the next write (``bump``).

        The value is shared: callers must not change it.
        """
        with self._lock:
            version = self.data_version
            hit = self._cache.get(key)
        if hit is not None and hit[0] == version:
            return hit[1]
        value = compute()
        with self._lock:
            if self.data_version == version:
                self._cache[key] = (version, value)
                while len(self._cache) > 256:
                    self._cache.pop(next(iter(self._cache)))
        return value

    def close(self) -> None:
        with self._lock:
            if self.closed:
                return
            self.closed = True
            cursors, self._cursors = self._cursors, []
        for cur in cursors:
            with contextlib.suppress(duckdb.Error):
                cur.close()
        self.store.close()


class Warmer:
    """Recomputes the cached overview answers in the background after data changes.

    Waits until writes pause for ``delay`` seconds (a long job commits batch after batch)
    before warming, so it does not recompute after every batch.
    """

    def __init__(self, state: ServerState, *, delay: float = 2.0) -> None:
        self.state = state
        self.delay = delay
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._warmed = False

    def start(self, *, warmed: bool = False) -> None:
        """Start waiting for writes; ``warmed``: the start-up warm-up already ran."""
        self._warmed = warmed
        self._thread = threading.Thread(target=self._run, name="riftwatch-warm", daemon=True)
        self._thread.start()
        if not warmed:
            self._wake.set()

    def poke(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(60)

    def _run(self) -> None:
        from .api import warm

        first = not self._warmed
        while not self._stop.is_set():
            self._wake.wait()
            if self._stop.is_set():
                return
            self._wake.clear()
            if not first and self._stop.wait(self.delay):
                return
            if self._wake.is_set():
                continue  # still writing: wait for a pause
            first = False
            try:
                warm(self.state)
            except Exception:  # noqa: BLE001 - warming is an optimisation, never fatal
                if self._stop.is_set() or self.state.closed:
                    return


def _query_settings() -> dict[str, Any]:
    """DuckDB settings for a store that mostly answers queries.

    The coding CLI's writer defaults to one thread and a small memory cap (its workers need
    the cores); the server's queries scan whole tables and gain from every core, so it
    keeps DuckDB's own thread count unless the environment says otherwise.
    """
    return {
        "threads": int(os.environ.get(THREADS_ENV) or 0) or (os.cpu_count() or 1),
        "memory_limit": os.environ.get(MEMORY_ENV) or SERVER_MEMORY,
    }


SERVER_MEMORY = "2GB"


def _open_store(path: str, *, read_only: bool) -> Store:
    """Open the store; read-only mode opens the file read-only (migrating it first if needed)."""
    if not read_only or path == ":memory:":
        return Store(path, **_query_settings())
    if not Path(path).exists():
        raise StoreError(f"{path} does not exist (read-only mode cannot create a store)")
    store = Store(path, read_only=True)
    try:
        done = {
            r[0] for r in store.con.execute("SELECT name FROM _riftwatch_migrations").fetchall()
        }
    except duckdb.Error:
        done = set()
    if all(name in done for name, _ in MIGRATIONS):
        return store
    # an older file: bring its schema up to date once, then serve it read-only
    store.close()
    Store(path).close()
    return Store(path, read_only=True)


def create_app(
    db_path: str | Path,
    *,
    read_only: bool = False,
    token: str | None = None,
    watch_dir: str | Path | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    coder: Any = None,
    watch_interval: float = 2.0,
    allowed_hosts: list[str] | None = None,
    warm: bool = True,
) -> FastAPI:
    """The riftwatch app over the store at ``db_path``; ``app.state.store`` is the store.

    ``token`` (when set) is required on every route; ``read_only`` refuses writes;
    ``watch_dir`` is polled every ``watch_interval`` seconds for files to code;
    ``max_body_bytes`` caps request bodies (HTTP 413 above it); ``coder`` replaces the
    default ``Coder`` (tests pass a shared one); ``allowed_hosts`` (when given) are the
    only ``Host`` names answered (``riftwatch serve`` sets the loopback names when it runs
    without a token, against DNS rebinding); ``warm`` precomputes the overview's cached
    answers at start-up (before the app reports ready: ``api.start_up``) and in the
    background after writes.
    """
    from . import api, pages, security
    from .jobs import JobQueue
    from .watch import Watcher

    if watch_dir is not None and read_only:
        raise StoreError("--watch needs a writable store: it cannot be combined with --read-only")
    state = ServerState(db_path, read_only=read_only)
    jobs = JobQueue(state, coder=coder)
    watcher = Watcher(Path(watch_dir), jobs, interval=watch_interval) if watch_dir else None
    warmer = Warmer(state) if warm else None
    if warmer is not None:
        state.on_change = warmer.poke

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warmer is not None:
            # before the server reports ready: the first requests then find the analysis
            # code imported, the table's columns read and the overview's answers computed
            await asyncio.to_thread(api.start_up, state)
        if watcher is not None:
            watcher.start()
        if warmer is not None:
            warmer.start(warmed=True)
        try:
            yield
        finally:
            if watcher is not None:
                watcher.stop()
            jobs.stop()
            if warmer is not None:
                warmer.stop()
            state.close()

    app = FastAPI(
        title="riftwatch",
        summary="PLOVER political event data: events, dyads, shifts, network, documents.",
        version=_version(),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.server = state
    app.state.store = state.store
    app.state.jobs = jobs
    app.state.watcher = watcher
    app.state.read_only = read_only
    app.state.max_body_bytes = max_body_bytes

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Any:
        return api.JSONResponse({"detail": _validation_message(exc)}, status_code=400)

    api.error_handlers(app)
    app.include_router(api.router)
    api.mount_docs(app)
    pages.mount_pages(app)
    security.install(
        app,
        token=token,
        read_only=read_only,
        max_body_bytes=max_body_bytes,
        allowed_hosts=allowed_hosts,
    )
    return app


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{loc or 'request'}: {err.get('msg', 'invalid value')}")
    return "; ".join(parts) or "invalid request"


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("riftwatch")
    except Exception:  # noqa: BLE001 - metadata is optional in a source checkout
        return "0"


def serve(
    db_path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    watch_dir: str | Path | None = None,
    token: str | None = None,
    read_only: bool = False,
    max_upload_mb: float = 10.0,
) -> None:
    """Run the app with uvicorn until interrupted (``riftwatch serve``)."""
    import uvicorn

    from .security import LOOPBACK_HOSTS, check_bind, is_loopback

    token = token or None
    check_bind(host, token)
    if max_upload_mb <= 0:
        from ..errors import ConfigError

        raise ConfigError("--max-upload-mb must be positive")
    allowed = sorted(LOOPBACK_HOSTS) if is_loopback(host) and token is None else None
    app = create_app(
        db_path,
        read_only=read_only,
        token=token,
        watch_dir=watch_dir,
        max_body_bytes=int(max_upload_mb * 1024 * 1024),
        allowed_hosts=allowed,
    )
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
