"""Dashboard pages: HTML shells, the static assets, plotly.js and the basemap, all local.

Every page is a fixed HTML shell (layout + the page's own fragment from
``static/pages/``) that never contains stored data: the page's script fetches JSON from
``/api/...`` and builds the DOM with text nodes, so article text cannot become markup.
Path parameters (a document id, an actor selector) are read by the script from the URL,
not echoed into the HTML. A Content-Security-Policy allowing only same-origin scripts,
styles, images and requests backs this up: nothing on a page can reach another host.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).parent / "static"

CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""plotly.js needs ``unsafe-eval`` (it compiles some functions) and inline styles (it sets
``style`` attributes); no inline script is allowed, and every source is this server."""

PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


@dataclass(frozen=True, slots=True)
class Page:
    name: str
    title: str
    plotly: bool = True


PAGES = {
    "overview": Page("overview", "Overview"),
    "dyad": Page("dyad", "Dyad"),
    "map": Page("map", "Map"),
    "network": Page("network", "Network"),
    "events": Page("events", "Events", plotly=False),
    "document": Page("document", "Document", plotly=False),
    "actor": Page("actor", "Actor"),
}

NAV = [
    ("/", "overview", "Overview"),
    ("/events", "events", "Events"),
    ("/dyad", "dyad", "Dyads"),
    ("/map", "map", "Map"),
    ("/network", "network", "Network"),
]

_LAYOUT = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · riftwatch</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/css/riftwatch.css">
</head>
<body data-page="{name}">
<header class="topbar">
<a class="brand" href="/">rift<span>watch</span></a>
<nav aria-label="pages">{nav}</nav>
<form class="actor-jump" action="/actors" method="get" role="search">
<input name="q" list="actor-options" placeholder="Actor (PAK, AFG:GOV, TTP)…" aria-label="go to actor" autocomplete="off">
<datalist id="actor-options"></datalist>
</form>
<span id="live" class="live" title="data counts; updates as coding jobs land"></span>
</header>
<main id="main">
{body}
</main>
<footer class="foot">riftwatch · PLOVER event data · every number links to its sentence</footer>
{scripts}
</body>
</html>
"""


@cache
def render_page(name: str) -> str:
    """The page's HTML shell (no data in it: the script fills it from the API)."""
    page = PAGES[name]
    nav = "".join(
        f'<a href="{href}"{" aria-current=page" if key == name else ""}>{label}</a>'
        for href, key, label in NAV
    )
    body = (STATIC_DIR / "pages" / f"{name}.html").read_text(encoding="utf-8")
    scripts = []
    if page.plotly:
        scripts.append('<script src="/static/vendor/plotly.min.js"></script>')
    scripts.append('<script src="/static/js/common.js"></script>')
    scripts.append(f'<script src="/static/js/{name}.js"></script>')
    return _LAYOUT.format(
        title=page.title, name=name, nav=nav, body=body, scripts="\n".join(scripts)
    )


def _page(name: str) -> HTMLResponse:
    return HTMLResponse(render_page(name), headers=PAGE_HEADERS)


@dataclass(frozen=True, slots=True)
class _Blob:
    """An asset held in memory with its gzip form (plotly.js is 4.6 MB, 1.4 MB gzipped)."""

    raw: bytes
    gz: bytes
    media_type: str

    @classmethod
    def of(cls, raw: bytes, media_type: str) -> _Blob:
        return cls(raw, gzip.compress(raw, compresslevel=6, mtime=0), media_type)

    def response(self, request: Request) -> Response:
        headers = {"Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(self.gz, media_type=self.media_type, headers=headers)
        return Response(self.raw, media_type=self.media_type, headers=headers)


def plotly_js_path() -> Path:
    """plotly.min.js as shipped inside the installed plotly package."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@lru_cache(maxsize=1)
def _plotly_blob() -> _Blob:
    return _Blob.of(plotly_js_path().read_bytes(), "text/javascript; charset=utf-8")


@lru_cache(maxsize=1)
def _basemap_blob() -> _Blob:
    from .basemap import load_basemap

    return _Blob.of(load_basemap().to_json(), "application/json")


@lru_cache(maxsize=1)
def plover_reference() -> dict[str, Any]:
    """Event types with their quad (for colouring charts by quad), from the shipped tables."""
    from ..events.tables import plover_tables

    tables = plover_tables()
    types = []
    for name in tables.event_types:
        et = tables.event_types[name]
        types.append({"event": name, "quad_code": et.quad_code, "quad_name": et.quad_name})
    return {"event_types": types}


def mount_pages(app: FastAPI) -> None:
    """Add the dashboard's HTML pages and static assets to ``app``."""

    @app.get("/", include_in_schema=False)
    def overview_page() -> HTMLResponse:
        return _page("overview")

    @app.get("/dyad", include_in_schema=False)
    def dyad_page() -> HTMLResponse:
        return _page("dyad")

    @app.get("/map", include_in_schema=False)
    def map_page() -> HTMLResponse:
        return _page("map")

    @app.get("/network", include_in_schema=False)
    def network_page() -> HTMLResponse:
        return _page("network")

    @app.get("/events", include_in_schema=False)
    def events_page() -> HTMLResponse:
        return _page("events")

    @app.get("/documents/{document_id:path}", include_in_schema=False)
    def document_page(document_id: str) -> HTMLResponse:
        return _page("document")

    @app.get("/actors", include_in_schema=False)
    def actor_search_page() -> HTMLResponse:
        return _page("actor")

    @app.get("/actors/{selector}", include_in_schema=False)
    def actor_page(selector: str) -> HTMLResponse:
        return _page("actor")

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js(request: Request) -> Response:
        return _plotly_blob().response(request)

    @app.get("/static/basemap.json", include_in_schema=False)
    def basemap(request: Request) -> Response:
        from .basemap import BasemapUnavailable

        try:
            blob = _basemap_blob()
        except BasemapUnavailable as e:
            return JSONResponse({"detail": str(e)}, status_code=404)
        return blob.response(request)

    @app.get("/static/plover.json", include_in_schema=False)
    def plover_json() -> Response:
        return Response(
            json.dumps(plover_reference()),
            media_type="application/json",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
