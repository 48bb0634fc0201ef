"""Fixtures for the event coder tests: hand-built actor mentions, so these tests do not
depend on the actor knowledge base (riftwatch.actors is tested on its own)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from riftwatch.events import EventCandidate, detect_events, load_lexicon
from riftwatch.model import ActorRef

# surface form (lower case, possibly several words) -> (code, sector)
NAMES: dict[str, tuple[str, str | None]] = {
    "pakistan": ("PAK", None),
    "pakistani": ("PAK", None),
    "islamabad": ("PAK", "GOV"),
    "afghanistan": ("AFG", None),
    "afghan": ("AFG", None),
    "kabul": ("AFG", "GOV"),
    "taliban": ("AFG", "GOV"),
    "ttp": ("PAK", "REB"),
    "india": ("IND", None),
    "indian": ("IND", None),
    "new delhi": ("IND", "GOV"),
    "iran": ("IRN", None),
    "iranian": ("IRN", None),
    "tehran": ("IRN", "GOV"),
    "china": ("CHN", None),
    "chinese": ("CHN", None),
    "beijing": ("CHN", "GOV"),
    "united states": ("USA", None),
    "washington": ("USA", "GOV"),
    "american": ("USA", None),
    "us": ("USA", None),
    "russia": ("RUS", None),
    "moscow": ("RUS", "GOV"),
    "turkey": ("TUR", None),
    "qatar": ("QAT", None),
    "un": ("IGO", None),
    "united nations": ("IGO", None),
    "european union": ("IGO", None),
    "eu": ("IGO", None),
    "japan": ("JPN", None),
    "norway": ("NOR", None),
    "oman": ("OMN", None),
    "uzbekistan": ("UZB", None),
    "bangladesh": ("BGD", None),
    "isi": ("PAK", "SPY"),
}


@dataclass(frozen=True)
class FakeMention:
    start: int
    end: int
    root: int
    ref: ActorRef


def fake_mentions(doc) -> list[FakeMention]:
    """Longest-match lookup of NAMES over the tokens (what an actor resolver would give)."""
    out = []
    i = 0
    while i < len(doc):
        for n in (3, 2, 1):
            words = " ".join(t.lower_ for t in doc[i : i + n])
            if i + n <= len(doc) and words in NAMES:
                code, sector = NAMES[words]
                span = doc[i : i + n]
                ref = ActorRef(
                    code=code,
                    sector=sector,
                    entity_text=span.text,
                    span=(span.start_char, span.end_char),
                    confidence=0.9,
                )
                out.append(FakeMention(i, i + n, i + n - 1, ref))
                i += n
                break
        else:
            i += 1
    return out


@pytest.fixture(scope="session")
def mentions_for():
    """The hand-built mention finder, as a fixture."""
    return fake_mentions


@pytest.fixture(scope="session")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="session")
def code(nlp, lexicon):
    """code(text) -> list[EventCandidate] with hand-built mentions."""

    def _code(text: str, date: dt.date | None = dt.date(2024, 6, 1)) -> list[EventCandidate]:
        doc = nlp(text)
        return detect_events(doc, fake_mentions(doc), lexicon=lexicon, date=date)

    return _code
