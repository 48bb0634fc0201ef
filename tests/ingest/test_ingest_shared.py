"""Ingest over ../shared (skipped when it is absent)."""

from __future__ import annotations

import pytest

from riftwatch.ingest import FieldMap, read_inputs
from riftwatch.model import Document

pytestmark = pytest.mark.shared


def test_shared_corpus_every_line_becomes_one_document_with_a_unique_id(shared_dir):
    path = shared_dir / "corpus" / "tehran_times_afpak.jsonl"
    items = list(read_inputs([path], fields=FieldMap.parse(["id=tt_id"])))
    assert len(items) == 3826
    assert all(isinstance(i, Document) for i in items)
    assert len({i.id for i in items}) == 3826
    assert len({i.location for i in items}) == 3826
    assert all(i.published_source in ("unknown", "dateline") for i in items)


def test_shared_seed_article_is_one_document_without_header_or_dateline(shared_dir):
    (doc,) = read_inputs(sorted((shared_dir / "seed").glob("*.txt")))
    assert doc.title is None
    assert doc.published_source == "unknown"
    assert len(doc.text) > 5000
