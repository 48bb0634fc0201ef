"""Coreference and mention fixes found by coding the demo corpus and the seed article.

Each test runs the resolver over invented sentences in document order, the way the
pipeline does (``country_focus`` over the document, ``new_state``, then ``mentions`` per
parsed sentence). Only the sentences passed in ``parsed`` are parsed, as with the
pipeline's pre-filter.
"""

from __future__ import annotations

import datetime as dt

import pytest

from riftwatch.actors.kb import parse_entry
from riftwatch.errors import ConfigError


def _run(nlp, resolver, sentences, day, parsed=None):
    """Mentions of each parsed sentence; ``parsed`` = indices to parse (default all)."""
    state = resolver.new_state(resolver.country_focus(" ".join(sentences)))
    out = []
    for i, s in enumerate(sentences):
        if parsed is not None and i not in parsed:
            continue
        doc = nlp(s)
        out.append((doc, resolver.mentions(doc, date=dt.date.fromisoformat(day), state=state)))
    return out


def _by_text(doc, mentions):
    return {doc[m.start : m.end].text: m for m in mentions}


def test_mentions_bare_surname_refers_to_person_named_before(nlp, resolver):
    out = _run(
        nlp,
        resolver,
        [
            "Caretaker Prime Minister Anwaar-ul-Haq Kakar accused Kabul of harbouring fighters.",
            "Kakar told reporters in Lahore that the talks had failed.",
        ],
        "2023-11-10",
    )
    doc, ms = out[1]
    m = _by_text(doc, ms)["Kakar"]
    assert (m.ref.identifier_id, m.ref.code, m.ref.sector) == ("anwaar_ul_haq_kakar", "PAK", "GOV")
    assert m.kind == "coref"


def test_mentions_surname_resolves_when_introducing_sentence_was_not_parsed(nlp, resolver):
    # the pipeline parses only sentences with an event trigger: the first one is skipped
    out = _run(
        nlp,
        resolver,
        [
            "Lawmakers chose Shehbaz Sharif as head of the new coalition on a rainy Monday.",
            "India congratulated Sharif on his victory.",
        ],
        "2022-04-12",
        parsed={1},
    )
    doc, ms = out[0]
    m = _by_text(doc, ms)["Sharif"]
    assert (m.ref.identifier_id, m.ref.code, m.ref.sector) == ("shehbaz_sharif", "PAK", "GOV")


def test_mentions_surname_shared_by_two_people_is_not_guessed(nlp, resolver):
    out = _run(
        nlp,
        resolver,
        [
            "Nawaz Sharif and Shehbaz Sharif travelled to London on a private jet last spring.",
            "Critics accused Sharif of ignoring the courts.",
        ],
        "2022-06-01",
        parsed={1},
    )
    doc, ms = out[0]
    assert "Sharif" not in _by_text(doc, ms)


def test_mentions_surname_inside_a_longer_name_is_not_coreference(nlp, resolver):
    out = _run(
        nlp,
        resolver,
        [
            "Imran Khan criticised the army chief at a rally.",
            "Ambassador Mansoor Ahmad Khan met officials in Kabul.",
        ],
        "2021-10-01",
    )
    doc, ms = out[1]
    assert all(m.ref.identifier_id != "imran_khan" for m in ms)


def test_mentions_he_after_surname_coreference_is_the_same_person(nlp, resolver):
    out = _run(
        nlp,
        resolver,
        [
            "Lawmakers chose Shehbaz Sharif as head of the new coalition on a rainy Monday.",
            "Sharif said the economy came first.",
            "He promised to meet the IMF.",
        ],
        "2022-04-12",
        parsed={1, 2},
    )
    doc, ms = out[1]
    assert _by_text(doc, ms)["He"].ref.identifier_id == "shehbaz_sharif"


def test_mentions_the_group_prefers_previous_main_subject_over_later_org(nlp, resolver):
    out = _run(
        nlp,
        resolver,
        [
            "The TTP said on Friday that it would end a truce brokered by the Afghan Taliban.",
            "The group's spokesman accused the army of violating it.",
        ],
        "2022-11-28",
    )
    doc, ms = out[1]
    assert _by_text(doc, ms)["The group"].ref.identifier_id == "TTP"


def test_mentions_sentence_initial_it_reporting_refers_to_previous_acting_org(nlp, resolver):
    out = _run(
        nlp,
        resolver,
        [
            "The Taliban foreign ministry summoned the Iranian envoy over the water dispute.",
            "It demanded an end to the border shooting.",
        ],
        "2023-05-30",
    )
    doc, ms = out[1]
    m = _by_text(doc, ms)["It"]
    assert (m.ref.code, m.ref.identifier_id) == ("AFG", "afghan_taliban")


@pytest.mark.parametrize(
    "second",
    ["It is unclear whether the talks will resume.", "It rained heavily in the capital."],
)
def test_mentions_expletive_it_is_not_an_actor(nlp, resolver, second):
    out = _run(
        nlp,
        resolver,
        ["The Taliban foreign ministry summoned the Iranian envoy on Sunday.", second],
        "2023-05-30",
    )
    doc, ms = out[1]
    assert "It" not in _by_text(doc, ms)


def test_mentions_it_after_a_non_actor_subject_is_left_alone(nlp, resolver):
    out = _run(
        nlp,
        resolver,
        [
            "A monitoring panel said that the Taliban had sheltered the TTP for years.",
            "It said attacks were rising.",
        ],
        "2024-07-12",
    )
    doc, ms = out[1]
    assert "It" not in _by_text(doc, ms)


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        ("KANDAHAR, Afghanistan (May 3, 2023) — Iranian guards fired on a convoy.", "KANDAHAR"),
        ("Gwadar, 14 March 2024: Chinese engineers left the port after a raid.", "Gwadar"),
        ("LAHORE, Jan 9, 2022 - Pakistani police detained twelve men.", "LAHORE"),
    ],
)
def test_mentions_dateline_place_is_not_an_actor(nlp, resolver, sentence, place):
    ((doc, ms),) = _run(nlp, resolver, [sentence], "2023-05-03")
    texts = _by_text(doc, ms)
    assert place not in texts
    assert texts  # the actors after the dateline are still found


def test_mentions_place_opening_a_sentence_without_dateline_is_kept(nlp, resolver):
    ((doc, ms),) = _run(nlp, resolver, ["Kabul rejected the claim on Monday."], "2023-05-03")
    assert _by_text(doc, ms)["Kabul"].ref.code == "AFG"


def test_mentions_apposition_to_envoy_to_org_takes_the_envoys_country(nlp, resolver):
    ((doc, ms),) = _run(
        nlp,
        resolver,
        ["India's ambassador to the UN, Ruchira Kamboj, said the vote was unfair."],
        "2023-03-01",
    )
    m = _by_text(doc, ms)["Ruchira Kamboj"]
    assert (m.ref.code, m.ref.sector) == ("IND", "GOV")


def test_mentions_conjoined_agent_shares_the_of_phrase(nlp, resolver):
    ((doc, ms),) = _run(
        nlp,
        resolver,
        ["Defence ministers and delegates of the Shanghai Cooperation Organisation met in Delhi."],
        "2023-04-28",
    )
    assert _by_text(doc, ms)["Defence ministers"].ref.code == "IGO"


def test_mentions_elected_between_actors_does_not_glue_them(nlp, resolver):
    ((doc, ms),) = _run(
        nlp, resolver, ["Parliament elected Shehbaz Sharif as prime minister."], "2022-04-11"
    )
    texts = _by_text(doc, ms)
    assert texts["Shehbaz Sharif"].ref.identifier_id == "shehbaz_sharif"
    assert texts["Parliament"].ref.sector == "LEG"


def test_mentions_islamic_state_regional_branch_in_afpak_story_is_iskp(nlp, resolver):
    out = _run(
        nlp,
        resolver,
        [
            "Pakistan and Afghanistan traded blame after the blast in Pakistan's north-west.",
            "The Islamic State group's local affiliate claimed the bombing.",
        ],
        "2023-08-01",
    )
    doc, ms = out[1]
    (m,) = [m for m in ms if m.ref.identifier_id in ("ISKP", "islamic_state")]
    assert m.ref.identifier_id == "ISKP"
    assert doc[m.start : m.end].text == "Islamic State group's local affiliate"


def test_mentions_islamic_state_branch_elsewhere_stays_islamic_state(nlp, resolver):
    out = _run(
        nlp,
        resolver,
        [
            "Iraq and Syria agreed to patrol the border near Iraq's Anbar province.",
            "The Islamic State group's local affiliate claimed the bombing in Iraq.",
        ],
        "2019-08-01",
    )
    doc, ms = out[1]
    assert any(m.ref.identifier_id == "islamic_state" for m in ms)


def test_kb_branches_must_map_codes_to_ids():
    with pytest.raises(ConfigError, match="branches"):
        parse_entry({"id": "x", "name": "X", "branches": ["AFG"]}, kind="org", where="test.yaml:1")
    entry = parse_entry(
        {"id": "x", "name": "X", "branches": {"afg": "ISKP"}}, kind="org", where="test.yaml:1"
    )
    assert entry.branches == {"AFG": "ISKP"}


def test_mentions_militants_are_the_one_armed_group_the_story_names(nlp, resolver):
    out = _run(
        nlp,
        resolver,
        [
            "Militants ambushed a police van near Tank, killing four officers.",
            "Later in the day the Tehreek-e-Taliban Pakistan said its men had carried it out.",
        ],
        "2023-04-02",
    )
    doc, ms = out[0]
    m = _by_text(doc, ms)["Militants"]
    assert (m.ref.identifier_id, m.ref.code, m.ref.sector) == ("TTP", "PAK", "REB")


def test_mentions_militants_stay_generic_when_the_story_names_two_groups(nlp, resolver):
    out = _run(
        nlp,
        resolver,
        [
            "Militants ambushed a police van near Tank, killing four officers.",
            "Both the TTP and the Balochistan Liberation Army denied any part in it.",
        ],
        "2023-04-02",
    )
    doc, ms = out[0]
    m = _by_text(doc, ms)["Militants"]
    assert (m.ref.identifier_id, m.ref.code, m.ref.sector) == ("militant", "PAK", "REB")


def test_mentions_taliban_do_not_count_as_an_always_armed_group(nlp, resolver):
    out = _run(
        nlp,
        resolver,
        [
            "Gunmen killed two guards at a checkpoint in Herat on Tuesday.",
            "The Taliban government promised to find them.",
        ],
        "2023-04-02",
    )
    doc, ms = out[0]
    assert _by_text(doc, ms)["Gunmen"].ref.identifier_id != "afghan_taliban"


@pytest.mark.parametrize(
    ("sentence", "kb_id"),
    [
        ("The TTP said on Sunday that it would resume attacks.", "TTP"),
        ("Pakistan said it had closed the crossing.", "PAK"),
    ],
)
def test_mentions_it_in_reported_clause_is_the_reporting_subject(nlp, resolver, sentence, kb_id):
    ((doc, ms),) = _run(nlp, resolver, [sentence], "2023-01-02")
    assert _by_text(doc, ms)["it"].ref.identifier_id == kb_id


def test_mentions_it_in_reported_clause_of_a_person_is_not_the_person(nlp, resolver):
    ((doc, ms),) = _run(nlp, resolver, ["Imran Khan said it was a conspiracy."], "2022-04-12")
    assert "it" not in _by_text(doc, ms)


@pytest.mark.parametrize(
    ("first", "kb_id"),
    [
        ("Gunmen stormed a police station near Tank, killing four officers.", "TTP"),
        ("Unidentified gunmen stormed a police station near Tank on Friday.", "gunmen"),
    ],
)
def test_mentions_gunmen_are_the_lone_group_unless_said_unidentified(nlp, resolver, first, kb_id):
    out = _run(
        nlp,
        resolver,
        [first, "The Tehreek-e-Taliban Pakistan later said its fighters had done it."],
        "2023-04-02",
    )
    doc, ms = out[0]
    (m,) = [m for m in ms if "unmen" in m.ref.entity_text]
    assert m.ref.identifier_id == kb_id


def test_kb_branch_targets_are_known_entries(kb):
    branches = {(e.id, t) for e in kb.entries.values() for t in e.branches.values()}
    assert branches
    assert all(kb.get(t) is not None for _, t in branches), branches


@pytest.mark.parametrize(
    ("day", "sector"), [("2016-04-04", "REB"), ("2022-09-01", "MIL")], ids=["insurgent", "ruling"]
)
def test_resolve_fighters_of_a_ruling_movement_are_its_armed_forces(resolver, day, sector):
    (m,) = resolver.resolve("Taliban fighters", date=dt.date.fromisoformat(day))
    assert (m.code, m.sector) == ("AFG", sector)


@pytest.mark.parametrize(
    ("text", "sector", "office"),
    [
        ("Interior Minister Sheikh Rasheed Ahmed", "GOV", "interior minister"),
        ("former Interior Minister Sheikh Rasheed Ahmed", "OPP", "Awami Muslim League chief"),
        ("Sheikh Rasheed Ahmed", "OPP", "Awami Muslim League chief"),
    ],
)
def test_resolve_title_in_text_names_a_past_office(resolver, text, sector, office):
    # a 2024 text that calls him "Interior Minister" tells of his 2020-2022 term
    (m,) = resolver.resolve(text, date=dt.date(2024, 12, 27))
    assert (m.code, m.sector, m.office) == ("PAK", sector, office)


@pytest.mark.parametrize(
    ("text", "day", "sector"),
    [
        ("the Afghan government", "2015-05-01", "GOV"),
        ("the Afghan government", "2023-11-08", "GOV"),
        ("the former Afghan government", "2024-12-27", "ELI"),
    ],
)
def test_resolve_afghan_government_is_whoever_governs_unless_former(resolver, text, day, sector):
    (m,) = resolver.resolve(text, date=dt.date.fromisoformat(day))
    assert (m.code, m.sector) == ("AFG", sector)


def test_mentions_the_country_prefers_a_state_named_earlier_in_the_sentence(nlp, resolver):
    out = _run(
        nlp,
        resolver,
        [
            "Countries such as Turkey carry out drone strikes abroad.",
            "Pakistan's army, which guards the country's borders, is under pressure.",
        ],
        "2024-12-27",
    )
    doc, ms = out[1]
    assert _by_text(doc, ms)["the country"].ref.code == "PAK"


@pytest.mark.parametrize("noun", ["perpetrators", "culprits", "attackers"])
def test_resolve_perpetrators_are_unidentified_armed_actors(resolver, noun):
    (m,) = resolver.resolve(noun, country_hint="PAK")
    assert (m.code, m.sector, m.kb_id) == ("PAK", "UAF", "gunmen")


def test_mentions_it_after_an_agent_reporter_is_that_agent(nlp, resolver):
    ((doc, ms),) = _run(
        nlp, resolver, ["The foreign office said it had asked Kabul to act."], "2023-01-02"
    )
    it, office = _by_text(doc, ms)["it"], _by_text(doc, ms)["foreign office"]
    assert it.kind == "coref"
    assert (it.ref.code, it.ref.sector, it.ref.identifier_id) == (
        office.ref.code,
        "GOV",
        "ministry",
    )
