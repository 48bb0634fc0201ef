"""The actor knowledge base: entries, time-bounded roles, and loading from YAML.

The knowledge base is plain data (YAML files under ``riftwatch/data/actors``) so analysts can
read, correct and extend it without touching code. Every file is a mapping::

    kind: person            # default entry type for the file (country/agent/igo/org/person)
    entries:
      - id: imran_khan
        name: Imran Khan
        aliases: [Imran Khan, Khan]
        country: PAK
        sector: PTY           # fallback when no role covers the date
        roles:
          - {sector: GOV, office: prime minister, start: 2018-08-18, end: 2022-04-10}
          - {sector: OPP, office: opposition leader, start: 2022-04-10}

Roles are half-open date intervals ``[start, end)``: the role in force on the event date wins,
which is why the Afghan Taliban can be ``AFG REB`` until 2021-08-15 and ``AFG GOV`` from then.
Extra files passed to :func:`load_kb` override entries with the same id or add new ones.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from riftwatch.errors import ConfigError

ENTRY_KINDS = ("country", "agent", "igo", "org", "person")
SECTORS = frozenset(
    "COP GOV JUD LEG MIL PRM PTY REB SPY UAF UNK AGR BUS CRM CVL EDU ELI JRN LAB MED REF OPP "
    "PRE REL SOC".split()
)
SPECIAL_CODES = {
    "UNO": "United Nations",
    "EUR": "European Union",
    "IGO": "International Governmental Organization",
    "NGO": "Non-governmental Organization",
    "ISM": "International Social Movement",
    "IMG": "Transnational Militarized Group",
    "MNC": "Multi-national Corporation",
}
"""The PLOVER manual's non-state "country" codes."""
DATA_FILES = ("countries.yaml", "agents.yaml", "igos.yaml", "south_central_asia.yaml", "world.yaml")


@dataclass(frozen=True, slots=True)
class Role:
    """A sector (and optionally an office and a code) held over ``[start, end)``."""

    sector: str | None
    office: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    code: str | None = None
    """Overrides the entry's country for this role (e.g. an exiled group)."""

    def covers(self, day: dt.date) -> bool:
        if self.start and day < self.start:
            return False
        return not (self.end and day >= self.end)


@dataclass(slots=True)
class Entry:
    """One actor: a country, a generic agent, an IGO, an organisation or a person."""

    id: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    sector: str | None = None
    roles: list[Role] = field(default_factory=list)
    wikidata: str | None = None
    adjectives: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capitals: list[str] = field(default_factory=list)
    office: str | None = None
    title: bool = False
    """Agents only: a title that can precede a personal name ("Minister", "General")."""
    inherit: bool = False
    """Agents only: a role noun ("leader", "spokesman") that takes the sector of the
    organisation it is attached to ("Taliban spokesman" -> the Taliban's sector)."""
    person: bool = False
    """Agents only: the agent denotes a single person (antecedent for "he"/"she")."""
    branches: dict[str, str] = field(default_factory=dict)
    """Transnational groups: country code -> id of the group's branch there, for "the
    Islamic State group's regional branch" in a story about that country."""
    source: str = ""

    def role_at(self, day: dt.date | None) -> Role | None:
        """The role in force on ``day`` (first listed wins); None when no role covers it.

        Without a date the most recent role is taken: text without a date is read as current.
        """
        if not self.roles:
            return None
        if day is None:
            return max(self.roles, key=lambda r: r.start or dt.date.min)
        for role in self.roles:
            if role.covers(day):
                return role
        return None

    def code_sector_at(self, day: dt.date | None) -> tuple[str | None, str | None, str | None]:
        """(code, sector, office) on ``day``; former office-holders become ``ELI``."""
        role = self.role_at(day)
        if role is not None:
            return role.code or self.country, role.sector, role.office
        if day is not None and self.roles and self.sector is None:
            ended = [r for r in self.roles if r.end and r.end <= day]
            if ended and self.kind == "person":
                last = max(ended, key=lambda r: r.end)
                return last.code or self.country, "ELI", f"former {last.office or 'official'}"
            if ended:
                last = max(ended, key=lambda r: r.end)
                return last.code or self.country, last.sector, last.office
            first = min(self.roles, key=lambda r: r.start or dt.date.min)
            if self.kind == "person":
                # before any office: known, but with no sector we can vouch for
                return first.code or self.country, None, None
            return first.code or self.country, first.sector, None
        return self.country, self.sector, self.office

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "kind": self.kind}
        for key in ("aliases", "adjectives", "demonyms", "capitals"):
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        for key in ("country", "sector", "office", "wikidata"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.roles:
            out["roles"] = [
                {
                    k: (v.isoformat() if isinstance(v, dt.date) else v)
                    for k, v in (
                        ("sector", r.sector),
                        ("office", r.office),
                        ("start", r.start),
                        ("end", r.end),
                        ("code", r.code),
                    )
                    if v
                }
                for r in self.roles
            ]
        out["source"] = self.source
        return out


@dataclass
class KnowledgeBase:
    """All entries by id, in load order (later files override earlier ones)."""

    entries: dict[str, Entry]
    sources: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def by_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == kind]

    def country_name(self, code: str | None) -> str | None:
        if code is None:
            return None
        if code in SPECIAL_CODES:
            return SPECIAL_CODES[code]
        entry = self.entries.get(code)
        return entry.name if entry is not None and entry.kind == "country" else code


def _date(value: Any, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ConfigError(f"{where}: bad date {value!r} (want YYYY-MM-DD)") from exc


def _strings(value: Any, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return [str(v) for v in value]
    raise ConfigError(f"{where}: {key!r} must be a string or a list of strings")


def _sector(value: Any, where: str) -> str | None:
    if value is None or value == "":
        return None
    sector = str(value).upper()
    if sector not in SECTORS:
        raise ConfigError(f"{where}: unknown PLOVER sector {value!r}")
    return sector


def parse_entry(raw: Any, *, kind: str, where: str) -> Entry:
    """Validate one raw mapping into an :class:`Entry`; raise ConfigError naming ``where``."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: an entry must be a mapping")
    kind = str(raw.get("kind", kind))
    if kind not in ENTRY_KINDS:
        raise ConfigError(f"{where}: unknown kind {kind!r} (one of {', '.join(ENTRY_KINDS)})")
    entry_id = raw.get("id")
    name = raw.get("name")
    if not entry_id or not name:
        raise ConfigError(f"{where}: an entry needs 'id' and 'name'")
    roles = []
    for j, rr in enumerate(raw.get("roles") or []):
        if not isinstance(rr, dict):
            raise ConfigError(f"{where}: role {j + 1} must be a mapping")
        role = Role(
            sector=_sector(rr.get("sector"), where),
            office=rr.get("office"),
            start=_date(rr.get("start"), where),
            end=_date(rr.get("end"), where),
            code=rr.get("code"),
        )
        if role.start and role.end and role.end < role.start:
            raise ConfigError(f"{where}: role {j + 1} ends before it starts")
        roles.append(role)
    country = raw.get("country") or raw.get("code")
    if kind == "country" and not country:
        country = str(entry_id)
    aliases = _strings(raw.get("aliases"), where, "aliases")
    return Entry(
        id=str(entry_id),
        name=str(name),
        kind=kind,
        aliases=aliases,
        country=str(country).upper() if country else None,
        sector=_sector(raw.get("sector"), where),
        roles=roles,
        wikidata=raw.get("wikidata"),
        adjectives=_strings(raw.get("adjectives"), where, "adjectives"),
        demonyms=_strings(raw.get("demonyms"), where, "demonyms"),
        capitals=_strings(raw.get("capitals"), where, "capitals"),
        office=raw.get("office"),
        title=bool(raw.get("title", False)),
        inherit=bool(raw.get("inherit", False)),
        person=bool(raw.get("person", False)),
        branches=_branches(raw.get("branches"), where),
    )


def _branches(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ConfigError(f"{where}: 'branches' must map country codes to entry ids")
    return {k.upper(): v for k, v in value.items()}


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that records each mapping's line so errors can point at it."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def parse_yaml(text: str, name: str) -> list[Entry]:
    """Parse one knowledge-base YAML document (``name`` is used in error messages)."""
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML: {exc}") from exc
    except ValueError as exc:  # e.g. an impossible date such as 2020-13-01
        raise ConfigError(f"{name}: bad value: {exc} (bad date?)") from exc
    if doc is None:
        return []
    if isinstance(doc, list):
        default_kind, raw_entries = "org", doc
    elif isinstance(doc, dict):
        default_kind = str(doc.get("kind", "org"))
        raw_entries = doc.get("entries") or []
        # `people:` and `regions:` sections hold persons / sub-national regions without
        # repeating `kind:` on every entry
        for section, kind in (("people", "person"), ("regions", "country")):
            if isinstance(raw_entries, list) and isinstance(doc.get(section), list):
                raw_entries = raw_entries + [
                    {**p, "kind": p.get("kind", kind)} if isinstance(p, dict) else p
                    for p in doc[section]
                ]
    else:
        raise ConfigError(f"{name}: expected a mapping with 'entries' or a list of entries")
    if not isinstance(raw_entries, list):
        raise ConfigError(f"{name}: 'entries' must be a list")
    out = []
    for i, raw in enumerate(raw_entries):
        line = raw.get("__line__") if isinstance(raw, dict) else None
        where = f"{name}, line {line}" if line else f"{name}, entry {i + 1}"
        entry = parse_entry(_strip_lines(raw), kind=default_kind, where=where)
        entry.source = name
        out.append(entry)
    return out


def load_kb(extra: list[Path] | list[str] | None = None) -> KnowledgeBase:
    """Load the packaged knowledge base, then ``extra`` files (which override by id)."""
    packaged, sources = _packaged()
    entries = dict(packaged)
    sources = list(sources)
    for path in extra or []:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{p}: cannot read actor file: {exc}") from exc
        if p.suffix.lower() in (".txt", ".dict", ".actors", ".agents"):
            from riftwatch.actors.petrarch import import_dictionary

            new = import_dictionary(p)
        else:
            new = parse_yaml(text, str(p))
        for e in new:
            entries[e.id] = e
        sources.append(str(p))
    return KnowledgeBase(entries=entries, sources=sources)


@functools.cache
def _packaged() -> tuple[dict[str, Entry], tuple[str, ...]]:
    """The packaged files, parsed once per process (entries are treated as read-only)."""
    entries: dict[str, Entry] = {}
    sources = []
    pkg = resources.files("riftwatch") / "data" / "actors"
    for fname in DATA_FILES:
        res = pkg / fname
        if not res.is_file():
            continue
        for e in parse_yaml(res.read_text(encoding="utf-8"), fname):
            if e.id in entries:
                # packaged files must not shadow each other (only analyst files override)
                raise ConfigError(
                    f"{fname}: duplicate id {e.id!r} (also in {entries[e.id].source})"
                )
            entries[e.id] = e
        sources.append(fname)
    return entries, tuple(sources)
