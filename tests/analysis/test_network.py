from __future__ import annotations

import datetime as dt
import json

import networkx as nx
import pytest

from riftwatch.analysis.network import (
    actor_network,
    export_geojson,
    export_graphml,
    network_summary,
)
from riftwatch.errors import ConfigError


def test_network_nodes_are_selector_labels_with_weighted_edges(story_store):
    g = actor_network(story_store)
    assert {"PAK:GOV", "AFG:GOV", "PAK:MIL", "TTP", "PAK:COP"} <= set(g.nodes)
    e = g.edges["PAK:MIL", "AFG:GOV"]
    assert e["conflict"] == e["events"] > 0 and e["coop"] == 0 and e["net"] < 0
    assert g.edges["TTP", "PAK:COP"]["dead"] > 0


def test_network_centrality_ranks_the_governments_first(story_store):
    top = [n["actor"] for n in network_summary(actor_network(story_store), top=2)["nodes"]]
    assert set(top) == {"PAK:GOV", "AFG:GOV"}


def test_network_period_filter_drops_later_actors(story_store):
    g = actor_network(story_store, until=dt.date(2022, 12, 31))
    assert "PAK:MIL" not in g.nodes or g.edges.get(("PAK:MIL", "AFG:GOV"), {}).get("events", 0) < 3


def test_network_graphml_round_trips(story_store, tmp_path):
    n = export_graphml(story_store, tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.number_of_edges() == n > 0
    assert "pagerank" in back.nodes["AFG:GOV"]


def test_network_geojson_holds_located_events(story_store, tmp_path):
    n = export_geojson(story_store, tmp_path / "e.geojson")
    data = json.loads((tmp_path / "e.geojson").read_text())
    located = story_store.con.execute(
        "SELECT count(*) FROM events WHERE lat IS NOT NULL"
    ).fetchone()[0]
    assert n == len(data["features"]) == located
    f = data["features"][0]
    assert f["geometry"]["type"] == "Point" and len(f["geometry"]["coordinates"]) == 2
    assert {"event", "date", "sources"} <= set(f["properties"])


def test_network_exports_take_the_event_filters(story_store, tmp_path):
    n = export_geojson(story_store, tmp_path / "e.geojson", actor="TTP", event="ASSAULT")
    props = [f["properties"] for f in json.loads((tmp_path / "e.geojson").read_text())["features"]]
    assert n == len(props) > 0 and {p["actor_kb_id"] for p in props} == {"TTP"}
    assert export_graphml(story_store, tmp_path / "g.graphml", recipient="AFG:CVL") == 1


def test_network_unknown_filter_is_an_error(story_store, tmp_path):
    with pytest.raises(ConfigError):
        export_geojson(story_store, tmp_path / "e.geojson", colour="red")


@pytest.mark.parametrize("seed", range(4))
def test_network_betweenness_equals_networkx_with_tied_paths(seed):
    from riftwatch.analysis.network import weighted_betweenness

    g = nx.gnp_random_graph(18, 0.3, seed=seed)
    for i, (u, v) in enumerate(g.edges):
        g[u][v]["distance"] = 1.0 / (1 + i % 3)  # few distinct lengths: many equal paths
    g.add_node("isolated")
    expected = nx.betweenness_centrality(g, weight="distance")
    found = weighted_betweenness(g)
    assert found == pytest.approx(expected, abs=1e-9)
