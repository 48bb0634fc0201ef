"""YAML reading for the bundled data files, with libyaml's C parser when PyYAML has it.

The knowledge base, lexicons and cue lists are read by every worker process at start-up;
PyYAML's pure-Python parser spent about a second of each worker's start on them.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load``, on the C parser when it is installed (same results)."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
