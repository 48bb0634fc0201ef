"""The dashboard in a real browser: every page loads over the test database, filters and
drill-downs work, stored text stays text, and nothing is fetched from another host.

The ``page`` fixture fails a test on any console error, uncaught exception, dialog or
non-local request. Screenshots land in build/screenshots/ for people to look at.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _open(page: Any, live_server: Any, path: str) -> None:
    page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")


def _plot_data(page: Any, div_id: str) -> list[dict[str, Any]]:
    """The traces plotly drew in ``div_id`` (names, modes, point counts, colours)."""
    return page.evaluate(
        """(id) => (document.getElementById(id).data || []).map((t) => ({
            name: t.name, mode: t.mode, type: t.type,
            n: (t.x || []).filter((v) => v !== null).length,
            color: t.line ? t.line.color : null,
            markerColor: t.marker && typeof t.marker.color === "string" ? t.marker.color : null,
            customdata: t.customdata || null,
        }))""",
        div_id,
    )


def test_overview_shows_counts_volume_by_type_and_top_dyads(
    page: Any, live_server: Any, screenshot: Any
) -> None:
    _open(page, live_server, "/")
    page.wait_for_selector("#volume .main-svg")
    page.wait_for_selector("#dyads table tbody tr")
    page.wait_for_selector("#shifts li")
    events = page.locator("#stats .stat").first.locator(".v").inner_text()
    assert int(events.replace(",", "")) > 100
    traces = _plot_data(page, "volume")
    assert {"ASSAULT", "CONSULT"} <= {t["name"] for t in traces}
    assert page.locator("#volume .xtick").count() > 3  # a date axis with ticks
    screenshot(page, "overview")


def test_overview_weekly_button_redraws_volume_by_week(page: Any, live_server: Any) -> None:
    _open(page, live_server, "/")
    page.wait_for_selector("#volume .main-svg")
    monthly = max(t["n"] for t in _plot_data(page, "volume"))
    page.click("#by button[data-by=week]")
    page.wait_for_function(
        "(m) => Math.max(...document.getElementById('volume').data.map((t) => t.x.length)) > m",
        arg=monthly,
    )
    assert "by=week" in page.url


def test_overview_dyad_link_opens_the_dyad_view_with_shift_and_drivers(
    page: Any, live_server: Any, screenshot: Any
) -> None:
    _open(page, live_server, "/")
    page.wait_for_selector("#dyads table tbody tr a")
    page.locator("#dyads table tbody tr a").first.click()
    page.wait_for_url(re.compile(r"/dyad\?a=.+&b=.+"))
    page.wait_for_selector("#trend .main-svg")
    page.wait_for_selector("#drivers details")
    assert (
        page.locator("#drivers h3").first.inner_text().startswith(("Deterioration", "Improvement"))
    )
    shapes = page.evaluate("document.getElementById('trend').layout.shapes.length")
    assert shapes >= 2  # the zero line and at least one shift line
    assert page.locator("#drivers .evidence a[href^='/documents/']").count() > 0
    screenshot(page, "dyad")


def test_dyad_evidence_link_opens_document_with_sentence_highlighted(
    page: Any, live_server: Any
) -> None:
    _open(page, live_server, "/dyad?a=PAK&b=AFG")
    page.wait_for_selector("#drivers .evidence a")
    link = page.locator("#drivers details[open] .evidence a").first
    sentence = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/documents/.+\?event=ev-"))
    page.wait_for_selector("#evidence")
    highlighted = page.locator("#doc-text .hl-sentence").all_inner_texts()
    assert "".join(highlighted).strip() == sentence.strip()


def test_dyad_view_without_events_shows_an_empty_state(page: Any, live_server: Any) -> None:
    _open(page, live_server, "/dyad?a=USA&b=CHN")
    page.wait_for_selector("#trend .empty")
    assert "No event" in page.locator("#trend .empty").inner_text()


def test_events_search_then_row_click_opens_document_with_evidence_in_view(
    page: Any, live_server: Any, screenshot: Any
) -> None:
    _open(page, live_server, "/events")
    page.wait_for_selector("#events-table tbody tr")
    page.fill("#form input[name=q]", "checkpoint in Bannu")
    page.click("#form button[type=submit]")
    page.wait_for_function("document.getElementById('count').textContent.startsWith('1 ')")
    rows = page.locator("#events-table tbody tr")
    assert rows.count() == 1
    assert "checkpoint in Bannu" in rows.first.inner_text()
    screenshot(page, "events-filtered")
    rows.first.locator("td").first.click()  # the row, not the sentence link
    page.wait_for_url(re.compile(r"/documents/art-bannu\?event=ev-"))
    page.wait_for_selector("#evidence")
    kinds = set(
        " ".join(
            page.locator("#doc-text [data-kinds]").evaluate_all(
                "ns => ns.map(n => n.dataset.kinds)"
            )
        ).split()
    )
    assert {"sentence", "trigger", "actor"} <= kinds
    assert "checkpoint in Bannu" in "".join(
        page.locator("#doc-text .hl-sentence").all_inner_texts()
    )
    assert page.locator("#evidence").is_visible()
    in_view = page.evaluate(
        "(() => { const r = document.getElementById('evidence').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; })()"
    )
    assert in_view
    screenshot(page, "document", full_page=False)


def test_events_type_filter_keeps_only_that_type_and_pages(
    page: Any, live_server: Any, screenshot: Any
) -> None:
    _open(page, live_server, "/events")
    page.wait_for_selector("#events-table tbody tr")
    page.select_option("select[name=event]", "ASSAULT")
    page.wait_for_url(re.compile(r"event=ASSAULT"))
    page.wait_for_function(
        "[...document.querySelectorAll('#events-table tbody .chip')].every(c => c.textContent === 'ASSAULT')"
    )
    first_page = page.locator("#events-table tbody tr").first.get_attribute("data-event-id")
    page.click("#next")
    page.wait_for_function("document.getElementById('page').textContent.startsWith('page 2')")
    assert page.locator("#events-table tbody tr").first.get_attribute("data-event-id") != first_page
    assert "offset=50" in page.url
    screenshot(page, "events")


def test_events_filters_without_match_show_an_empty_state(page: Any, live_server: Any) -> None:
    _open(page, live_server, "/events?q=no+such+sentence+anywhere")
    page.wait_for_selector("#table .empty")
    assert page.locator("#count").inner_text() == "0 events"


def test_document_scrolls_a_late_evidence_sentence_into_view(page: Any, live_server: Any) -> None:
    event_id = live_server.info["events_by_document"]["art-long"]
    _open(page, live_server, f"/documents/art-long?event={event_id}")
    page.wait_for_selector("#evidence")
    assert "smugglers near Torkham" in "".join(
        page.locator("#doc-text .hl-sentence").all_inner_texts()
    )
    assert page.evaluate("window.scrollY") > 200
    box = page.evaluate(
        "(() => { const r = document.getElementById('evidence').getBoundingClientRect();"
        " return [r.top, r.bottom, window.innerHeight]; })()"
    )
    assert 0 <= box[0] and box[1] <= box[2]


def test_document_switches_highlight_when_another_event_is_chosen(
    page: Any, live_server: Any
) -> None:
    event_id = live_server.info["events_by_document"]["art-khost"]
    _open(page, live_server, f"/documents/art-khost?event={event_id}")
    page.wait_for_selector("#doc-events li[data-event-id]")
    before = "".join(page.locator("#doc-text .hl-sentence").all_inner_texts())
    other = page.locator("#doc-events li[aria-selected=false]").first
    other_id = other.get_attribute("data-event-id")
    other.click()
    page.wait_for_url(re.compile(f"event={other_id}"))
    after = "".join(page.locator("#doc-text .hl-sentence").all_inner_texts())
    assert after and after != before
    assert page.locator("#event dl.facts").count() == 1


def test_map_draws_local_borders_under_event_places(
    page: Any, live_server: Any, screenshot: Any
) -> None:
    _open(page, live_server, "/map")
    page.wait_for_selector("#map .main-svg")
    traces = _plot_data(page, "map")
    borders = next(t for t in traces if t["name"] == "borders")
    assert borders["n"] > 10_000
    places = [t for t in traces if (t["name"] or "").startswith("mostly")]
    assert places and sum(t["n"] for t in places) >= 5
    assert "Natural Earth" in page.locator("#attribution").inner_text()
    screenshot(page, "map")


def test_map_type_filter_keeps_only_places_with_that_type(page: Any, live_server: Any) -> None:
    _open(page, live_server, "/map")
    page.wait_for_selector("#map .main-svg")
    all_places = sum(
        t["n"] for t in _plot_data(page, "map") if (t["name"] or "").startswith("mostly")
    )
    page.click("#types-none")
    page.check("#types input[value=AID]")
    page.wait_for_url(re.compile(r"event=AID"))
    page.wait_for_function(
        "(n) => document.getElementById('map').data.filter(t => (t.name||'').startsWith('mostly'))"
        ".reduce((s, t) => s + t.x.length, 0) < n",
        arg=all_places,
    )
    names = page.evaluate(
        "document.getElementById('map').data.filter(t => t.name === 'place names')[0].text.join(' ')"
    )
    assert "Kabul" not in names  # Kabul saw talks, never aid


def test_map_date_range_removes_places_outside_it(page: Any, live_server: Any) -> None:
    _open(page, live_server, "/map?since=2021-09-01&until=2022-12-31")
    page.wait_for_selector("#map .main-svg")
    names = page.evaluate(
        "document.getElementById('map').data.filter(t => t.name === 'place names')[0].text.join(' ')"
    )
    assert "Paktika" not in names  # the air strikes in Paktika start in 2023
    assert "Torkham" in names


def test_map_place_click_lists_its_events_with_links(page: Any, live_server: Any) -> None:
    _open(page, live_server, "/map")
    page.wait_for_selector("#map .main-svg")
    page.evaluate(
        "(() => { const gd = document.getElementById('map');"
        " gd.emit('plotly_click', {points: [{customdata: 0, data: gd.data[2]}]}); })()"
    )
    page.wait_for_selector("#place a[href^='/documents/']")
    assert page.locator("#place h3").first.inner_text()


def test_map_place_click_fetches_its_events_in_one_call(
    page: Any, live_server: Any, screenshot: Any
) -> None:
    _open(page, live_server, "/map?event=COERCE")
    page.wait_for_selector("#map .main-svg")
    calls: list[str] = []
    page.on("request", lambda r: calls.append(r.url) if "/api/events" in r.url else None)
    page.evaluate(
        "(() => { const gd = document.getElementById('map');"
        " gd.emit('plotly_click', {points: [{customdata: 0}]}); })()"
    )
    page.wait_for_selector("#place-events a[href^='/documents/']")
    assert len(calls) == 1 and "place=" in calls[0] and "event=COERCE" in calls[0]
    items = page.locator("#place-events li").all_inner_texts()
    assert items and all("COERCE" in t for t in items if "events at" not in t)
    screenshot(page, "map-place")


def test_events_table_names_actors_by_label_with_selector_tooltip(
    page: Any, live_server: Any
) -> None:
    _open(page, live_server, "/events?actor=PAK:MIL")
    page.wait_for_selector("#events-table tbody tr")
    link = page.locator("#events-table tbody tr td:nth-child(3) a").first
    assert link.inner_text() == "Pakistan military"
    assert (link.get_attribute("title") or "").startswith("PAK:MIL")
    assert link.get_attribute("href") == "/actors/PAK%3AMIL"


def test_events_place_filter_from_the_url_lists_only_that_place(
    page: Any, live_server: Any
) -> None:
    _open(page, live_server, "/events?place=Torkham")
    page.wait_for_selector("#events-table tbody tr")
    places = page.locator("#events-table tbody tr td:nth-child(5)").all_inner_texts()
    assert places and all(p.startswith("Torkham") for p in places)
    assert page.locator("#form input[name=place]").input_value() == "Torkham"


def test_dyad_title_uses_readable_labels_with_selectors_beside(page: Any, live_server: Any) -> None:
    _open(page, live_server, "/dyad?a=PAK:MIL&b=TTP")
    page.wait_for_selector("#title .selectors")
    title = page.locator("#title").inner_text()
    assert title.startswith("Pakistan military – ") and "TTP" not in title.split("PAK:MIL")[0]
    assert page.locator("#title .selectors").inner_text() == "PAK:MIL – TTP"
    assert page.title().startswith("Pakistan military – ")


def test_network_colours_edges_by_conflict_and_cooperation(
    page: Any, live_server: Any, screenshot: Any
) -> None:
    _open(page, live_server, "/network")
    page.wait_for_selector("#graph .main-svg")
    page.wait_for_selector("#central table tbody tr")
    traces = _plot_data(page, "graph")
    edge_colours = {t["color"] for t in traces if t["mode"] == "lines"}
    assert {"#D55E00", "#0072B2"} <= edge_colours
    actors = next(t for t in traces if t["name"] == "actors")
    assert "PAK:GOV" in actors["customdata"]
    screenshot(page, "network")


def test_network_node_click_opens_actor_page(page: Any, live_server: Any) -> None:
    _open(page, live_server, "/network")
    page.wait_for_selector("#graph .main-svg")
    page.evaluate(
        "(() => { const gd = document.getElementById('graph');"
        " const t = gd.data.find(d => d.name === 'actors');"
        " gd.emit('plotly_click', {points: [{customdata: 'TTP', data: t}]}); })()"
    )
    page.wait_for_url(re.compile(r"/actors/TTP$"))
    page.wait_for_selector("#partners table")
    assert page.url.endswith("/actors/TTP")
    assert page.locator("#partners table tbody tr").count() > 0


def test_actor_page_shows_profile_partners_and_recent_events(
    page: Any, live_server: Any, screenshot: Any
) -> None:
    _open(page, live_server, "/actors/PAK")
    page.wait_for_selector("#partners table tbody tr")
    page.wait_for_selector("#recent table tbody tr")
    page.wait_for_selector("#by-type .main-svg")
    assert page.locator("#actor-title").inner_text() == "Pakistan"
    assert page.locator("#partners a[href^='/dyad?']").count() > 0
    screenshot(page, "actor")


def test_actor_search_box_jumps_to_the_actor_page(page: Any, live_server: Any) -> None:
    _open(page, live_server, "/events")
    page.fill(".actor-jump input", "TTP")
    page.press(".actor-jump input", "Enter")
    page.wait_for_url(re.compile(r"/actors/TTP$"))
    page.wait_for_selector("#recent table tbody tr")
    assert page.url.endswith("/actors/TTP")
    assert page.locator("#recent table tbody tr").count() > 0


def test_xss_document_renders_markup_as_text_and_runs_nothing(
    page: Any, live_server: Any, xss: dict[str, str], screenshot: Any
) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    event_id = live_server.info["events_by_document"]["xss-doc"]
    _open(page, live_server, f"/documents/xss-doc?event={event_id}")
    page.wait_for_selector("#evidence")
    assert page.locator("#doc-title").inner_text() == xss["title"]
    assert "<script>alert('xss')</script>" in page.locator("#doc-text").inner_text()
    assert page.locator("#main script, #main img").count() == 0
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("a[href^='javascript:']").count() == 0
    assert "".join(page.locator("#doc-text .hl-sentence").all_inner_texts()) == xss["sentence"]
    assert not [u for u in requested if u.endswith("/x")]
    screenshot(page, "document-xss")


def test_xss_strings_stay_text_in_the_events_table(page: Any, live_server: Any) -> None:
    _open(page, live_server, "/events?q=clashed+with+Afghan+border+guards")
    page.wait_for_selector("#events-table tbody tr")
    page.locator("#events-table tbody tr").first.locator("td.sentence a").click()
    page.wait_for_url(re.compile(r"/documents/xss-doc"))
    page.wait_for_selector("#evidence")
    assert page.title().startswith("<script>")
    assert page.evaluate("window.__pwned === undefined")


def test_unknown_document_shows_not_found_message(page: Any, live_server: Any) -> None:
    _open(page, live_server, "/documents/no-such-document")
    page.wait_for_selector("#message .error")
    assert page.locator("#doc-title").inner_text() == "Document not found"
    # the browser logs the API's 404 itself; that one is expected here
    page.watch.console_errors[:] = [e for e in page.watch.console_errors if "404" not in e]


def test_every_page_loads_plotly_from_this_server_only(page: Any, live_server: Any) -> None:
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    for path in ["/", "/dyad?a=PAK&b=AFG", "/map", "/network", "/actors/PAK"]:
        _open(page, live_server, path)
        assert page.evaluate("typeof Plotly") == "object"
    assert f"{live_server.url}/static/vendor/plotly.min.js" in scripts
    assert all(u.startswith(live_server.url) for u in scripts)


# Keep last: it adds a document to the shared test database.
def test_overview_counts_update_when_a_coding_job_lands(page: Any, live_server: Any) -> None:
    page.clock.install()
    _open(page, live_server, "/")
    page.wait_for_selector("#stats .stat")
    docs_stat = page.locator("#stats .stat").nth(2).locator(".v")
    before = int(docs_stat.inner_text().replace(",", ""))
    text = "Afghan and Pakistani trade ministers met in Kabul on Monday to discuss transit fees."
    res = page.request.post(
        live_server.url + "/api/documents",
        data={"documents": [{"id": "art-live", "title": "Trade talks", "text": text}]},
    )
    assert res.status == 202
    job = res.json()["job_id"]
    deadline = time.monotonic() + 60
    while page.request.get(f"{live_server.url}/api/jobs/{job}").json()["status"] != "done":
        assert time.monotonic() < deadline, "the coding job did not finish"
        time.sleep(0.2)
    page.clock.fast_forward(16_000)  # the next poll of /api/health sees the new counts
    page.wait_for_function(
        "(n) => Number(document.querySelectorAll('#stats .stat .v')[2].textContent.replace(/,/g, '')) === n",
        arg=before + 1,
    )


def test_dyad_sub_dyad_drivers_are_named_by_readable_labels(page: Any, live_server: Any) -> None:
    _open(page, live_server, "/dyad?a=PAK&b=AFG")
    page.wait_for_selector("#drivers .driver-group")
    group = page.locator("#drivers .driver-group").filter(has_text="By sub-dyad").first
    name = group.locator("summary strong").first
    text, selectors = name.inner_text(), name.get_attribute("title") or ""
    assert " → " in text and ":" not in text  # names, not PAK:GOV
    assert " → " in selectors and text != selectors
