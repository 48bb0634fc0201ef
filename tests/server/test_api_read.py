"""The read endpoints of the JSON API on the synthetic PAK–AFG story."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest

from riftwatch.analysis.synthetic import Mention, coded_document, insert_coded
from riftwatch.server.app import create_app
from riftwatch.store import Store

from .conftest import TestClient

CONTRACT_PATHS = [
    "/api/health",
    "/api/meta",
    "/api/events",
    "/api/events/{event_id}",
    "/api/volume",
    "/api/dyads/top",
    "/api/dyad",
    "/api/shifts",
    "/api/shifts/recent",
    "/api/network",
    "/api/places",
    "/api/actors",
    "/api/actors/{selector}",
    "/api/documents",
    "/api/documents/{doc_id}",
    "/api/rejected",
    "/api/jobs",
    "/api/jobs/{job_id}",
]


def test_health_reports_counts_and_mode(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["read_only"] is False
    assert body["counts"]["events"] > 0
    assert set(body["counts"]) == {"documents", "event_mentions", "events", "rejected"}
    assert body["jobs_running"] == 0


def test_meta_lists_the_sixteen_plover_types_and_the_date_range(client):
    body = client.get("/api/meta").json()
    assert len(body["event_types"]) == 16
    assert "ASSAULT" in body["event_types"]
    assert body["first_date"] <= body["last_date"]
    assert body["quad_names"]["4"] == "material conflict"


def test_events_page_has_total_and_rows_in_the_contract_shape(client):
    body = client.get("/api/events", params={"limit": 5}).json()
    assert body["limit"] == 5 and body["offset"] == 0
    assert body["total"] > 5 and len(body["items"]) == 5
    row = body["items"][0]
    assert {"id", "date", "event", "actor", "recipient", "text", "document_id"} <= set(row)
    assert set(row["actor"]) == {"code", "sector", "text", "kb_id", "selector", "label"}


def test_event_rows_name_actors_by_selector_and_readable_label(client):
    items = client.get("/api/events", params={"actor": "PAK:MIL", "limit": 5}).json()["items"]
    assert items
    assert {r["actor"]["selector"] for r in items} == {"PAK:MIL"}
    assert {r["actor"]["label"] for r in items} == {"Pakistan military"}


def test_kb_actor_label_is_its_kb_name(client):
    row = client.get("/api/events", params={"actor": "TTP", "limit": 1}).json()["items"][0]
    name = client.get("/api/actors/TTP").json()["kb"]["name"]
    assert row["actor"]["selector"] == "TTP" and row["actor"]["label"] == name


def test_event_rows_and_top_dyads_use_the_same_labels(client):
    top = client.get("/api/dyads/top", params={"limit": 1}).json()[0]
    row = client.get(
        "/api/events", params={"actor": top["a"], "recipient": top["b"], "limit": 1}
    ).json()["items"][0]
    assert (row["actor"]["selector"], row["actor"]["label"]) == (top["a"], top["a_label"])
    assert (row["recipient"]["selector"], row["recipient"]["label"]) == (top["b"], top["b_label"])


def test_network_nodes_carry_selector_and_label(client):
    node = client.get("/api/network").json()["nodes"][0]
    assert node["selector"] == node["id"] and node["label"] and node["label"] != node["id"]


def test_events_default_sort_is_newest_first(client):
    items = client.get("/api/events", params={"limit": 100}).json()["items"]
    dates = [r["date"] for r in items]
    assert dates == sorted(dates, reverse=True)


def test_events_pages_do_not_overlap_and_cover_the_total(client):
    total = client.get("/api/events", params={"limit": 1}).json()["total"]
    seen = []
    for offset in range(0, total, 40):
        page = client.get("/api/events", params={"limit": 40, "offset": offset}).json()
        seen += [r["id"] for r in page["items"]]
    assert len(seen) == total == len(set(seen))


@pytest.mark.parametrize("sort", ["date", "-date", "dead", "-dead"])
def test_events_sort_orders_the_key(client, sort):
    items = client.get("/api/events", params={"sort": sort, "limit": 200}).json()["items"]
    key = sort.lstrip("-")
    values = [r[key] for r in items if r[key] is not None]
    assert values == sorted(values, reverse=sort.startswith("-"))


def test_events_filter_by_actor_selector_with_sector(client):
    items = client.get("/api/events", params={"actor": "PAK:MIL", "limit": 500}).json()["items"]
    assert items and all(r["actor"]["code"] == "PAK" for r in items)
    assert all(r["actor"]["sector"] == "MIL" for r in items)


def test_events_filter_by_kb_selector(client):
    items = client.get("/api/events", params={"actor": "TTP"}).json()["items"]
    assert items and all(r["actor"]["kb_id"] == "TTP" for r in items)


def test_events_filter_by_several_types(client):
    body = client.get("/api/events", params={"event": "assault,coerce", "limit": 500}).json()
    assert {r["event"] for r in body["items"]} == {"ASSAULT", "COERCE"}


def test_events_filter_by_quad_country_and_dates(client):
    params = {"quad": "4", "country": "afg", "since": "2023-06-01", "until": "2023-12-31"}
    items = client.get("/api/events", params=params | {"limit": 500}).json()["items"]
    assert items
    assert all(r["quad_code"] == 4 and r["country_code"] == "AFG" for r in items)
    assert all("2023-06-01" <= r["date"] <= "2023-12-31" for r in items)


def test_events_text_search_ignores_case(client):
    items = client.get("/api/events", params={"q": "AIR STRIKE"}).json()["items"]
    assert items and all("air strike" in r["text"].lower() for r in items)


def test_events_filter_by_exact_place_name(client):
    feature = client.get("/api/places").json()["features"][0]["properties"]
    params = {"place": feature["place"], "country": feature["country_code"], "limit": 500}
    body = client.get("/api/events", params=params).json()
    assert body["total"] == feature["events"]
    assert {r["place"] for r in body["items"]} == {feature["place"]}
    assert set(feature["event_ids"]) <= {r["id"] for r in body["items"]}


def test_events_place_filter_is_exact_not_a_substring(client):
    name = client.get("/api/places").json()["features"][0]["properties"]["place"]
    for near in (name[:-1], name.upper(), f"%{name}%"):
        assert client.get("/api/events", params={"place": near}).json()["total"] == 0


def test_events_filter_by_document(client):
    items = client.get("/api/events", params={"document_id": "doc00001"}).json()["items"]
    assert [r["document_id"] for r in items] == ["doc00001"]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"since": "2023-13-01"}, "since"),
        ({"event": "BOMBING"}, "event"),
        ({"sort": "title"}, "sort"),
        ({"quad": "5"}, "quad"),
        ({"country": "Pakistan"}, "country"),
        ({"limit": 501}, "limit"),
        ({"offset": -1}, "offset"),
        ({"actor": "P"}, "actor"),
        ({"place": "x" * 201}, "place"),
        ({"since": "2024-01-02", "until": "2024-01-01"}, "since"),
    ],
)
def test_events_bad_parameter_is_400_naming_it(client, params, named):
    r = client.get("/api/events", params=params)
    assert r.status_code == 400
    assert r.json()["detail"].startswith(named)


def test_event_detail_has_record_and_reports(client):
    row = client.get("/api/events", params={"limit": 1}).json()["items"][0]
    body = client.get(f"/api/events/{row['id']}").json()
    assert body["id"] == row["id"]
    assert body["record"]["event"] == row["event"]
    assert body["reports"] and body["reports"][0]["document_id"]
    assert {"title", "source", "url", "published", "text", "sentence_index"} <= set(
        body["reports"][0]
    )


def test_event_detail_mentions_is_the_same_count_as_in_rows(client):
    row = client.get("/api/events", params={"sort": "date", "limit": 1}).json()["items"][0]
    body = client.get(f"/api/events/{row['id']}").json()
    assert body["mentions"] == row["mentions"] == len(body["reports"])


def test_unknown_event_is_404(client):
    r = client.get("/api/events/no-such-event")
    assert r.status_code == 404 and "no-such-event" in r.json()["detail"]


def test_volume_counts_every_dated_event_once(client):
    total = client.get("/api/events", params={"limit": 1}).json()["total"]
    body = client.get("/api/volume").json()
    assert body["by"] == "month"
    assert sum(sum(v) for v in body["series"].values()) == total
    assert all(len(v) == len(body["periods"]) for v in body["series"].values())


def test_volume_by_week_for_an_actor(client):
    body = client.get("/api/volume", params={"by": "week", "actor": "TTP"}).json()
    assert set(body["series"]) == {"ASSAULT"}
    assert body["periods"][1] > body["periods"][0]


def test_top_dyads_are_selectors_the_dyad_endpoint_accepts(client):
    top = client.get("/api/dyads/top", params={"limit": 3}).json()
    assert len(top) == 3
    for d in top:
        series = client.get("/api/dyad", params={"a": d["a"], "b": d["b"]}).json()
        assert series["total_events"] == d["events"]
        assert d["conflict"] + d["cooperation"] <= d["events"]


def test_top_dyad_of_the_story_is_the_two_governments(client):
    first = client.get("/api/dyads/top").json()[0]
    assert {first["a"], first["b"]} == {"AFG:GOV", "PAK:GOV"}
    assert first["a_label"] and first["b_label"]


def test_dyad_requires_both_selectors(client):
    r = client.get("/api/dyad", params={"a": "PAK"})
    assert r.status_code == 400 and "b" in r.json()["detail"]


def test_dyad_series_by_week_and_directed(client):
    both = client.get("/api/dyad", params={"a": "PAK", "b": "AFG", "by": "week"}).json()
    one_way = client.get(
        "/api/dyad", params={"a": "AFG", "b": "PAK", "by": "week", "directed": "true"}
    ).json()
    assert both["by"] == "week" and one_way["directed"] is True
    assert 0 < one_way["total_events"] < both["total_events"]


def test_shifts_find_the_turn_to_conflict_with_drivers(client):
    body = client.get("/api/shifts", params={"a": "PAK", "b": "AFG"}).json()
    assert body["series"]["total_events"] > 0
    turns = [s for s in body["shifts"] if s["direction"] == "deterioration"]
    assert turns and "2023-01-01" <= turns[0]["date"] <= "2023-06-30"
    drivers = turns[0]["drivers"]["drivers"]
    assert set(drivers) == {"sub-dyad", "event type", "place"}
    assert drivers["event type"][0]["evidence"]


def test_shift_sub_dyad_drivers_name_both_actors(client):
    body = client.get("/api/shifts", params={"a": "PAK", "b": "AFG"}).json()
    subs = body["shifts"][0]["drivers"]["drivers"]["sub-dyad"]
    named = {tuple(p["selector"] for p in d["parties"]): d for d in subs}
    assert ("PAK:GOV", "AFG:GOV") in named
    parties = named[("PAK:GOV", "AFG:GOV")]["parties"]
    assert [p["label"] for p in parties] == ["Pakistan government", "Afghanistan government"]


def test_shifts_name_the_dyad_with_readable_labels(client):
    body = client.get("/api/shifts", params={"a": "PAK:MIL", "b": "TTP"}).json()
    ttp = client.get("/api/actors/TTP").json()["kb"]["name"]
    assert (body["a"], body["b"]) == ("PAK:MIL", "TTP")
    assert (body["a_label"], body["b_label"]) == ("Pakistan military", ttp)


def test_recent_shifts_name_their_dyad(client):
    recent = client.get("/api/shifts/recent").json()
    assert recent
    assert {"a", "b", "a_label", "b_label", "date", "delta", "p_value"} <= set(recent[0])


def test_network_edges_count_every_event_between_two_actors(client):
    body = client.get("/api/network").json()
    ids = {n["id"] for n in body["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in body["edges"])
    assert {"centrality", "degree", "label", "events"} <= set(body["nodes"][0])
    dyadic = client.get("/api/events", params={"limit": 1}).json()["total"]
    assert 0 < sum(e["events"] for e in body["edges"]) <= dyadic


def test_network_min_events_drops_thin_edges(client):
    body = client.get("/api/network", params={"min_events": 50}).json()
    assert body["edges"] and all(e["events"] >= 50 for e in body["edges"])


def test_places_is_geojson_with_one_feature_per_place(client):
    r = client.get("/api/places")
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["type"] == "FeatureCollection"
    names = [(f["properties"]["place"], f["properties"]["country_code"]) for f in body["features"]]
    assert len(names) == len(set(names))
    f = body["features"][0]
    assert f["geometry"]["type"] == "Point" and len(f["geometry"]["coordinates"]) == 2
    assert sum(f["properties"]["types"].values()) == f["properties"]["events"]
    assert 0 < len(f["properties"]["event_ids"]) <= 20


def test_places_filtered_by_type(client):
    body = client.get("/api/places", params={"event": "COERCE"}).json()
    assert [f["properties"]["place"] for f in body["features"]] == ["Torkham"]


def test_actors_search_by_name(client):
    found = client.get("/api/actors", params={"q": "taliban"}).json()
    assert [a["selector"] for a in found] == ["TTP"]
    assert found[0]["kb_id"] == "TTP" and found[0]["events_as_actor"] > 0


def test_actor_page_has_kb_entry_partners_and_recent_events(client):
    body = client.get("/api/actors/TTP").json()
    assert body["kb"]["id"] == "TTP"
    assert body["partners"][0]["selector"] == "PAK:COP"
    assert body["events_as_actor"] == sum(body["by_type"].values())
    assert body["recent_events"] and body["recent_events"][0]["actor"]["kb_id"] == "TTP"


def test_documents_search_by_title(client):
    body = client.get("/api/documents", params={"q": "paktika", "limit": 5}).json()
    assert body["total"] > 0 and len(body["items"]) <= 5
    assert all("paktika" in d["title"].lower() for d in body["items"])
    assert all(d["events"] >= 1 for d in body["items"])


def test_document_highlights_point_at_the_event_sentence(client):
    doc = client.get("/api/documents/doc00001").json()
    assert doc["highlights"]
    h = doc["highlights"][0]
    event = client.get(f"/api/events/{h['event_id']}").json()
    assert doc["text"][h["start"] : h["end"]] == event["reports"][0]["text"]


def test_unknown_document_is_404(client):
    assert client.get("/api/documents/nope").status_code == 404


@pytest.fixture(scope="module")
def slashed(tmp_path_factory):
    """A store whose only document has an id with slashes (a path-like feed id)."""
    day = dt.date(2024, 5, 2)
    doc = coded_document(
        SLASHED_ID,
        [Mention("ASSAULT", "PAK:MIL", "AFG:GOV", day, "Khost", "Shells hit a post in Khost.")],
    )
    db = tmp_path_factory.mktemp("slash") / "slash.duckdb"
    with Store(db) as store:
        insert_coded(store.con, [doc])
    with TestClient(create_app(db, warm=False)) as c:
        yield c


SLASHED_ID = "wire/2024/05/khost-post"


@pytest.mark.parametrize("path", [SLASHED_ID, quote(SLASHED_ID, safe="")])
def test_document_id_with_slashes_is_found_raw_or_percent_encoded(slashed, path):
    r = slashed.get(f"/api/documents/{path}")
    assert r.status_code == 200
    doc = r.json()
    assert doc["id"] == SLASHED_ID and doc["highlights"]


def test_events_of_a_slashed_document_open_from_its_highlight(slashed):
    doc = slashed.get(f"/api/documents/{SLASHED_ID}").json()
    event_id = doc["highlights"][0]["event_id"]
    event = slashed.get(f"/api/events/{quote(event_id, safe='')}").json()
    assert event["reports"][0]["document_id"] == SLASHED_ID
    listed = slashed.get("/api/events", params={"document_id": SLASHED_ID}).json()
    assert [r["id"] for r in listed["items"]] == [event_id]


def test_unknown_slashed_document_is_404_naming_it(slashed):
    r = slashed.get("/api/documents/wire/2024/05/nope")
    assert r.status_code == 404 and "wire/2024/05/nope" in r.json()["detail"]


def test_rejected_is_paged(client):
    body = client.get("/api/rejected").json()
    assert body == {"total": 0, "limit": 50, "offset": 0, "items": []}


def test_openapi_lists_every_contract_path(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert [p for p in CONTRACT_PATHS if p not in paths] == []


def test_docs_page_works_offline(client):
    r = client.get("/docs")
    assert r.status_code == 200 and "/api/events" in r.text
    assert "http://" not in r.text.replace("http://www.w3.org", "")
    assert "https://" not in r.text and "<script" not in r.text
