"""The event lexicon: trigger patterns (data, YAML) -> PLOVER event, mode and context.

The lexicon is data so analysts can extend or override it without touching code
(``load_lexicon(extra=[path])``). It is compiled once into two indexes:

* a dict from head word (lemma) to entries, used on the parsed sentence;
* a set of lower-case surface forms of every head word (with regular and irregular
  inflections), used by :meth:`Lexicon.has_trigger`, the cheap pre-filter that decides
  whether a sentence is worth a dependency parse at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from riftwatch._yaml import safe_load
from riftwatch.errors import ConfigError
from riftwatch.events.tables import plover_tables

_WORD_RE = re.compile(r"[a-z]+")

_GROUP_KEYS = {
    "event",
    "mode",
    "context",
    "verbs",
    "nouns",
    "adjectives",
    "objects",
    "not_subjects",
    "not_objects",
    "governs",
    "not_after",
    "unless",
    "requires",
    "confidence",
    "examples",
    "remove",
}


@dataclass(frozen=True, slots=True)
class LexEntry:
    """One trigger pattern.

    ``words`` are lemmas: for a verb, the head verb then the particles / prepositions /
    object words that must appear among its dependents; for a noun, the phrase with the
    head word last.
    """

    pattern: str
    pos: str  # "VERB", "NOUN" or "ADJ" ("ready to", "willing to")
    event: str
    mode: str | None
    context: tuple[str, ...]
    words: tuple[str, ...]
    objects: frozenset[str] = frozenset()
    not_objects: frozenset[str] = frozenset()
    not_subjects: frozenset[str] = frozenset()
    governs: bool = False
    not_after: frozenset[str] = frozenset()
    unless: frozenset[str] = frozenset()
    requires: frozenset[str] = frozenset()
    confidence: float = 0.75
    examples: tuple[str, ...] = ()
    source: str = ""
    hyphenated: bool = False
    """A hyphenated verb ("test-fire"): matched as a run of tokens, head last."""

    @property
    def consecutive(self) -> bool:
        """Noun phrases and hyphenated verbs ("test-fire") match as a run of tokens, head last."""
        return self.pos == "NOUN" or self.hyphenated

    @property
    def head(self) -> str:
        return self.words[-1] if self.consecutive else self.words[0]

    @property
    def key(self) -> tuple[str, str, str, tuple[str, ...]]:
        """Identity used for overrides: pattern, part of speech, event and object constraint."""
        return (self.pattern, self.pos, self.event, tuple(sorted(self.objects)))

    @property
    def specificity(self) -> int:
        """More words and an object constraint make an entry win over a bare one."""
        return len(self.words) + (2 if self.objects else 0)


@dataclass
class Lexicon:
    """Compiled trigger lexicon plus the content tables used for THREATEN/REQUEST/REJECT."""

    entries: list[LexEntry]
    content_modes: dict[str, dict[str, str]] = field(default_factory=dict)
    content_words: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    rules: dict[str, frozenset[str]] = field(default_factory=dict)
    """Named word lists used by the detector (rules.yaml)."""
    context_cues: dict[str, frozenset[str]] = field(default_factory=dict)
    """PLOVER context -> cue lemmas (contexts.yaml)."""
    _by_head: dict[str, list[LexEntry]] = field(default_factory=dict, repr=False)
    _forms: frozenset[str] = field(default_factory=frozenset, repr=False)
    _needs: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _token_entries: dict[tuple[str, str], tuple[LexEntry, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_head: dict[str, list[LexEntry]] = {}
        free: set[str] = set()
        needs: dict[str, set[str]] = {}
        for e in self.entries:
            head = _norm(e.head)
            by_head.setdefault(head, []).append(e)
            head_forms = inflections(head)
            # words the entry also needs (particles, objects): a sentence without any of
            # them cannot fire the entry, so the pre-filter can skip it
            others = [w for w in e.words if w != head] + [p for o in e.objects for p in o.split()]
            others = [w for w in others if w not in _STOP_HEADS]
            if not others:
                free.update(head_forms)
                continue
            req: set[str] = set()
            for w in others:
                req |= inflections(w)
            for f in head_forms:
                needs.setdefault(f, set()).update(req)
        free.add("must")  # "X said Y must ..." is a demand (detector: reported obligation)
        # "X said Y is a proxy of Z" (detector: reported label): a label needs a verb of saying
        saying: set[str] = set()
        for w in self.rules.get("report_verbs", ()):
            saying |= inflections(w)
        # a claim of responsibility (detector): "claimed responsibility", "claimed by X"
        for f in inflections("claim"):
            needs.setdefault(f, set()).update({"responsibility", "credit", "by"})
        for label in self.rules.get("accusing_labels", ()):
            for f in inflections(label.split()[-1]):
                needs.setdefault(f, set()).update(saying)
        free -= _NOT_TRIGGER_FORMS
        for lst in by_head.values():
            lst.sort(key=lambda x: -x.specificity)
        self._by_head = by_head
        self._forms = frozenset(free)
        self._needs = {f: frozenset(r) for f, r in needs.items() if f not in free}

    def has_trigger(self, sentence_text: str) -> bool:
        """True if the sentence may hold a trigger: cheap set lookups, no parse.

        A word that is a surface form of an unconstrained trigger head is enough; a head
        whose entries all need more words (particles, objects: "lift" needs "curfew",
        "ban", ...) counts only when one of those words occurs too. High recall on purpose:
        it only decides whether the sentence gets parsed.
        """
        words = set(_WORD_RE.findall(sentence_text.lower()))
        if not words.isdisjoint(self._forms):
            return True
        needs = self._needs
        return any(not needs[w].isdisjoint(words) for w in words if w in needs)

    @property
    def head_words(self) -> dict[str, list[LexEntry]]:
        """Head word -> entries (for fast membership tests)."""
        return self._by_head

    def token_entries(self, lemma: str, lower: str) -> tuple[LexEntry, ...]:
        """Entries a token with this lemma and form may trigger: those of every lookup key
        (``lemma_keys``), each once, in key order then most specific first.

        Kept per (lemma, form): the detector asks for every token of every parsed
        sentence, and most words are met again and again."""
        key = (lemma, lower)
        cache = self._token_entries
        hit = cache.get(key)
        if hit is None:
            seen: set[int] = set()
            out: list[LexEntry] = []
            for k in lemma_keys(lemma, lower):
                for entry in self._by_head.get(k, ()):
                    if id(entry) not in seen:
                        seen.add(id(entry))
                        out.append(entry)
            hit = tuple(out)
            if len(cache) >= _TOKEN_CACHE_MAX:
                cache.clear()
            cache[key] = hit
        return hit

    def candidates(self, word: str) -> list[LexEntry]:
        """Entries whose head is ``word`` (a lemma or lower-case form), most specific first."""
        return self._by_head.get(word, [])

    @property
    def surface_forms(self) -> frozenset[str]:
        """Every surface form of a trigger head (with or without extra conditions)."""
        return self._forms | frozenset(self._needs)

    def rule(self, name: str) -> frozenset[str]:
        """A named word list from rules.yaml (empty when absent)."""
        return self.rules.get(name, frozenset())


def _norm(s: str) -> str:
    return s.strip().lower()


# regular inflections that are different words ("accord" -> "according")
_NOT_TRIGGER_FORMS = frozenset({"according", "accordingly", "accorded"})

_STOP_HEADS = frozenset("a an the in on of to for up down out off at by with from and or".split())

# Irregular verb and noun forms the pre-filter must also recognise.
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "fight": ("fought",),
    "shoot": ("shot",),
    "hold": ("held",),
    "meet": ("met",),
    "strike": ("struck", "stricken"),
    "break": ("broke", "broken"),
    "give": ("gave", "given"),
    "send": ("sent",),
    "take": ("took", "taken"),
    "lead": ("led",),
    "flee": ("fled",),
    "bring": ("brought",),
    "seek": ("sought",),
    "withdraw": ("withdrew", "withdrawn"),
    "beat": ("beaten",),
    "forgive": ("forgave", "forgiven"),
    "lay": ("laid",),
    "lend": ("lent",),
    "speak": ("spoke", "spoken"),
    "fly": ("flew", "flown"),
    "leave": ("left",),
    "quit": ("quit",),
    "set": ("set",),
    "hit": ("hit",),
    "cut": ("cut",),
    "put": ("put",),
    "blow": ("blew", "blown"),
    "undertake": ("undertook", "undertaken"),
    "stand": ("stood",),
    "throw": ("threw", "thrown"),
    "sit": ("sat",),
    "go": ("went", "gone"),
    "mow": ("mown",),
    "slay": ("slew", "slain"),
    "freeze": ("froze", "frozen"),
    "win": ("won",),
    "tell": ("told",),
    "say": ("said",),
    "swear": ("swore", "sworn"),
    "ask": ("asked",),
    "talk": ("talks",),
    "crisis": ("crises",),
    "man": ("men",),
    "woman": ("women",),
    "fisherman": ("fishermen",),
}


_IRREGULAR_REVERSE: dict[str, str] = {f: base for base, forms in _IRREGULAR.items() for f in forms}


_TOKEN_CACHE_MAX = 100_000
"""(lemma, form) pairs kept by ``Lexicon.token_entries`` before it starts afresh."""


@lru_cache(maxsize=32768)
def lemma_keys(lemma: str, lower: str) -> tuple[str, ...]:
    """Lookup keys for a token: its lemma, its form, and naive de-inflections of the form.

    The statistical lemmatiser sometimes errs ("raped" -> "rap", "forgave" -> "forgave");
    the extra keys only widen the lookup, the entry's part of speech still has to match.
    """
    keys = [lemma, lower]
    irr = _IRREGULAR_REVERSE.get(lower)
    if irr:
        keys.append(irr)
    if lower.endswith("ed") and len(lower) > 4:
        keys += [lower[:-1], lower[:-2]]
        if len(lower) > 5 and lower[-3] == lower[-4]:
            keys.append(lower[:-3])
    elif lower.endswith("ing") and len(lower) > 5:
        keys += [lower[:-3], lower[:-3] + "e"]
    elif lower.endswith("ies") and len(lower) > 4:
        keys.append(lower[:-3] + "y")
    elif lower.endswith("s") and len(lower) > 3:
        keys += [lower[:-1]]
        if lower.endswith("es"):
            keys.append(lower[:-2])
    return tuple(dict.fromkeys(keys))


def inflections(word: str) -> set[str]:
    """Regular English inflections of a lemma (over-generation is harmless here)."""
    w = word.lower()
    out = {w, w + "s", w + "es", w + "ed", w + "d", w + "ing", w + "er", w + "ers"}
    if w.endswith("e"):
        out |= {w[:-1] + "ing", w[:-1] + "ed"}
    if w.endswith("y") and len(w) > 2:
        out |= {w[:-1] + "ies", w[:-1] + "ied"}
    if w.endswith("ie"):
        out.add(w[:-2] + "ying")
    if len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou":
        out |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    if w.endswith("s") or w.endswith("sh") or w.endswith("ch") or w.endswith("x"):
        out.add(w + "es")
    out.update(_IRREGULAR.get(w, ()))
    return out


def _as_list(value: Any, *, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return value


def _entries_from_group(group: Any, *, where: str) -> Iterable[tuple[LexEntry, bool]]:
    if not isinstance(group, dict):
        raise ConfigError(f"{where}: a lexicon entry must be a mapping, got {type(group).__name__}")
    unknown = set(group) - _GROUP_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}")
    tables = plover_tables()
    event = group.get("event")
    if not isinstance(event, str) or event.upper() not in tables.event_types:
        raise ConfigError(f"{where}: 'event' must be one of the 16 PLOVER types, got {event!r}")
    event = event.upper()
    mode = group.get("mode")
    if mode is not None:
        mode = str(mode).lower()
        if mode not in tables.modes.get(event, {}):
            raise ConfigError(f"{where}: mode {mode!r} is not a PLOVER mode of {event}")
    context = _as_list(group.get("context"), where=where, key="context")
    verbs = _as_list(group.get("verbs"), where=where, key="verbs")
    nouns = _as_list(group.get("nouns"), where=where, key="nouns")
    adjectives = _as_list(group.get("adjectives"), where=where, key="adjectives")
    if not verbs and not nouns and not adjectives:
        raise ConfigError(f"{where}: entry for {event} has no 'verbs', 'nouns' or 'adjectives'")
    conf = group.get("confidence")
    try:
        conf_v = float(conf) if conf is not None else None
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: 'confidence' must be a number") from exc
    if conf_v is not None and not 0.0 <= conf_v <= 1.0:
        raise ConfigError(f"{where}: 'confidence' must be in [0, 1]")
    common = dict(
        event=event,
        mode=mode,
        context=tuple(c.lower() for c in context),
        objects=frozenset(
            o.lower() for o in _as_list(group.get("objects"), where=where, key="objects")
        ),
        not_objects=frozenset(
            o.lower() for o in _as_list(group.get("not_objects"), where=where, key="not_objects")
        ),
        not_subjects=frozenset(
            o.lower() for o in _as_list(group.get("not_subjects"), where=where, key="not_subjects")
        ),
        governs=bool(group.get("governs", False)),
        not_after=frozenset(
            o.lower() for o in _as_list(group.get("not_after"), where=where, key="not_after")
        ),
        unless=frozenset(
            o.lower() for o in _as_list(group.get("unless"), where=where, key="unless")
        ),
        requires=frozenset(
            o.lower() for o in _as_list(group.get("requires"), where=where, key="requires")
        ),
        examples=tuple(_as_list(group.get("examples"), where=where, key="examples")),
        source=where,
    )
    remove = bool(group.get("remove", False))
    for pos, patterns, default_conf in (
        ("VERB", verbs, 0.75),
        ("NOUN", nouns, 0.7),
        ("ADJ", adjectives, 0.7),
    ):
        for pat in patterns:
            raw = [w for w in re.split(r"\s+", pat.strip().lower()) if w]
            if not raw:
                raise ConfigError(f"{where}: empty pattern")
            if pos == "VERB" and "-" in raw[0]:
                words = tuple(p for p in raw[0].split("-") if p) + tuple(raw[1:])
            elif pos == "NOUN":
                words = tuple(p for w in raw for p in w.split("-") if p)
            else:
                words = tuple(raw)
            head = words[-1] if (pos == "NOUN" or "-" in raw[0]) else words[0]
            if head in _STOP_HEADS:
                raise ConfigError(f"{where}: pattern {pat!r} has a function word as its head")
            entry = LexEntry(
                pattern=" ".join(raw),
                hyphenated=pos == "VERB" and "-" in raw[0],
                pos=pos,
                words=words,
                confidence=conf_v if conf_v is not None else default_conf,
                **common,
            )
            yield entry, remove


def _load_file(text: str, *, where: str) -> dict[str, Any]:
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if isinstance(data, list):
        data = {"groups": data}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: a lexicon file must be a mapping with 'groups'")
    return data


def _builtin_text(name: str = "events.yaml") -> str:
    return (resources.files("riftwatch.data") / "lexicon" / name).read_text(encoding="utf-8")


def _word_table(value: Any, *, where: str) -> dict[str, frozenset[str]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a mapping of name -> list of words")
    return {
        str(k): frozenset(str(w).lower() for w in _as_list(v, where=where, key=str(k)))
        for k, v in value.items()
    }


def load_lexicon(extra: list[Path] | None = None) -> Lexicon:
    """Load the shipped lexicon, then apply each extra file in order.

    An extra entry with the same pattern, part of speech, event and object list as an
    existing one replaces it; ``remove: true`` deletes it. Raises :class:`ConfigError` naming the file and
    entry on any malformed entry.
    """
    sources: list[tuple[str, str]] = [
        (f"riftwatch/data/lexicon/{n}", _builtin_text(n))
        for n in ("events.yaml", "rules.yaml", "contexts.yaml")
    ]
    for path in extra or []:
        p = Path(path)
        try:
            sources.append((str(p), p.read_text(encoding="utf-8")))
        except OSError as exc:
            raise ConfigError(f"{p}: cannot read lexicon file: {exc}") from exc
    merged: dict[tuple[str, str, str, tuple[str, ...]], LexEntry] = {}
    content_modes: dict[str, dict[str, str]] = {}
    content_words: dict[str, dict[str, frozenset[str]]] = {}
    rules: dict[str, frozenset[str]] = {}
    cues: dict[str, frozenset[str]] = {}
    for name, text in sources:
        data = _load_file(text, where=name)
        groups = data.get("groups", [])
        if not isinstance(groups, list):
            raise ConfigError(f"{name}: 'groups' must be a list")
        for i, group in enumerate(groups):
            where = f"{name}: entry {i + 1}"
            for entry, remove in _entries_from_group(group, where=where):
                if remove:
                    merged.pop(entry.key, None)
                else:
                    merged[entry.key] = entry
        for ev, table in (data.get("content_modes") or {}).items():
            if not isinstance(table, dict):
                raise ConfigError(f"{name}: content_modes.{ev} must be a mapping")
            content_modes.setdefault(str(ev).upper(), {}).update(
                {str(k): str(v) for k, v in table.items()}
            )
        for ev, table in (data.get("content_words") or {}).items():
            if not isinstance(table, dict):
                raise ConfigError(f"{name}: content_words.{ev} must be a mapping")
            dest = content_words.setdefault(str(ev).upper(), {})
            for mode, words in table.items():
                dest[str(mode)] = frozenset(
                    w.lower()
                    for w in _as_list(words, where=f"{name}: content_words.{ev}", key=str(mode))
                )
        if "rules" in data:
            rules.update(_word_table(data["rules"], where=f"{name}: rules"))
        if "contexts" in data:
            cues.update(_word_table(data["contexts"], where=f"{name}: contexts"))
    return Lexicon(
        entries=list(merged.values()),
        content_modes=content_modes,
        content_words=content_words,
        rules=rules,
        context_cues=cues,
    )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The shipped lexicon, loaded once per process."""
    return load_lexicon()
