"""Role assignment from the dependency parse: who did it (actor) and to whom (recipient).

The detector hands each trigger token here; the functions walk the spaCy parse (subjects,
objects, "by"-agents, prepositional targets, possessors, coordination, control verbs) and
return the actor mentions covering the syntactic arguments. Mentions come from the actor
resolver (``riftwatch.actors``); when none covers an argument, a bare mention carrying only
the entity text is returned so the PLOVER record still says who was meant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from spacy.tokens import Doc, Token

from riftwatch.model import ActorRef


@runtime_checkable
class MentionLike(Protocol):
    """What the event coder needs from ``riftwatch.actors.ActorMention``."""

    start: int
    end: int
    root: int
    ref: ActorRef


@dataclass(frozen=True, slots=True)
class TextMention:
    """A syntactic argument no resolver mention covers: text only, no code."""

    start: int
    end: int
    root: int
    ref: ActorRef = field(default_factory=ActorRef)


SUBJ = {"nsubj", "csubj"}
PASS_SUBJ = {"nsubjpass", "csubjpass"}
OBJ = {"dobj", "dative", "obj"}
# prepositions that introduce the recipient of a directed action, best first
TARGET_PREPS = (
    "against",
    "on",
    "upon",
    "at",
    "into",
    "inside",
    "targeting",
    "to",
    "toward",
    "towards",
    "with",
    "over",
    "across",
    "in",
    "for",
)
_AT = TARGET_PREPS.index("to")
FORCE_TARGET_PREPS = (*TARGET_PREPS[:_AT], "of", *TARGET_PREPS[_AT:])
"""Targets of an act of force named by a noun: "the blockade of X" before "with Y's help"."""
CLAIM_NOUNS = frozenset({"responsibility", "credit"})
"""Objects of a claim of authorship: "claimed responsibility for the bombing"."""
PRONOUN_OK = {"PRP"}  # pronoun subjects are kept only when a mention (coref) covers them


class MentionIndex:
    """Token index -> mentions, built once per sentence."""

    def __init__(self, doc: Doc, mentions: list[MentionLike]):
        self.doc = doc
        self.mentions = list(mentions)
        self.by_token: dict[int, list[MentionLike]] = {}
        for m in self.mentions:
            for i in range(m.start, m.end):
                self.by_token.setdefault(i, []).append(m)

    def covering(self, i: int) -> MentionLike | None:
        ms = self.by_token.get(i)
        if not ms:
            return None
        # prefer the mention rooted at the token, then the shortest
        ms = sorted(ms, key=lambda m: (m.root != i, m.end - m.start))
        return ms[0]

    def for_phrase(self, tok: Token, *, allow_text: bool = True) -> MentionLike | None:
        """The mention for the noun phrase headed by ``tok`` (head, then its modifiers).

        An uncoded mention ("the foreign minister") gives way to a coded one inside the
        same phrase ("Taiwan's foreign minister", "the minister of Iran").
        """
        m = self.covering(tok.i)
        if m is not None and not m.ref.code:
            inner = self._coded_in_phrase(tok)
            if inner is not None:
                return inner
        if m is not None:
            return m
        for child in tok.children:
            if (
                child.dep_ in ("compound", "amod", "poss", "nmod", "npadvmod", "appos")
                and child.i < tok.i + 6
            ):
                m = self.covering(child.i)
                if m is None and child.dep_ in ("compound", "appos"):
                    m = self.for_phrase(child, allow_text=False)
                if m is not None:
                    return m
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "from", "in"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        m = self.covering(pobj.i) or self.for_phrase(pobj, allow_text=False)
                        if m is not None:
                            return m
            if child.dep_ == "appos":
                m = self.covering(child.i)
                if m is not None:
                    return m
        if not allow_text:
            return None
        return text_mention(tok)

    def _coded_in_phrase(self, tok: Token) -> MentionLike | None:
        stop = {"relcl", "acl", "advcl", "ccomp", "conj", "cc", "punct"}
        stack = [c for c in tok.children if c.dep_ not in stop]
        seen = 0
        while stack and seen < 12:
            t = stack.pop(0)
            seen += 1
            m = self.covering(t.i)
            if m is not None and m.ref.code:
                return m
            stack.extend(c for c in t.children if c.dep_ not in stop)
        return None

    def nearest_coded(
        self,
        i: int,
        *,
        before: bool,
        exclude: set[str] | None = None,
        skip_tokens: frozenset[int] | set[int] = frozenset(),
    ) -> MentionLike | None:
        """The closest coded mention before (or after) token ``i``.

        ``skip_tokens``: mentions rooted there are passed over (the source of a report,
        "..., the ministry said", is who tells of the event, not whom it targets).
        """
        best = None
        for m in self.mentions:
            if not m.ref.code or (exclude and m.ref.code in exclude) or m.root in skip_tokens:
                continue
            if before and m.end <= i + 1 and m.start <= i:
                if best is None or m.start > best.start:
                    best = m
            elif not before and m.start > i:
                if best is None or m.start < best.start:
                    best = m
        return best

    def for_args(self, tok: Token | None) -> list[MentionLike]:
        """Mentions for an argument and its coordinated conjuncts ("A and B")."""
        if tok is None:
            return []
        out: list[MentionLike] = []
        for t in (tok, *tok.conjuncts):
            m = self.for_phrase(t)
            if m is not None and all(m is not o for o in out):
                out.append(m)
        return out


def text_mention(tok: Token) -> MentionLike | None:
    """A text-only mention for a nominal argument (None for pronouns, numbers, dates)."""
    if tok.pos_ not in ("PROPN", "NOUN") or tok.ent_type_ in (
        "DATE",
        "TIME",
        "CARDINAL",
        "MONEY",
        "PERCENT",
    ):
        return None
    left = tok.left_edge.i
    # trim determiners and leading punctuation
    while left < tok.i and tok.doc[left].pos_ in ("DET", "PUNCT"):
        left += 1
    right = tok.i + 1
    span = tok.doc[left:right]
    return TextMention(
        start=left,
        end=right,
        root=tok.i,
        ref=ActorRef(entity_text=span.text, span=(span.start_char, span.end_char)),
    )


def find_child(tok: Token, deps: set[str] | tuple[str, ...]) -> Token | None:
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def prep_object(tok: Token, preps: tuple[str, ...]) -> tuple[Token, str] | None:
    """The object of the first matching preposition child, by preference order."""
    found: dict[str, Token] = {}
    for c in tok.children:
        lw = c.lower_
        if c.dep_ in ("prep", "agent", "dative") and lw in preps and lw not in found:
            pobj = find_child(c, {"pobj", "pcomp"})
            if pobj is not None:
                found[lw] = pobj
        elif c.dep_ in ("acl", "advcl") and c.lower_ == "targeting":
            obj = find_child(c, OBJ)
            if obj is not None:
                found.setdefault("targeting", obj)
    for p in preps:
        if p in found:
            return found[p], p
    return None


def clause_subject(
    verb: Token, object_control: frozenset[str], depth: int = 0
) -> tuple[Token | None, bool]:
    """(subject token, is_passive) of ``verb``, following control and coordination.

    "X vowed to retaliate" -> X; "urged Y to release" -> Y; "arrived and met" -> the first
    verb's subject; "militants who attacked" -> militants.
    """
    if depth > 4:
        return None, False
    subj = find_child(verb, SUBJ)
    if subj is not None:
        if subj.tag_ in ("WP", "WDT") or subj.lower_ in ("who", "which", "that"):
            if verb.dep_ == "relcl":
                return verb.head, False
        return subj, False
    psubj = find_child(verb, PASS_SUBJ)
    if psubj is not None:
        if psubj.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
            return verb.head, True
        return psubj, True
    if verb.dep_ == "relcl":
        return verb.head, False
    if verb.dep_ == "acl":
        # participle modifying a noun: "troops sent to ..." (passive), "militants attacking ..."
        return verb.head, verb.tag_ == "VBN"
    head = verb.head
    if head.i == verb.i:
        return None, False
    if verb.dep_ == "xcomp":
        if head.lemma_.lower() in object_control:
            obj = find_child(head, OBJ)
            if obj is not None:
                return obj, False
        return clause_subject(head, object_control, depth + 1)
    if verb.dep_ in ("conj", "advcl", "pcomp") or (
        verb.dep_ == "ccomp" and head.pos_ == "VERB" and not _has_subject(verb)
    ):
        if verb.dep_ == "pcomp" and head.dep_ == "prep":
            # "accused X of attacking" -> X ; "after attacking" -> subject of the main verb
            gov = head.head
            obj = find_child(gov, OBJ)
            if obj is not None and head.lower_ == "of":
                return obj, False
            return clause_subject(gov, object_control, depth + 1)
        return clause_subject(head, object_control, depth + 1)
    return None, False


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in SUBJ | PASS_SUBJ for c in verb.children)


def agent_of(verb: Token) -> Token | None:
    """The "by"-agent of a passive verb."""
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            pobj = find_child(c, {"pobj"})
            if pobj is not None:
                return pobj
    return None


def direct_object(verb: Token) -> Token | None:
    obj = find_child(verb, OBJ)
    if obj is None:
        # "shot dead a soldier": the parser may hang the object off the verb's particle
        for c in verb.children:
            if c.dep_ in ("prt", "advmod", "oprd", "acomp", "ccomp", "xcomp") and c.pos_ in (
                "ADJ",
                "ADV",
                "ADP",
            ):
                obj = find_child(c, OBJ)
                if obj is not None:
                    break
    if obj is None and verb.dep_ == "relcl":
        # "the village that troops shelled" -> the village
        subj = find_child(verb, SUBJ)
        if subj is not None and subj.tag_ not in ("WP", "WDT"):
            return verb.head
    return obj


@dataclass
class Roles:
    actors: list[MentionLike]
    recipients: list[MentionLike]


def verb_roles(
    verb: Token,
    idx: MentionIndex,
    *,
    object_control: frozenset[str],
    skip_object: set[int] | None = None,
    reciprocal: bool = False,
    stative: frozenset[str] = frozenset(),
    accusation: bool = False,
) -> Roles:
    """Actor and recipient of a verbal trigger.

    ``stative``: participles that describe their subject's stance, not something done to it
    ("X is opposed to Y", "is committed to"): the subject acts, the "to" object receives.
    ``accusation``: the trigger blames someone, and the blamed ("complained to the council
    over Y's raids") outranks the addressee.
    """
    subj, passive = clause_subject(verb, object_control)
    actors: list[MentionLike] = []
    recipients: list[MentionLike] = []
    obj = None
    if passive and verb.lemma_.lower() in stative and agent_of(verb) is None:
        actors = idx.for_args(subj) if subj is not None and not _bare_pronoun(subj, idx) else []
        po = prep_object(verb, ("to", "against", "toward", "towards"))
        recipients = idx.for_args(po[0]) if po is not None else []
        return Roles(actors, recipients)
    if passive:
        recipients = idx.for_args(subj)
        ag = agent_of(verb)
        actors = idx.for_args(ag)
    else:
        actors = idx.for_args(subj) if subj is not None and not _bare_pronoun(subj, idx) else []
        obj = direct_object(verb)
        if (
            obj is not None
            and (skip_object is None or obj.i not in skip_object)
            and obj.i != verb.i
        ):
            recipients = [
                m for m in idx.for_args(obj) if isinstance(m, TextMention) is False
            ] or idx.for_args(obj)
    if recipients and all(isinstance(m, TextMention) for m in recipients) and obj is not None:
        # "lodged a protest with Albania": the target hangs off the object noun
        po = prep_object(obj, ("with", "against", "to", "on", "at"))
        if po is not None:
            coded = [m for m in idx.for_args(po[0]) if not isinstance(m, TextMention)]
            if coded:
                recipients = coded
    if obj is not None and all(isinstance(m, TextMention) for m in recipients):
        # "broke up the rally held by students", "rejected the report by the panel":
        # the object is someone's act, and its author is the one acted upon
        author = _author_of(obj)
        coded = [m for m in idx.for_args(author) if not isinstance(m, TextMention)]
        if coded:
            recipients = coded
    if accusation:
        po = prep_object(verb, ("over", "about", "against", "for"))
        if po is not None:
            blamed = [
                m
                for m in idx.for_args(po[0])
                if m.ref.code and all(m.ref.code != a.ref.code for a in actors)
            ]
            if blamed and not any(
                r.ref.code and r.root in {t.i for t in po[0].subtree} for r in recipients
            ):
                recipients = blamed
    if not recipients or all(isinstance(m, TextMention) for m in recipients):
        po = prep_object(verb, TARGET_PREPS)
        if po is not None:
            cand = idx.for_args(po[0])
            coded = [m for m in cand if not isinstance(m, TextMention)]
            if coded or not recipients:
                recipients = coded or cand
    actor_codes = {a.ref.code for a in actors if a.ref.code}
    if not any(r.ref.code for r in recipients) and _purpose_clause(verb):
        # "summoned the envoy to lodge a protest": the purpose is aimed at the summoned
        hobj = find_child(verb.head, OBJ)
        if hobj is not None and (subj is None or hobj.i != subj.i):
            coded = [m for m in idx.for_args(hobj) if m.ref.code and m.ref.code not in actor_codes]
            if coded:
                recipients = coded
    if recipients and actor_codes and {r.ref.code for r in recipients} <= actor_codes:
        # the object names the actor's own side ("lodged an official protest with X"):
        # a prepositional target of another country is the better recipient
        for tok in (verb, obj):
            po = (
                prep_object(tok, ("with", "against", "to", "on", "at", "into"))
                if tok is not None
                else None
            )
            if po is None:
                continue
            other = [m for m in idx.for_args(po[0]) if m.ref.code and m.ref.code not in actor_codes]
            if other:
                recipients = other
                break
    if not actors and verb.dep_ == "acl" and verb.tag_ == "VBN":
        actors = idx.for_args(agent_of(verb))
    if reciprocal and not recipients and len(actors) > 1:
        return Roles(actors, [])
    return Roles(actors, recipients)


def _purpose_clause(verb: Token) -> bool:
    """A to-infinitive adjunct of another verb ("met X to discuss", "summoned X to protest")."""
    return (
        verb.dep_ in ("advcl", "xcomp")
        and verb.head.pos_ == "VERB"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    )


def _author_of(noun: Token) -> Token | None:
    """The "by"-agent of a noun, directly or through its participle ("the rally held by X");
    for a noun summing up the clause it follows ("X accused Y of Z, a claim Y denied"), the
    subject of that clause."""
    if noun.dep_ in ("npadvmod", "appos") and noun.head.pos_ == "VERB" and noun.i > noun.head.i:
        subj = find_child(noun.head, SUBJ)
        if subj is not None:
            return subj
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "by":
            return find_child(c, {"pobj"})
        if c.dep_ == "acl" and c.tag_ == "VBN":
            ag = agent_of(c)
            if ag is not None:
                return ag
    return None


def _bare_pronoun(tok: Token, idx: MentionIndex) -> bool:
    """A pronoun no mention covers; "some of the rebels" names its group and is kept."""
    if tok.pos_ != "PRON" or idx.covering(tok.i) is not None:
        return False
    return not any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)


def noun_roles(
    noun: Token,
    idx: MentionIndex,
    *,
    light_verbs: frozenset[str],
    harm_verbs: frozenset[str],
    object_control: frozenset[str],
    extra_light: frozenset[int] = frozenset(),
    of_target: bool = False,
    response_verbs: frozenset[str] = frozenset(),
) -> Roles:
    """Actor and recipient of a nominal trigger ("Pakistan's airstrikes on Khost").

    ``extra_light`` are token indices of verbs that act as light verbs here (a verb pattern
    such as "fire tear gas" that gave way to its nominal trigger). ``of_target``: the
    "of" phrase names the target ("the siege of the city", "the arrest of the envoy"), as
    it does for acts of force.
    """
    actors: list[MentionLike] = []
    recipients: list[MentionLike] = []
    # possessor / modifier actor: "Pakistan's airstrikes", "US sanctions", "Pakistani strikes"
    for c in noun.children:
        if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < noun.i:
            m = idx.covering(c.i)
            if m is None and c.dep_ in ("poss", "compound"):
                m = idx.for_phrase(c, allow_text=c.dep_ == "poss" and c.pos_ != "PRON")
            if m is not None and all(m is not a for a in actors):
                actors.append(m)
    by = None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "by":
            by = find_child(c, {"pobj"})
    if by is not None:
        actors = idx.for_args(by)
    # "talks between A and B", "clashes between A and B"
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("between", "among"):
            pobj = find_child(c, {"pobj"})
            if pobj is not None:
                actors = idx.for_args(pobj)
    po = prep_object(noun, FORCE_TARGET_PREPS if of_target else TARGET_PREPS)
    if po is not None:
        recipients = idx.for_args(po[0])
    # the verb that governs the noun
    head = noun.head
    if noun.dep_ in ("dobj", "attr", "oprd") and head.pos_ in ("VERB", "AUX"):
        if not actors and (head.lemma_.lower() in light_verbs or head.i in extra_light):
            subj, passive = clause_subject(head, object_control)
            if passive:
                actors = idx.for_args(agent_of(head))
            elif subj is not None and not _bare_pronoun(subj, idx):
                actors = idx.for_args(subj)
        if actors and head.lemma_.lower() in response_verbs:
            # "Kabul rejected Islamabad's demands for X": the demands were made to the
            # rejecter ("for X" is what was demanded, not of whom)
            subj, passive = clause_subject(head, object_control)
            if subj is not None and not passive and not _bare_pronoun(subj, idx):
                recipients = [
                    m for m in idx.for_args(subj) if all(m is not a for a in actors)
                ] or recipients
        if not recipients:
            po = prep_object(head, TARGET_PREPS)
            if po is not None:
                recipients = idx.for_args(po[0])
    elif noun.dep_ in ("nsubj",) and head.pos_ == "VERB":
        if not recipients and head.lemma_.lower() in harm_verbs:
            obj = find_child(head, OBJ)
            if obj is not None:
                recipients = idx.for_args(obj)
        if not recipients:
            po = prep_object(head, ("against", "on", "at", "in", "inside"))
            if po is not None:
                recipients = idx.for_args(po[0])
    elif noun.dep_ == "nsubjpass" and head.pos_ == "VERB" and not actors:
        actors = idx.for_args(agent_of(head))
    elif (
        noun.dep_ == "pobj"
        and head.lower_ == "for"
        and head.head.lemma_.lower() in CLAIM_NOUNS
        and head.head.dep_ == "dobj"
    ):
        # "X claimed responsibility for the attack": the claimer is the attacker
        if not actors:
            subj, passive = clause_subject(head.head.head, object_control)
            if subj is not None and not passive and not _bare_pronoun(subj, idx):
                actors = idx.for_args(subj)
    elif noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB",):
        gov = head.head
        if not actors and gov.lemma_.lower() in light_verbs | {
            "engage",
            "involve",
            "participate",
            "take",
        }:
            subj, passive = clause_subject(gov, object_control)
            if not passive and subj is not None and not _bare_pronoun(subj, idx):
                actors = idx.for_args(subj)
    elif noun.dep_ == "conj":
        return (
            noun_roles(
                noun.head,
                idx,
                light_verbs=light_verbs,
                harm_verbs=harm_verbs,
                object_control=object_control,
            )
            if noun.head.pos_ == "NOUN" and not actors and not recipients
            else Roles(actors, recipients)
        )
    # drop a recipient identical to the actor
    recipients = [r for r in recipients if all(r is not a for a in actors)]
    return Roles(actors, recipients)
