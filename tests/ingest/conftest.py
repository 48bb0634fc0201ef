from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from riftwatch.ingest import read_inputs
from riftwatch.model import Document, Rejected

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def read():
    """read_inputs as a list split into (documents, rejected)."""

    def _read(*paths, **options) -> tuple[list[Document], list[Rejected]]:
        items = list(read_inputs([str(p) for p in paths], **options))
        docs = [i for i in items if isinstance(i, Document)]
        rejected = [i for i in items if isinstance(i, Rejected)]
        assert len(docs) + len(rejected) == len(items)
        return docs, rejected

    return _read


@pytest.fixture
def stdin(monkeypatch):
    """Replace stdin with the given bytes."""

    def _set(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))

    return _set
