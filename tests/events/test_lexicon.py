from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from riftwatch.errors import ConfigError
from riftwatch.events import detect_events, load_lexicon
from riftwatch.events.lexicon import inflections, lemma_keys

LEXICON_FILE = Path(__file__).resolve().parents[2] / "src/riftwatch/data/lexicon/events.yaml"


def _examples() -> list[tuple[str, str]]:
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    return [(g["event"], ex) for g in data["groups"] for ex in g.get("examples", [])]


@pytest.mark.parametrize(
    "text",
    [
        "Pakistani jets struck hideouts near the border.",
        "Talks resumed in Doha on Monday.",
        "The army deployed troops along the frontier.",
        "Protesters marched to the parliament.",
        "The court sentenced him to prison.",
        "Kabul condemned the shelling.",
        "The Taliban fought back.",
        "A ceasefire took effect at midnight.",
    ],
)
def test_has_trigger_finds_inflected_and_irregular_forms(lexicon, text):
    assert lexicon.has_trigger(text)


@pytest.mark.parametrize(
    "text",
    [
        "The weather was pleasant on the coast.",
        "Prices of vegetables rose sharply.",
        "The museum has a new garden.",
        "",
    ],
)
def test_has_trigger_is_false_without_any_trigger_word(lexicon, text):
    assert not lexicon.has_trigger(text)


def test_inflections_cover_regular_and_doubled_forms():
    forms = inflections("ban")
    assert {"ban", "bans", "banned", "banning"} <= forms


def test_lemma_keys_recover_a_mislemmatised_past_tense():
    assert "rape" in lemma_keys("rap", "raped")
    assert "forgive" in lemma_keys("forgave", "forgave")


@pytest.mark.parametrize(("event", "example"), _examples())
def test_lexicon_example_codes_its_event(nlp, lexicon, mentions_for, event, example):
    doc = nlp(example)
    events = {c.event for c in detect_events(doc, mentions_for(doc), lexicon=lexicon)}
    assert event in events


def test_extra_file_adds_an_entry(tmp_path, nlp):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "groups:\n  - event: ASSAULT\n    mode: primitive\n    verbs: [machete]\n"
        "    examples: ['A gang macheted two farmers.']\n",
        encoding="utf-8",
    )
    lex = load_lexicon(extra=[extra])
    assert lex.has_trigger("A gang macheted two farmers.")
    assert any(e.pattern == "machete" for e in lex.entries)


def test_extra_file_overrides_an_entry(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "groups:\n  - event: PROTEST\n    mode: riot\n    verbs: [rampage]\n    confidence: 0.3\n"
    )
    lex = load_lexicon(extra=[extra])
    (entry,) = [e for e in lex.entries if e.pattern == "rampage" and e.pos == "VERB"]
    assert entry.confidence == 0.3


def test_extra_file_removes_an_entry(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "groups:\n  - event: PROTEST\n    mode: riot\n    verbs: [rampage]\n    remove: true\n"
    )
    lex = load_lexicon(extra=[extra])
    assert not [e for e in lex.entries if e.pattern == "rampage" and e.pos == "VERB"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("groups:\n  - event: BOMB\n    verbs: [x]\n", "16 PLOVER types"),
        (
            "groups:\n  - event: ASSAULT\n    mode: nuclear-ish\n    verbs: [x]\n",
            "not a PLOVER mode",
        ),
        ("groups:\n  - event: ASSAULT\n", "no 'verbs'"),
        ("groups:\n  - event: ASSAULT\n    verbs: [x]\n    colour: red\n", "unknown key"),
        ("groups:\n  - event: ASSAULT\n    verbs: [x]\n    confidence: 7\n", "confidence"),
        ("groups:\n  - event: ASSAULT\n    nouns: [in]\n", "function word"),
        ("groups: [\n", "not valid YAML"),
    ],
)
def test_bad_lexicon_entry_raises_config_error_naming_file_and_entry(tmp_path, body, message):
    extra = tmp_path / "bad.yaml"
    extra.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_lexicon(extra=[extra])
    assert message in str(err.value)
    assert "bad.yaml" in str(err.value)


def test_missing_extra_file_raises_config_error(tmp_path):
    with pytest.raises(ConfigError):
        load_lexicon(extra=[tmp_path / "absent.yaml"])


@pytest.mark.parametrize(
    ("lemma", "lower"), [("attack", "attacked"), ("rap", "raped"), ("talk", "talks")]
)
def test_token_entries_are_the_entries_of_every_lookup_key_each_once(lemma, lower):
    from riftwatch.events.lexicon import default_lexicon

    lex = default_lexicon()
    expected: list = []
    for key in lemma_keys(lemma, lower):
        expected += [e for e in lex.candidates(key) if all(e is not x for x in expected)]
    got = lex.token_entries(lemma, lower)
    assert got and len(got) == len(expected)
    assert all(a is b for a, b in zip(got, expected, strict=True))


def test_token_entries_are_empty_for_a_word_that_triggers_nothing():
    from riftwatch.events.lexicon import default_lexicon

    assert default_lexicon().token_entries("umbrella", "umbrellas") == ()
