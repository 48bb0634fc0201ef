"""Token, cookie login, read-only mode, body size limits, bind address and headers."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from riftwatch.cli import app as cli_app
from riftwatch.errors import ConfigError, StoreError
from riftwatch.server.app import create_app
from riftwatch.server.security import check_bind, is_loopback, token_matches

from .conftest import TOKEN, TestClient

DOC = {"documents": [{"text": "Pakistani troops attacked a post in Khost."}]}


@pytest.fixture
def locked(story_db):
    with TestClient(create_app(story_db, token=TOKEN, warm=False)) as c:
        yield c


@pytest.mark.parametrize("path", ["/api/health", "/api/events", "/openapi.json", "/docs", "/"])
def test_token_is_required_on_every_route(locked, path):
    r = locked.get(path)
    assert r.status_code == 401
    assert "token" in r.json()["detail"]
    assert r.headers["www-authenticate"].startswith("Bearer")


def test_bearer_token_is_accepted(locked):
    r = locked.get("/api/health", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200


def test_wrong_bearer_token_is_refused(locked):
    r = locked.get("/api/health", headers={"Authorization": f"Bearer {TOKEN}x"})
    assert r.status_code == 401


def test_basic_auth_is_not_a_bearer_token(locked):
    r = locked.get("/api/health", headers={"Authorization": f"Basic {TOKEN}"})
    assert r.status_code == 401


def test_token_in_url_sets_a_strict_httponly_cookie_and_drops_the_token(locked):
    r = locked.get(f"/api/events?limit=2&token={TOKEN}", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/api/events?limit=2"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"riftwatch_token={TOKEN}")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_token_redirect_keeps_the_encoded_path(locked):
    r = locked.get(f"/documents/wire%2F2024%20a?event=e1&token={TOKEN}", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/documents/wire%2F2024%20a?event=e1"


def test_cookie_login_then_browses_without_the_token(locked):
    locked.get(f"/?token={TOKEN}", follow_redirects=False)
    assert locked.get("/api/health").status_code == 200
    locked.cookies.clear()
    assert locked.get("/api/health").status_code == 401


def test_wrong_token_in_url_sets_no_cookie(locked):
    r = locked.get("/api/health?token=guess", follow_redirects=False)
    assert r.status_code == 401 and "set-cookie" not in r.headers


def test_wrong_cookie_is_refused(locked):
    locked.cookies.set("riftwatch_token", "guess")
    try:
        assert locked.get("/api/health").status_code == 401
    finally:
        locked.cookies.clear()


def test_token_comparison():
    assert token_matches(TOKEN, TOKEN)
    assert not token_matches(TOKEN[:-1], TOKEN)
    assert not token_matches(None, TOKEN)
    assert not token_matches("", TOKEN)


@pytest.fixture
def read_only(fresh_db):
    with TestClient(create_app(fresh_db, read_only=True, warm=False)) as c:
        yield c


def test_read_only_refuses_post(read_only):
    r = read_only.post("/api/documents", json=DOC)
    assert r.status_code == 403 and "read-only" in r.json()["detail"]


def test_read_only_still_serves_reads(read_only):
    body = read_only.get("/api/health").json()
    assert body["read_only"] is True and body["counts"]["events"] > 0


def test_read_only_cannot_watch_a_folder(fresh_db, tmp_path):
    with pytest.raises(StoreError, match="read-only"):
        create_app(fresh_db, read_only=True, watch_dir=tmp_path)


@pytest.fixture
def small(fresh_db):
    with TestClient(create_app(fresh_db, max_body_bytes=2000, warm=False)) as c:
        yield c


def test_oversize_upload_is_413_with_a_clear_message(small):
    big = {"documents": [{"text": "Troops attacked a post. " * 200}]}
    r = small.post("/api/documents", json=big)
    assert r.status_code == 413
    assert "limit" in r.json()["detail"] and "--max-upload-mb" in r.json()["detail"]
    assert small.get("/api/jobs").json() == []


def test_oversize_chunked_upload_without_length_is_413(small):
    def chunks():
        for _ in range(10):
            yield b'{"documents": [' + b" " * 500

    r = small.post("/api/documents", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_post_needs_json_content_type(client):
    r = client.post("/api/documents", content=b"text=hello", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"docs": []}', '{"documents"'),
        (b'{"documents": []}', "empty"),
        (b'{"documents": [{"title": "x"}]}', "documents[0].text"),
        (b'{"documents": [{"text": 5}]}', "documents[0].text"),
        (b'{"documents": [{"text": "a", "published": "May 5"}]}', "published"),
        (b'{"documents": [{"text": "a", "html": "<b>"}]}', "unknown field"),
    ],
)
def test_bad_document_bodies_are_400_naming_the_problem(client, body, detail):
    r = client.post("/api/documents", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert detail in r.json()["detail"]


def test_api_answers_carry_protective_headers(client):
    r = client.get("/api/events")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_unexpected_host_is_refused_when_hosts_are_pinned(story_db):
    app = create_app(story_db, allowed_hosts=["127.0.0.1", "localhost"], warm=False)
    with TestClient(app) as c:
        assert c.get("/api/health", headers={"Host": "attacker.example"}).status_code == 400
        assert c.get("/api/health", headers={"Host": "127.0.0.1:8000"}).status_code == 200


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_addresses(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org", "::"])
def test_other_addresses_need_a_token(host):
    assert not is_loopback(host)
    with pytest.raises(ConfigError, match="without a token"):
        check_bind(host, None)
    check_bind(host, TOKEN)


def test_short_tokens_are_refused():
    with pytest.raises(ConfigError, match="too short"):
        check_bind("127.0.0.1", "abc")


def test_serve_refuses_a_public_address_without_a_token(tmp_path, monkeypatch):
    monkeypatch.delenv("RIFTWATCH_TOKEN", raising=False)
    db = tmp_path / "x.duckdb"
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(db), "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "without a token" in result.output
    assert not db.exists()
