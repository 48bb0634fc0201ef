"""Actor selectors: ``PAK``, ``PAK:MIL``, ``AFG:GOV`` or a knowledge-base id (``TTP``, ``ISI``).

A bare selector matches the country code or the knowledge-base id, so ``PAK`` selects
every Pakistani actor and ``TTP`` selects the TTP whatever sector it is coded with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError

_SELECTOR = re.compile(r"^[A-Za-z0-9_.\-]{2,64}(:[A-Za-z]{3})?$")


@dataclass(frozen=True, slots=True)
class Selector:
    who: str
    sector: str | None = None

    @classmethod
    def parse(cls, text: str) -> Selector:
        text = text.strip()
        if not _SELECTOR.match(text):
            raise ConfigError(
                f"bad actor selector {text!r}: use a country code (PAK), a code with a"
                " sector (PAK:MIL) or a knowledge-base id (TTP)"
            )
        who, _, sector = text.partition(":")
        return cls(who.upper(), sector.upper() or None)

    def matches(self, code: str | None, sector: str | None, kb_id: str | None) -> bool:
        hit = (code or "").upper() == self.who or (kb_id or "").upper() == self.who
        return hit and (self.sector is None or (sector or "").upper() == self.sector)


def selector_sql(text: str, role: str, *, table: str = "") -> tuple[str, list[Any]]:
    """A parameterised SQL condition selecting ``role`` (actor/recipient) by selector."""
    if role not in ("actor", "recipient", "claimant"):
        raise ValueError(role)
    sel = Selector.parse(text)
    p = f"{table}." if table else ""
    sql = f"(upper({p}{role}_code) = ? OR upper({p}{role}_kb_id) = ?)"
    params: list[Any] = [sel.who, sel.who]
    if sel.sector:
        sql = f"({sql} AND upper({p}{role}_sector) = ?)"
        params.append(sel.sector)
    return sql, params
