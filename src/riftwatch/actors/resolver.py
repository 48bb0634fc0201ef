"""The actor resolver: strings and parsed sentences -> PLOVER actors for a date.

``resolve`` codes a mention string (CLI, evaluation, other stages); ``mentions`` finds every
actor in a parsed sentence and keeps a small per-document memory for light coreference
("the group", "the militants", "he", "the country"). Both share the same alias matcher and
phrase coder (``phrases.py``), so a mention codes the same way in either path.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from riftwatch.actors.kb import SPECIAL_CODES, Entry, KnowledgeBase
from riftwatch.actors.matcher import AliasIndex, AliasInfo, case_rule, words
from riftwatch.actors.phrases import Phrase, analyse
from riftwatch.doccache import doc_text, token_forms
from riftwatch.model import ActorRef

PERSON_PRONOUNS = frozenset({"he", "she", "him"})
GROUP_NOUNS = frozenset(
    {"group", "organisation", "organization", "outfit", "movement", "network", "faction"}
)
COUNTRY_NOUNS = frozenset({"country", "nation", "state"})
BRANCH_NOUNS = frozenset({"branch", "affiliate", "chapter", "offshoot", "franchise", "wing"})
IT_VERBS = frozenset(
    """say tell announce accuse reject deny warn urge call ask demand condemn welcome claim
    insist threaten confirm respond summon refuse agree vow pledge add state declare
    blame order protest express lodge insist allege dismiss reiterate""".split()
)
"""Verbs whose subject "it" is an organisation or state ("It demanded that ..."), not the
expletive "it" of "it is unclear"."""
NAME_TITLES = frozenset(
    "mr mrs ms dr sir gen general president minister premier sheikh maulana mufti".split()
)
"""Words that may precede a bare surname that refers back to a person ("Mr Kakar")."""
_CACHE_MAX = 200_000
STOP_WORDS = frozenset("the a an of all and for in on to at by de du la le el al s new".split())
_LOWER_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """One resolved actor. ``code`` is the ISO3/IGO code; ``country`` its English name."""

    code: str | None
    country: str | None
    sector: str | None
    kb_id: str | None
    name: str | None
    office: str | None
    confidence: float
    text: str = ""
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "country": self.country,
            "sector": self.sector,
            "kb_id": self.kb_id,
            "name": self.name,
            "office": self.office,
            "confidence": round(self.confidence, 3),
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor found in a sentence Doc: token span ``[start, end)``, its root, and the ref."""

    start: int
    end: int
    root: int
    ref: ActorRef
    kind: str = "agent"
    """person | org | country | agent | title-person | coref"""


class CountryFocus(list):
    """``country_focus`` result: ISO3 codes, most mentioned first, plus ``people``
    (surname -> knowledge-base person id) found in the same scan."""

    people: dict[str, str] = {}
    rebels: list[str] = []


def _always_armed(e: Entry) -> bool:
    """An organisation that is an armed group on every date (the TTP, not the Taliban)."""
    sectors = {r.sector for r in e.roles} | ({e.sector} if e.sector else set())
    return sectors == {"REB"}


def _surname_keys_of(name: str) -> set[str]:
    parts = _LOWER_WORDS.findall(name)
    if len(parts) >= 2 and parts[-1][:1].isupper() and len(parts[-1]) >= 3:
        return {parts[-1].lower()}
    return set()


@dataclass
class ActorState:
    """Per-document memory for coreference, in document order."""

    country_focus: list[str]
    last_person: ActorRef | None = None
    last_org: ActorRef | None = None
    last_rebel: ActorRef | None = None
    last_country: ActorRef | None = None
    last_subject: ActorRef | None = None
    """The non-person actor that is the main-clause subject of the last sentence: the
    salient antecedent for "it" and "the group" in the next one."""
    people: dict[str, ActorRef] = field(default_factory=dict)
    """Persons named so far, by lower-cased surname: "Kakar said" after "Prime Minister
    Anwaar-ul-Haq Kakar"."""
    known_people: dict[str, str] = field(default_factory=dict)
    """Surname -> knowledge-base person id, from the whole-document scan
    (:meth:`ActorResolver.country_focus`): the fallback when ``people`` has no entry."""
    known_rebels: list[str] = field(default_factory=list)
    """Armed groups (always REB) the whole document names: a bare "militants" is the
    group when there is exactly one."""
    seen: list[ActorRef] = field(default_factory=list)


def _plurals(alias: str) -> list[str]:
    """Simple English plurals of an agent noun ("soldier" -> "soldiers")."""
    head, _, last = alias.rpartition(" ")
    word = last
    if not word or not word[-1].isalpha() or word.isupper():
        return []
    if word.endswith("man"):
        forms = [word[:-3] + "men"]
    elif word.endswith("y") and word[-2:-1] not in "aeiou":
        forms = [word[:-1] + "ies"]
    elif word.endswith(("s", "x", "ch", "sh")):
        forms = [word + "es"]
    else:
        forms = [word + "s"]
    return [(head + " " + f).strip() for f in forms]


TITLE_WORDS = frozenset(
    "president prime pm general gen admiral adm field lt major justice king queen crown "
    "colonel col chancellor premier minister".split()
)
ACTING_WORDS = frozenset(
    """s said says say told announced accused rejected denied warned urged called asked
    demanded has have had will would is was wants wanted agreed refused condemned
    welcomed claimed insisted threatened confirmed responded plans hopes""".split()
)


def _acts_in_context(mention: str, context: str) -> bool:
    """Does ``mention`` act in ``context``: it opens the sentence, follows "by", or is
    followed by "'s" or a reporting verb ("Kabul rejected", "demanded by Moscow")?"""
    at = context.find(mention)
    if at < 0 or not context[:at].strip(" \"'“‘({["):
        return True
    before = _LOWER_WORDS.findall(context[max(0, at - 12) : at].lower())
    if before and before[-1] == "by":
        return True
    nxt = _LOWER_WORDS.findall(context[at + len(mention) : at + len(mention) + 20].lower())
    return bool(nxt) and nxt[0] in ACTING_WORDS


_DATELINE_HINT = re.compile(r"^[A-Z][^\n]{0,120}?\d[^\n]{0,60}?(?:[—–:]|\s-\s)")


def _dateline_end(text: str) -> int:
    """End of a news dateline opening ``text`` ("PESHAWAR, Pakistan, Feb 6, 2022 (Indus Wire)
    —"), else 0. The place there says where the report was filed, not who acted."""
    if not _DATELINE_HINT.match(text[:200]):
        return 0
    from riftwatch.ingest.dateline import find_dateline

    found = find_dateline(text[:200])
    return found.span[1] if found is not None else 0


class ActorResolver:
    """Resolve actor mentions against a :class:`KnowledgeBase`."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.index = AliasIndex()
        for e in kb.entries.values():
            self._index_entry(e)
        self._anchors = self.index.anchor_words(STOP_WORDS) | PERSON_PRONOUNS
        self._entry_bounds = {
            e.id: tuple({d for r in e.roles for d in (r.start, r.end) if d})
            for e in kb.entries.values()
            if e.roles
        }
        self._cache: dict[tuple, list[ActorMatch]] = {}
        self._scans: dict[tuple[str, bool], tuple] = {}
        self._contexts: dict[tuple, list[Phrase]] = {}

    def _index_entry(self, e: Entry) -> None:
        def add(alias: str, form: str) -> None:
            titled = (
                e.kind == "person" and alias.split(" ", 1)[0].lower().rstrip(".") in TITLE_WORDS
            )
            self.index.add(alias, AliasInfo(e.id, form, case_rule(alias, form), titled))

        if e.kind == "agent":
            for a in [e.name, *e.aliases]:
                add(a, "agent")
                for p in _plurals(a):
                    add(p, "agent")
            return
        add(e.name, "name")
        for a in e.aliases:
            add(a, "alias")
        for a in e.adjectives:
            add(a, "adjective")
        for a in e.demonyms:
            add(a, "demonym")
        for a in e.capitals:
            add(a, "capital")
        if e.kind == "country" and (e.country or e.id) == e.id:
            for form, names in (
                ("name", [e.name, *e.aliases]),
                ("adjective", e.adjectives),
                ("demonym", e.demonyms),
                ("capital", e.capitals),
            ):
                for a in names:
                    self.index.add_fuzzy(a, AliasInfo(e.id, form, "proper"))

    # -- cheap document-level helpers -------------------------------------------------

    def has_candidate(self, sentence_text: str) -> bool:
        """True when some word of the sentence can start a knowledge-base alias."""
        anchors = self._anchors
        return any(w in anchors for w in _LOWER_WORDS.findall(sentence_text.lower()))

    def country_focus(self, document_text: str) -> list[str]:
        """ISO3 codes the document is about, most mentioned first (names, adjectives,
        capitals, and the home country of named organisations and people).

        The list also carries (``.people``) the knowledge-base persons the document names,
        by surname, for :meth:`new_state`: the pipeline parses only the sentences that hold
        an event trigger, so "Khan said" may be parsed while the sentence that introduced
        "Imran Khan" was not. A surname shared by two persons of the document is left out.
        """
        counts: Counter[str] = Counter()
        people: dict[str, set[str]] = {}
        rebels: list[str] = []
        for m in self.index.scan_text(document_text, strict_case=True):
            e = self.kb.entries[m.infos[0].entry_id]
            if e.kind == "country":
                counts[e.country or e.id] += 2
            elif e.kind in ("org", "person") and e.country and len(e.country) == 3:
                counts[e.country] += 1
            if e.kind == "person":
                for key in _surname_keys_of(e.name):
                    people.setdefault(key, set()).add(e.id)
            elif e.kind == "org" and _always_armed(e) and e.id not in rebels:
                rebels.append(e.id)
        focus = CountryFocus(c for c, _ in counts.most_common())
        focus.people = {k: next(iter(ids)) for k, ids in people.items() if len(ids) == 1}
        focus.rebels = rebels
        return focus

    def new_state(self, country_focus: list[str]) -> ActorState:
        return ActorState(
            country_focus=list(country_focus),
            known_people=dict(getattr(country_focus, "people", {})),
            known_rebels=list(getattr(country_focus, "rebels", [])),
        )

    def _scan(self, text: str, strict: bool):
        """Cached date-free alias scan: (words, matches, role boundaries of the entries)."""
        key = (text, strict)
        hit = self._scans.get(key)
        if hit is None:
            ws = words(text)
            matches = self.index.scan(ws, strict_case=strict) if ws else []
            bounds: set[dt.date] = set()
            for m in matches:
                for inf in m.infos:
                    bounds.update(self._entry_bounds.get(inf.entry_id, ()))
            hit = (ws, matches, tuple(sorted(bounds)))
            if len(self._scans) > _CACHE_MAX:
                self._scans.clear()
            self._scans[key] = hit
        return hit

    @staticmethod
    def _epoch(bounds: tuple[dt.date, ...], day: dt.date | None) -> int:
        """Which interval between the matched entries' role boundaries ``day`` falls in:
        two dates in the same interval code the text identically, so they share a cache
        slot."""
        return -1 if day is None else bisect.bisect_right(bounds, day)

    # -- strings ----------------------------------------------------------------------

    def resolve(
        self,
        text: str,
        *,
        date: dt.date | None = None,
        context: str | None = None,
        country_hint: str | None = None,
    ) -> list[ActorMatch]:
        """Code the actor(s) named by ``text`` on ``date``.

        ``context`` (the sentence) and ``country_hint`` supply the country for a bare agent
        ("police"). A string naming no actor gives ``[]``.
        """
        strict = not text.islower()
        ws, matches, bounds = self._scan(text, strict)
        ctx_epoch = None
        if context:
            ctx_epoch = self._epoch(self._scan(context, True)[2], date)
        key = (text, self._epoch(bounds, date), context, ctx_epoch, country_hint)
        hit = self._cache.get(key)
        if hit is not None:
            return list(hit)
        _, phrases = analyse(text, self.index, self.kb, date, strict=strict, scanned=(ws, matches))
        if phrases and any(p.needs_country for p in phrases):
            own = [q for q in phrases if q.code and not q.needs_country]
            fill = country_hint.upper() if country_hint else None
            conf = 0.6
            if fill is None and context:
                fill = self._context_country(text, context, date)
            if fill is None:
                conf = 0.35
            for p in phrases:
                if not p.needs_country:
                    continue
                if own:
                    # the mention itself names a country: "rebels in the Ivory Coast"
                    near = min(own, key=lambda q: abs(q.start - p.start))
                    p.code, p.confidence = near.code, 0.7
                elif fill:
                    p.code, p.confidence = fill, conf
            if own:
                # the agent phrase is the head of the mention; the place is its modifier
                phrases.sort(key=lambda q: (q.kind == "country", q.start))
        if context and phrases:
            self._widen_from_context(text, context, phrases, date)
        if context:
            for p in phrases:
                if p.capital and not _acts_in_context(p.text, context):
                    p.sector = None  # "fighting in Kabul": a place, not the government
        out = [self._match(p) for p in phrases]
        if len(self._cache) > _CACHE_MAX:
            self._cache.clear()
        self._cache[key] = out
        return list(out)

    def _context_phrases(self, context: str, day: dt.date | None) -> list[Phrase]:
        """The coded phrases of a context sentence (cached by the sentence's epoch)."""
        ws, matches, bounds = self._scan(context, True)
        key = (context, self._epoch(bounds, day))
        hit = self._contexts.get(key)
        if hit is None:
            _, hit = analyse(context, self.index, self.kb, day, strict=True, scanned=(ws, matches))
            if len(self._contexts) > _CACHE_MAX // 10:
                self._contexts.clear()
            self._contexts[key] = hit
        return hit

    def _widen_from_context(
        self, text: str, context: str, phrases: list[Phrase], day: dt.date | None
    ) -> None:
        """Read the mention inside its sentence: when the sentence's phrase around the
        mention says more ("Hungarian" in "Hungarian and Romanian officials"), use it."""
        at = context.find(text)
        if at < 0 or len(phrases) != 1:
            return
        p = phrases[0]
        if not (p.kind == "country" and p.sector is None) and not p.needs_country:
            return
        around = self._context_phrases(context, day)
        lo, hi = at + p.char_start, at + p.char_end
        for q in around:
            if q.char_start <= lo and q.char_end >= hi:
                if q.code and (p.needs_country or q.code == p.code) and q.sector:
                    p.code, p.sector, p.entry, p.office = q.code, q.sector, q.entry, q.office
                    p.needs_country = False
                    p.kind = q.kind
                    p.confidence = min(q.confidence, 0.8)
                return

    def _context_country(self, text: str, context: str, day: dt.date | None) -> str | None:
        """The country of the actor nearest to ``text`` inside ``context``."""
        phrases = self._context_phrases(context, day)
        at = context.find(text)
        lo, hi = (at, at + len(text)) if at >= 0 else (-1, -1)
        best, best_d = None, None
        for p in phrases:
            if not p.code:
                continue
            if lo < 0:
                return p.code
            if p.char_start < hi and p.char_end > lo:
                # the context reads the mention inside a longer, coded phrase:
                # "Algeria's President Bouteflika" for the mention "President Bouteflika"
                if p.needs_country or (p.char_start >= lo and p.char_end <= hi):
                    continue
                d = -1
            else:
                d = lo - p.char_end if p.char_end <= lo else (p.char_start - hi) * 2
            if best_d is None or d < best_d:
                best, best_d = p.code, d
        return best

    def _identity(self, entry: Entry | None) -> tuple[str | None, str | None]:
        """(KB id, canonical name) to report; a sub-national region or city reports its
        country ("Kandahar" -> AFG, Afghanistan)."""
        if entry is None:
            return None, None
        if entry.kind == "country" and entry.country and entry.country != entry.id:
            country = self.kb.get(entry.country)
            if country is not None:
                return country.id, country.name
        return entry.id, entry.name

    def _match(self, p: Phrase) -> ActorMatch:
        return ActorMatch(
            code=p.code,
            country=self.kb.country_name(p.code),
            sector=p.sector,
            kb_id=self._identity(p.entry)[0],
            name=self._identity(p.entry)[1],
            office=p.office,
            confidence=p.confidence,
            text=p.text,
            span=(p.char_start, p.char_end),
        )

    # -- parsed sentences -------------------------------------------------------------

    def mentions(self, doc: Any, *, date: dt.date | None, state: ActorState | None) -> list:
        """Every actor mention in the sentence ``doc`` (a spaCy Doc), in order.

        Adds appositive people the KB does not know ("..., the head of the US military,
        Michael Mullen"), and resolves "he"/"she", "the group", "the militants",
        "the country" to the nearest compatible antecedent kept in ``state``; a bare
        surname ("Kakar said") to the person named earlier (or, when the sentence that
        named them was not parsed, to the one knowledge-base person of the document with
        that surname); "it" to the reporting subject ("Pakistan said it ...") or, opening
        a sentence with a reporting verb, to the previous sentence's acting organisation;
        "militants"/"gunmen" to the one armed group the document names. The places of a
        news dateline ("QUETTA, 12 December 2022:") are not actors.
        """
        if state is None:
            state = self.new_state([])
        text = doc_text(doc)
        _, phrases = analyse(text, self.index, self.kb, date, strict=True)
        dateline_end = _dateline_end(text)
        out: list[ActorMention] = []
        covered: set[int] = set()
        for p in phrases:
            if p.char_end <= dateline_end:
                continue  # "QUETTA, 12 December 2022:" says where the report was filed
            span = doc.char_span(p.char_start, p.char_end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            ref, kind = self._ref_for_phrase(p, span, doc, state, phrases, date)
            branch = self._branch(p, span, doc, state, date)
            if branch is not None:
                ref, span = branch
            out.append(ActorMention(span.start, span.end, span.root.i, ref, kind))
            covered.update(range(span.start, span.end))
        out.extend(self._appositive_people(doc, out, covered))
        out.extend(self._surnames(doc, covered, state, date))
        out.extend(self._pronouns(doc, covered, state, out))
        out.sort(key=lambda m: m.start)
        self._remember(out, state, doc)
        return out

    def _ref_for_phrase(
        self,
        p: Phrase,
        span: Any,
        doc: Any,
        state: ActorState,
        phrases: list[Phrase],
        day: dt.date | None = None,
    ):
        kind = p.kind
        code, sector, conf = p.code, p.sector, p.confidence
        if p.capital and not (
            span.root.dep_ in ("nsubj", "nsubjpass", "poss")
            or (span.root.dep_ == "pobj" and span.root.head.dep_ == "agent")
        ):
            sector = None  # a capital that does not act is a place
        entry = p.entry
        if p.needs_country:
            definite = span.start > 0 and doc[span.start - 1].lower_ in ("the", "these", "those")
            lone = self._lone_rebel(state, day)
            unnamed = any(w in p.text.lower() for w in ("unidentified", "unknown"))
            if (
                (sector == "REB" or (sector == "UAF" and not unnamed))
                and state.last_rebel is None
                and lone is not None
            ):
                # "militants", "gunmen" in a story that names one armed group: that group
                r = lone
            elif definite and sector == "REB" and state.last_rebel is not None:
                r = state.last_rebel
            else:
                r = None
            if r is not None:
                return (
                    ActorRef(
                        code=r.code,
                        sector=r.sector,
                        entity_text=span.text,
                        identifier_id=r.identifier_id,
                        identifier_text=r.identifier_text,
                        office=None,
                        confidence=0.6 if r is state.last_rebel else 0.5,
                        span=(span.start_char, span.end_char),
                    ),
                    "coref",
                )
            near = [q for q in phrases if q.code and not q.needs_country and q is not p]
            shared = self._conjunct_of(span, doc, phrases, p)
            if shared is not None:
                # "foreign ministers and envoys of the OIC": the "of" phrase is shared
                code, conf = shared.code, 0.6
            elif state.country_focus:
                code, conf = state.country_focus[0], 0.55
            elif definite and state.last_country is not None:
                code, conf = state.last_country.code, 0.5
            elif near:
                # no document focus (a one-sentence text): the sentence's own country
                code = min(near, key=lambda q: abs(q.start - p.start)).code
                conf = 0.45
        return (
            ActorRef(
                code=code,
                sector=sector,
                entity_text=span.text,
                identifier_id=self._identity(entry)[0],
                identifier_text=self._identity(entry)[1],
                office=p.office,
                confidence=conf,
                span=(span.start_char, span.end_char),
            ),
            kind,
        )

    def _branch(self, p: Phrase, span: Any, doc: Any, state: ActorState, day: dt.date | None):
        """ "The Islamic State group's regional branch" in a story about Afghanistan or
        Pakistan is the branch the knowledge base records there (ISKP): (ref, span)."""
        entry = next((q.entry for q in p.pieces if q.entry.branches), None)
        if entry is None:
            return None
        if doc[span.end - 1].lemma_.lower() in BRANCH_NOUNS:
            j = span.end - 1  # the phrase already holds the noun ("... affiliate")
        else:
            j = span.end
            if j < len(doc) and doc[j].tag_ == "POS":
                j += 1
            while j < len(doc) and j - span.end < 4 and doc[j].pos_ in ("ADJ", "PROPN"):
                j += 1
            if j >= len(doc) or doc[j].lemma_.lower() not in BRANCH_NOUNS:
                return None
        here = next((c for c in state.country_focus[:3] if c in entry.branches), None)
        target = self.kb.get(entry.branches[here]) if here else None
        if target is None:
            return None
        code, sector, office = target.code_sector_at(day)
        whole = doc[span.start : j + 1]
        ref = ActorRef(
            code=code,
            sector=sector,
            entity_text=whole.text,
            identifier_id=target.id,
            identifier_text=target.name,
            office=office,
            confidence=0.7,
            span=(whole.start_char, whole.end_char),
        )
        return ref, whole

    @staticmethod
    def _conjunct_of(span: Any, doc: Any, phrases: list[Phrase], p: Phrase) -> Phrase | None:
        """A coded "X of Y" phrase conjoined with the bare agent ``span``, whose "of Y"
        also completes it ("ministers and envoys of the OIC")."""
        root = span.root
        for conj in root.conjuncts:
            if conj.i < span.start:
                continue
            for q in phrases:
                if q is p or not q.code or q.needs_country or q.kind == "country":
                    continue
                if q.char_start <= conj.idx < q.char_end and " of " in q.text:
                    return q
        return None

    def _appositive_people(self, doc: Any, found: list[ActorMention], covered: set[int]):
        """PERSON entities in apposition with a coded role phrase borrow its code."""
        out = []
        by_token = {i: m for m in found for i in range(m.start, m.end)}
        for ent in doc.ents:
            if ent.label_ != "PERSON" or any(i in covered for i in range(ent.start, ent.end)):
                continue
            root = ent.root
            partner = None
            if root.dep_ == "appos" and root.head.i in by_token:
                partner = by_token[root.head.i]
            else:
                for child in root.children:
                    if child.dep_ == "appos" and child.i in by_token:
                        partner = by_token[child.i]
                        break
            # "Pakistan's ambassador to the UN, Munir Akram": the apposition belongs to the
            # whole phrase, whose head is the ambassador, not the UN
            while partner is not None:
                tok = doc[partner.root]
                up = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "prep" else None
                if up is None or up.i not in by_token or by_token[up.i] is partner:
                    break
                partner = by_token[up.i]
            if partner is None or not partner.ref.code or partner.kind == "country":
                continue
            ref = partner.ref
            out.append(
                ActorMention(
                    ent.start,
                    ent.end,
                    root.i,
                    ActorRef(
                        code=ref.code,
                        sector=ref.sector,
                        entity_text=ent.text,
                        identifier_id=None,
                        identifier_text=ent.text,
                        office=ref.office or (ref.identifier_text if ref.identifier_id else None),
                        confidence=min(ref.confidence, 0.7),
                        span=(ent.start_char, ent.end_char),
                    ),
                    "title-person",
                )
            )
            covered.update(range(ent.start, ent.end))
        return out

    def _surnames(self, doc: Any, covered: set[int], state: ActorState, day: dt.date | None):
        """A bare surname ("Kakar said", "Khan's supporters") naming a person met earlier
        in the document refers back to that person."""
        out = []
        people, known = state.people, state.known_people
        if not people and not known:
            return out
        # only a word that is some known person's surname can be one: look at those alone
        lowers = token_forms(doc).lowers
        for i in [i for i, low in enumerate(lowers) if low in people or low in known]:
            tok = doc[i]
            if tok.i in covered or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
                continue
            ref = state.people.get(tok.lower_) or self._known_person(
                state.known_people.get(tok.lower_), day
            )
            if ref is None or len(tok.text) < 3:
                continue
            prev = doc[tok.i - 1] if tok.i > 0 else None
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if (
                prev is not None
                and prev.pos_ == "PROPN"
                and prev.lower_.rstrip(".") not in NAME_TITLES
            ):
                continue  # part of a longer name ("Mansoor Ahmad Khan")
            if nxt is not None and nxt.pos_ == "PROPN":
                continue
            out.append(
                ActorMention(
                    tok.i,
                    tok.i + 1,
                    tok.i,
                    replace(
                        ref,
                        entity_text=tok.text,
                        confidence=round(min(ref.confidence, 0.9) * 0.8, 3),
                        span=(tok.idx, tok.idx + len(tok.text)),
                    ),
                    "coref",
                )
            )
            covered.add(tok.i)
        return out

    def _lone_rebel(self, state: ActorState, day: dt.date | None) -> ActorRef | None:
        """The one armed group the whole document names, if it names exactly one."""
        if len(state.known_rebels) != 1:
            return None
        return self._entry_ref(state.known_rebels[0], day, confidence=0.5)

    def _known_person(self, entry_id: str | None, day: dt.date | None) -> ActorRef | None:
        return self._entry_ref(entry_id, day, confidence=0.75)

    def _entry_ref(
        self, entry_id: str | None, day: dt.date | None, *, confidence: float
    ) -> ActorRef | None:
        """A knowledge-base entry as it stood on ``day``, without a span of its own."""
        entry = self.kb.get(entry_id) if entry_id else None
        if entry is None:
            return None
        code, sector, office = entry.code_sector_at(day)
        return ActorRef(
            code=code,
            sector=sector,
            identifier_id=entry.id,
            identifier_text=entry.name,
            office=office,
            confidence=confidence,
        )

    def _reporter(self, tok: Any, found: list[ActorMention]) -> ActorRef | None:
        """ "Pakistan said it would ...": the non-person subject of the reporting verb
        whose complement clause ``tok`` (an "it" subject) opens."""
        clause = tok.head
        if clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in IT_VERBS:
            return None
        for child in clause.head.children:
            if child.dep_ != "nsubj":
                continue
            for m in found:
                if m.start <= child.i < m.end and m.ref.code and not self._is_person(m):
                    return m.ref
        return None

    def _sentence_country(self, found: list[ActorMention], before: int) -> ActorRef | None:
        """ "Pakistan's military ... the country's security": the nearest state named
        earlier in the same sentence outranks the previous sentences' last country."""
        best = None
        for m in found:
            code = m.ref.code
            if m.end <= before - 1 and code and code not in SPECIAL_CODES:
                if best is None or m.start > best.start:
                    best = m
        if best is None:
            return None
        code = best.ref.code
        return ActorRef(
            code=code,
            entity_text=best.ref.entity_text,
            identifier_id=code,
            identifier_text=self.kb.country_name(code),
            confidence=best.ref.confidence,
        )

    def _pronouns(
        self,
        doc: Any,
        covered: set[int],
        state: ActorState,
        found: list[ActorMention] | None = None,
    ):
        out = []
        lowers = token_forms(doc).lowers
        for i, low in enumerate(lowers):
            if i in covered or not (
                low in PERSON_PRONOUNS
                or low == "it"
                or (i > 0 and lowers[i - 1] in ("the", "this"))
            ):
                continue  # no pronoun or anaphoric noun ("the group"): nothing to resolve
            tok = doc[i]
            ante: ActorRef | None = None
            if low in PERSON_PRONOUNS:
                ante = state.last_person
            elif low == "it" and tok.dep_ in ("nsubj", "nsubjpass"):
                # "The TTP said it would ...": the reporting subject of the same sentence;
                # "It demanded that ...": the previous sentence's acting organisation
                ante = self._reporter(tok, found or [])
                if (
                    ante is None
                    and not any(t.dep_ in ("nsubj", "nsubjpass") for t in doc[: tok.i])
                    and tok.head.lemma_.lower() in IT_VERBS
                ):
                    ante = state.last_subject
            elif tok.i > 0 and doc[tok.i - 1].lower_ in ("the", "this"):
                if low in GROUP_NOUNS:
                    subject = state.last_subject
                    salient = subject is not None and subject.identifier_id is not None
                    ante = subject if salient and self._is_org(subject) else state.last_org
                elif low in COUNTRY_NOUNS:
                    ante = self._sentence_country(found or [], tok.i) or state.last_country
            if ante is None:
                continue
            start = tok.i if low in PERSON_PRONOUNS or low == "it" else tok.i - 1
            out.append(
                ActorMention(
                    start,
                    tok.i + 1,
                    tok.i,
                    ActorRef(
                        code=ante.code,
                        sector=ante.sector,
                        entity_text=doc[start : tok.i + 1].text,
                        identifier_id=ante.identifier_id,
                        identifier_text=ante.identifier_text,
                        office=ante.office,
                        confidence=round(min(ante.confidence, 0.9) * 0.7, 3),
                        span=(doc[start].idx, tok.idx + len(tok.text)),
                    ),
                    "coref",
                )
            )
        return out

    def _is_org(self, ref: ActorRef) -> bool:
        entry = self.kb.get(ref.identifier_id) if ref.identifier_id else None
        return entry is not None and entry.kind in ("org", "igo")

    def _main_subject(self, found: list[ActorMention], doc: Any) -> ActorRef | None:
        """The actor that is the subject of the sentence's main verb, unless a person."""
        if doc is None:
            return None
        for tok in doc:
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT":
                for m in found:
                    if m.start <= tok.i < m.end and m.ref.code:
                        return None if self._is_person(m) else m.ref
                return None
        return None

    def _is_person(self, m: ActorMention) -> bool:
        """A person mention: a named or titled person, a person agent ("spokesman"), or a
        coreference to a person."""
        if m.kind in ("person", "title-person"):
            return True
        entry = self.kb.get(m.ref.identifier_id) if m.ref.identifier_id else None
        return entry is not None and (entry.kind == "person" or entry.person)

    def _surname_keys(self, ref: ActorRef) -> set[str]:
        """Lower-cased surnames under which a person can be named again: the last word of
        the canonical name and of the mention ("Anwaar-ul-Haq Kakar" -> "kakar")."""
        keys = set()
        entry = self.kb.get(ref.identifier_id) if ref.identifier_id else None
        names = [ref.entity_text or ""]
        if entry is not None and entry.kind == "person":
            names.append(entry.name)
        for name in names:
            keys |= _surname_keys_of(name)
        return keys

    def _remember(self, found: list[ActorMention], state: ActorState, doc: Any = None) -> None:
        state.last_subject = self._main_subject(found, doc)
        for m in found:
            ref = m.ref
            if not ref.code:
                continue
            state.seen.append(ref)
            if m.kind in ("person", "title-person"):
                state.last_person = ref
                for key in self._surname_keys(ref):
                    state.people[key] = ref
            elif m.kind == "org":
                state.last_org = ref
                if ref.sector == "REB":
                    state.last_rebel = ref
            elif m.kind == "country":
                name = self.kb.country_name(ref.code)
                state.last_country = ActorRef(
                    code=ref.code,
                    entity_text=ref.entity_text,
                    identifier_id=ref.code,
                    identifier_text=name,
                    confidence=ref.confidence,
                )
            elif m.kind == "coref" and ref.identifier_id:
                entry = self.kb.get(ref.identifier_id)
                if entry is not None and entry.kind in ("org", "igo"):
                    state.last_org = ref
                elif entry is not None and entry.kind == "person":
                    state.last_person = ref  # "Sharif said ... He added"
            if m.kind == "agent" and ref.identifier_id:
                entry = self.kb.get(ref.identifier_id)
                if entry is not None and entry.person:
                    state.last_person = ref
        if len(state.seen) > 200:
            del state.seen[:100]
