from __future__ import annotations

import datetime as dt
import time
import warnings
from pathlib import Path

import pytest

from riftwatch.analysis.synthetic import Mention, coded_document, insert_coded, relation_story
from riftwatch.server.app import create_app
from riftwatch.store import Store

with warnings.catch_warnings():
    # starlette's TestClient warns at import that it would like httpx2 (httpx is installed)
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TOKEN = "test-token-0123456789abcdef"

XSS_SCRIPT = "<script>alert('rw-xss')</script>"
XSS_IMG = '<img src=x onerror="alert(1)">'


def hostile_documents() -> list:
    """Two documents whose title and sentences carry script and onerror payloads."""
    day = dt.date(2024, 3, 4)
    # an IND–PAK dyad that turns from agreement to shelling in 2023, every sentence hostile,
    # so the drivers of its shift quote payloads as evidence
    turn = [
        coded_document(
            f"xss-turn-{i:02d}",
            [
                Mention(
                    "AGREE" if i < 12 else "ASSAULT",
                    "IND:GOV" if i < 12 else "IND:MIL",
                    "PAK:GOV",
                    dt.date(2022 + i // 12, i % 12 + 1, 10 + k),
                    None,
                    f"Delhi {XSS_IMG} agreed with Islamabad."
                    if i < 12
                    else f"Indian guns {XSS_SCRIPT} shelled Pakistani posts.",
                )
                for k in range(3)
            ],
            title=f"Turn {i} {XSS_SCRIPT}",
        )
        for i in range(24)
    ]
    return turn + [
        coded_document(
            "xss-1",
            [
                Mention(
                    "ASSAULT",
                    "PAK:MIL",
                    "AFG:GOV",
                    day,
                    "Khost",
                    f"Jets {XSS_SCRIPT} struck a post in Khost.",
                    dead=3,
                )
            ],
            title=f"Strike {XSS_IMG}",
        ),
        coded_document(
            "xss-2",
            [
                Mention(
                    "ACCUSE", "AFG:GOV", "PAK:GOV", day, None, f"Kabul {XSS_IMG} blamed Islamabad."
                )
            ],
            title=f"Blame {XSS_SCRIPT}",
            source=f"Wire {XSS_IMG}",
        ),
    ]


def make_store(path: Path, *, hostile: bool = False) -> Path:
    with Store(path) as store:
        coded = relation_story()
        if hostile:
            coded += hostile_documents()
        insert_coded(store.con, coded)
    return path


@pytest.fixture(scope="session")
def story_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic PAK–AFG story plus two documents with XSS payloads (never written to)."""
    return make_store(tmp_path_factory.mktemp("server") / "story.duckdb", hostile=True)


@pytest.fixture(scope="session")
def client(story_db: Path):
    app = create_app(story_db)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    """A store of the story of its own, for tests that write or reopen it."""
    return make_store(tmp_path / "fresh.duckdb")


def wait_jobs(client: TestClient, timeout: float = 120.0) -> list[dict]:
    """Poll /api/jobs until no job is queued or running."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        jobs = client.get("/api/jobs").json()
        if all(j["status"] in ("done", "failed") for j in jobs):
            return jobs
        time.sleep(0.1)
    raise AssertionError("coding jobs did not finish in time")
