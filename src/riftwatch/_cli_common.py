"""Pieces every CLI module shares: the consoles, one-line errors, date options, stores.

Kept apart from ``cli.py`` so that sub-apps (``analysis/cli.py``) can use them without
importing the main app, which imports them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from .errors import RiftwatchError

err = Console(stderr=True, highlight=False)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line error; the caller raises the returned ``typer.Exit``."""
    err.print(f"[bold red]error:[/] {message}", markup=True)
    return typer.Exit(code)


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (use YYYY-MM-DD)", param_hint=option
        ) from None


def open_store(db: Path, *, read_only: bool = False) -> Any:
    """Open a store for a command; a missing store (read-only) or a bad file fails cleanly."""
    from .store import Store

    if read_only and not db.exists():
        raise fail(f"no store at {db} (run `riftwatch code INPUT --db {db}` first)")
    try:
        return Store(db, read_only=read_only)
    except RiftwatchError as e:
        raise fail(str(e)) from None


def print_run_summary(title: str, rows: list[tuple[str, str | None]], rejected: Any) -> None:
    """A coding run's figures on stderr, then up to 50 rejected inputs with their reasons.

    Rows whose value is None are left out (counts that only matter when non-zero).
    """
    table = Table(title=title, show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(justify="right")
    for label, value in rows:
        if value is not None:
            table.add_row(label, value)
    err.print(table)
    if rejected:
        err.print("[bold yellow]rejected:[/]", markup=True)
        for r in rejected[:50]:
            where = f" ({r.location})" if r.location else ""
            err.print(f"  {r.input}{where}: {r.reason}", markup=False)
        if len(rejected) > 50:
            err.print(f"  ... and {len(rejected) - 50} more (riftwatch rejected)")
