"""Compose alias matches into actor phrases and code them for a date.

A phrase is a run of knowledge-base matches glued by possessives, "of", articles and rank
modifiers: "Pakistan's military", "senior Taliban leader", "Interior Minister Sheikh Rasheed
Ahmed", "the head of the US military". The phrase is then coded by who anchors it:

* a named person -> the person's role on the date (the title only widens the span);
* an organisation/IGO -> its role on the date, narrowed by a state agency noun
  ("Taliban police" after 2021 -> AFG COP);
* otherwise a country (name, adjective, capital) plus a generic agent -> country + the
  agent's sector; role nouns ("leader", "spokesman") inherit the sector of what they are
  attached to.
A title followed by capitalised words not in the knowledge base ("President Mugabe") is an
unnamed-in-KB person coded by the title.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from riftwatch.actors.kb import Entry, KnowledgeBase
from riftwatch.actors.matcher import AliasIndex, AliasInfo, Match, Word, words

GLUE = frozenset(
    """s of for the a an senior top former then outgoing incoming new newly elected acting interim
    caretaker deputy chief local provincial federal regional national state central
    powerful influential prominent key veteran retired ousted exiled jailed slain
    self styled so called de facto alleged suspected heavily armed unidentified unknown
    several some two three many other own its their border special elite riot
    anti counter terrorism terror tribal district city army vice junior assistant
    constitutional peace paper naval foreign defence defense interior secret armed
    islamist islamic muslim moslem kurdish tamil christian sunni shia shiite ethnic
    nationalist fundamentalist communist hardline rival breakaway pro government ruling
    high ranking level provincial traditional young angry""".split()
)
FORMER = frozenset({"former", "ex", "retired", "ousted", "exiled", "then"})
NON_STATE = frozenset({"IMG", "ISM", "MNC", "NGO"})
STATE_AGENCIES = frozenset({"COP", "MIL", "SPY", "JUD", "LEG", "PRM"})
_GAP_OK = re.compile(r"^[\s'’\-]*$")


@dataclass(slots=True)
class Piece:
    """One alias match resolved to its knowledge-base entry."""

    start: int
    end: int
    entry: Entry
    form: str
    titled: bool = False


@dataclass(slots=True)
class Phrase:
    """A coded actor phrase over word indices ``[start, end)`` of the word stream."""

    start: int
    end: int
    char_start: int
    char_end: int
    text: str
    code: str | None
    sector: str | None
    entry: Entry | None
    office: str | None
    confidence: float
    kind: str
    """person | org | country | agent | title-person"""
    pieces: list[Piece] = field(default_factory=list)
    needs_country: bool = False
    """The phrase names an agent but no country: the caller fills it from context."""
    capital: bool = False
    """A bare capital city: GOV when it acts ("Islamabad said"), a place otherwise."""


def _pick(infos: tuple[AliasInfo, ...], kb: KnowledgeBase, day: dt.date | None) -> AliasInfo:
    """Choose among entries sharing an alias: the one holding a role on the date wins."""
    if len(infos) == 1:
        return infos[0]
    best, best_score = infos[0], (-1, dt.date.min)
    for inf in infos:
        e = kb.entries[inf.entry_id]
        role = e.role_at(day) if day is not None else None
        score = (3 if role is not None else 1 if not e.roles else 0) + (
            1 if inf.form in ("name", "alias") else 0
        )
        # without a date, the most recent office-holder is the likelier reading
        recent = max((r.start or dt.date.min for r in e.roles), default=dt.date.min)
        key = (score, recent if day is None else dt.date.min)
        if key > best_score:
            best, best_score = inf, key
    return best


def _glue_between(ws: list[Word], text: str, a: int, b: int) -> tuple[bool, bool, bool]:
    """(joinable, possessive, has_of) for the gap between word a-1 and word b.

    The gap may hold glue words (possessive, "of", articles, rank and kind modifiers) and
    up to two capitalised words the KB does not know ("Turkish Kurd refugees", "Taiwan's
    Vice Foreign Minister"); only spaces, apostrophes, hyphens and abbreviation dots.
    """
    if b - a > 4:
        return False, False, False
    gap_words = ws[a:b]
    if gap_words and gap_words[0].norm == "elected":
        # "Parliament elected Sharif": a verb between two actors; "newly elected" glues
        return False, False, False
    unknown = [w for w in gap_words if w.norm not in GLUE]
    if len(unknown) > 2 or any(not w.capitalised for w in unknown):
        return False, False, False
    # only spaces, apostrophes and hyphens between the words ("U.S." keeps its dot)
    pos = ws[a - 1].end
    if len(ws[a - 1].text) == 1 and text[pos : pos + 1] == ".":
        pos += 1
    for w in gap_words:
        if not _GAP_OK.match(text[pos : w.start]):
            return False, False, False
        pos = w.end
    if not _GAP_OK.match(text[pos : ws[b].start]):
        return False, False, False
    possessive = bool(gap_words) and gap_words[0].norm == "s" and text[ws[a - 1].end] in "'’"
    if gap_words and gap_words[0].norm == "s" and not possessive:
        return False, False, False
    has_of = any(w.norm in ("of", "for") for w in gap_words)
    return True, possessive, has_of


def _can_join(prev: list[Piece], nxt: Piece, possessive: bool, has_of: bool) -> bool:
    """May ``nxt`` extend the phrase ``prev``? One country, one person, one organisation
    per phrase; agents chain ("head of the US military"); a possessive only after a
    country or organisation ("Pakistan's army", "the Taliban's spokesman")."""
    kinds = {p.entry.kind for p in prev}
    last = prev[-1]
    k = nxt.entry.kind
    if k == "country":
        if "country" in kinds or possessive:
            return False
        # "minister of Pakistan", "Afghan" after a title only with "of"/adjacency
        return last.entry.kind == "agent"
    if k == "person":
        return "person" not in kinds and not possessive and not has_of
    if k in ("org", "igo"):
        if "person" in kinds:
            return False
        if k == "igo" and last.entry.kind == "country":
            return False
        if possessive and last.entry.kind != "country":
            return False
        return "org" not in kinds and "igo" not in kinds
    if k == "agent":
        if "person" in kinds and not possessive:
            return False
        return not has_of or last.entry.kind == "agent"
    return False


def group(ws: list[Word], text: str, matches: list[Match], kb: KnowledgeBase, day):
    """Group matches into lists of pieces that form one phrase each."""
    groups: list[tuple[list[Piece], list[bool]]] = []
    for m in matches:
        inf = _pick(m.infos, kb, day)
        piece = Piece(m.start, m.end, kb.entries[inf.entry_id], inf.form, inf.titled)
        if groups:
            prev, poss = groups[-1]
            ok, possessive, has_of = _glue_between(ws, text, prev[-1].end, m.start)
            if ok and _can_join(prev, piece, possessive, has_of):
                prev.append(piece)
                poss.append(possessive)
                continue
        groups.append(([piece], [False]))
    return groups


def _title_tail(ws: list[Word], end: int, taken: set[int]) -> int:
    """Extend over capitalised words after a title: "President Mugabe" -> end index."""
    j = end
    while j < len(ws) and j - end < 4 and j not in taken:
        w = ws[j]
        if not w.capitalised or w.norm in ("s",):
            break
        if w.start - ws[j - 1].end > 1:  # a comma or other punctuation ends the name
            break
        j += 1
    return j


def _titled_past_role(entry: Entry, titles: list[Piece], office: str | None, day):
    """The person's earlier role whose office the title in the text names, when the role
    on ``day`` is another one ("Prime Minister Imran Khan" in 2023 -> his term)."""
    if not titles or day is None:
        return None
    named = (titles[-1].entry.office or titles[-1].entry.name or "").lower()
    if not named or named in (office or "").lower():
        return None
    past = [
        r
        for r in entry.roles
        if r.end is not None and r.end <= day and named in (r.office or "").lower()
    ]
    return max(past, key=lambda r: r.end) if past else None


def code_phrase(
    pieces: list[Piece],
    possessive_flags: list[bool],
    ws: list[Word],
    text: str,
    day: dt.date | None,
    taken: set[int],
) -> Phrase:
    """Code one group of pieces for the date (see the module docstring)."""
    start, end = pieces[0].start, pieces[-1].end
    has_former = any(w.norm in FORMER for w in ws[max(0, start - 2) : end])
    persons = [p for p in pieces if p.entry.kind == "person"]
    orgs = [p for p in pieces if p.entry.kind in ("org", "igo")]
    countries = [p for p in pieces if p.entry.kind == "country"]
    agents = [p for p in pieces if p.entry.kind == "agent"]
    # a possessive makes the following agent the head: "Pakistan's military"
    poss_head = any(possessive_flags) and pieces[-1].entry.kind == "agent"
    hard_agents = [a for a in agents if not a.entry.inherit]
    agent_sector = hard_agents[-1].entry.sector if hard_agents else None
    kind = "agent"
    entry: Entry | None = None
    office = None
    needs_country = False
    if persons and not poss_head:
        p = persons[0]
        entry = p.entry
        code, sector, office = entry.code_sector_at(day)
        if has_former and sector in ("GOV", "MIL", "SPY", "COP", "JUD", "LEG"):
            sector = "ELI"  # the text says "former"/"ousted": trust it over the dates
        titles = [a for a in agents if a.entry.title and a.start < p.start]
        past = _titled_past_role(entry, titles, office, day) if not has_former else None
        if past is not None:
            # "Interior Minister Sheikh Rasheed" in a later text: the sentence tells of his
            # time in that office, so the office the text gives wins over the date's
            sector, office = past.sector, past.office
        if sector is None and (titles or p.titled) and not has_former:
            # no dated role on this date, but the text gives the title: "President X"
            sector = titles[-1].entry.sector if titles else "GOV"
            office = titles[-1].entry.office if titles else office
            if p.titled and p.entry.roles:
                sector = max(p.entry.roles, key=lambda r: r.start or dt.date.min).sector
            conf = 0.7
        conf = 0.95 if p.form in ("name", "alias") else 0.85
        kind = "person"
    elif orgs and not poss_head:
        o = orgs[0]
        entry = o.entry
        code, sector, office = entry.code_sector_at(day)
        before = [c for c in countries if c.start < o.start]
        if before and code in NON_STATE:
            # "Iraq's al-Qaeda", "Pakistani ISIS cell": the local branch of a
            # transnational group is coded with the country
            code = before[0].entry.country or before[0].entry.id
        later_hard = [a for a in hard_agents if a.start > o.start]
        if later_hard and (sector in (None, "GOV") or entry.kind == "igo"):
            own = sector
            sector = later_hard[-1].entry.sector
            if own == "GOV" and sector == "REB":
                # a ruling movement's "fighters" are its armed forces ("Taliban fighters"
                # after August 2021), not rebels against it
                sector = "MIL"
        elif sector is None and agents and agents[-1].start > o.start:
            sector = agents[-1].entry.sector  # "UN officials" -> the role noun's sector
        if has_former and sector in ("GOV", "MIL", "SPY", "COP", "JUD", "LEG"):
            # "the former Afghan government": the office is the last one that ended
            sector = "ELI"
            ended = [r for r in entry.roles if r.end is not None and day and r.end <= day]
            office = max(ended, key=lambda r: r.end).office if ended else None
        conf = 0.9
        kind = "org"
    else:
        anchor = (persons or orgs or [None])[0]
        if anchor is not None:
            code, anchor_sector, _ = anchor.entry.code_sector_at(day)
        elif countries:
            code, anchor_sector = countries[0].entry.country, None
        else:
            code, anchor_sector = None, None
        if agents:
            last_agent = agents[-1].entry
            entry = last_agent
            office = last_agent.office
            if agent_sector is not None:
                sector = agent_sector
            elif anchor is not None and anchor_sector:
                sector = anchor_sector
                entry = anchor.entry
            else:
                sector = last_agent.sector
            conf = 0.85 if code else 0.35
            needs_country = code is None
            kind = "agent"
        elif countries:
            c = countries[0]
            entry = c.entry
            code = c.entry.country or c.entry.id
            sector = {"capital": "GOV", "demonym": "CVL"}.get(c.form)
            office = None
            conf = {"name": 0.9, "alias": 0.9, "adjective": 0.8}.get(c.form, 0.7)
            kind = "country"
        else:  # pragma: no cover - groups always hold at least one piece
            sector, conf = None, 0.0
    # a title with an unknown name after it: "President Mugabe", "Defence Minister Joxe"
    if kind == "agent" and pieces[-1].entry.kind == "agent" and pieces[-1].entry.title:
        tail = _title_tail(ws, end, taken)
        if tail > end:
            end = tail
            kind = "title-person"
            if has_former:
                sector = "ELI"
            conf = min(conf + 0.05, 0.9) if code else conf
    capital = kind == "country" and len(pieces) == 1 and pieces[0].form == "capital"
    # "ethnic Albanians" names an ethnicity, not a state: the country comes from where
    # they are (the rest of the mention, the sentence or the document), sector CVL
    if (
        start > 0
        and ws[start - 1].norm == "ethnic"
        and countries
        and not persons
        and not orgs
        and countries[0].form in ("adjective", "demonym")
    ):
        code, needs_country = None, True
        sector = sector if kind == "agent" else "CVL"
        conf = 0.35
    return Phrase(
        capital=capital,
        start=start,
        end=end,
        char_start=ws[start].start,
        char_end=ws[end - 1].end,
        text=text[ws[start].start : ws[end - 1].end],
        code=code,
        sector=sector,
        entry=entry,
        office=office,
        confidence=conf,
        kind=kind,
        pieces=pieces,
        needs_country=needs_country,
    )


def analyse(
    text: str,
    index: AliasIndex,
    kb: KnowledgeBase,
    day: dt.date | None,
    *,
    strict: bool,
    scanned: tuple[list[Word], list[Match]] | None = None,
) -> tuple[list[Word], list[Phrase]]:
    """All actor phrases in ``text``, coded for ``day`` (country possibly missing).

    ``scanned`` is a cached ``(words, matches)`` of the same text: the alias scan does not
    depend on the date, only the coding does.
    """
    if scanned is None:
        ws = words(text)
        matches = index.scan(ws, strict_case=strict) if ws else []
    else:
        ws, matches = scanned
    if not ws:
        return ws, []
    matches = [m for m in matches if not _not_an_actor(m, ws, text)]
    taken = {i for m in matches for i in range(m.start, m.end)}
    groups = group(ws, text, matches, kb, day)
    phrases = [code_phrase(g, f, ws, text, day, taken) for g, f in groups]
    phrases = _title_of_country(phrases, ws)
    _distribute(phrases, ws, text)
    return ws, phrases


ATTITUDE_PREFIXES = frozenset({"anti", "pro"})
CURRENCY_WORDS = frozenset({"dollar", "dollars", "cent", "cents"})


def _not_an_actor(m: Match, ws: list[Word], text: str) -> bool:
    """A name used as an attitude or a currency, not as the actor it names.

    "an anti-Syria journalist" is no Syrian; "US $50 million" and "50 million US dollars"
    name money. Agent nouns keep their prefix ("pro-government militia" stays an agent).
    """
    if m.start > 0:
        prev = ws[m.start - 1]
        if (
            prev.norm in ATTITUDE_PREFIXES
            and text[prev.end : ws[m.start].start] == "-"
            and all(inf.form != "agent" for inf in m.infos)
        ):
            return True
    if all(inf.form in ("name", "alias", "adjective") for inf in m.infos):
        last = ws[m.end - 1]
        after = text[last.end : last.end + 3].lstrip()
        if after.startswith("$"):
            return True
        if m.end < len(ws) and ws[m.end].norm in CURRENCY_WORDS:
            return text[last.end : ws[m.end].start].strip() == ""
    return False


def _title_of_country(phrases: list[Phrase], ws: list[Word]) -> list[Phrase]:
    """ "King Hassan of Morocco": a titled person followed by "of <country>" takes it."""
    out: list[Phrase] = []
    i = 0
    while i < len(phrases):
        p = phrases[i]
        if p.kind == "title-person" and i + 1 < len(phrases):
            q = phrases[i + 1]
            gap = [w.norm for w in ws[p.end : q.start]]
            if q.kind == "country" and gap in (["of"], ["of", "the"]):
                p.code, p.end, p.char_end = q.code, q.end, q.char_end
                p.needs_country = False
                p.confidence = max(p.confidence, 0.8)
                out.append(p)
                i += 2
                continue
        out.append(p)
        i += 1
    return out


def _distribute(phrases: list[Phrase], ws: list[Word], text: str) -> None:
    """ "Hungarian and Romanian officials": the bare adjective borrows the shared agent."""
    for a, b in zip(phrases, phrases[1:], strict=False):
        if a.kind != "country" or b.kind != "agent" or not b.pieces:
            continue
        if a.pieces[0].form != "adjective" or b.pieces[0].entry.kind != "country":
            continue
        gap = ws[a.end : b.start]
        if (
            len(gap) == 1
            and gap[0].norm in ("and", "or")
            and _GAP_OK.match(text[a.char_end : gap[0].start])
        ):
            a.sector = b.sector
            a.entry = b.entry
            a.office = b.office
            a.kind = "agent"
            a.confidence = b.confidence
