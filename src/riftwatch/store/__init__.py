"""The DuckDB store (an adapter at the edge: stages never touch it)."""

from __future__ import annotations

from .db import DEFAULT_DB, CodedDocument, Store, text_hash
from .selectors import Selector, selector_sql

__all__ = ["DEFAULT_DB", "CodedDocument", "Selector", "Store", "selector_sql", "text_hash"]
