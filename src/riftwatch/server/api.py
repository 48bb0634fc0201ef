"""The JSON endpoints (``/api/...``) of the riftwatch server; see docs/api.md.

Handlers are plain ``def`` functions: FastAPI runs them in its thread pool, and each
thread reads the store through its own DuckDB cursor (``ServerState.cursor``). Aggregate
answers that scan the whole table (top dyads, recent shifts, network, actors) are cached
until the next write, so a dashboard refresh does not recompute them.
"""

from __future__ import annotations

import html
import json
import logging
from typing import Any

import duckdb
from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.responses import JSONResponse as _StarletteJSON

from ..errors import ConfigError
from . import queries as Q
from .jobs import QueueFull


class JSONResponse(_StarletteJSON):
    """JSON with ``<``, ``>`` and ``&`` written as ``\\u`` escapes.

    The same JSON to any parser, but article text carrying ``<script>`` or ``onerror=``
    payloads can never appear as markup in the body, even if a client or a proxy were to
    render a response as HTML (defence in depth: the pages escape text anyway, and the
    answers are sent with ``nosniff``).
    """

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return (
            text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        ).encode("utf-8")


router = APIRouter(prefix="/api")

Limit = Query(50, ge=1, le=Q.MAX_LIMIT, description="items per page (max 500)")
Offset = Query(0, ge=0, le=Q.MAX_OFFSET, description="items to skip")
Since = Query(None, description="first date, YYYY-MM-DD")
Until = Query(None, description="last date, YYYY-MM-DD")
ActorQ = Query(None, description="actor selector: PAK, PAK:MIL, TTP")
RecipientQ = Query(None, description="recipient selector: AFG, AFG:GOV, ISI")
By = Query("month", description="period: day, week or month")

MAX_DOCUMENTS_PER_REQUEST = 1000
"""More documents than this in one POST is refused (400): send several requests."""


def _con(request: Request) -> duckdb.DuckDBPyConnection:
    return request.app.state.server.cursor()


def _cached(request: Request, key: tuple, compute: Any) -> Any:
    return request.app.state.server.cached(key, compute)


def _dates(since: str | None, until: str | None) -> tuple[Any, Any]:
    s, u = Q.parse_date(since, "since"), Q.parse_date(until, "until")
    if s and u and s > u:
        raise Q.BadQuery("since: must not be after until")
    return s, u


def _pair(a: str, b: str) -> tuple[str, str]:
    a2, b2 = Q.check_selector(a, "a"), Q.check_selector(b, "b")
    if not a2 or not b2:
        raise Q.BadQuery("a and b: both actor selectors are required")
    return a2, b2


def _by(by: str, allowed: tuple[str, ...] = ("day", "week", "month")) -> str:
    if by not in allowed:
        raise Q.BadQuery(f"by: {by!r} is not a period; use {', '.join(allowed)}")
    return by


# -- status ----------------------------------------------------------------------------
@router.get("/health", summary="Server status and table counts")
def health(request: Request) -> JSONResponse:
    state = request.app.state
    return JSONResponse(
        {
            "status": "ok",
            "read_only": bool(state.read_only),
            "counts": Q.counts(_con(request)),
            "jobs_running": state.jobs.running(),
            "data_version": state.server.data_version,
        }
    )


@router.get("/meta", summary="PLOVER event types, quad names and the date range of the data")
def meta(request: Request) -> JSONResponse:
    return JSONResponse(Q.meta(_con(request)))


# -- events ----------------------------------------------------------------------------
@router.get("/events", summary="Aggregated events, filtered and paged")
def events(
    request: Request,
    actor: str | None = ActorQ,
    recipient: str | None = RecipientQ,
    event: str | None = Query(None, description="PLOVER type(s), comma-separated"),
    quad: str | None = Query(None, description="quad code(s) 1-4, comma-separated"),
    country: str | None = Query(None, description="ISO3 code of the event's place"),
    since: str | None = Since,
    until: str | None = Until,
    q: str | None = Query(None, description="substring of the sentence (any case)"),
    document_id: str | None = Query(None, description="events reported by this document"),
    place: str | None = Query(None, description="exact place name, as in /api/places"),
    sort: str = Query("-date", description="date, -date, dead or -dead"),
    limit: int = Limit,
    offset: int = Offset,
) -> JSONResponse:
    flt = Q.EventFilter.parse(
        actor=actor,
        recipient=recipient,
        event=event,
        quad=quad,
        country=country,
        since=since,
        until=until,
        q=q,
        document_id=document_id,
        place=place,
    )
    return JSONResponse(
        Q.list_events(_con(request), flt, sort=Q.parse_sort(sort), limit=limit, offset=offset)
    )


@router.get("/events/{event_id:path}", summary="One event with its PLOVER record and its reports")
def event_detail(request: Request, event_id: str) -> JSONResponse:
    out = Q.get_event(_con(request), Q.parse_text(event_id, "event id") or "")
    if out is None:
        raise HTTPException(404, detail=f"no event with id {event_id!r}")
    return JSONResponse(out)


@router.get("/volume", summary="Events per period and PLOVER type")
def volume(
    request: Request,
    by: str = Query("month", description="week or month"),
    since: str | None = Since,
    until: str | None = Until,
    actor: str | None = ActorQ,
    recipient: str | None = RecipientQ,
) -> JSONResponse:
    flt = Q.EventFilter.parse(actor=actor, recipient=recipient, since=since, until=until)
    return JSONResponse(Q.volume(_con(request), flt, _by(by, ("week", "month"))))


# -- dyads and shifts --------------------------------------------------------------------
@router.get("/dyads/top", summary="The most active dyads (undirected)")
def dyads_top(
    request: Request,
    since: str | None = Since,
    until: str | None = Until,
    limit: int = Query(10, ge=1, le=Q.MAX_LIMIT),
) -> JSONResponse:
    s, u = _dates(since, until)
    return JSONResponse(top_dyads(request.app.state.server, s, u, limit))


@router.get("/dyad", summary="The time series of a dyad (DyadSeries)")
def dyad(
    request: Request,
    a: str = Query(..., description="first actor selector"),
    b: str = Query(..., description="second actor selector"),
    by: str = By,
    since: str | None = Since,
    until: str | None = Until,
    directed: bool = Query(False, description="only a -> b"),
) -> JSONResponse:
    from ..analysis.dyads import dyad_series

    a, b = _pair(a, b)
    s, u = _dates(since, until)
    by = _by(by)
    return JSONResponse(
        _cached(
            request,
            ("dyad", a, b, by, s, u, directed),
            lambda: dyad_series(
                _con(request), a, b, by=by, since=s, until=u, directed=directed
            ).to_dict(),
        )
    )


@router.get("/shifts", summary="A dyad's series, its shifts and what drove each")
def shifts(
    request: Request,
    a: str = Query(..., description="first actor selector"),
    b: str = Query(..., description="second actor selector"),
    by: str = By,
    since: str | None = Since,
    until: str | None = Until,
) -> JSONResponse:
    a, b = _pair(a, b)
    s, u = _dates(since, until)
    return JSONResponse(dyad_shift_report(request.app.state.server, a, b, _by(by), s, u))


def dyad_shift_report(state: Any, a: str, b: str, by: str, since: Any, until: Any) -> Any:
    """The /api/shifts answer, cached until the next write.

    Change-point detection with its permutation tests, and the drivers of each shift, cost
    seconds on a dyad of tens of thousands of events; the result only changes when the
    data does.
    """

    def compute() -> dict[str, Any]:
        from ..analysis.drivers import shift_drivers, shift_rows_range
        from ..analysis.dyads import read_dyad_rows
        from ..analysis.shifts import dyad_shifts

        con = state.cursor()
        out = []
        # the dyad's rows are read from the table once, for the series and every shift's
        # drivers (each would otherwise select them from the whole table again)
        lo, hi = shift_rows_range(since, until)
        with read_dyad_rows(con, a, b, since=lo, until=hi) as rows:
            result = dyad_shifts(con, a, b, by=by, since=since, until=until, rows=rows)
            for shift in result.all_shifts:
                item = shift.to_dict()
                found = shift_drivers(con, a, b, shift, rows=rows)
                item["drivers"] = name_sub_dyads(found.to_dict())
                out.append(item)
        labels = Q.labeller()
        return {
            "a": a,
            "b": b,
            "a_label": labels.name(a),
            "b_label": labels.name(b),
            "series": result.series.to_dict(),
            "sigma": result.sigma,
            "segment_means": result.segment_means,
            "shifts": out,
        }

    return state.cached(("shifts", a, b, by, since, until), compute)


@router.get("/shifts/recent", summary="The latest shift of each of the most active dyads")
def shifts_recent(request: Request, limit: int = Query(5, ge=1, le=20)) -> JSONResponse:
    return JSONResponse(recent_shifts(request.app.state.server, limit))


def name_sub_dyads(drivers: dict[str, Any]) -> dict[str, Any]:
    """Give each sub-dyad driver (labelled ``PAK:GOV → AFG:GOV``) its two actors as
    ``{"selector","label"}``, so pages name them as they name actors everywhere else."""
    for d in (drivers.get("drivers") or {}).get("sub-dyad") or []:
        sides = str(d.get("label", "")).split(" → ")
        if len(sides) == 2 and all(sides):
            d["parties"] = [{"selector": x, "label": Q.label_of(x)} for x in sides]
    return drivers


def recent_shifts(state: Any, limit: int) -> list[dict[str, Any]]:
    """The latest shift (robust or possible) of each of the ``limit`` most active dyads."""

    def compute() -> list[dict[str, Any]]:
        from ..analysis.dyads import dyad_series_many
        from ..analysis.shifts import series_shifts

        out = []
        con = state.cursor()
        # the actor combinations come with the top dyads' scan, so the series of all the
        # dyads then take one more pass over the table (``dyad_shifts`` for each)
        combos: set[tuple[Any, ...]] = set()
        top = Q.top_dyads(con, since=None, until=None, limit=limit, combos=combos)
        pairs = [(d["a"], d["b"]) for d in top]
        series = dyad_series_many(con, pairs, by="month", combos=combos)
        for d, one in zip(top, series, strict=True):
            # The overview lists dates and sizes only: the drivers (one scan of the dyad
            # per shift) are left to /api/shifts, which the dyad page asks for.
            found = series_shifts(one).all_shifts
            if found:
                last = found[-1].to_dict()
                out.append(
                    {
                        "a": d["a"],
                        "b": d["b"],
                        "a_label": d["a_label"],
                        "b_label": d["b_label"],
                        **last,
                    }
                )
        out.sort(key=lambda x: x["date"], reverse=True)
        return out

    return state.cached(("shifts/recent", limit), compute)


def top_dyads(state: Any, since: Any, until: Any, limit: int) -> list[dict[str, Any]]:
    return state.cached(
        ("dyads/top", since, until, limit),
        lambda: Q.top_dyads(state.cursor(), since=since, until=until, limit=limit),
    )


def start_up(state: Any) -> None:
    """What ``create_app``'s server does once before it reports ready (see docs/api.md).

    Real work a first request would otherwise pay for: importing the change-point code
    (ruptures pulls in scipy: seconds on a busy machine), reading the events table's
    columns into DuckDB's buffers (``read_table``), and computing the overview's answers
    (``warm``). A failure here is never fatal: the requests compute what they need.
    """
    import ruptures  # noqa: F401

    from ..analysis import drivers, network, shifts  # noqa: F401

    try:
        read_table(state.cursor(), "events")
        warm(state)
    except Exception:  # noqa: BLE001 - warming is an optimisation, never fatal
        if not state.closed:
            logging.getLogger(__name__).warning("start-up warm-up failed", exc_info=True)


def read_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Read every column of ``table`` once (hashing each value), so its blocks are in
    DuckDB's buffers when the first requests come: a query that is the first to touch a
    column of a million rows is several times slower than the next one."""
    columns = [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns()"
            " WHERE table_name = ? AND schema_name = 'main' ORDER BY column_index",
            [table],
        ).fetchall()
    ]
    if columns:
        quoted = ", ".join(f'max(hash("{c.replace(chr(34), chr(34) * 2)}"))' for c in columns)
        con.execute(f'SELECT {quoted} FROM "{table}"').fetchall()


def warm(state: Any) -> None:
    """Compute what the overview page asks for first, so its first load is quick."""
    top_dyads(state, None, None, 10)
    recent_shifts(state, 5)
    state.cached(
        ("network", None, None, 1),
        lambda: Q.network(state.cursor(), since=None, until=None, min_events=1),
    )
    state.cached(("actors",), lambda: Q.actors(state.cursor(), None, 1_000_000))


# -- network, places, actors ---------------------------------------------------------------
@router.get("/network", summary="The actor interaction network")
def network(
    request: Request,
    since: str | None = Since,
    until: str | None = Until,
    min_events: int = Query(1, ge=1, le=1_000_000),
) -> JSONResponse:
    s, u = _dates(since, until)
    return JSONResponse(
        _cached(
            request,
            ("network", s, u, min_events),
            lambda: Q.network(_con(request), since=s, until=u, min_events=min_events),
        )
    )


@router.get("/places", summary="Events by place (GeoJSON FeatureCollection)")
def places(
    request: Request,
    event: str | None = Query(None, description="PLOVER type(s), comma-separated"),
    since: str | None = Since,
    until: str | None = Until,
    actor: str | None = ActorQ,
    recipient: str | None = RecipientQ,
) -> JSONResponse:
    flt = Q.EventFilter.parse(
        event=event, since=since, until=until, actor=actor, recipient=recipient
    )
    return JSONResponse(Q.places(_con(request), flt))


@router.get("/actors", summary="Actors by selector, with their event counts")
def actors(
    request: Request,
    q: str | None = Query(None, description="substring of the selector, code or name"),
    limit: int = Limit,
) -> JSONResponse:
    q = Q.parse_text(q, "q")
    rows = _cached(request, ("actors",), lambda: Q.actors(_con(request), None, 1_000_000))
    if q:
        needle = q.lower()
        rows = [
            r
            for r in rows
            if any(needle in (r[k] or "").lower() for k in ("selector", "code", "label", "name"))
        ]
    return JSONResponse(rows[:limit])


@router.get("/actors/{selector}", summary="One actor: KB entry, partners, recent events")
def actor(
    request: Request, selector: str, since: str | None = Since, until: str | None = Until
) -> JSONResponse:
    sel = Q.check_selector(selector, "selector") or ""
    s, u = _dates(since, until)
    return JSONResponse(Q.actor_detail(_con(request), sel, since=s, until=u))


# -- documents -----------------------------------------------------------------------------
@router.get("/documents", summary="Stored documents, newest first")
def documents(
    request: Request,
    q: str | None = Query(None, description="substring of the title (any case)"),
    limit: int = Limit,
    offset: int = Offset,
) -> JSONResponse:
    return JSONResponse(Q.list_documents(_con(request), Q.parse_text(q, "q"), limit, offset))


@router.get("/documents/{doc_id:path}", summary="A document's text and the evidence spans in it")
def document(request: Request, doc_id: str) -> JSONResponse:
    out = Q.get_document(_con(request), Q.parse_text(doc_id, "document id") or "")
    if out is None:
        raise HTTPException(404, detail=f"no document with id {doc_id!r}")
    return JSONResponse(out)


@router.get("/rejected", summary="Inputs that could not be coded, and why")
def rejected(request: Request, limit: int = Limit, offset: int = Offset) -> JSONResponse:
    return JSONResponse(Q.rejected(_con(request), limit, offset))


_DOC_FIELDS = {"id", "title", "text", "published", "source", "url"}


@router.post(
    "/documents",
    status_code=202,
    summary="Queue documents for coding (202 with a job id)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["documents"],
                        "properties": {
                            "documents": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["text"],
                                    "properties": {k: {"type": "string"} for k in _DOC_FIELDS},
                                },
                            }
                        },
                    }
                }
            },
        }
    },
)
async def post_documents(request: Request) -> JSONResponse:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise HTTPException(
            415, detail="send the documents as JSON (Content-Type: application/json)"
        )
    raw = await request.body()
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise HTTPException(400, detail=f"the request body is not valid JSON: {e}") from None
    docs = _check_documents(body)
    try:
        job = request.app.state.jobs.submit(docs, origin="api")
    except QueueFull as e:
        raise HTTPException(429, detail=str(e)) from None
    return JSONResponse({"job_id": job.id, "accepted": len(docs)}, status_code=202)


def _check_documents(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("documents"), list):
        raise HTTPException(400, detail='expected {"documents": [{"text": ...}, ...]}')
    docs = body["documents"]
    if not docs:
        raise HTTPException(400, detail="documents: the list is empty")
    if len(docs) > MAX_DOCUMENTS_PER_REQUEST:
        raise HTTPException(
            400, detail=f"documents: at most {MAX_DOCUMENTS_PER_REQUEST} per request"
        )
    out = []
    for i, doc in enumerate(docs):
        if not isinstance(doc, dict):
            raise HTTPException(400, detail=f"documents[{i}]: expected an object")
        unknown = sorted(set(doc) - _DOC_FIELDS)
        if unknown:
            raise HTTPException(
                400,
                detail=f"documents[{i}]: unknown field {unknown[0]!r}; fields are "
                + ", ".join(sorted(_DOC_FIELDS)),
            )
        for key, value in doc.items():
            if value is not None and not isinstance(value, str):
                raise HTTPException(400, detail=f"documents[{i}].{key}: expected a string")
        if not (doc.get("text") or "").strip():
            raise HTTPException(400, detail=f"documents[{i}].text: missing or empty")
        if doc.get("published"):
            Q.parse_date(doc["published"], f"documents[{i}].published")
        out.append({k: v for k, v in doc.items() if v is not None})
    return out


@router.get("/jobs", summary="Recent coding jobs, newest first")
def jobs(request: Request, limit: int = Limit) -> JSONResponse:
    return JSONResponse([j.to_dict() for j in request.app.state.jobs.recent(limit)])


@router.get("/jobs/{job_id}", summary="One coding job")
def job(request: Request, job_id: str) -> JSONResponse:
    found = request.app.state.jobs.get(job_id)
    if found is None:
        raise HTTPException(404, detail=f"no job with id {job_id!r}")
    return JSONResponse(found.to_dict())


# -- docs ----------------------------------------------------------------------------------
def mount_docs(app: FastAPI) -> None:
    """API reference at /docs rendered on the server from the OpenAPI schema.

    FastAPI's own /docs page loads Swagger UI from a CDN, which an air-gapped analyst
    cannot reach, and no installed package ships its assets; this page is plain HTML
    (no script, no remote asset). The machine-readable schema stays at /openapi.json.
    """

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(render_docs(app.openapi()))


def render_docs(schema: dict[str, Any]) -> str:
    e = html.escape
    info = schema.get("info", {})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(info.get('title', 'API'))} API</title>",
        "<style>body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .25em}"
        "h2{margin-top:2rem;border-top:1px solid #ddd;padding-top:1rem;font-size:1.1rem}"
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.25rem"
        " .5rem;text-align:left;vertical-align:top}.m{font-weight:bold;color:#06c}</style>",
        "</head><body>",
        f"<h1>{e(info.get('title', 'API'))} API <small>{e(str(info.get('version', '')))}"
        "</small></h1>",
        f"<p>{e(info.get('summary', ''))}</p>",
        "<p>The OpenAPI schema: <a href='/openapi.json'>/openapi.json</a>. Errors answer"
        ' <code>{"detail": "..."}</code> with status 400, 401, 403, 404 or 413.</p>',
    ]
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            parts.append(
                f"<h2><span class='m'>{e(method.upper())}</span> <code>{e(path)}</code></h2>"
            )
            parts.append(f"<p>{e(op.get('summary', ''))}</p>")
            params = op.get("parameters", [])
            if params:
                parts.append(
                    "<table><tr><th>parameter</th><th>in</th><th>type</th>"
                    "<th>default</th><th>description</th></tr>"
                )
                for p in params:
                    sch = p.get("schema", {})
                    kind = sch.get("type") or "/".join(
                        str(x.get("type")) for x in sch.get("anyOf", []) if x.get("type") != "null"
                    )
                    default = sch.get("default", "required" if p.get("required") else "")
                    parts.append(
                        f"<tr><td><code>{e(p['name'])}</code></td><td>{e(p.get('in', ''))}</td>"
                        f"<td>{e(str(kind))}</td><td>{e(str(default))}</td>"
                        f"<td>{e(p.get('description', ''))}</td></tr>"
                    )
                parts.append("</table>")
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                parts.append(
                    "<p>JSON body:</p><pre>"
                    + e(json.dumps(body.get("schema", {}), indent=1))
                    + "</pre>"
                )
    parts.append("</body></html>")
    return "".join(parts)


def error_handlers(app: FastAPI) -> None:
    """Errors as ``{"detail": ...}`` in escaped JSON (a detail may quote the bad input).

    Errors of the library about user input (a bad selector deep in analysis) are 400.
    """
    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(ConfigError)
    async def _config(request: Request, exc: ConfigError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(Q.BadQuery)
    async def _bad_query(request: Request, exc: Q.BadQuery) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )
