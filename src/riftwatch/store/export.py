"""Exports of stored events: PLOVER JSONL, flat CSV, Parquet, GeoJSON, GraphML.

PLOVER JSONL carries the full record (DESIGN.md); CSV and Parquet carry the flat columns
of the events table (one row per event, nested fields flattened), which is what
spreadsheet and dataframe users want. GeoJSON holds the events with coordinates (for GIS
tools); GraphML the actor network (for Gephi, networkx).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .db import Store

FORMATS = ("plover-jsonl", "csv", "parquet", "geojson", "graphml")


def export_events(
    store: Store, path: Path, *, format: str, table: str = "events", **filters: Any
) -> int:
    """Write the events matching ``filters`` to ``path``; returns the number written."""
    if format not in FORMATS:
        raise ConfigError(f"unknown export format {format!r}; use one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if format in ("geojson", "graphml"):
        from ..analysis.network import export_geojson, export_graphml

        write = export_geojson if format == "geojson" else export_graphml
        return write(
            store, path, since=filters.get("since"), until=filters.get("until"), table=table
        )
    if format == "plover-jsonl":
        n = 0
        with path.open("w", encoding="utf-8") as fh:
            for record in store.iter_records(table=table, **filters):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
        return n
    where, params = store._event_filter(**filters)
    select = f"SELECT * EXCLUDE (record) FROM {table}{where} ORDER BY date NULLS LAST, id"
    rel = store.con.sql(select, params=params).to_arrow_table()
    if format == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(rel, path)
    else:
        import pyarrow.csv as pacsv

        # lists (context) are not CSV values: join them
        if "context" in rel.column_names:
            import pyarrow as pa
            import pyarrow.compute as pc

            idx = rel.column_names.index("context")
            joined = pc.binary_join(rel.column("context"), ";")
            rel = rel.set_column(idx, "context", joined.cast(pa.string()))
        pacsv.write_csv(rel, path)
    return rel.num_rows
