"""Sentence-level PLOVER event detection.

``detect_events(doc, mentions, lexicon=..., date=...)`` finds trigger words (verbs,
nominalisations, multi-word expressions from the YAML lexicon) in one parsed sentence,
resolves what governs what ("threatened to attack" is one THREATEN event whose content is
violence, not an ASSAULT), assigns actor and recipient from the parse, and attaches modality,
PLOVER score, quad code, closest CAMEO code and its Goldstein score.

Everything after the spaCy parse is a few dict lookups and short walks over the tree per
token, so it stays a small fraction of the parser's own time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from spacy.tokens import Doc, Token

from riftwatch.doccache import token_forms
from riftwatch.events.lexicon import LexEntry, Lexicon, default_lexicon
from riftwatch.events.modality import Modality, analyse, clause_verb, historical_year
from riftwatch.events.roles import (
    MentionIndex,
    MentionLike,
    Roles,
    TextMention,
    agent_of,
    noun_roles,
    prep_object,
    verb_roles,
)
from riftwatch.events.tables import plover_tables
from riftwatch.model import ActorRef

GOVERNING_EVENTS = {"THREATEN", "REQUEST", "REJECT", "AGREE", "ACCUSE"}
CONFLICT_EVENTS = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "THREATEN", "PROTEST"}
FORCE_EVENTS = {"ASSAULT", "COERCE", "SANCTION"}
OWNED_ACTS = {"REQUEST", "THREATEN", "ACCUSE"}
CLAIM_OBJECTS = frozenset({"responsibility", "credit"})
"""Nominal acts that stay events when another verb takes them as object ("met X's demands")."""
COOP_FUTURE_TO_AGREE = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
RECIPROCAL = {"CONSULT", "AGREE", "COOPERATE"}
DOMESTIC_DEFAULT = {
    "PROTEST",
    "CONCEDE",
    "COERCE",
    "REJECT",
    "THREATEN",
    "REQUEST",
    "ACCUSE",
    "RETREAT",
    "MOBILIZE",
    "SUPPORT",
    "AGREE",
    "ASSAULT",
    "SANCTION",
}
CONTENT_DEPS = {
    "xcomp",
    "ccomp",
    "dobj",
    "pobj",
    "pcomp",
    "prep",
    "acl",
    "compound",
    "amod",
    "conj",
    "advcl",
    "attr",
    "nmod",
}
VERB_ARG_DEPS = {"dobj", "nsubjpass", "attr", "oprd", "dative", "obj"}
# a nominal trigger under these prepositions is background ("after the attack")
BACKGROUND_PREPS = {
    "after",
    "following",
    "since",
    "despite",
    "amid",
    "amidst",
    "during",
    "before",
    "because",
    "wake",
}
TEMPORAL_MARKS = {
    "after",
    "before",
    "since",
    "as",
    "when",
    "while",
    "because",
    "until",
    "once",
    "following",
}


@dataclass
class EventCandidate:
    """One event read from one sentence (token spans relative to the sentence Doc)."""

    event: str
    mode: str | None
    context: list[str]
    trigger: tuple[int, int]
    """Token span (start, end exclusive) of the trigger words."""
    actor: MentionLike | None
    recipient: MentionLike | None
    modality: str
    claimant: MentionLike | None
    historical_date: dt.date | None
    historical_precision: str | None
    cameo_code: str | None
    goldstein: float | None
    quad_code: int | None
    event_scale: float | None
    event_text: str
    confidence: float
    trigger_span: tuple[int, int] = (0, 0)
    """Character span of the trigger in ``doc.text``."""
    actors: list[MentionLike] = field(default_factory=list)
    """All actors (compound actor: "A and B agreed")."""
    recipients: list[MentionLike] = field(default_factory=list)
    head: int = 0
    """Token index of the trigger's head word."""
    depth: int = 0
    """Distance of the trigger head from the sentence root (0 = root)."""
    pattern: str = ""
    """The lexicon pattern that fired (for debugging and the analyst's lexicon work)."""
    background: bool = False
    """A nominal trigger inside an adjunct ("after the attack"): context, not news."""


@dataclass
class _Match:
    entry: LexEntry
    head: Token
    tokens: list[int]
    objects: set[int]
    event: str = ""
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    drop: bool = False
    content: list[_Match] = field(default_factory=list)
    governor: _Match | None = None
    content_mode: str | None = None
    objects_nominal: _Match | None = None


def _prev_word(tok: Token) -> Token | None:
    j = tok.i - 1
    while j >= 0 and tok.doc[j].is_punct:
        j -= 1
    return tok.doc[j] if j >= 0 else None


def _forms(tok: Token) -> tuple[str, str]:
    return tok.lemma_.lower(), tok.lower_


def _object_tokens(verb: Token) -> list[Token]:
    out: list[Token] = []
    for c in verb.children:
        if c.dep_ in VERB_ARG_DEPS:
            out.append(c)
            out.extend(c.conjuncts)
        elif c.dep_ in ("prep", "agent"):
            for p in c.children:
                if p.dep_ in ("pobj", "pcomp"):
                    out.append(p)
                    out.extend(p.conjuncts)
        elif c.dep_ == "xcomp" and c.pos_ in ("NOUN", "PROPN"):
            out.append(c)
        if c.dep_ in ("prt", "advmod", "prep"):
            # "pulled out of the town": the object hangs off the particle
            for g in c.children:
                if g.dep_ == "prep":
                    out.extend(p for p in g.children if p.dep_ == "pobj")
        elif c.dep_ == "nsubj" and verb.lemma_.lower() in ("hold", "continue") and False:
            out.append(c)
    if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
        out.append(verb.head)
    # "suspended part of the aid programme", "ended mediation efforts"
    extra: list[Token] = []
    for o in out:
        for c in o.children:
            if c.dep_ == "compound":
                extra.append(c)
            elif c.dep_ == "prep" and c.lower_ == "of":
                extra.extend(p for p in c.children if p.dep_ == "pobj")
    return out + extra


def _phrase(tok: Token) -> str:
    # the subtree is a generator: take its first ten words without walking the rest
    toks = islice(tok.subtree, 10)
    return " " + " ".join(t.lemma_.lower() for t in toks) + " "


def _match_objects(entry: LexEntry, verb: Token, objs: list[Token]) -> tuple[bool, set[int]]:
    if not entry.objects and not entry.not_objects:
        return True, set()
    used: set[int] = set()
    found = not entry.objects
    multis = [multi for multi in entry.objects if " " in multi]
    for o in objs:
        lem, low = _forms(o)
        if lem in entry.not_objects or low in entry.not_objects:
            return False, set()
        if entry.objects and not found:
            if lem in entry.objects or low in entry.objects:
                found = True
                used.add(o.i)
            elif multis:
                ph = _phrase(o)
                for multi in multis:
                    if f" {multi} " in ph:
                        found = True
                        used.add(o.i)
                        break
    return found, used


def _near_forms(tok: Token) -> dict[str, int]:
    """Forms of the words around ``tok`` (children, grandchildren, the next word) -> index."""
    doc = tok.doc
    near: dict[str, int] = {}
    for c in tok.children:
        for f in _forms(c):
            near.setdefault(f, c.i)
        for g in c.children:
            for f in _forms(g):
                near.setdefault(f, g.i)
    # the very next word, when the parser attached a particle elsewhere ("cracked down")
    if tok.i + 1 < len(doc) and doc[tok.i + 1].dep_ in ("prt", "prep", "advmod", "dobj"):
        for f in _forms(doc[tok.i + 1]):
            near.setdefault(f, tok.i + 1)
    return near


def _match_entry(
    entry: LexEntry, tok: Token, sent_lemmas: set[str], memo: dict[str, Any] | None = None
) -> _Match | None:
    """``entry`` read at ``tok``, or None. ``memo`` keeps what depends on the token alone
    (its nearby words, its objects) across the entries tried at the same token."""
    if memo is None:
        memo = {}
    doc = tok.doc
    if entry.pos == "VERB":
        if tok.pos_ != "VERB" and not (tok.tag_.startswith("VB") and tok.pos_ != "AUX"):
            return None
        if tok.dep_ == "amod":  # "the alleged violations", "occupied territory"
            return None
    elif entry.pos == "ADJ":
        if tok.pos_ != "ADJ":
            return None
        if entry.governs and not any(c.dep_ == "xcomp" for c in tok.children):
            return None
    else:
        if tok.pos_ not in ("NOUN", "PROPN") and not (
            tok.tag_ == "VBG" and tok.dep_ in ("nsubj", "dobj", "pobj", "nsubjpass")
        ):
            return None
        if tok.ent_type_ in ("DATE", "TIME"):  # "in March"
            return None
        if tok.pos_ == "PROPN" and tok.ent_type_ in (
            "ORG",
            "WORK_OF_ART",
            "LAW",
            "FAC",
            "PERSON",
        ):  # "Agency for Cooperation"
            return None
    tokens = [tok.i]
    if entry.consecutive:
        j = tok.i - 1
        for w in reversed(entry.words[:-1]):
            while j >= 0 and doc[j].text == "-":
                j -= 1
            if j < 0 or w not in _forms(doc[j]):
                return None
            tokens.append(j)
            j -= 1
    else:
        near = memo.get("near")
        if near is None:
            near = memo["near"] = _near_forms(tok)
        for w in entry.words[1:]:
            if w not in near:
                return None
            tokens.append(near[w])
    if entry.not_after:
        prev = _prev_word(doc[min(tokens)])
        if prev is not None and (
            prev.lower_ in entry.not_after or prev.lemma_.lower() in entry.not_after
        ):
            return None
    if entry.unless and sent_lemmas & entry.unless:
        return None
    if entry.requires and not sent_lemmas & entry.requires:
        return None
    objects: set[int] = set()
    if entry.pos == "VERB":
        objs = memo.get("objects")
        if objs is None:
            objs = memo["objects"] = _object_tokens(tok)
        ok, objects = _match_objects(entry, tok, objs)
        if not ok:
            return None
        if entry.not_subjects:
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                lemmas = (
                    {subj.lemma_.lower()}
                    | {
                        p.lemma_.lower()
                        for c in subj.children
                        if c.dep_ == "prep"
                        for p in c.children
                    }
                    | {c.lemma_.lower() for c in subj.children if c.dep_ in ("compound", "amod")}
                )
                if lemmas & entry.not_subjects:
                    return None
    return _Match(entry=entry, head=tok, tokens=sorted(set(tokens)), objects=objects)


def _find_matches(
    doc: Doc, lex: Lexicon, sent_lemmas: set[str], lemmas: list[str], lowers: list[str]
) -> list[_Match]:
    matches: list[_Match] = []
    token_entries = lex.token_entries
    for i, (lem, low) in enumerate(zip(lemmas, lowers, strict=True)):
        entries = token_entries(lem, low)
        if not entries:
            continue
        tok = doc[i]
        if tok.is_punct or tok.is_space:
            continue
        best: _Match | None = None
        memo: dict[str, Any] = {}
        for entry in entries:
            if best is not None and entry.specificity < best.entry.specificity:
                continue
            m = _match_entry(entry, tok, sent_lemmas, memo)
            if m is not None and (best is None or entry.specificity > best.entry.specificity):
                best = m
        if best is not None:
            best.event = best.entry.event
            best.mode = best.entry.mode
            best.context = list(best.entry.context)
            matches.append(best)
    return matches


def _has_owner(noun: Token) -> bool:
    """A named author of a nominal act: "Pakistan's demands", "the demands of Kabul"."""
    for c in noun.children:
        if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN"):
            return True
        if c.dep_ == "prep" and c.lower_ in ("of", "by"):
            if any(p.dep_ == "pobj" and p.pos_ == "PROPN" for p in c.children):
                return True
    return False


def _content_path(gov: Token, tok: Token) -> bool:
    """True if ``tok`` sits in the complement (not the subject) of ``gov``."""
    deps = CONTENT_DEPS | {"relcl"} if gov.pos_ in ("NOUN", "PROPN") else CONTENT_DEPS
    cur = tok
    for _ in range(6):
        if cur.head.i == cur.i:
            return False
        if cur.dep_ not in deps:
            return False
        if cur.head.i == gov.i:
            return True
        cur = cur.head
    return False


def _depth(tok: Token) -> int:
    d = 0
    cur = tok
    while cur.head.i != cur.i and d < 30:
        cur = cur.head
        d += 1
    return d


def _content_mode(lex: Lexicon, event: str, content: _Match | None, gov: Token) -> str | None:
    table = lex.content_modes.get(event, {})
    if content is not None:
        for key in (f"{content.event}:{content.mode}", content.event):
            if key in table:
                return table[key]
    words = lex.content_words.get(event, {})
    if words:
        lemmas = {t.lemma_.lower() for t in gov.subtree if t.dep_ not in ("nsubj", "nsubjpass")}
        lemmas |= {t.lemma_.lower() for c in gov.children if c.dep_ == "xcomp" for t in c.subtree}
        for mode, ws in words.items():
            if lemmas & ws:
                return mode
    if content is not None and "*" in table:
        return table["*"]
    return table.get("*") if event in ("REQUEST", "REJECT") else None


def _mentions_equal(a: MentionLike | None, b: MentionLike | None) -> bool:
    if a is None or b is None:
        return False
    if a is b:
        return True
    if a.start == b.start and a.end == b.end:
        return True
    return bool(a.ref.code and a.ref.code == b.ref.code and a.ref.sector == b.ref.sector)


def _contexts(lex: Lexicon, base: list[str], sent_lemmas: set[str]) -> list[str]:
    out = list(dict.fromkeys(base))
    for ctx, cues in lex.context_cues.items():
        if len(out) >= 3:
            break
        if ctx not in out and not sent_lemmas.isdisjoint(cues):
            out.append(ctx)
    return out


def detect_events(
    doc: Doc,
    mentions: list[MentionLike] | None = None,
    *,
    lexicon: Lexicon | None = None,
    date: dt.date | None = None,
) -> list[EventCandidate]:
    """Events reported in one parsed sentence, in token order.

    ``mentions`` are the actor mentions of the sentence (``ActorResolver.mentions``);
    ``date`` is the publication date (used to tell historical references apart).
    """
    lex = lexicon or default_lexicon()
    tables = plover_tables()
    mentions = list(mentions or [])
    forms = token_forms(doc)
    lemmas, lowers = forms.lemmas, forms.lowers
    sent_lemmas = set(lemmas) | set(lowers)
    sports = lex.rule("sports_words")
    if len(sent_lemmas & sports) >= 2:
        return []
    matches = _find_matches(doc, lex, sent_lemmas, lemmas, lowers)
    labels = lex.rule("accusing_labels")
    if not matches:
        has_label = not sent_lemmas.isdisjoint(labels)
        if "claim" in sent_lemmas:
            return _responsibility_claims(
                doc, MentionIndex(doc, mentions), lex, tables, date, sent_lemmas
            )
        if "must" not in sent_lemmas and not has_label:
            return []
        idx = MentionIndex(doc, mentions)
        found: list[EventCandidate] = []
        if "must" in sent_lemmas:
            found = _must_requests(
                doc, idx, lex, tables, [], date, sent_lemmas, lex.rule("object_control"), []
            )
        if has_label:
            found += _label_accusations(doc, idx, lex, tables, date, sent_lemmas, labels, found)
        return found
    by_head = {m.head.i: m for m in matches}
    # a noun used as a verb entry's object ("imposed a curfew", "lifted sanctions") is not
    # a second event: the verb entry was written for exactly that combination
    for m in matches:
        for o in m.objects:
            other = by_head.get(o)
            if other is not None and other is not m and other.entry.pos == "NOUN":
                m.objects_nominal = other
                # "will accept Pakistan's demands": the owned demand is news of its own
                other.drop = not (other.event in OWNED_ACTS and _has_owner(other.head))
    light_heads: set[int] = set()
    harm = lex.rule("harm_verbs")
    # "a drone strike killed five": the nominal event is the news, the verb its outcome
    for m in matches:
        if m.entry.pos == "VERB" and m.event == "ASSAULT" and m.head.lemma_.lower() in harm:
            subj = next((c for c in m.head.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.i in by_head and by_head[subj.i].event == "ASSAULT":
                m.drop = True
    # "carried out airstrikes": the nominal trigger carries the event (richer roles);
    # "lodged a protest": the verb pattern changes the event, so it wins
    for m in matches:
        if m.entry.pos == "VERB" and len(m.tokens) > 1:
            for t in m.tokens:
                other = by_head.get(t)
                if t != m.head.i and other is not None and other.entry.pos == "NOUN":
                    if other.event == m.event:
                        m.drop = True
                        light_heads.add(m.head.i)
                    elif not (other.event in OWNED_ACTS and _has_owner(other.head)):
                        other.drop = True
    non_agents = lex.rule("non_event_agents")
    weather = lex.rule("weather_words")
    generic = lex.rule("generic_noun_context")
    object_control = lex.rule("object_control")
    for m in matches:
        if m.drop:
            continue
        if m.event in ("ASSAULT", "COERCE", "THREATEN", "MOBILIZE"):
            if m.entry.pos == "VERB":
                subj = next((c for c in m.head.children if c.dep_ in ("nsubj", "agent")), None)
                if subj is not None and subj.lemma_.lower() in non_agents:
                    m.drop = True
                if m.head.dep_ in ("acl", "relcl") and m.head.head.lemma_.lower() in non_agents:
                    m.drop = True  # "floods hitting the province"
                agent = next((c for c in m.head.children if c.dep_ == "agent"), None)
                if agent is not None and any(t.lemma_.lower() in non_agents for t in agent.subtree):
                    m.drop = True
            elif m.head.head.lemma_.lower() in generic and m.head.dep_ in ("pobj", "compound"):
                m.drop = True
            elif m.head.dep_ == "pobj" and m.head.head.head.lemma_.lower() in generic:
                m.drop = True
        if m.event == "THREATEN" and any(
            t.lemma_.lower() in weather for t in m.head.subtree if t.i != m.head.i
        ):
            m.drop = True
    # governing triggers: their complement is their content, not a separate event
    live = [m for m in matches if not m.drop]
    for gov in live:
        if not (gov.entry.governs or (gov.entry.pos == "NOUN" and gov.event in GOVERNING_EVENTS)):
            continue
        for other in live:
            if other is gov or other.governor is not None:
                continue
            if _content_path(gov.head, other.head):
                gov.content.append(other)
                other.governor = gov
    # the demand of a protest ("marched to demand reforms") is the protest's topic
    protest_heads = set()
    for m in live:
        if m.event == "PROTEST":
            protest_heads.add(m.head.i)
            if m.entry.pos == "NOUN" and m.head.dep_ in ("dobj", "nsubj", "pobj"):
                protest_heads.add(m.head.head.i if m.head.dep_ != "pobj" else m.head.head.head.i)
    for m in live:
        if (
            m.event == "REQUEST"
            and m.head.dep_ in ("advcl", "xcomp", "acl", "relcl")
            and m.head.head.i in protest_heads
        ):
            m.drop = True
    live = [m for m in live if not m.drop]
    negating = lex.rule("negating_verbs")
    out: list[EventCandidate] = []
    idx = MentionIndex(doc, mentions)
    for m in live:
        gov = m.governor
        # content of a threat / demand / refusal / promise is not itself an event,
        # except the content of an accusation, which is a claimed event
        if (
            gov is not None
            and gov.event != "ACCUSE"
            and gov.head.lemma_.lower() not in negating
            and not (m.entry.pos == "NOUN" and m.event in OWNED_ACTS and _has_owner(m.head))
        ):
            continue
        if m.head.lemma_.lower() in negating and m.content:
            continue  # "denied attacking": the attack is coded, negated; the denial is not
        cand = _build(
            m, doc, idx, lex, tables, date, sent_lemmas, object_control, frozenset(light_heads)
        )
        if cand is not None:
            out.append(cand)
    if "must" in sent_lemmas:
        out.extend(
            _must_requests(doc, idx, lex, tables, live, date, sent_lemmas, object_control, out)
        )
    if not sent_lemmas.isdisjoint(labels):
        out.extend(_label_accusations(doc, idx, lex, tables, date, sent_lemmas, labels, out))
    if "claim" in sent_lemmas and not any(c.event == "ASSAULT" for c in out):
        out.extend(_responsibility_claims(doc, idx, lex, tables, date, sent_lemmas))
    if any(c.event in TALLIED_EVENTS for c in out) and _cumulative_statistic(doc, lex):
        # "2,000 people were killed in attacks last year": a tally of many events over a
        # period, with no date, place or author of its own; coded as one event it would
        # add a phantom attack with the whole year's toll
        out = [c for c in out if c.event not in TALLIED_EVENTS]
    out.sort(key=lambda c: c.trigger[0])
    return out


TALLIED_EVENTS = frozenset({"ASSAULT", "COERCE"})
TALLY_MIN_COUNT = 1000  # over a period, a count this large is a tally without "attacks"
_BARE_YEAR = re.compile(r"^(?:19|20)\d\d$")
_MONTHS = frozenset("jan feb mar apr may jun jul aug sep oct nov dec".split())


def _cumulative_statistic(doc: Doc, lex: Lexicon) -> bool:
    """True if the sentence states a tally over a long period rather than reports an event.

    All three must hold: a period of a year or more ("last year", "over the past decade",
    "so far this year", a bare year, "in that period") and no day ("on Wednesday": a dated event, even when
    it is "one of the deadliest this year"), a count ("2,000", "60 percent"), and a word of
    aggregation: an event noun in the plural ("in attacks", "incidents") or a statistics
    word ("total", "toll", "figures"), or a count in the thousands (``TALLY_MIN_COUNT``):
    no single undated attack kills thousands. A single dated event ("In 2014, gunmen killed 132
    children at a school") has no aggregation word and stays an event.
    """
    period_words = lex.rule("period_words")
    day_words = lex.rule("day_words")
    period = count = big = False
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            words = {t.lower_ for t in ent}
            if words & day_words or (
                any(t.like_num for t in ent) and any(t.lower_[:3] in _MONTHS for t in ent)
            ):
                return False  # "on Wednesday", "on 3 March": one event, however it compares
            if words & period_words or _BARE_YEAR.match(ent.text.strip()):
                period = True
        elif ent.label_ in ("CARDINAL", "PERCENT", "QUANTITY"):
            count = True
            big = big or _number(ent.text) >= TALLY_MIN_COUNT
    if not period:
        # "in that period", "over the same period": a span named earlier in the text
        period = any(t.lemma_.lower() == "period" for t in doc)
    if not (period and count):
        return False
    if big:
        return True  # thousands dead over a period: a tally, with or without "attacks"
    plural_events = lex.rule("tally_event_nouns")
    stats = lex.rule("statistics_words")
    for t in doc:
        lem = t.lemma_.lower()
        if lem in stats:
            return True
        if t.tag_ == "NNS" and lem in plural_events:
            return True
        if lem in plural_events and lem in ("violence", "terrorism", "militancy"):
            return True
    return False


def _number(text: str) -> float:
    """The value of a plain numeral ("2,267", "1500"); 0 for words and ranges."""
    try:
        return float(text.replace(",", "").strip())
    except ValueError:
        return 0.0


ARMED_SECTORS = frozenset({"REB", "UAF", "INS"})
ANAPHORS = frozenset(
    {"this", "that", "it", "these", "those", "much", "most", "many", "some", "all", "both"}
)


def _responsibility_claims(
    doc: Doc,
    idx: MentionIndex,
    lex: Lexicon,
    tables,
    date: dt.date | None,
    sent_lemmas: set[str],
) -> list[EventCandidate]:
    """ "The TTP claimed responsibility." / "Most of these were claimed by ISKP." -> ASSAULT.

    An armed group's claim of an attack told in an earlier sentence is the only place the
    attacker is named: the claim is coded as the group's (claimed) assault. Claims naming
    the attack ("claimed the bombing", "responsibility for the attack") are coded from the
    attack noun itself; this covers the bare and the anaphoric claims.
    """
    out: list[EventCandidate] = []
    for verb in doc:
        if verb.lemma_.lower() != "claim" or verb.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ == "ccomp" for c in verb.children):
            continue  # "it is claimed by X that ...": a claim about something else
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        psubj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if any(c.dep_ == "neg" for c in verb.children):
            continue  # "did not claim": nobody is named
        if obj is not None and obj.lemma_.lower() in CLAIM_OBJECTS:
            if any(c.dep_ == "prep" for c in obj.children):
                continue  # "responsibility for <the attack>": the attack noun is coded
            claimer = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        elif psubj is not None and psubj.lower_ in ANAPHORS:
            claimer = agent_of(verb)
        else:
            continue
        if claimer is None or any(
            c.dep_ == "det" and c.lower_ in ("no", "neither") for c in claimer.children
        ):
            continue  # "No group claimed responsibility"
        armed = [a for a in idx.for_args(claimer) if a.ref.sector in ARMED_SECTORS]
        if not armed:
            continue
        actor = armed[0]
        recipients: list[MentionLike] = []
        codes = {m.ref.code for m in idx.mentions if m.ref.code}
        if actor.ref.code and codes == {actor.ref.code}:
            # the group's own country: the attack is a domestic one
            recipients = [
                TextMention(
                    start=actor.start,
                    end=actor.end,
                    root=actor.root,
                    ref=ActorRef(code=actor.ref.code),
                )
            ]
        cameo = tables.cameo_code("ASSAULT", None)
        out.append(
            EventCandidate(
                event="ASSAULT",
                mode=None,
                context=_contexts(lex, ["military"], sent_lemmas),
                trigger=(verb.i, verb.i + 1),
                actor=actor,
                recipient=recipients[0] if recipients else None,
                modality="claimed",
                claimant=actor,
                historical_date=historical_year(verb, date),
                historical_precision="year" if historical_year(verb, date) else None,
                cameo_code=cameo,
                goldstein=tables.goldstein(cameo),
                quad_code=tables.quad_code("ASSAULT"),
                event_scale=tables.score("ASSAULT", None),
                event_text=verb.text,
                confidence=0.5,
                trigger_span=(verb.idx, verb.idx + len(verb.text)),
                actors=[actor],
                recipients=recipients,
                head=verb.i,
                depth=_depth(verb),
                pattern="<claim of responsibility>",
            )
        )
    return out


def _label_accusations(
    doc: Doc,
    idx: MentionIndex,
    lex: Lexicon,
    tables,
    date: dt.date | None,
    sent_lemmas: set[str],
    labels: frozenset[str],
    found: list[EventCandidate],
) -> list[EventCandidate]:
    """ "X said Y is a proxy of Z" -> ACCUSE from X to Z (to Y when no patron is named).

    Calling someone a proxy, puppet or terrorist in reported speech blames them (PLOVER
    ACCUSE) though no verb of accusing is used; the patron named by "of" is the one blamed
    for what the proxy does.
    """
    report = lex.rule("report_verbs")
    have = {c.head for c in found if c.event == "ACCUSE"}
    out: list[EventCandidate] = []
    for tok in doc:
        if tok.dep_ != "attr" or tok.lemma_.lower() not in labels:
            continue
        be = tok.head
        if be.lemma_ != "be" or be.dep_ != "ccomp" or be.head.lemma_.lower() not in report:
            continue
        speech = be.head
        if speech.i in have or tok.i in have:
            continue
        speaker = next((c for c in speech.children if c.dep_ == "nsubj"), None)
        actors = idx.for_args(speaker) if speaker is not None else []
        if not any(a.ref.code for a in actors):
            continue
        patron = None
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    patron = idx.for_phrase(pobj, allow_text=False)
        labelled = next((c for c in be.children if c.dep_ == "nsubj"), None)
        recipients = [patron] if patron is not None else idx.for_args(labelled)
        negated = any(c.dep_ == "neg" for c in be.children) or any(
            c.dep_ == "neg" for c in speech.children
        )
        cameo = tables.cameo_code("ACCUSE", "disapprove")
        actor = actors[0]
        recipient = recipients[0] if recipients else None
        conf = 0.6 + (0.05 if recipient is not None and recipient.ref.code else 0.0)
        out.append(
            EventCandidate(
                event="ACCUSE",
                mode="disapprove",
                context=_contexts(lex, [], sent_lemmas),
                trigger=(tok.i, tok.i + 1),
                actor=actor,
                recipient=recipient,
                modality="negated" if negated else "asserted",
                claimant=None,
                historical_date=historical_year(speech, date),
                historical_precision="year" if historical_year(speech, date) else None,
                cameo_code=cameo,
                goldstein=tables.goldstein(cameo),
                quad_code=tables.quad_code("ACCUSE"),
                event_scale=tables.score("ACCUSE", "disapprove"),
                event_text=f"{speech.text} {tok.text}",
                confidence=round(conf, 3),
                trigger_span=(tok.idx, tok.idx + len(tok.text)),
                actors=actors,
                recipients=recipients,
                head=speech.i,
                depth=_depth(speech),
                pattern="<reported label: X is a proxy of Y>",
            )
        )
    return out


def _must_requests(doc, idx, lex, tables, live, date, sent_lemmas, object_control, found):
    """ "X said Y must do Z" / "X's demand that Y ..." -> REQUEST from X to Y.

    A reported obligation is a demand by the speaker, whatever verb follows "must".
    """
    report = lex.rule("report_verbs") | {
        "reiterate",
        "declare",
        "conclude",
        "remind",
        "warn",
        "repeat",
        "add",
    }
    out = []
    have = {c.head for c in found}
    for tok in doc:
        if tok.lower_ not in ("must",) or tok.dep_ != "aux":
            continue
        verb = tok.head
        if verb.dep_ not in ("ccomp", "acl", "relcl"):
            continue
        gov = verb.head
        if gov.lemma_.lower() not in report and gov.lemma_.lower() not in (
            "reminder",
            "demand",
            "insistence",
            "warning",
        ):
            continue
        if gov.i in have:
            continue
        content = next((m for m in live if m.head.i == verb.i or _content_path(verb, m.head)), None)
        subj = next((c for c in gov.children if c.dep_ == "nsubj"), None)
        if subj is None and gov.dep_ in ("dobj",):
            subj = next((c for c in gov.head.children if c.dep_ == "nsubj"), None)
        actors = idx.for_args(subj)
        target = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        recipients = idx.for_args(target)
        if not any(r.ref.code for r in recipients):
            # "issued a reminder to Iraq that it must ...": the one addressed ("it" is
            # that addressee, and no mention covers it)
            for tok_ in (gov, gov.head):
                po = prep_object(tok_, ("to",))
                if po is not None:
                    coded = [r for r in idx.for_args(po[0]) if r.ref.code]
                    if coded:
                        recipients = coded
                        break
        mode = _content_mode(lex, "REQUEST", content, verb) or "change"
        cameo = tables.cameo_code("REQUEST", mode)
        actor = actors[0] if actors else None
        conf = 0.7 + (0.1 if actor is not None and actor.ref.code else 0.0)
        out.append(
            EventCandidate(
                event="REQUEST",
                mode=mode,
                context=_contexts(lex, list(content.context) if content else [], sent_lemmas),
                trigger=(tok.i, tok.i + 1),
                actor=actor,
                recipient=recipients[0] if recipients else None,
                modality="asserted",
                claimant=None,
                historical_date=historical_year(gov, date),
                historical_precision=None,
                cameo_code=cameo,
                goldstein=tables.goldstein(cameo),
                quad_code=tables.quad_code("REQUEST"),
                event_scale=tables.score("REQUEST", mode),
                event_text=f"{gov.text} {tok.text} {verb.text}",
                confidence=round(conf, 3),
                trigger_span=(tok.idx, tok.idx + len(tok.text)),
                actors=actors,
                recipients=recipients,
                head=gov.i,
                depth=_depth(gov),
                pattern="<reported obligation: must>",
            )
        )
        # the obligation's content is not asserted as done
        found[:] = [c for c in found if not (content is not None and c.head == content.head.i)]
    return out


def _build(
    m: _Match,
    doc: Doc,
    idx: MentionIndex,
    lex: Lexicon,
    tables,
    date: dt.date | None,
    sent_lemmas: set[str],
    object_control: frozenset[str],
    light_heads: frozenset[int] = frozenset(),
) -> EventCandidate | None:
    event, mode = m.event, m.mode
    head = m.head
    content = m.content[0] if m.content else None
    context = list(m.context)
    if content is not None:
        context += [c for c in content.context if c not in context]
    # roles
    if m.entry.pos == "ADJ" and not m.entry.governs:
        # "X said Y's decision was unacceptable": X rejects Y
        cv = clause_verb(head)
        subj = next((c for c in cv.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        rec = idx.for_args(subj)
        roles = Roles([], rec)
        mod0 = analyse(head, lex)
        if mod0.claimant_token is not None:
            roles = Roles(idx.for_args(mod0.claimant_token), rec)
    elif m.entry.pos == "VERB":
        roles = verb_roles(
            head,
            idx,
            object_control=object_control,
            skip_object=m.objects,
            reciprocal=event in RECIPROCAL,
            stative=lex.rule("stative_participles"),
            accusation=event in ("ACCUSE", "PROTEST"),
        )
    else:
        roles = noun_roles(
            head,
            idx,
            light_verbs=lex.rule("light_verbs"),
            harm_verbs=lex.rule("harm_verbs"),
            object_control=object_control,
            extra_light=light_heads,
            of_target=event in FORCE_EVENTS,
            response_verbs=lex.rule("response_verbs"),
        )
    # a civilian crowd protests (PROTEST); a government protesting is a verbal act (ACCUSE)
    if event == "PROTEST" and m.entry.pos == "VERB" and mode == "demo":
        crowd = lex.rule("crowd_subjects")
        subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
        if (
            subj is not None
            and subj.lemma_.lower() not in crowd
            and not isinstance(idx.covering(subj.i), TextMention)
        ):
            mref = idx.covering(subj.i)
            if mref is not None and (mref.ref.sector in (None, "GOV", "MIL") and mref.ref.code):
                event, mode = "ACCUSE", "disapprove"
    # the content of a governing verb sets its mode (threaten to attack -> violence)
    if event in ("THREATEN", "REQUEST", "REJECT"):
        cm = _content_mode(lex, event, content, head)
        if cm is not None and cm in tables.modes.get(event, {}):
            mode = cm
    direct = content is not None and (
        content.head.head.i == head.i
        and (
            content.head.dep_ in ("xcomp", "ccomp")
            or (
                content.head.dep_ == "advcl"
                and any(c.lower_ == "to" for c in content.head.children)
            )
        )
        or content.head.dep_ == "conj"
        and content.head.head.head.i == head.i
    )
    if event == "AGREE" and direct and content.event in CONFLICT_EVENTS - {"THREATEN"}:
        # "vowed to retaliate", "promised to punish": a threat, not an offer of cooperation
        event = "THREATEN"
        mode = _content_mode(lex, "THREATEN", content, head)
    mod: Modality = analyse(head, lex)
    if mod.opinion:
        return None
    if mod.value == "hypothetical" and not _has_claimant_code(mod, idx):
        verb = clause_verb(head)
        if any(c.lower_ in ("should", "ought") for c in verb.children if c.dep_ == "aux"):
            return None
    modality = mod.value
    claimant_tok = mod.claimant_token
    # accusation content: "Kabul accused Islamabad of shelling ..." -> shelling claimed by Kabul
    if m.governor is not None and m.governor.event == "ACCUSE":
        gsubj = next((c for c in m.governor.head.children if c.dep_ == "nsubj"), None)
        if gsubj is not None:
            claimant_tok = gsubj
            if modality == "asserted":
                modality = "claimed"
    if m.governor is not None and m.governor.head.lemma_.lower() in lex.rule("negating_verbs"):
        modality = "negated"
    actors = list(roles.actors)
    recipients = list(roles.recipients)
    # who tells of the event ("..., the ministry said", "according to X") is its source,
    # never its target: keep those mentions out of the recipient guesses below
    told_by = (
        frozenset(t.i for t in claimant_tok.subtree) if claimant_tok is not None else frozenset()
    )
    guessed_actor = None
    # an argument without a country code: the nearest coded mention on its side of the
    # trigger is the best guess (news sentences name the state right before its official)
    if not any(a.ref.code for a in actors):
        near = idx.nearest_coded(
            head.i, before=True, exclude={r.ref.code for r in recipients if r.ref.code}
        )
        if near is None:
            # "Hundreds demonstrated in Serbia", "was killed by a bomb in Basra": the
            # actor takes the country of the place named after the trigger
            near = idx.nearest_coded(head.i, before=False)
            if near is not None and (
                near.start - head.i > 12 or any(near is r for r in recipients)
            ):
                near = None
        if near is not None:
            actors = [near, *actors] if actors else [near]
            conf_penalty = 0.1
            guessed_actor = near
        else:
            conf_penalty = 0.0
    else:
        conf_penalty = 0.0
    # "A and B agreed": each is the other's recipient, unless both are one side
    # ("ministers and envoys of the OIC agreed")
    joint = event in RECIPROCAL and len({a.ref.code or id(a) for a in actors}) > 1
    if not any(r.ref.code for r in recipients) and not joint:
        excl = {a.ref.code for a in actors if a.ref.code and a is not guessed_actor}
        near = idx.nearest_coded(head.i, before=False, exclude=excl, skip_tokens=told_by)
        if (
            near is not None
            and near.start - head.i < 20
            and all(near is not a for a in actors if a is not guessed_actor)
        ):
            recipients = [near, *recipients]
    actor = actors[0] if actors else None
    if (
        not any(r.ref.code for r in recipients)
        and actor is not None
        and actor.ref.code
        and event in DOMESTIC_DEFAULT
    ):
        # a sentence that names a single country reports a domestic event: its recipient
        # is that country (PLOVER codes the government/society it is directed at)
        codes = {m.ref.code for m in idx.mentions if m.ref.code and m.root not in told_by}
        if codes == {actor.ref.code}:
            domestic = TextMention(
                start=actor.start, end=actor.end, root=actor.root, ref=ActorRef(code=actor.ref.code)
            )
            recipients = [domestic, *recipients]
    if event in FORCE_EVENTS | {"THREATEN"} and actor is not None and actor.ref.code:
        host = _foreign_host(head, idx, actor.ref.code, recipients)
        if host is not None:
            recipients = [host, *recipients]
    recipient = recipients[0] if recipients else None
    claimant = idx.for_phrase(claimant_tok) if claimant_tok is not None else None
    # PLOVER coding rules for future actions: cooperative actions announced for the
    # future are intentions (AGREE), announced retreats and concessions are CONCEDE
    # (2021 manual), conflictual ones are threats
    ultimatum = _has_unless(head)
    if (
        ultimatum
        and modality in ("future", "hypothetical", "asserted")
        and event not in GOVERNING_EVENTS - {"REJECT"}
        and actor is not None
    ):
        # "will withdraw its force unless ...": an ultimatum
        table = lex.content_modes.get("THREATEN", {})
        mode = table.get(f"{event}:{mode}") or table.get(event) or "relations"
        event, modality = "THREATEN", "asserted"
    elif modality == "future" and event in COOP_FUTURE_TO_AGREE:
        event, mode, modality = "AGREE", None, "asserted"
    elif modality == "future" and event in ("RETREAT", "CONCEDE"):
        # the 2021 manual: announced retreats are CONCEDE, and neither reduces to AGREE
        event, mode, modality = "CONCEDE", None, "asserted"
    elif (
        (modality == "future" or (modality == "hypothetical" and mod.cue == "aux"))
        and event in ("ASSAULT", "COERCE", "SANCTION", "PROTEST", "MOBILIZE")
        and actor is not None
    ) or (
        modality in ("future", "hypothetical")
        and event in ("ASSAULT", "COERCE", "SANCTION")
        and claimant is not None
        and actor is None
    ):
        # "X will impose restrictions", "X said it would strike back": X threatens
        table = lex.content_modes.get("THREATEN", {})
        mode = table.get(f"{event}:{mode}") or table.get(event) or "violence"
        event, modality = "THREATEN", "asserted"
        actor = actor or claimant
    elif (
        modality == "negated"
        and event == "ACCUSE"
        and claimant is not None
        and not _mentions_equal(claimant, actor)
    ):
        # "X said Y should not blame Z": X rejects the accusation
        event, mode, modality = "REJECT", "change", "asserted"
        recipients = [actor] if actor is not None else []
        actors = [claimant]
        actor, recipient = claimant, (recipients[0] if recipients else None)
    elif (
        modality == "negated"
        and mod.cue == "neg"
        and event in ("AGREE", "CONCEDE", "RETREAT")
        and actor is not None
    ):
        # "will not accept", "would not meet the demands": a refusal
        event, mode, modality = "REJECT", None, "asserted"
    if event == "ACCUSE" and mode is None:
        mode = "disapprove"
    if event == "ASSAULT" and mode is None:
        # the weapon named in the sentence ("killed by a roadside mine")
        for cand_mode in (
            "drone",
            "aerial",
            "explosives",
            "heavy-weapons",
            "firearms",
            "primitive",
        ):
            if sent_lemmas & lex.rule(f"assault_cues_{cand_mode}"):
                mode = cand_mode
                break
    if mode is not None and mode not in tables.modes.get(event, {}):
        mode = None
    context = _contexts(lex, context, sent_lemmas)
    # spans and text
    start, end = min(m.tokens), max(m.tokens) + 1
    if end - start > 5:
        start, end = head.i, head.i + 1
    span = doc[start:end]
    text = span.text
    if content is not None and event in GOVERNING_EVENTS:
        ct = doc[min(content.tokens) : max(content.tokens) + 1].text
        text = f"{text} {ct}"
    hist = historical_year(head, date)
    cameo = tables.cameo_code(event, mode)
    conf = m.entry.confidence - conf_penalty
    if actor is not None and actor.ref.code:
        conf += 0.1
    elif actor is None:
        conf -= 0.1
    if recipient is not None and recipient.ref.code:
        conf += 0.05
    if modality in ("hypothetical", "negated"):
        conf -= 0.15
    if m.entry.pos == "NOUN" and actor is None and recipient is None:
        conf -= 0.1
    background = False
    if m.entry.pos == "NOUN" and head.dep_ == "pobj" and head.head.lower_ in BACKGROUND_PREPS:
        background = True
    cv = clause_verb(head)
    if cv.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in TEMPORAL_MARKS for c in cv.children
    ):
        background = True
    if cv.dep_ == "pcomp" and cv.head.lower_ in BACKGROUND_PREPS:
        background = True
    if (
        m.entry.pos == "NOUN"
        and cv.i != head.i
        and cv.dep_ == "advcl"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in cv.children)
    ):
        background = True
    if (
        m.entry.pos == "NOUN"
        and head.dep_ == "dobj"
        and head.head.lemma_.lower() in lex.rule("reaction_verbs")
    ):
        background = True
    # "fired tear gas to disperse the crowd": the purpose clause is not the main news
    if (
        m.entry.pos == "VERB"
        and head.dep_ == "advcl"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)
    ):
        background = True
    if background:
        conf -= 0.25
    conf = round(min(0.99, max(0.05, conf)), 3)
    return EventCandidate(
        event=event,
        mode=mode,
        context=context,
        trigger=(start, end),
        actor=actor,
        recipient=recipient,
        modality=modality,
        claimant=claimant,
        historical_date=hist,
        historical_precision="year" if hist else None,
        cameo_code=cameo,
        goldstein=tables.goldstein(cameo),
        quad_code=tables.quad_code(event),
        event_scale=tables.score(event, mode),
        event_text=text,
        confidence=conf,
        trigger_span=(span.start_char, span.end_char),
        actors=actors,
        recipients=recipients,
        head=head.i,
        depth=_depth(head),
        pattern=m.entry.pattern,
        background=background,
    )


HOST_PREPS = frozenset({"inside", "in", "into", "across"})


def _foreign_host(
    head: Token, idx: MentionIndex, own: str, recipients: list[MentionLike]
) -> MentionLike | None:
    """The foreign country whose territory a strike on the actor's own militants enters.

    "Pakistan struck TTP hideouts inside Afghanistan": the target group is Pakistani, the
    act is one against Afghanistan's territory, which is what PLOVER's recipient (the state
    it is directed at) records. Only when the recipient is an armed group of the actor's
    own country and the place is another country.
    """
    first = recipients[0] if recipients else None
    if first is None or first.ref.code != own or first.ref.sector not in ARMED_SECTORS:
        return None
    spots = [head, *(c for c in head.children if c.dep_ in VERB_ARG_DEPS)]
    for tok in spots:
        for c in tok.children:
            if c.dep_ != "prep" or c.lower_ not in HOST_PREPS:
                continue
            for pobj in c.children:
                m = idx.covering(pobj.i) if pobj.dep_ == "pobj" else None
                if m is not None and m.ref.code and m.ref.code != own and m.ref.sector is None:
                    return m
    return None


def _has_unless(head: Token) -> bool:
    """True if the trigger's clause carries an "unless" condition (an ultimatum)."""
    verb = clause_verb(head)
    for c in verb.children:
        if c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ == "unless" for g in c.children):
            return True
    return False


def _has_claimant_code(mod: Modality, idx: MentionIndex) -> bool:
    if mod.claimant_token is None:
        return False
    m = idx.covering(mod.claimant_token.i)
    return m is not None and bool(m.ref.code)


def main_event(candidates: list[EventCandidate]) -> EventCandidate | None:
    """The sentence's main event: the root-most trigger, ties broken by confidence."""
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda c: (c.modality == "negated", c.background, c.depth, -c.confidence, c.trigger[0]),
    )


__all__ = ["EventCandidate", "Roles", "detect_events", "main_event"]
