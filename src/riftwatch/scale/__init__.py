"""Scale-out: code documents on a Ray cluster into Parquet files, then load them.

    run_ray(inputs, out_dir, options=RayOptions(...)) -> RaySummary
    load_dir(out_dir, store) -> LoadSummary

The Ray engine reads inputs with the project's own readers (so a document gets the same
id and fields as with the local engine), codes them with a pool of actors that each load
the pipeline once, and writes Parquet under ``out_dir``: ``documents/``, ``events/date=.../``
(event mentions partitioned by event date) and ``rejected/``. Every file name is derived
from its batch's content, so a retried task overwrites what a killed one began, and
``load_dir`` keeps one version of each document: loading is idempotent.
"""

from __future__ import annotations

from .load import LoadSummary, load_dir
from .ray_engine import RayOptions, RaySummary, run_ray

__all__ = ["LoadSummary", "RayOptions", "RaySummary", "load_dir", "run_ray"]
