"""The analysis layer: events from mentions, dyads, shifts, drivers and the actor network.

Everything here reads the store (a ``Store`` or a DuckDB connection) and returns data;
nothing prints. Heavy dependencies (ruptures, networkx) load only with the module that
needs them.
"""

from __future__ import annotations

from .aggregate import AggregateConfig, rebuild_events, update_events
from .dyads import DyadPeriod, DyadSeries, dyad_series

__all__ = [
    "AggregateConfig",
    "DyadPeriod",
    "DyadSeries",
    "dyad_series",
    "rebuild_events",
    "update_events",
]
