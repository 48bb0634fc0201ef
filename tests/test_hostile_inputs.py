"""Hostile and broken inputs beside good ones: each is handled with a clear message, no
traceback and no hang, and the good documents are stored (issue 8)."""

from __future__ import annotations

import gzip
import json
import os
import random

import duckdb
import pytest
from typer.testing import CliRunner

from riftwatch.cli import EXIT_REJECTED, app

GOOD = (
    "Title: Border clash\nDate: 2023-09-06\n\n"
    "Pakistani and Afghan forces exchanged fire at the Torkham crossing on Wednesday, "
    "officials said, and the border was closed to trade."
)


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    rng = random.Random(7)
    (d / "good.txt").write_text(GOOD)
    (d / "random.bin").write_bytes(bytes(rng.getrandbits(8) for _ in range(4096)))
    (d / "random.txt").write_bytes(bytes(rng.getrandbits(8) for _ in range(4096)))
    (d / "truncated.txt").write_bytes(
        ("Kabul said the talks would resume. " * 3).encode() + "é".encode()[:1]
    )
    (d / "nul.txt").write_bytes(b"Pakistan said\x00 the\x00 border\x00 was closed." * 20)
    (d / "one_line.txt").write_text("word " * 4_200_000)  # about 20 MB, no full stop
    nested = "[" * 10_000 + "]" * 10_000
    (d / "nested.json").write_text(nested)
    (d / "nested_line.jsonl").write_text(
        json.dumps({"text": GOOD.split("\n\n")[1], "id": "ok-line"}) + "\n" + nested + "\n"
    )
    (d / "semicolons.csv").write_text("id;title;text\n1;A;Pakistan closed the border.\n")
    scripts = "<script>alert('x')</script>" * 2000
    (d / "scripts.html").write_text(
        f"<html><head><title>t</title>{scripts}</head><body>{scripts}</body></html>"
    )
    (d / "long_sentence.txt").write_text(
        "Pakistan " + " ".join(["attacked"] * 5000) + " Afghanistan."
    )
    (d / "repeated.txt").write_text("The Taliban attacked a Pakistani post. " * 200_000)
    with gzip.open(d / "bomb.txt.gz", "wb") as fh:
        chunk = b"A" * 1_000_000
        for _ in range(120):
            fh.write(chunk)
    return d


@pytest.fixture(scope="module")
def hostile_run(hostile_folder, tmp_path_factory, coder):
    db = tmp_path_factory.mktemp("db") / "h.duckdb"
    result = CliRunner().invoke(
        app,
        ["code", str(hostile_folder), "--db", str(db), "--no-progress", "--max-bytes", "50000000"],
    )
    return result, db


def test_hostile_run_ends_with_the_rejected_status_and_no_traceback(hostile_run):
    result, _ = hostile_run
    assert result.exit_code == EXIT_REJECTED, result.output
    assert "Traceback" not in result.output


def test_hostile_run_stores_the_good_documents(hostile_run):
    _, db = hostile_run
    con = duckdb.connect(str(db), read_only=True)
    ids = {r[0] for r in con.execute("SELECT id FROM documents").fetchall()}
    titles = {r[0] for r in con.execute("SELECT title FROM documents").fetchall()}
    con.close()
    assert "ok-line" in ids and "Border clash" in titles


@pytest.mark.parametrize(
    "name",
    ["random.bin", "random.txt", "truncated.txt", "nested.json", "scripts.html", "bomb.txt.gz"],
)
def test_hostile_input_is_rejected_with_a_reason(hostile_run, name):
    _, db = hostile_run
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT input, reason FROM rejected").fetchall()
    con.close()
    reasons = [reason for inp, reason in rows if os.path.basename(inp) == name]
    assert reasons and all(len(r) > 5 for r in reasons), rows


def test_hostile_nested_json_line_is_rejected_and_its_good_line_kept(hostile_run):
    _, db = hostile_run
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT location FROM rejected WHERE input LIKE '%nested_line.jsonl'"
    ).fetchall()
    con.close()
    assert rows == [("line 2",)]


def test_hostile_every_input_is_stored_or_rejected(hostile_run, hostile_folder):
    _, db = hostile_run
    con = duckdb.connect(str(db), read_only=True)
    stored = {os.path.basename(r[0]) for r in con.execute("SELECT input FROM documents").fetchall()}
    rejected = {
        os.path.basename(r[0]) for r in con.execute("SELECT input FROM rejected").fetchall()
    }
    con.close()
    for path in hostile_folder.iterdir():
        assert path.name in stored | rejected, path.name
