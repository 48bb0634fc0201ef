"""Record types shared by every stage.

These dataclasses are the contract between the stages (ingest, NLP components, store,
analysis, exports). Stages build them; the store and the exporters read them. Field names
follow the PLOVER JSON section where one exists, so that ``Event.to_plover()`` is a plain
rename-free dump.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]
"""A half-open character span ``(start, end)`` in the ORIGINAL document text."""


def _values(obj: Any) -> dict[str, Any]:
    """Field name -> value of a slotted dataclass whose fields are scalars (or tuples of
    them). ``dataclasses.asdict`` would deep-copy each value: for the store, which turns
    every event into its PLOVER record, that copying cost more than the JSON encoding."""
    return {name: getattr(obj, name) for name in obj.__slots__}


@dataclass(frozen=True, slots=True)
class Document:
    """One article as ingested.

    ``published_source`` says how ``published`` was found: ``metadata`` (a date field or
    header), ``dateline`` (the news dateline at the top of the text), ``cli`` (the
    ``--published`` option) or ``unknown`` (``published`` is None). Never silently today.
    """

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    published_source: str = "unknown"
    source: str | None = None
    url: str | None = None
    input: str | None = None
    """Where the document came from: a path (``file.jsonl``) or ``-`` for stdin."""
    location: str | None = None
    """Position inside the input: ``line 12``, ``row 3``, ``item 4``, ``entry 2``."""
    language: str | None = None
    dateline_place: str | None = None
    """The place named in the news dateline ("PESHAWAR"), if any."""


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input (or part of one) that could not become a document, and why."""

    input: str
    location: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor in the PLOVER scheme: country code + sector, traced to the knowledge base."""

    code: str | None = None
    """ISO 3166-1 alpha-3 country code, or an international code such as ``IGO``/``NATO``."""
    sector: str | None = None
    """PLOVER sector: GOV, MIL, COP, SPY, REB, PTY, OPP, JUD, LEG, CVL, ..."""
    entity_text: str | None = None
    """The mention as written in the sentence."""
    identifier_id: str | None = None
    """Knowledge-base id (``TTP``, ``imran_khan``)."""
    identifier_text: str | None = None
    """Knowledge-base canonical name."""
    office: str | None = None
    confidence: float = 0.0
    span: Span | None = None

    @property
    def selector(self) -> str | None:
        """``PAK:MIL`` style selector used by dyad queries."""
        if not self.code:
            return None
        return f"{self.code}:{self.sector}" if self.sector else self.code

    def to_plover(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "sector": self.sector,
            "entity_text": self.entity_text,
            "identifier_id": self.identifier_id,
            "identifier_text": self.identifier_text,
            "office": self.office,
        }


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved toponym with the PLOVER location fields."""

    extracted_place: str
    resolved_place: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    city: str | None = None
    district: str | None = None
    province: str | None = None
    country: str | None = None
    country_code: str | None = None
    """ISO 3166-1 alpha-3."""
    feature_class: str | None = None
    feature_code: str | None = None
    resolution: str | None = None
    """Precision level: ``city``, ``district``, ``province``, ``country``, ``dateline``..."""
    span: Span | None = None
    confidence: float = 0.0

    def to_plover(self) -> dict[str, Any]:
        out = _values(self)
        out.pop("span")
        out.pop("confidence")
        return out


@dataclass(frozen=True, slots=True)
class Size:
    """Victim counts. ``None`` means the text does not say."""

    dead: int | None = None
    injured: int | None = None
    arrested: int | None = None
    dead_low: int | None = None
    dead_high: int | None = None

    def to_plover(self) -> dict[str, Any]:
        return _values(self)

    @property
    def empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__slots__)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where in the original document text an event was read."""

    document_id: str
    sentence_index: int
    sentence_span: Span
    trigger_span: Span | None = None
    actor_span: Span | None = None
    recipient_span: Span | None = None
    location_span: Span | None = None

    def to_plover(self) -> dict[str, Any]:
        return {
            "sentence_index": self.sentence_index,
            "sentence_span": list(self.sentence_span),
            "trigger_span": list(self.trigger_span) if self.trigger_span else None,
            "actor_span": list(self.actor_span) if self.actor_span else None,
            "recipient_span": list(self.recipient_span) if self.recipient_span else None,
            "location_span": list(self.location_span) if self.location_span else None,
        }


@dataclass(frozen=True, slots=True)
class Citation:
    document_id: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None

    def to_plover(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
        }


@dataclass(frozen=True, slots=True)
class Event:
    """One event mention: an event as one sentence of one document reports it.

    Aggregation across reports (``events`` table) groups these; an ``Event`` from
    ``code_text`` is always a single mention (``mentions == 1``).
    """

    id: str
    event: str
    """PLOVER event type: AGREE, ASSAULT, ... (upper case)."""
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    quad_code: int | None = None
    """PLOVER quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal
    conflict, 4 material conflict."""
    event_scale: float | None = None
    """The PLOVER score of the type/mode (manual's table)."""
    actor: ActorRef = field(default_factory=ActorRef)
    recipient: ActorRef = field(default_factory=ActorRef)
    event_text: str | None = None
    """The trigger words."""
    text: str = ""
    """The sentence."""
    date: dt.date | None = None
    date_precision: str | None = None
    """``day``, ``week``, ``month``, ``year``, ``decade``; ``published`` when the date is the
    publication date because the text gives none."""
    event_loc: Place | None = None
    size: Size = field(default_factory=Size)
    modality: str = "asserted"
    """``asserted``, ``negated``, ``hypothetical``, ``future``, ``claimed``."""
    claimant: ActorRef | None = None
    cameo_code: str | None = None
    goldstein: float | None = None
    confidence: float = 0.0
    evidence: Evidence | None = None
    cite: Citation | None = None
    mentions: int = 1
    sources: int = 1
    ongoing: bool = False

    def to_plover(self) -> dict[str, Any]:
        """The PLOVER JSONL record (DESIGN.md) with riftwatch's extension block."""
        return {
            "id": self.id,
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "event": self.event,
            "mode": self.mode,
            "context": list(self.context),
            "quad_code": self.quad_code,
            "event_scale": self.event_scale,
            "actor": self.actor.to_plover(),
            "recipient": self.recipient.to_plover(),
            "event_loc": self.event_loc.to_plover() if self.event_loc else None,
            "size": self.size.to_plover(),
            "event_text": self.event_text,
            "text": self.text,
            "cite_info": self.cite.to_plover() if self.cite else None,
            "riftwatch": {
                "modality": self.modality,
                "claimant": self.claimant.to_plover() if self.claimant else None,
                "cameo_code": self.cameo_code,
                "goldstein": self.goldstein,
                "confidence": self.confidence,
                "evidence": self.evidence.to_plover() if self.evidence else None,
                "mentions": self.mentions,
                "sources": self.sources,
                "ongoing": self.ongoing,
            },
        }
