"""Fixtures for the Ray engine: one local Ray (2 CPUs) per session, and a sample corpus.

The sample mixes the input kinds the engine reads: a JSON Lines file, a folder of text
files (with a hidden draft both engines must skip) and a Parquet file, 22 documents of
the demo corpus (written for this project). The local engine reads the same records from
a JSON file instead of the Parquet file, which it does not read.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


@dataclass(frozen=True)
class Sample:
    root: Path
    wire: Path
    articles: Path
    roundup_json: Path
    roundup_parquet: Path

    @property
    def local_inputs(self) -> list[str]:
        return [str(self.wire), str(self.articles), str(self.roundup_json)]

    @property
    def ray_inputs(self) -> list[str]:
        return [str(self.wire), str(self.articles), str(self.roundup_parquet)]


@pytest.fixture(scope="session")
def ray_local():
    """A local Ray with 2 CPUs for the whole session (skips when Ray is absent)."""
    ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'ray[data]')")
    pytest.importorskip("ray.data", reason="ray[data] is not installed")
    if not ray.is_initialized():
        ray.init(
            num_cpus=2, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False
        )
    yield ray
    ray.shutdown()


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = tmp_path_factory.mktemp("scale-sample")
    wire = root / "corpus" / "wire.jsonl"
    wire.parent.mkdir()
    shutil.copy(DEMO / "batch" / "pak_afg_wire_2021_2024.jsonl", wire)
    articles = root / "corpus" / "articles"
    (articles / "2022").mkdir(parents=True)
    texts = sorted((DEMO / "articles").glob("*.txt"))[:4]
    for i, src in enumerate(texts):
        shutil.copy(src, (articles / "2022" if i % 2 else articles) / src.name)
    (articles / ".draft.txt").write_text("Title: draft\n\nA draft nobody should code.\n")
    records = json.loads((DEMO / "batch" / "hindukush_roundup.json").read_text())[:4]
    roundup_json = root / "roundup.json"
    roundup_json.write_text(json.dumps(records))
    roundup_parquet = root / "roundup.parquet"
    pq.write_table(pa.Table.from_pylist(records), roundup_parquet)
    return Sample(root, wire, articles, roundup_json, roundup_parquet)


@pytest.fixture(scope="session")
def local_db(sample: Sample, coder, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample coded by the local engine."""
    from riftwatch.api import code_documents
    from riftwatch.ingest import read_inputs

    db = tmp_path_factory.mktemp("scale-local") / "local.duckdb"
    summary = code_documents(read_inputs(sample.local_inputs), db, coder=coder)
    assert summary.rejected == 0 and summary.documents == 22
    return db
