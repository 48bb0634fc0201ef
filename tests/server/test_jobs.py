"""Coding jobs inside the server: POST /api/documents, /api/jobs, and --watch folders."""

from __future__ import annotations

import json

import pytest

from riftwatch.server.app import create_app
from riftwatch.server.watch import Watcher

from .conftest import TestClient, wait_jobs

TEXTS = [
    {
        "id": "job-1",
        "title": "Strike in Khost",
        "published": "2024-05-06",
        "text": "Pakistani jets bombed a village in Khost province on Sunday, killing four people.",
    },
    {
        "id": "job-2",
        "published": "2024-05-08",
        "text": "Afghan officials accused Pakistan of violating the border near Chaman.",
    },
]


@pytest.fixture
def server(coder, tmp_path):
    app = create_app(tmp_path / "jobs.duckdb", coder=coder, warm=False)
    with TestClient(app) as c:
        yield c


def test_posted_documents_are_coded_in_the_background(server):
    r = server.post("/api/documents", json={"documents": TEXTS})
    assert r.status_code == 202
    job_id = r.json()["job_id"]
    assert r.json()["accepted"] == 2
    wait_jobs(server)
    job = server.get(f"/api/jobs/{job_id}").json()
    assert job["status"] == "done" and job["error"] is None
    assert job["documents"] == 2 and job["events"] >= 2
    assert job["submitted_at"] <= job["finished_at"]
    events = server.get("/api/events", params={"document_id": "job-1"}).json()
    assert events["total"] >= 1
    assert server.get("/api/health").json()["counts"]["documents"] == 2


def test_posting_the_same_texts_again_codes_nothing_new(server):
    server.post("/api/documents", json={"documents": TEXTS})
    wait_jobs(server)
    before = server.get("/api/health").json()["counts"]
    server.post("/api/documents", json={"documents": TEXTS})
    jobs = wait_jobs(server)
    assert jobs[0]["documents"] == 0 and jobs[0]["skipped"] == 2
    assert server.get("/api/health").json()["counts"] == before


def test_cached_answers_follow_new_data(server):
    assert server.get("/api/dyads/top").json() == []
    version = server.get("/api/health").json()["data_version"]
    server.post("/api/documents", json={"documents": TEXTS})
    wait_jobs(server)
    assert server.get("/api/dyads/top").json() != []
    assert server.get("/api/health").json()["data_version"] > version


def test_unknown_job_is_404(server):
    assert server.get("/api/jobs/nope").status_code == 404


def test_watched_folder_files_are_coded_once_stable(coder, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    app = create_app(
        tmp_path / "watch.duckdb",
        coder=coder,
        watch_dir=inbox,
        warm=False,
        watch_interval=3600,  # the test drives the polls itself
    )
    watcher: Watcher = app.state.watcher
    with TestClient(app) as c:
        path = inbox / "wire.jsonl"
        path.write_text(json.dumps(TEXTS[0]) + "\n", encoding="utf-8")
        assert watcher.scan() == []  # first sight: maybe still being written
        assert len(watcher.scan()) == 1  # unchanged since: queued
        assert watcher.scan() == []  # not queued twice
        wait_jobs(c)
        assert c.get("/api/events", params={"document_id": "job-1"}).json()["total"] >= 1
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(TEXTS[1]) + "\n")
        watcher.scan()
        assert len(watcher.scan()) == 1  # changed: queued again
        jobs = wait_jobs(c)
        assert jobs[0]["origin"] == "watch:wire.jsonl"
        assert jobs[0]["documents"] == 1 and jobs[0]["skipped"] == 1


def test_watcher_skips_hidden_files(tmp_path):
    class Jobs:
        def __init__(self):
            self.submitted = []

        def submit(self, items, origin):
            self.submitted.append(origin)

            class J:
                id = "x"

            return J()

    (tmp_path / ".partial.txt").write_text("Troops attacked a post.", encoding="utf-8")
    jobs = Jobs()
    w = Watcher(tmp_path, jobs)
    w.scan()
    w.scan()
    assert jobs.submitted == []


def test_a_failing_job_is_reported_and_the_server_lives_on(tmp_path):
    class BrokenCoder:
        def code_batch(self, documents):
            raise RuntimeError("model exploded")

    app = create_app(tmp_path / "broken.duckdb", coder=BrokenCoder(), warm=False)
    with TestClient(app) as c:
        c.post("/api/documents", json={"documents": TEXTS[:1]})
        job = wait_jobs(c)[0]
        assert job["status"] == "failed" and "model exploded" in job["error"]
        assert c.get("/api/health").json()["status"] == "ok"


def test_too_many_waiting_jobs_are_refused_with_429(tmp_path, monkeypatch):
    import threading

    from riftwatch.server import jobs as jobs_module

    gate = threading.Event()

    class SlowCoder:
        def code_batch(self, documents):
            gate.wait(30)
            return []

    monkeypatch.setattr(jobs_module, "MAX_PENDING", 1)
    app = create_app(tmp_path / "busy.duckdb", coder=SlowCoder(), warm=False)
    with TestClient(app) as c:
        assert c.post("/api/documents", json={"documents": TEXTS[:1]}).status_code == 202
        r = c.post("/api/documents", json={"documents": TEXTS[1:]})
        assert r.status_code == 429 and "retry" in r.json()["detail"]
        gate.set()
        wait_jobs(c)
        assert c.post("/api/documents", json={"documents": TEXTS[1:]}).status_code == 202
        wait_jobs(c)
