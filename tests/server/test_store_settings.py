"""The server's store is tuned for queries, not for the coding CLI's small writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from riftwatch.server.app import create_app


def _setting(app, name: str) -> str:
    con = app.state.server.store.con
    return con.execute("SELECT current_setting(?)", [name]).fetchone()[0]


def test_server_store_queries_with_every_core(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("RIFTWATCH_DUCKDB_THREADS", raising=False)
    app = create_app(str(tmp_path / "s.duckdb"), warm=False)
    try:
        assert int(_setting(app, "threads")) == (os.cpu_count() or 1)
    finally:
        app.state.server.store.close()


@pytest.mark.parametrize("threads", ["1", "3"])
def test_server_store_threads_follow_the_environment(tmp_path: Path, monkeypatch, threads) -> None:
    monkeypatch.setenv("RIFTWATCH_DUCKDB_THREADS", threads)
    app = create_app(str(tmp_path / "s.duckdb"), warm=False)
    try:
        assert int(_setting(app, "threads")) == int(threads)
    finally:
        app.state.server.store.close()
