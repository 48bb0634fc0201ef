"""Which record field holds the text, title, date, url, source, id and language.

Structured inputs (JSON, JSON Lines, CSV) name their fields in many ways: ``body``,
``content``, ``headline``, ``pubdate``... A :class:`FieldMap` lists, for each role, the
field names to try in order. The defaults cover the common spellings; the user overrides a
role with ``--field ROLE=NAME`` (``FieldMap.parse(["text=body"])``), which REPLACES that
role's list so the choice is predictable (give several names with commas or by repeating
the option: ``text=body,content``). A dotted name (``source.name``) reads a nested field.
Matching is exact first, then case-insensitive, so a CSV header ``Text`` still matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from riftwatch.errors import ConfigError

ROLES = ("text", "title", "date", "url", "source", "id", "language")


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Field names to try, in order, for each role of a structured record."""

    text: tuple[str, ...] = (
        "text",
        "body",
        "content",
        "article",
        "article_text",
        "articletext",
        "full_text",
        "fulltext",
        "maintext",
        "main_text",
        "story",
        "body_text",
        "summary",
        "description",
    )
    title: tuple[str, ...] = ("title", "headline", "heading", "head", "subject")
    date: tuple[str, ...] = (
        "date",
        "published",
        "pubdate",
        "pub_date",
        "date_published",
        "published_at",
        "published_date",
        "publish_date",
        "publication_date",
        "publishdate",
        "datetime",
        "date_publish",
        "created_at",
        "timestamp",
        "time",
    )
    url: tuple[str, ...] = ("url", "link", "href", "uri", "permalink", "source_url", "article_url")
    source: tuple[str, ...] = (
        "source",
        "source_name",
        "publisher",
        "outlet",
        "newspaper",
        "publication",
        "site",
        "sitename",
        "site_name",
        "media",
        "feed",
        "domain",
    )
    id: tuple[str, ...] = (
        "id",
        "doc_id",
        "document_id",
        "article_id",
        "docid",
        "uuid",
        "guid",
        "_id",
    )
    language: tuple[str, ...] = ("language", "lang", "language_code")

    @classmethod
    def parse(cls, specs: Iterable[str], *, base: FieldMap | None = None) -> FieldMap:
        """Build a map from ``ROLE=NAME[,NAME...]`` strings (the CLI's ``--field``).

        A role given more than once accumulates its names. Unknown roles are ignored (so a
        newer CLI option cannot break an older library). A spec without ``=`` or without a
        name is a user error: ConfigError.
        """
        chosen: dict[str, list[str]] = {}
        for spec in specs:
            role, sep, names = spec.partition("=")
            role = role.strip().lower()
            parsed = [n.strip() for n in names.split(",") if n.strip()]
            if not sep or not role or not parsed:
                raise ConfigError(f"bad --field {spec!r}: expected ROLE=NAME, e.g. text=body")
            if role not in ROLES:
                continue
            chosen.setdefault(role, []).extend(parsed)
        return replace(base or cls(), **{role: tuple(names) for role, names in chosen.items()})

    def names(self, role: str) -> tuple[str, ...]:
        return getattr(self, role)

    def describe(self, role: str) -> str:
        """``'text', 'body', ...`` for messages that say what was looked for."""
        return ", ".join(repr(n) for n in self.names(role))

    def find(self, record: Mapping[str, Any], role: str) -> tuple[str | None, Any]:
        """The first field of ``role`` present in ``record`` (not None): (name, value).

        Exact names are tried before case-insensitive ones so that ``{"text": .., "Text": ..}``
        stays deterministic.
        """
        names = self.names(role)
        for name in names:
            value = _get(record, name)
            if value is not None:
                return name, value
        lowered: dict[str, str] | None = None
        for name in names:
            if lowered is None:
                lowered = {k.lower(): k for k in record if isinstance(k, str)}
            key = lowered.get(name.lower())
            if key is not None and record[key] is not None:
                return key, record[key]
        return None, None

    def values(self, record: Mapping[str, Any]) -> dict[str, tuple[str | None, Any]]:
        """``find`` for every role at once: {role: (field name, value)}.

        Which key plays which role is worked out once per distinct key set (records of one
        file nearly always share theirs) and cached, so a large JSONL pays one dict lookup
        per role and record.
        """
        keys = tuple(record)
        plan = _PLANS.get((self, keys))
        if plan is None:
            plan = {role: self._plan(record, role) for role in ROLES}
            if len(_PLANS) > 1024:
                _PLANS.clear()
            _PLANS[(self, keys)] = plan
        out: dict[str, tuple[str | None, Any]] = {}
        for role, names in plan.items():
            found: tuple[str | None, Any] = (None, None)
            for name in names:
                value = record[name] if name in record else _get(record, name)
                if value is not None:
                    found = (name, value)
                    break
            out[role] = found
        return out

    def _plan(self, record: Mapping[str, Any], role: str) -> tuple[str, ...]:
        """The record keys (or dotted paths) that can play ``role``, in preference order."""
        lowered: dict[str, list[str]] = {}
        for key in record:
            if isinstance(key, str):
                lowered.setdefault(key.lower(), []).append(key)
        exact = [n for n in self.names(role) if n in record or "." in n]
        loose = [k for n in self.names(role) for k in lowered.get(n.lower(), []) if k not in exact]
        return tuple(exact + loose)

    def column(self, header: list[str], role: str) -> int | None:
        """Index of the first column of ``header`` that plays ``role`` (CSV)."""
        stripped = [h.strip() for h in header]
        for name in self.names(role):
            if name in stripped:
                return stripped.index(name)
        lowered = [h.lower() for h in stripped]
        for name in self.names(role):
            if name.lower() in lowered:
                return lowered.index(name.lower())
        return None


_PLANS: dict[tuple[FieldMap, tuple[Any, ...]], dict[str, tuple[str, ...]]] = {}


def _get(record: Mapping[str, Any], name: str) -> Any:
    if name in record:
        return record[name]
    if "." not in name:
        return None
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


__all__ = ["ROLES", "FieldMap"]
