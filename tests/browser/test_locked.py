"""A token-protected server in a real browser: one visit with ``?token=`` sets the cookie,
then every page loads its data; without the token or the cookie everything is 401.

The server also holds a document whose id has slashes and a space, opened from its URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from .conftest import SLASHED_ID, TOKEN, watched_page

pytestmark = pytest.mark.browser


@pytest.fixture
def locked_page(browser: Any, locked_server: Any) -> Iterator[Any]:
    """A watched page (no console error, dialog or foreign request) with no cookie yet."""
    yield from watched_page(browser)


def _cookie(page: Any) -> dict[str, Any] | None:
    return next((c for c in page.context.cookies() if c["name"] == "riftwatch_token"), None)


def test_token_in_url_sets_a_strict_httponly_cookie_and_leaves_the_url(
    locked_page: Any, locked_server: Any
) -> None:
    response = locked_page.goto(f"{locked_server.url}/?token={TOKEN}")
    assert response is not None and response.status == 200
    assert "token" not in locked_page.url
    cookie = _cookie(locked_page)
    assert cookie is not None and cookie["value"] == TOKEN
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert locked_page.evaluate("document.cookie") == ""  # not readable by scripts


def test_after_login_the_pages_load_their_data(
    locked_page: Any, locked_server: Any, screenshot: Any
) -> None:
    locked_page.goto(f"{locked_server.url}/?token={TOKEN}")
    locked_page.wait_for_selector("#dyads table tbody tr a")
    locked_page.wait_for_selector("#volume .main-svg")
    assert "events" in locked_page.locator("#live").inner_text()
    screenshot(locked_page, "locked-overview")
    locked_page.goto(f"{locked_server.url}/events?actor=PAK:MIL")
    locked_page.wait_for_selector("#events-table tbody tr")
    assert "Pakistan military" in locked_page.locator("#events-table tbody").inner_text()


def test_after_login_a_slashed_document_id_opens_with_its_evidence(
    locked_page: Any, locked_server: Any, screenshot: Any
) -> None:
    event_id = locked_server.info["slashed_event"]
    path = "/documents/" + quote(SLASHED_ID, safe="") + f"?event={event_id}"
    locked_page.goto(f"{locked_server.url}{path}&token={TOKEN}")
    locked_page.wait_for_selector("#evidence")
    assert locked_page.locator("#doc-title").inner_text() == "Checkpoint shelled in Khost"
    assert "checkpoint in Khost" in locked_page.locator("#evidence").inner_text()
    assert f"id {SLASHED_ID}" in locked_page.locator("#doc-meta").inner_text()
    locked_page.wait_for_selector("#event dl.facts")
    actor = locked_page.locator("#event dl.facts dd").nth(2).inner_text()
    assert actor == "Pakistan military PAK:MIL"
    screenshot(locked_page, "locked-document", full_page=False)


def test_without_token_pages_and_api_are_401(browser: Any, locked_server: Any) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        response = page.goto(f"{locked_server.url}/events")
        assert response is not None and response.status == 401
        assert "token" in page.locator("body").inner_text()
        api = context.request.get(f"{locked_server.url}/api/events")
        assert api.status == 401 and "token" in api.json()["detail"]
        assert not context.cookies()
    finally:
        context.close()


def test_wrong_token_in_url_is_401_and_sets_no_cookie(browser: Any, locked_server: Any) -> None:
    context = browser.new_context()
    try:
        response = context.new_page().goto(f"{locked_server.url}/?token=not-the-token")
        assert response is not None and response.status == 401
        assert not context.cookies()
    finally:
        context.close()
