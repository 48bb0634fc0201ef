"""The actor interaction network of a period, and its GraphML / GeoJSON exports.

Nodes are actors with selector-style labels (``PAK:MIL``, ``AFG:GOV``, ``TTP``), so a node
can be pasted back into ``riftwatch dyad``. A directed edge a→b carries how often and how
hard a cooperated with or fought b; centralities are computed on the undirected graph
weighted by event counts (who is in the middle of the system), plus PageRank on the
directed conflict graph (who is most targeted).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from ..errors import ConfigError, StoreError
from ..store.selectors import selector_sql
from .common import SIGN_SQL, WEIGHT_SQL, check_table, connection, label_sql


def _filters(
    since: dt.date | None,
    until: dt.date | None,
    *,
    actor: str | None = None,
    recipient: str | None = None,
    event: str | None = None,
    **unknown: Any,
) -> tuple[str, list[Any]]:
    """The WHERE body of the export filters (same names as ``riftwatch events``)."""
    unknown = {k: v for k, v in unknown.items() if v is not None}
    if unknown:
        raise ConfigError(f"unknown filter(s) for a network export: {', '.join(sorted(unknown))}")
    where = ["1 = 1"]
    params: list[Any] = []
    for text, role in ((actor, "actor"), (recipient, "recipient")):
        if text:
            sql, p = selector_sql(text, role)
            where.append(sql)
            params += p
    if event:
        where.append("event IN (SELECT unnest(?::VARCHAR[]))")
        params.append([t.strip().upper() for t in event.split(",") if t.strip()])
    if since:
        where.append("date >= ?")
        params.append(since)
    if until:
        where.append("date <= ?")
        params.append(until)
    return " AND ".join(where), params


def actor_network(
    store_or_con: Any,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    table: str = "events",
    min_events: int = 1,
    **filters: Any,
) -> nx.DiGraph:
    """A directed graph of who did what to whom between ``since`` and ``until``.

    Edge attributes: ``events``, ``coop``, ``conflict`` (counts), ``coop_score``,
    ``conflict_score`` (sums of |PLOVER score|), ``net`` (coop_score - conflict_score),
    ``dead``, ``weight`` (= events). Node attributes: ``country``, ``sector``, ``events``
    (as actor or recipient), ``degree``, ``betweenness``, ``strength`` (share of all
    interactions touching the node: robust on disconnected graphs, unlike eigenvector
    centrality), ``pagerank`` (on the conflict edges: who is most targeted).
    """
    con = connection(store_or_con)
    table = check_table(table)
    where, params = _filters(since, until, **filters)
    sql = f"""
        SELECT {label_sql("actor")} AS src, {label_sql("recipient")} AS dst,
               any_value(actor_code), any_value(actor_sector),
               any_value(recipient_code), any_value(recipient_sector),
               count(*),
               count(*) FILTER (WHERE {SIGN_SQL} = 1),
               count(*) FILTER (WHERE {SIGN_SQL} = -1),
               coalesce(sum({WEIGHT_SQL}) FILTER (WHERE {SIGN_SQL} = 1), 0),
               coalesce(sum({WEIGHT_SQL}) FILTER (WHERE {SIGN_SQL} = -1), 0),
               coalesce(sum(dead), 0)
        FROM {table}
        WHERE {where} AND actor_code IS NOT NULL AND recipient_code IS NOT NULL
        GROUP BY 1, 2 HAVING count(*) >= ?
        ORDER BY 1, 2
    """
    rows = con.execute(sql, [*params, min_events]).fetchall()
    g = nx.DiGraph(
        since=since.isoformat() if since else "", until=until.isoformat() if until else ""
    )
    for src, dst, ac, asec, rc, rsec, n, coop, conf, coop_s, conf_s, dead in rows:
        for node, code, sector in ((src, ac, asec), (dst, rc, rsec)):
            if node not in g:
                g.add_node(node, label=node, country=code or "", sector=sector or "", events=0)
            g.nodes[node]["events"] += int(n)
        g.add_edge(
            src,
            dst,
            events=int(n),
            weight=int(n),
            coop=int(coop),
            conflict=int(conf),
            coop_score=float(coop_s),
            conflict_score=float(conf_s),
            net=float(coop_s - conf_s),
            dead=int(dead),
        )
    _centrality(g)
    return g


def _centrality(g: nx.DiGraph) -> None:
    if g.number_of_nodes() == 0:
        return
    und = nx.Graph()
    und.add_nodes_from(g.nodes)
    for u, v, d in g.edges(data=True):
        if u == v:
            continue
        w = und.get_edge_data(u, v, {"weight": 0})["weight"] + d["events"]
        und.add_edge(u, v, weight=w, distance=1.0 / w)
    degree = nx.degree_centrality(und) if und.number_of_nodes() > 1 else {n: 0.0 for n in und}
    between = weighted_betweenness(und, weight="distance")
    total = sum(d["weight"] for _, _, d in und.edges(data=True)) or 1
    strength = {n: s / (2 * total) for n, s in und.degree(weight="weight")}
    conflict = nx.DiGraph()
    conflict.add_nodes_from(g.nodes)
    for u, v, d in g.edges(data=True):
        if d["conflict_score"] > 0 and u != v:
            conflict.add_edge(u, v, weight=d["conflict_score"])
    pagerank = nx.pagerank(conflict, weight="weight") if conflict.number_of_edges() else {}
    for n in g.nodes:
        g.nodes[n]["degree"] = round(float(degree.get(n, 0.0)), 6)
        g.nodes[n]["betweenness"] = round(float(between.get(n, 0.0)), 6)
        g.nodes[n]["strength"] = round(float(strength.get(n, 0.0)), 6)
        g.nodes[n]["pagerank"] = round(float(pagerank.get(n, 0.0)), 6)


def weighted_betweenness(g: nx.Graph, weight: str = "distance") -> dict[Any, float]:
    """Normalised shortest-path betweenness of an undirected graph (Brandes, 2001).

    The same measure as ``networkx.betweenness_centrality(g, weight=weight)``, computed on
    a dense distance matrix with numpy: an actor network has tens of nodes but nearly all
    pairs linked, where networkx's per-edge Python Dijkstra takes a large share of an API
    call. Equal-length paths are counted by exact equality of the summed lengths, as
    networkx does.
    """
    nodes = list(g.nodes)
    n = len(nodes)
    if n <= 2:
        return {v: 0.0 for v in nodes}
    pos = {v: i for i, v in enumerate(nodes)}
    dist = np.full((n, n), np.inf)
    for u, v, d in g.edges(data=True):
        if u != v:
            dist[pos[u], pos[v]] = dist[pos[v], pos[u]] = float(d.get(weight, 1.0))
    from scipy.linalg import solve_triangular
    from scipy.sparse.csgraph import dijkstra

    lengths = dijkstra(np.where(np.isinf(dist), 0.0, dist), directed=False)
    between = np.zeros(n)
    for s in range(n):
        length = lengths[s]
        reached = np.flatnonzero(np.isfinite(length))
        reached = reached[np.argsort(length[reached], kind="stable")]
        m = len(reached)
        if m < 3:
            continue
        # pred[i, j]: a shortest path to reached[j] ends with the edge from reached[i]; in
        # distance order it is strictly upper triangular, so the path counts (sigma) and
        # the dependencies (delta) of Brandes' recursions are triangular solves
        sub = length[reached]
        pred = np.triu((sub[:, None] + dist[np.ix_(reached, reached)]) == sub[None, :], 1)
        first = np.zeros(m)
        first[0] = 1.0
        eye = np.eye(m)
        sigma = solve_triangular(eye - pred.T, first, lower=True)
        flow = pred * (sigma[:, None] / sigma[None, :])
        delta = solve_triangular(eye - flow, flow.sum(axis=1), lower=False)
        between[reached[1:]] += delta[1:]
    between *= 1.0 / ((n - 1) * (n - 2))
    return {v: float(between[pos[v]]) for v in nodes}


def network_summary(g: nx.DiGraph, top: int = 10) -> dict[str, Any]:
    """Nodes ranked by weighted centrality and the heaviest edges, as plain data."""
    nodes = sorted(
        ({"actor": n, **d} for n, d in g.nodes(data=True)),
        key=lambda x: (-x["strength"], -x["events"], x["actor"]),
    )
    edges = sorted(
        ({"source": u, "target": v, **d} for u, v, d in g.edges(data=True)),
        key=lambda x: (-x["events"], x["source"], x["target"]),
    )
    return {
        "nodes": nodes[:top],
        "edges": edges[:top],
        "n_nodes": g.number_of_nodes(),
        "n_edges": g.number_of_edges(),
    }


def export_graphml(
    store_or_con: Any,
    path: str | Path,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    table: str = "events",
    **filters: Any,
) -> int:
    """Write the actor network to GraphML; returns the number of edges.

    ``filters``: ``actor``, ``recipient`` (selectors), ``event`` (types, comma-separated).
    """
    g = actor_network(store_or_con, since=since, until=until, table=table, **filters)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        nx.write_graphml(g, path)
    except OSError as e:
        raise StoreError(f"cannot write {path}: {e}") from e
    return g.number_of_edges()


_GEO_COLUMNS = (
    "id", "date", "date_precision", "event", "mode", "quad_code", "event_scale", "goldstein",
    "actor_code", "actor_sector", "actor_kb_id", "recipient_code", "recipient_sector",
    "recipient_kb_id", "place", "district", "province", "country_code", "loc_resolution",
    "dead", "injured", "arrested", "confidence", "text", "document_id",
)  # fmt: skip


def export_geojson(
    store_or_con: Any,
    path: str | Path,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    table: str = "events",
    **filters: Any,
) -> int:
    """Write the events with coordinates as a GeoJSON FeatureCollection; returns features.

    ``filters``: ``actor``, ``recipient`` (selectors), ``event`` (types, comma-separated).
    """
    con = connection(store_or_con)
    table = check_table(table)
    where, params = _filters(since, until, **filters)
    extra = ", mentions, sources" if table == "events" else ""
    cols = ", ".join(_GEO_COLUMNS) + extra
    cur = con.execute(
        f"SELECT lon, lat, {cols} FROM {table} WHERE {where} AND lat IS NOT NULL"
        " AND lon IS NOT NULL ORDER BY date NULLS LAST, id",
        params,
    )
    names = [d[0] for d in cur.description][2:]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    try:
        with path.open("w", encoding="utf-8") as fh:
            fh.write('{"type": "FeatureCollection", "features": [\n')
            while batch := cur.fetchmany(5000):
                for row in batch:
                    props = {
                        k: (v.isoformat() if isinstance(v, dt.date) else v)
                        for k, v in zip(names, row[2:], strict=True)
                    }
                    feature = {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [row[0], row[1]]},
                        "properties": props,
                    }
                    fh.write((",\n" if n else "") + json.dumps(feature, ensure_ascii=False))
                    n += 1
            fh.write("\n]}\n")
    except OSError as e:
        raise StoreError(f"cannot write {path}: {e}") from e
    return n
