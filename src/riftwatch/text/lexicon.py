"""Word lists the text stage needs, loaded once: the English frequency list (wordfreq)
and the hand-written glued-word lists in ``riftwatch/data/text/``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from riftwatch._yaml import safe_load
from riftwatch.errors import ConfigError


def data_text(name: str) -> str:
    """Text of a data file in ``riftwatch/data/text/``."""
    try:
        return resources.files("riftwatch").joinpath("data", "text", name).read_text("utf-8")
    except (OSError, FileNotFoundError) as exc:  # pragma: no cover - packaging error
        raise ConfigError(f"missing text data file {name}: {exc}") from exc


def load_yaml(name: str) -> dict:
    try:
        data = safe_load(data_text(name))
    except yaml.YAMLError as exc:  # pragma: no cover - packaging error
        raise ConfigError(f"bad text data file {name}: {exc}") from exc
    if not isinstance(data, dict):  # pragma: no cover
        raise ConfigError(f"text data file {name} is not a mapping")
    return data


class Frequencies:
    """Zipf frequency of English words (wordfreq's list), as plain dict lookups.

    ``wordfreq.zipf_frequency`` re-tokenizes its argument on every call; the pipeline
    looks up many tokens, so the list is read once into a dict of zipf values.
    """

    def __init__(self) -> None:
        import wordfreq

        self._freq: dict[str, float] = wordfreq.get_frequency_dict("en", wordlist="best")

    def zipf(self, word: str) -> float:
        """Zipf value (log10 of frequency per billion words) of a lower-case word, 0.0
        when unknown."""
        f = self._freq.get(word)
        return math.log10(f) + 9.0 if f else 0.0

    def __contains__(self, word: str) -> bool:
        return word in self._freq


@lru_cache(maxsize=1)
def english_frequencies() -> Frequencies:
    return Frequencies()


@dataclass(frozen=True)
class GlueLists:
    protected: frozenset[str]
    strong_right: frozenset[str]
    weak_right: frozenset[str]
    strong_left: frozenset[str]
    pair_left: frozenset[str]
    pair_right: frozenset[str]
    blocked_prefixes: frozenset[str]
    blocked_suffixes: frozenset[str]


@lru_cache(maxsize=1)
def glue_lists() -> GlueLists:
    data = load_yaml("glued_words.yaml")

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data.get(key) or [])

    return GlueLists(
        protected=words("protected"),
        strong_right=words("strong_right"),
        weak_right=words("weak_right"),
        strong_left=words("strong_left"),
        pair_left=words("pair_left"),
        pair_right=words("pair_right"),
        blocked_prefixes=words("blocked_prefixes"),
        blocked_suffixes=words("blocked_suffixes"),
    )
