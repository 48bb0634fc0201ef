"""Fixtures for the browser tests: a test database, the app on a free loopback port, and
Chromium pages that fail the test on a console error, a dialog or any non-local request.

Skips (with the reason) when Playwright or Debian's Chromium is missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}

XSS_TITLE = '<script>window.__pwned = "title"</script> Border <img src=x onerror="alert(1)">'
XSS_SENTENCE = "Pakistani troops clashed with Afghan border guards near Chaman on Sunday."
XSS_TEXT = (
    f"{XSS_SENTENCE} <script>alert('xss')</script> A witness scrawled "
    "<img src=x onerror=\"alert('pwned')\"> on the customs wall, officials said."
)

_TOWNS = ["Herat", "Multan", "Lahore", "Mazar", "Quetta", "Hyderabad", "Sukkur", "Gilgit"]
_GOODS = ["apricots", "carpets", "saffron", "melons", "copper pots", "shawls", "walnuts", "tea"]
LONG_TEXT = "\n\n".join(
    [
        f"On day {i + 1} of the autumn fair, musicians from {_TOWNS[i % 8]} played in the old "
        f"square while vendors sold {_GOODS[(i * 3) % 8]} under striped awnings."
        for i in range(24)
    ]
    + ["Pakistani border police arrested three smugglers near Torkham on Thursday, officials said."]
)
"""A long report whose only event is in its last paragraph (the view must scroll to it)."""

# Short reports written for these tests (the analysis layer's synthetic story adds volume).
ARTICLES: list[dict[str, Any]] = [
    {
        "id": "art-long",
        "title": "Autumn fair, and arrests at Torkham",
        "published": "2024-06-20",
        "source": "Border Desk",
        "text": LONG_TEXT,
    },
    {
        "id": "art-khost",
        "title": "Pakistani jets strike hideouts in Khost",
        "published": "2024-06-11",
        "source": "Test Wire",
        "url": "https://news.example.org/khost",
        "text": (
            "Pakistani military aircraft struck suspected militant hideouts in Khost province "
            "on Tuesday, killing at least eight people, Afghan officials said.\n\n"
            "The Taliban government in Kabul condemned the strikes and warned Islamabad of "
            "serious consequences."
        ),
    },
    {
        "id": "art-torkham",
        "title": "Officials meet at Torkham to reopen crossing",
        "published": "2024-06-03",
        "source": "Border Desk",
        "text": (
            "Pakistani and Afghan officials met at Torkham on Monday to discuss reopening the "
            "border crossing. Both sides agreed to resume trade from next week."
        ),
    },
    {
        "id": "art-bannu",
        "title": "Checkpoint attacked in Bannu",
        "published": "2024-06-14",
        "source": "Test Wire",
        "text": (
            "Militants of the Tehreek-e-Taliban Pakistan attacked a police checkpoint in Bannu "
            "district on Friday, killing four policemen. Pakistan accused the Afghan Taliban "
            "of sheltering the attackers."
        ),
    },
    {
        "id": "art-chaman-aid",
        "title": "Wheat convoy crosses at Chaman",
        "published": "2024-05-22",
        "source": "Relief Monitor",
        "text": (
            "Pakistan sent a convoy of wheat and medicine to Afghanistan through the Chaman "
            "crossing on Wednesday, the foreign ministry said."
        ),
    },
    {
        "id": "xss-doc",
        "title": XSS_TITLE,
        "published": "2024-06-16",
        "source": '<b onmouseover="alert(2)">Wire</b>',
        "url": "javascript:alert(3)",
        "text": XSS_TEXT,
    },
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_database(path: Path, coder: Any) -> dict[str, Any]:
    """Code ARTICLES with the real coder, then add the synthetic PAK–AFG story for volume."""
    from riftwatch.analysis.synthetic import insert_coded, relation_story
    from riftwatch.api import code_documents, make_document
    from riftwatch.store import Store

    store = Store(path)
    try:
        insert_coded(store.con, relation_story())
        docs = [
            make_document(
                a["text"],
                id=a["id"],
                title=a["title"],
                published=dt.date.fromisoformat(a["published"]),
                source=a.get("source"),
                url=a.get("url"),
            )
            for a in ARTICLES
        ]
        summary = code_documents(docs, store, coder=coder)
        coded = {
            r[0]: r[1]
            for r in store.con.execute(
                "SELECT document_id, min(event_id) FROM event_mentions"
                " WHERE document_id IN (SELECT unnest(?)) GROUP BY document_id",
                [[a["id"] for a in ARTICLES]],
            ).fetchall()
        }
    finally:
        store.close()
    return {"events_by_document": coded, "summary": summary}


@dataclass
class LiveServer:
    url: str
    db: Path
    info: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, coder: Any) -> Iterator[LiveServer]:
    """The riftwatch app served by uvicorn on a free 127.0.0.1 port, over a test database."""
    pytest.importorskip("uvicorn")
    from riftwatch.server.app import create_app

    db = tmp_path_factory.mktemp("browser") / "dashboard.duckdb"
    info = build_database(db, coder)
    with serve(create_app(db, coder=coder)) as url:
        yield LiveServer(url, db, info)


TOKEN = "browser-test-token-5f2c9a71d0"
SLASHED_ID = "feeds/border desk/2024-07-02"
"""A document id with slashes and a space, as a feed-path id might be."""


@pytest.fixture(scope="session")
def locked_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app started with a token, over the synthetic story plus a slash-id document."""
    pytest.importorskip("uvicorn")
    from riftwatch.analysis.synthetic import Mention, coded_document, insert_coded, relation_story
    from riftwatch.server.app import create_app
    from riftwatch.store import Store

    db = tmp_path_factory.mktemp("locked") / "locked.duckdb"
    slashed = coded_document(
        SLASHED_ID,
        [
            Mention(
                "ASSAULT",
                "PAK:MIL",
                "AFG:GOV",
                dt.date(2024, 7, 1),
                "Khost",
                "Artillery fire from across the frontier hit a checkpoint in Khost.",
            )
        ],
        title="Checkpoint shelled in Khost",
    )
    with Store(db) as store:
        insert_coded(store.con, [*relation_story(), slashed])
        event_id = store.con.execute(
            "SELECT event_id FROM event_mentions WHERE document_id = ?", [SLASHED_ID]
        ).fetchone()[0]
    with serve(create_app(db, token=TOKEN, warm=False)) as url:
        yield LiveServer(url, db, {"token": TOKEN, "slashed_event": event_id})


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port (in a thread); yields its URL."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="riftwatch-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (skips when either is missing)."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright Python package is not installed"
    )
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("/usr/bin/chromium is missing (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Watch:
    """What a page did that a test must not let pass."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.external_requests, f"requests to other hosts: {self.external_requests}"
        assert not self.dialogs, f"dialogs opened (script ran): {self.dialogs}"
        assert not self.page_errors, f"uncaught page errors: {self.page_errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.failed_requests, f"failed requests: {self.failed_requests}"


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh page (1400x900) whose console errors, dialogs and foreign requests are recorded;
    the test fails at teardown if any happened."""
    yield from watched_page(browser)


def watched_page(browser: Any) -> Iterator[Any]:
    """A page in a new context, watched as the ``page`` fixture describes (a generator)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    watch = Watch()

    def guard(route: Any) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            watch.external_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: watch.page_errors.append(str(e)))

    def on_failed(r: Any) -> None:
        # a navigation cancels the previous page's pending fetches: that is not a failure
        if "ERR_ABORTED" not in (r.failure or ""):
            watch.failed_requests.append(f"{r.url} {r.failure}")

    pg.on("requestfailed", on_failed)

    def on_dialog(d: Any) -> None:
        watch.dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", on_dialog)
    pg.watch = watch  # type: ignore[attr-defined]
    try:
        yield pg
        watch.assert_clean()
    finally:
        context.close()


def _screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if full_page:  # from the top: a sticky top bar would otherwise be drawn mid-page
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture
def screenshot() -> Any:
    """``screenshot(page, name)`` saves build/screenshots/NAME.png (for people to look at)."""
    return _screenshot


@pytest.fixture(scope="session")
def xss() -> dict[str, str]:
    """The hostile strings stored in the test database's ``xss-doc`` document."""
    return {"title": XSS_TITLE, "sentence": XSS_SENTENCE, "text": XSS_TEXT}
