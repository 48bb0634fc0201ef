"""Stored XSS: article text with <script> and onerror= payloads is data, never markup.

Payloads enter through POST /api/documents (coded by the real coder) and, for endpoints
the coder's output cannot reach deterministically (drivers evidence), through stored
synthetic documents; every JSON endpoint that returns text is then read back. The JSON
must parse, be served as application/json with nosniff, give the text back unchanged,
and hold no '<' at all in its bytes (``<`` ``>`` ``&`` are \\u escapes).
"""

from __future__ import annotations

import json

import pytest

from riftwatch.server.app import create_app

from .conftest import XSS_IMG, XSS_SCRIPT, TestClient, wait_jobs

POSTED = [
    {
        "id": "post-xss-1",
        "title": f"Border clash {XSS_SCRIPT}",
        "source": f"Frontier {XSS_IMG}",
        "published": "2024-05-06",
        "text": f"Pakistani forces {XSS_IMG} attacked Afghan border posts in Khost on Monday,"
        " killing five soldiers.",
    },
    {
        "id": "post-xss-2",
        "title": f"Accusation {XSS_IMG}",
        "published": "2024-05-07",
        "text": f"Afghan officials {XSS_SCRIPT} accused Pakistan of shelling villages in Kunar.",
    },
]


def check_json(r) -> object:
    """The checks every answer carrying stored text must pass; returns the parsed body."""
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == "application/json"
    assert r.headers["x-content-type-options"] == "nosniff"
    raw = r.content.decode("utf-8")
    assert "<" not in raw and ">" not in raw
    return json.loads(raw)


def texts(body: object) -> list[str]:
    out: list[str] = []
    if isinstance(body, dict):
        for v in body.values():
            out += texts(v)
    elif isinstance(body, list):
        for v in body:
            out += texts(v)
    elif isinstance(body, str):
        out.append(body)
    return out


def carries_payload(body: object) -> bool:
    return any(XSS_SCRIPT in t or XSS_IMG in t for t in texts(body))


@pytest.fixture(scope="module")
def posted(coder, tmp_path_factory):
    db = tmp_path_factory.mktemp("xss") / "posted.duckdb"
    with TestClient(create_app(db, coder=coder, warm=False)) as c:
        r = c.post("/api/documents", json={"documents": POSTED})
        assert r.status_code == 202
        jobs = wait_jobs(c)
        assert jobs[0]["status"] == "done" and jobs[0]["events"] > 0, jobs
        yield c


def test_posted_payloads_come_back_verbatim_as_escaped_json(posted):
    events = check_json(posted.get("/api/events"))
    assert events["items"] and carries_payload(events)
    for row in events["items"]:
        detail = check_json(posted.get(f"/api/events/{row['id']}"))
        assert carries_payload(detail["reports"])
        assert detail["text"] == row["text"]


def test_posted_documents_keep_their_text_and_titles(posted):
    listing = check_json(posted.get("/api/documents"))
    titles = {d["id"]: d["title"] for d in listing["items"]}
    assert titles["post-xss-1"] == POSTED[0]["title"]
    doc = check_json(posted.get("/api/documents/post-xss-1"))
    assert doc["text"] == POSTED[0]["text"]
    assert doc["highlights"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/events?q=onerror",
        "/api/actors/PAK",
        "/api/dyad?a=PAK&b=AFG",
        "/api/documents?q=script",
        "/api/places",
        "/api/network",
        "/api/jobs",
    ],
)
def test_every_text_endpoint_is_escaped_json_after_posting(posted, url):
    check_json(posted.get(url))


@pytest.mark.parametrize(
    "url",
    [
        "/api/events?limit=500",
        "/api/events?q=struck",
        "/api/documents/xss-1",
        "/api/documents/xss-2",
        "/api/documents?q=strike",
        "/api/actors/PAK:MIL?since=2024-03-01&until=2024-03-10",
        "/api/shifts?a=IND&b=PAK",
    ],
)
def test_stored_payloads_are_escaped_json_everywhere(client, url):
    body = check_json(client.get(url))
    assert carries_payload(body)


def test_error_details_quoting_input_are_escaped(client):
    r = client.get(f"/api/events/{XSS_IMG}")
    assert r.status_code == 404
    assert "<" not in r.content.decode() and XSS_IMG in r.json()["detail"]


@pytest.mark.parametrize("path", ["/", "/events", "/documents/xss-1", "/actors/PAK:MIL"])
def test_pages_never_echo_a_payload_unescaped(client, path):
    r = client.get(path)
    if r.status_code == 404:
        pytest.skip(f"no page at {path} yet")
    assert XSS_SCRIPT not in r.text and XSS_IMG not in r.text
