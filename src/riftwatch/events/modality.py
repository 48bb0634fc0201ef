"""Modality of an event mention: asserted, negated, hypothetical, future or claimed.

Read off the parse around the trigger's clause: negation children, modal and future
auxiliaries, conditional subordinators, governing verbs ("denied attacking", "plans to
visit"), and verbs of saying whose subject becomes the claimant ("the Taliban said Pakistan
bombed ..."). Historical references ("In 2011, ...") get their own year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from riftwatch.doccache import doc_text
from riftwatch.events.lexicon import Lexicon

_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
OPEN_PERIOD_PREPS = frozenset({"since", "from", "until", "till", "through"})


@dataclass
class Modality:
    value: str  # asserted | negated | hypothetical | future | claimed
    claimant_token: Token | None = None
    opinion: bool = False
    cue: str = ""
    """What set the modality: aux (modal verb), mark (if/unless), verb (governing verb), neg."""


def clause_verb(tok: Token) -> Token:
    """The verb whose clause holds the trigger (the trigger itself when it is a verb)."""
    cur = tok
    for _ in range(4):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def _has_neg(tok: Token) -> bool:
    for c in tok.children:
        if c.dep_ == "neg":
            return True
        if c.dep_ == "det" and c.lower_ == "no":
            return True
        if c.lower_ in ("never", "not", "n't") and c.dep_ in ("advmod", "neg"):
            return True
    return False


def _aux_lemmas(verb: Token) -> set[str]:
    return {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}


def _is_going_to(verb: Token) -> bool:
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_ == "go" and head.tag_ == "VBG"


def analyse(trigger: Token, lex: Lexicon) -> Modality:
    """Modality of the event whose trigger (head) token is ``trigger``."""
    neg_verbs = lex.rule("negating_verbs")
    hyp_verbs = lex.rule("hypothetical_verbs")
    fut_verbs = lex.rule("future_verbs")
    hyp_aux = lex.rule("hypothetical_aux")
    fut_aux = lex.rule("future_aux")
    marks = lex.rule("conditional_marks")
    fut_mods = lex.rule("future_modifiers")
    report = lex.rule("report_verbs")
    op_subj = lex.rule("opinion_subjects")
    op_verbs = lex.rule("opinion_verbs")

    verb = clause_verb(trigger)
    value = "asserted"
    # noun-level cues: "no talks", "planned visit"
    negated = False
    if trigger.pos_ in ("NOUN", "PROPN"):
        if _has_neg(trigger):
            negated = True
        if any(c.dep_ in ("amod", "compound") and c.lower_ in fut_mods for c in trigger.children):
            value = "future"
    if _has_neg(verb):
        negated = True
    auxes = _aux_lemmas(verb)
    cue = ""
    if auxes & hyp_aux:
        value, cue = "hypothetical", "aux"
        # "said it would ...": future in the past, not a hypothesis
        if "would" in auxes and verb.dep_ in ("ccomp",) and verb.head.lemma_.lower() in report:
            value = "future"
    elif auxes & fut_aux or _is_going_to(verb):
        value, cue = "future", "aux"
    elif verb.lemma_ == "be" and any(c.dep_ == "xcomp" for c in verb.children):
        pass
    # "is to visit" (be + to-infinitive)
    if value == "asserted" and verb.dep_ == "xcomp" and verb.head.lemma_ == "be":
        value = "future"
    # conditional subordinate clause
    cur = verb
    claimant: Token | None = None
    opinion = False
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in marks for c in cur.children):
            value, cue = "hypothetical", "mark"
        head = cur.head
        if head.i == cur.i:
            break
        hl = head.lemma_.lower()
        if cur.dep_ in ("xcomp", "ccomp", "pcomp") or (cur.dep_ == "pobj" and head.dep_ == "prep"):
            if hl in neg_verbs and head.i != trigger.i:
                return Modality("negated")
            if _has_neg(head) and cur.dep_ in ("xcomp",):
                return Modality("negated")
            if hl in fut_verbs and value == "asserted" and cur.dep_ == "xcomp":
                value, cue = "future", "verb"
            if value == "asserted" and cur.dep_ == "xcomp" and head.i != trigger.i:
                # "will allow refugees to return": the governing verb's tense carries over
                hax = _aux_lemmas(head)
                if hax & fut_aux:
                    value, cue = "future", "aux"
            if hl in hyp_verbs and value == "asserted" and head.i != trigger.i:
                value, cue = "hypothetical", "verb"
        if cur.dep_ in ("ccomp", "parataxis") and hl in report and claimant is None:
            claimant = _subject(head)
            if (
                claimant is not None
                and (claimant.lower_ in op_subj or claimant.lemma_.lower() in op_subj)
                and hl in op_verbs
            ):
                opinion = True
        if cur.dep_ in ("relcl", "acl") and trigger.pos_ == "VERB":
            break
        cur = head
    # "..., the ministry said" (the verb of saying hangs off the event's own verb)
    if claimant is None:
        for c in verb.children:
            if (
                c.dep_ in ("parataxis", "ccomp")
                and c.lemma_.lower() in report
                and c.i > verb.i
                and not any(g.dep_ == "mark" for g in c.children)
            ):
                # not "offered terms that Y believed ...": a "that"-clause is content
                claimant = _subject(c)
                break
    # "according to X"
    if claimant is None and "according to" in doc_text(trigger.doc).lower():
        for tok in trigger.doc:
            if (
                tok.lower_ == "according"
                and tok.i + 1 < len(tok.doc)
                and tok.doc[tok.i + 1].lower_ == "to"
            ):
                to = tok.doc[tok.i + 1]
                pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    claimant = pobj
                break
    if value != "asserted" and _presupposed(trigger, verb):
        value, cue = "asserted", ""
        negated = _has_neg(trigger)
    if negated:
        return Modality("negated", claimant, opinion, "neg")
    if claimant is not None and value == "asserted":
        value = "claimed"
    return Modality(value, claimant, opinion, cue)


def _presupposed(trigger: Token, verb: Token) -> bool:
    """A nominal event the clause takes as given, whatever the clause's own modality.

    "will accept Pakistan's requests": the requests were made (an owned act, with a
    possessor); "X's support for the seizure could lead to ...": the seizure happened (a
    noun inside the subject, not the subject itself, which is what "could" is about).
    """
    if trigger.i == verb.i or trigger.pos_ not in ("NOUN", "PROPN"):
        return False
    if any(c.dep_ == "poss" and c.pos_ != "PRON" for c in trigger.children):
        return True
    cur = trigger
    while cur.head.i != verb.i and cur.head.i != cur.i:
        cur = cur.head
    return cur.dep_ in ("nsubj", "nsubjpass") and cur.i != trigger.i


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    return None


def historical_year(trigger: Token, published: dt.date | None) -> dt.date | None:
    """The year of an explicit past date governing the trigger's clause ("In 2011, ...").

    Only a DATE entity attached to the trigger or one of its ancestors counts, and only when
    its year is before the publication year (any year when the publication date is unknown).
    """
    dates = _year_dates(trigger.doc)
    if not dates:
        return None
    ancestors = {trigger.i, *(a.i for a in trigger.ancestors)}
    for year, attach, head in dates:
        if attach not in ancestors and head not in ancestors:
            continue
        if published is not None and year >= published.year:
            continue
        return dt.date(year, 1, 1)
    return None


_YEAR_DATES_KEY = "riftwatch.modality.year_dates"


def _year_dates(doc: Doc) -> list[tuple[int, int, int]]:
    """The sentence's DATE entities that name a year, as (year, attachment point, root's
    head) token indices, once per sentence: every event candidate of it asks."""
    cached = doc.user_data.get(_YEAR_DATES_KEY)
    if cached is not None and cached[0] == len(doc):
        return cached[1]
    out = []
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        m = _YEAR_RE.search(ent.text)
        if not m:
            continue
        year = int(m.group(1))
        root = ent.root
        # climb through the preposition ("in 2011") to its attachment point
        attach = root.head
        if attach.dep_ == "prep":
            if attach.lower_ in OPEN_PERIOD_PREPS:
                continue  # "attacks since 2022" run up to now: no date of their own
            attach = attach.head
        out.append((year, attach.i, root.head.i))
    doc.user_data[_YEAR_DATES_KEY] = (len(doc), out)
    return out
