"""The briefing: a self-contained HTML (or Markdown) report on one dyad.

``build_report(store, "PAK", "AFG")`` returns the document as a string;
``write_report(store, "PAK", "AFG", "brief.html")`` writes it (format from the suffix).
"""

from __future__ import annotations

import datetime as dt
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import ConfigError, StoreError
from .data import ReportData, gather
from .render_html import render_html
from .render_md import render_md

__all__ = ["ReportData", "build_report", "gather", "write_report"]

FORMATS = ("html", "md")


def _versions() -> dict[str, str]:
    out = {}
    for name in ("riftwatch", "ruptures", "networkx", "duckdb"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def build_report(
    store: Any,
    a: str,
    b: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    fmt: str = "html",
    by: str | None = None,
) -> str:
    """The briefing on the ``a``–``b`` relation as HTML or Markdown text."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown report format {fmt!r}; use html or md")
    data = gather(store, a, b, since=since, until=until, by=by)
    if fmt == "md":
        return render_md(data, versions=_versions())
    return render_html(data, versions=_versions())


def write_report(
    store: Any,
    a: str,
    b: str,
    path: str | Path,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    fmt: str | None = None,
    by: str | None = None,
) -> Path:
    """Write the briefing to ``path`` (``.md`` -> Markdown, else HTML); returns the path."""
    path = Path(path)
    if fmt is None:
        fmt = "md" if path.suffix.lower() in (".md", ".markdown") else "html"
    text = build_report(store, a, b, since=since, until=until, fmt=fmt, by=by)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise StoreError(f"cannot write the report to {path}: {e}") from e
    return path
