"""Import PETRARCH/TABARI actor and agent dictionaries into knowledge-base entries.

Analysts hold years of work in the CAMEO-era dictionary format; this importer lets them
reuse it. Supported syntax (one item per line, ``#`` starts a comment):

Actors::

    HAMID_KARZAI_  [AFGGOV 20011222-20140929]     primary name with an inline code
    +KARZAI_                                       synonym of the entry above
    [AFGELI >20140929]                             another (date-restricted) code
    TALIBAN_
    [AFGREB <20210815]
    [AFGGOV >20210815]

Agents (a code that is only a sector)::

    POLICE~ [COP]          ~ : regular plural also matches
    POLICEMAN {POLICEMEN} [COP]   {..}: irregular plural

Dates are ``YYYYMMDD`` or TABARI's ``YYMMDD``; ``>D`` means from D, ``<D`` until D,
``A-B`` the half-open interval [A, B). Codes are CAMEO strings: a three-letter country
(or IGO/NGO/...) code followed by a sector; CAMEO sector names that PLOVER renamed are
mapped (INS/SEP -> REB, MED -> JRN, HLH -> MED).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from riftwatch.actors.kb import SECTORS, SPECIAL_CODES, Entry, Role
from riftwatch.errors import ConfigError

CAMEO_SECTOR = {
    "INS": "REB",
    "SEP": "REB",
    "RAD": "REB",
    "MED": "JRN",
    "HLH": "MED",
    "HRI": "SOC",
    "NGO": "SOC",
    "DEV": "SOC",
    "ENV": "SOC",
    "UIS": "UNK",
    "CIV": "CVL",
}
_CODE = re.compile(r"\[([^\]]*)\]")
_PLURAL = re.compile(r"\{([^}]*)\}")


def _date(token: str, where: str) -> dt.date:
    digits = token.strip()
    try:
        if len(digits) == 8:
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        if len(digits) == 6:
            yy = int(digits[:2])
            year = 2000 + yy if yy <= 50 else 1900 + yy
            return dt.date(year, int(digits[2:4]), int(digits[4:]))
    except ValueError as exc:
        raise ConfigError(f"{where}: bad date {token!r}") from exc
    raise ConfigError(f"{where}: bad date {token!r} (want YYYYMMDD or YYMMDD)")


def _sector(code: str) -> str | None:
    code = code.upper()
    if code in CAMEO_SECTOR:  # CAMEO meaning first: CAMEO's MED is media, not health
        return CAMEO_SECTOR[code]
    return code if code in SECTORS else None


def parse_code(text: str, where: str) -> tuple[str | None, str | None, Role | None]:
    """``AFGGOV >20210815`` -> (country, sector, dated role or None)."""
    parts = text.split()
    if not parts:
        raise ConfigError(f"{where}: empty code []")
    code = parts[0].upper().lstrip("~")
    country = sector = None
    if len(code) == 3 and _sector(code) and code not in SPECIAL_CODES and code != "IGO":
        sector = _sector(code)
    else:
        country = code[:3]
        rest = code[3:]
        for i in range(0, len(rest), 3):
            sector = _sector(rest[i : i + 3])
            if sector:
                break
    role = None
    if len(parts) > 1:
        restr = parts[1]
        start = end = None
        if restr.startswith(">"):
            start = _date(restr[1:], where)
        elif restr.startswith("<"):
            end = _date(restr[1:], where)
        elif "-" in restr:
            a, b = restr.split("-", 1)
            start, end = _date(a, where), _date(b, where)
        else:
            raise ConfigError(f"{where}: bad date restriction {restr!r}")
        role = Role(sector=sector, start=start, end=end, code=country)
    return country, sector, role


def _phrase(token: str) -> str:
    """``HAMID_KARZAI_`` -> ``Hamid Karzai``; PETRARCH words are joined by underscores."""
    words = [w for w in token.replace("~", "").split("_") if w]
    return " ".join(w if not w.isalpha() else w.capitalize() for w in words)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


class _Draft:
    def __init__(self, name: str, line: int):
        self.name = name
        self.line = line
        self.aliases: list[str] = []
        self.codes: list[tuple[str | None, str | None, Role | None]] = []
        self.plural = False


def import_dictionary(path: str | Path) -> list[Entry]:
    """Parse a PETRARCH/TABARI actors or agents dictionary into knowledge-base entries."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read dictionary: {exc}") from exc
    drafts: list[_Draft] = []
    for n, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("<!--"):
            continue
        where = f"{p}, line {n}"
        codes = [parse_code(c, where) for c in _CODE.findall(line)]
        plurals = _PLURAL.findall(line)
        head = _PLURAL.sub("", _CODE.sub("", line)).strip()
        if head.startswith("+"):
            if not drafts:
                raise ConfigError(f"{where}: synonym before any actor")
            drafts[-1].aliases.append(_phrase(head[1:]))
        elif head:
            d = _Draft(_phrase(head), n)
            d.plural = "~" in head
            drafts.append(d)
        elif not codes:
            raise ConfigError(f"{where}: cannot read {raw.strip()!r}")
        if not drafts:
            raise ConfigError(f"{where}: code before any actor")
        drafts[-1].codes.extend(codes)
        drafts[-1].aliases.extend(_phrase(x) for x in plurals)
    return [_entry(d, p) for d in drafts]


def _entry(d: _Draft, path: Path) -> Entry:
    where = f"{path}, line {d.line}"
    if not d.codes:
        raise ConfigError(f"{where}: {d.name!r} has no [CODE]")
    countries = [c for c, _, _ in d.codes if c]
    if not countries:
        sector = d.codes[0][1]
        if sector is None:
            raise ConfigError(f"{where}: unknown agent code for {d.name!r}")
        return Entry(
            id=f"agent_{_slug(d.name)}",
            name=d.name.lower(),
            kind="agent",
            aliases=[a.lower() for a in d.aliases],
            sector=sector,
            source=str(path),
        )
    roles = [r for _, _, r in d.codes if r is not None]
    plain = [(c, s) for c, s, r in d.codes if r is None]
    country, sector = plain[0] if plain else (roles[0].code, None)
    return Entry(
        id=_slug(d.name),
        name=d.name,
        kind="org",
        aliases=list(dict.fromkeys(d.aliases)),
        country=country,
        sector=sector,
        roles=roles,
        source=str(path),
    )
