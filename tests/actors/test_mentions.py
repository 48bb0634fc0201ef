"""``ActorResolver.mentions`` over parsed sentences, with per-document coreference state."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date.fromisoformat


def _mentions(nlp, resolver, sentences, day, focus_text=None):
    """Run the sentences in document order; return the mentions of each."""
    text = focus_text if focus_text is not None else " ".join(sentences)
    state = resolver.new_state(resolver.country_focus(text))
    return [
        (doc, resolver.mentions(doc, date=D(day), state=state))
        for doc in (nlp(s) for s in sentences)
    ]


def _find(doc, mentions, surface):
    for m in mentions:
        if doc[m.start : m.end].text == surface or m.ref.entity_text == surface:
            return m
    raise AssertionError(f"{surface!r} not among {[m.ref.entity_text for m in mentions]}")


SENTENCE_CASES = [
    # (sentence, date, surface, code, sector)
    (
        "Pakistani police arrested two suspects in Quetta.",
        "2019-01-05",
        "Pakistani police",
        "PAK",
        "COP",
    ),
    (
        "Pakistan's military said it killed six militants.",
        "2019-01-05",
        "Pakistan's military",
        "PAK",
        "MIL",
    ),
    (
        "Interior Minister Sheikh Rasheed Ahmed warned the protesters.",
        "2021-06-01",
        "Interior Minister Sheikh Rasheed Ahmed",
        "PAK",
        "GOV",
    ),
    (
        "A senior Taliban leader met the envoy in Doha.",
        "2020-01-10",
        "Taliban leader",
        "AFG",
        "REB",
    ),
    (
        "A senior Taliban leader met the envoy in Kabul.",
        "2022-01-10",
        "Taliban leader",
        "AFG",
        "GOV",
    ),
    ("The Taliban seized the district centre.", "2016-01-10", "Taliban", "AFG", "REB"),
    ("Imran Khan addressed a rally in Lahore.", "2021-01-10", "Imran Khan", "PAK", "GOV"),
    ("Imran Khan addressed a rally in Lahore.", "2023-01-10", "Imran Khan", "PAK", "OPP"),
    ("The ISI denied the report.", "2015-01-10", "ISI", "PAK", "SPY"),
    ("NATO troops left Kandahar.", "2014-01-10", "NATO troops", "IGO", "MIL"),
    ("UN officials condemned the attack.", "2014-01-10", "UN officials", "UNO", "GOV"),
    ("Islamabad rejected the allegation.", "2014-01-10", "Islamabad", "PAK", "GOV"),
    (
        "Tehrik-i-Taliban Pakistan claimed the bombing.",
        "2013-01-10",
        "Tehrik-i-Taliban Pakistan",
        "PAK",
        "REB",
    ),
    (
        "The Afghan president met Pakistan's prime minister.",
        "2016-01-10",
        "Afghan president",
        "AFG",
        "GOV",
    ),
    (
        "The Afghan president met Pakistan's prime minister.",
        "2016-01-10",
        "Pakistan's prime minister",
        "PAK",
        "GOV",
    ),
]


@pytest.mark.parametrize(("sentence", "day", "surface", "code", "sector"), SENTENCE_CASES)
def test_mentions_code_in_sentence(nlp, resolver, sentence, day, surface, code, sector):
    [(doc, found)] = _mentions(nlp, resolver, [sentence], day)
    m = _find(doc, found, surface)
    assert (m.ref.code, m.ref.sector) == (code, sector)


def test_mentions_spans_are_consistent(nlp, resolver):
    [(doc, found)] = _mentions(
        nlp, resolver, ["Afghan police and Taliban fighters clashed."], "2019-03-01"
    )
    assert found
    for m in found:
        assert 0 <= m.start <= m.root < m.end <= len(doc)
        s, e = m.ref.span
        assert doc.text[s:e] == m.ref.entity_text
        assert 0.0 <= m.ref.confidence <= 1.0


def test_mentions_apposition_gives_unknown_person_the_role(nlp, resolver):
    sentence = "The head of the Indian navy at the time, Arun Prakash, visited Karachi."
    [(doc, found)] = _mentions(nlp, resolver, [sentence], "2005-01-01")
    m = _find(doc, found, "Arun Prakash")
    assert (m.ref.code, m.ref.sector) == ("IND", "MIL")


def test_mentions_apposition_with_known_person(nlp, resolver):
    sentence = "The head of the US military at the time, Michael Mullen, visited Islamabad."
    [(doc, found)] = _mentions(nlp, resolver, [sentence], "2010-06-01")
    m = _find(doc, found, "Michael Mullen")
    assert (m.ref.code, m.ref.sector, m.ref.identifier_id) == ("USA", "MIL", "michael_mullen")


def test_mentions_generic_agent_uses_document_focus(nlp, resolver):
    sentences = [
        "Pakistan has seen a rise in attacks in Khyber Pakhtunkhwa.",
        "Police said the bomb was planted on a motorbike.",
    ]
    (_, _), (doc, found) = _mentions(nlp, resolver, sentences, "2023-02-01")
    m = _find(doc, found, "Police")
    assert (m.ref.code, m.ref.sector) == ("PAK", "COP")


def test_mentions_generic_agent_without_focus_has_no_code(nlp, resolver):
    [(doc, found)] = _mentions(nlp, resolver, ["Police said the bomb was planted."], "2023-02-01")
    assert _find(doc, found, "Police").ref.code is None


def test_mentions_he_resolves_to_last_person(nlp, resolver):
    sentences = ["Shehbaz Sharif arrived in Beijing on Monday.", "He met Chinese officials."]
    (_, _), (doc, found) = _mentions(nlp, resolver, sentences, "2022-11-01")
    m = _find(doc, found, "He")
    assert (m.ref.code, m.ref.sector, m.ref.identifier_id) == ("PAK", "GOV", "shehbaz_sharif")
    assert m.kind == "coref"


def test_mentions_the_group_resolves_to_last_organisation(nlp, resolver):
    sentences = [
        "The TTP ended its ceasefire in November.",
        "The group said it would attack police.",
    ]
    (_, _), (doc, found) = _mentions(nlp, resolver, sentences, "2022-12-01")
    m = _find(doc, found, "The group")
    assert (m.ref.code, m.ref.sector, m.ref.identifier_id) == ("PAK", "REB", "TTP")


def test_mentions_the_militants_resolve_to_last_rebel_group(nlp, resolver):
    sentences = [
        "The Haqqani network was blamed for the siege.",
        "The militants stormed the hotel.",
    ]
    (_, _), (doc, found) = _mentions(nlp, resolver, sentences, "2012-06-01")
    m = _find(doc, found, "militants")
    assert (m.ref.code, m.ref.sector, m.ref.identifier_id) == ("AFG", "REB", "haqqani_network")


def test_mentions_the_country_resolves_to_last_country(nlp, resolver):
    sentences = ["Uzbekistan opened the bridge to trucks.", "The country also sent grain."]
    (_, _), (doc, found) = _mentions(nlp, resolver, sentences, "2001-12-09")
    m = _find(doc, found, "The country")
    assert m.ref.code == "UZB"


def test_mentions_pronoun_without_antecedent_is_skipped(nlp, resolver):
    [(doc, found)] = _mentions(nlp, resolver, ["He said nothing."], "2020-01-01")
    assert found == []


def test_mentions_sentence_without_actor_is_empty(nlp, resolver):
    [(doc, found)] = _mentions(nlp, resolver, ["It rained all day on the hills."], "2020-01-01")
    assert found == []


def test_mentions_are_in_token_order_without_overlap(nlp, resolver):
    sentence = "Afghan forces, backed by US aircraft, fought the Taliban near Kunduz."
    [(doc, found)] = _mentions(nlp, resolver, [sentence], "2015-10-01")
    starts = [m.start for m in found]
    assert starts == sorted(starts)
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start
    assert [m.ref.code for m in found] == ["AFG", "USA", "AFG", "AFG"]  # Kunduz is a place


def test_mentions_she_resolves_to_last_person(nlp, resolver):
    sentences = ["Hina Rabbani Khar flew to Kabul.", "She met Afghan officials there."]
    (_, _), (doc, found) = _mentions(nlp, resolver, sentences, "2012-02-01")
    m = _find(doc, found, "She")
    assert (m.ref.code, m.ref.sector, m.ref.identifier_id) == ("PAK", "GOV", "hina_rabbani_khar")


def test_mentions_he_after_unnamed_role_person(nlp, resolver):
    sentences = ["The Indian foreign minister arrived in Tehran.", "He signed a port deal."]
    (_, _), (doc, found) = _mentions(nlp, resolver, sentences, "2016-05-01")
    m = _find(doc, found, "He")
    assert (m.ref.code, m.ref.sector) == ("IND", "GOV")


def test_mentions_capital_as_place_has_no_sector(nlp, resolver):
    [(doc, found)] = _mentions(nlp, resolver, ["A bomb exploded in Kabul."], "2016-05-01")
    m = _find(doc, found, "Kabul")
    assert (m.ref.code, m.ref.sector) == ("AFG", None)


def test_mentions_bare_agent_in_one_sentence_text_uses_its_country(nlp, resolver):
    [(doc, found)] = _mentions(
        nlp, resolver, ["Security forces in Guinea fired on marchers."], "2009-09-28", ""
    )
    m = _find(doc, found, "Security forces")
    assert (m.ref.code, m.ref.sector) == ("GIN", "MIL")
