"""Dashboard pages (filled in by the dashboard work)."""

from __future__ import annotations

from typing import Any


def mount_pages(app: Any) -> None:
    """Add the dashboard's HTML pages and static assets to ``app``."""
