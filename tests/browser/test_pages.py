"""The dashboard's HTML shells and assets, without a browser: offline, no data in the HTML,
a strict Content-Security-Policy, plotly.js and the basemap served by the app itself."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from riftwatch.server.pages import PAGES, STATIC_DIR, plotly_js_path

PAGE_PATHS = [
    "/",
    "/dyad?a=PAK&b=AFG",
    "/map",
    "/network",
    "/events",
    "/documents/doc1?event=ev-1",
    "/actors/PAK",
    "/actors?q=Pakistan",
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import warnings

    from riftwatch.server.app import create_app

    with warnings.catch_warnings():
        # starlette's TestClient warns at import that it would like httpx2 (httpx is installed)
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    db = tmp_path_factory.mktemp("pages") / "empty.duckdb"
    with TestClient(create_app(db, warm=False)) as c:
        yield c


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_page_is_html_with_nav_and_its_own_script(client: Any, path: str) -> None:
    res = client.get(path)
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/html")
    assert '<nav aria-label="pages">' in res.text
    assert re.search(r'<script src="/static/js/\w+\.js"></script>', res.text)


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_page_csp_allows_only_this_server(client: Any, path: str) -> None:
    csp = client.get(path).headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "connect-src 'self'" in csp
    assert "http" not in csp


def test_page_shell_does_not_echo_the_path(client: Any) -> None:
    res = client.get("/documents/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert res.status_code == 200
    assert "alert(1)" not in res.text


def test_every_page_has_a_fragment_and_a_script() -> None:
    for name in PAGES:
        assert (STATIC_DIR / "pages" / f"{name}.html").is_file()
        assert (STATIC_DIR / "js" / f"{name}.js").is_file()


def test_static_files_reference_no_other_host() -> None:
    for path in STATIC_DIR.rglob("*"):
        if path.suffix in {".js", ".html", ".css"}:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text, re.I), path


def test_script_sources_are_local(client: Any) -> None:
    for path in PAGE_PATHS:
        for src in re.findall(
            r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', client.get(path).text
        ):
            assert src.startswith("/static/"), src


def test_page_scripts_never_assign_innerhtml() -> None:
    for path in (STATIC_DIR / "js").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(
            r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", text
        ), path


def test_plotly_js_comes_from_the_installed_package(client: Any) -> None:
    res = client.get("/static/vendor/plotly.min.js", headers={"Accept-Encoding": "identity"})
    assert res.status_code == 200
    assert res.content == Path(plotly_js_path()).read_bytes()
    assert "javascript" in res.headers["content-type"]


def test_plotly_js_is_sent_gzipped_to_browsers_that_accept_it(client: Any) -> None:
    res = client.get("/static/vendor/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    assert res.headers["content-encoding"] == "gzip"
    assert int(res.headers["content-length"]) < plotly_js_path().stat().st_size / 2


def test_plover_reference_gives_a_quad_for_every_type(client: Any) -> None:
    types = client.get("/static/plover.json").json()["event_types"]
    assert len(types) == 16
    assert {t["quad_code"] for t in types} == {1, 2, 3, 4}


def test_basemap_json_is_served_with_countries(client: Any) -> None:
    pytest.importorskip("shapefile")
    res = client.get("/static/basemap.json", headers={"Accept-Encoding": "gzip"})
    assert res.status_code == 200
    data = res.json()  # httpx undoes the gzip
    assert {"AFG", "PAK"} <= {c["iso3"] for c in data["countries"]}
    assert "public domain" in data["licence"]


def test_gzip_blob_round_trips() -> None:
    from riftwatch.server.pages import _Blob

    blob = _Blob.of(b"x" * 1000, "text/plain")
    assert gzip.decompress(blob.gz) == blob.raw
