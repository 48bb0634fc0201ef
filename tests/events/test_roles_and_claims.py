"""Recipients, owned acts, claims and tallies, on sentences written for these tests.

Each test names one rule of the role assignment or of the detector (see the docstrings of
``riftwatch.events.roles`` and ``riftwatch.events.detector``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.tokens import Doc

from riftwatch.events import main_event
from riftwatch.events.roles import MentionIndex, direct_object, verb_roles
from riftwatch.model import ActorRef

from .conftest import FakeMention


def _main(code, text):
    ev = main_event(code(text))
    assert ev is not None, f"no event in: {text}"
    return ev


def _codes(ev):
    return (
        ev.actor.ref.code if ev.actor is not None else None,
        ev.recipient.ref.code if ev.recipient is not None else None,
    )


def _find(cands, event):
    return [c for c in cands if c.event == event]


# -- recipients -----------------------------------------------------------------------


def test_source_of_a_report_is_not_the_recipient(code):
    ev = _main(code, "Pakistani police detained twelve students, an Indian newspaper reported.")
    assert ev.event == "COERCE"
    assert _codes(ev) == ("PAK", "PAK")


def test_that_clause_subject_is_not_the_claimant(code):
    ev = _main(
        code,
        "An Afghan official offered concessions that Pakistani negotiators believed could"
        " end the dispute, according to an Indian newspaper.",
    )
    assert _codes(ev) == ("AFG", "PAK")
    assert ev.claimant is not None and ev.claimant.ref.code == "IND"


def test_complaint_targets_the_blamed_not_the_addressee(code):
    ev = _main(code, "Kabul complained to the United Nations over Pakistani air raids.")
    assert ev.event == "ACCUSE"
    assert _codes(ev) == ("AFG", "PAK")


def test_author_of_the_object_act_is_the_recipient(code):
    ev = _main(code, "Iranian police broke up a rally in Pakistan organised by Afghan refugees.")
    assert _codes(ev) == ("IRN", "AFG")


def test_of_phrase_names_the_target_of_a_blockade(code):
    ev = _main(code, "The Indian blockade of Pakistan with Iranian help lasted a month.")
    assert _codes(ev) == ("IND", "PAK")


def test_one_sided_compound_actor_still_gets_a_recipient(code):
    ev = _main(
        code,
        "Pakistani ministers and Pakistani envoys agreed to set up a trust fund for Afghanistan.",
    )
    assert ev.event == "AGREE"
    assert _codes(ev) == ("PAK", "AFG")


def test_two_sided_compound_actor_needs_no_recipient(code):
    ev = _main(code, "Iran and Pakistan agreed to reopen the crossing.")
    assert ev.event == "AGREE"
    assert {a.ref.code for a in ev.actors} == {"IRN", "PAK"}
    assert ev.recipient is None


def test_purpose_clause_is_aimed_at_the_summoned_envoy(code):
    cands = code("The Pakistani foreign office summoned the Afghan envoy to register a protest.")
    assert cands and all(_codes(c) == ("PAK", "AFG") for c in cands)


def test_noun_summing_up_a_clause_has_that_clause_subject_as_author(code):
    cands = code(
        "Some of the Afghan elders accused Pakistan of arming the militias, a claim Islamabad"
        " rejected as propaganda."
    )
    (rejection,) = _find(cands, "REJECT")
    assert _codes(rejection) == ("PAK", "AFG")


def test_pronoun_with_an_of_phrase_is_an_actor(code):
    ev = _main(code, "Some of the Afghan elders accused Pakistan of arming the militias.")
    assert _codes(ev) == ("AFG", "PAK")


def test_stance_participle_is_not_a_passive(nlp):
    # "Iran is opposed to Indian mediation" parsed as a passive (nsubjpass + auxpass):
    # the subject still holds the stance, the "to" object receives it
    words = ["Iran", "is", "opposed", "to", "Indian", "mediation", "."]
    doc = Doc(
        nlp.vocab,
        words=words,
        heads=[2, 2, 2, 2, 5, 3, 2],
        deps=["nsubjpass", "auxpass", "ROOT", "prep", "amod", "pobj", "punct"],
        pos=["PROPN", "AUX", "VERB", "ADP", "ADJ", "NOUN", "PUNCT"],
        tags=["NNP", "VBZ", "VBN", "IN", "JJ", "NN", "."],
        lemmas=["Iran", "be", "oppose", "to", "indian", "mediation", "."],
    )
    mentions = [
        FakeMention(0, 1, 0, ActorRef(code="IRN")),
        FakeMention(4, 5, 4, ActorRef(code="IND")),
    ]
    roles = verb_roles(
        doc[2],
        MentionIndex(doc, mentions),
        object_control=frozenset(),
        stative=frozenset({"oppose"}),
    )
    assert [a.ref.code for a in roles.actors] == ["IRN"]
    assert [r.ref.code for r in roles.recipients] == ["IND"]


# -- owned acts, threats, labels ------------------------------------------------------


def test_possessed_demand_is_its_owners_request_to_the_responder(code):
    cands = code("The Taliban will not accept Pakistan's demands to hand over the militants.")
    (req,) = _find(cands, "REQUEST")
    assert _codes(req) == ("PAK", "AFG")
    assert req.modality == "asserted"


def test_rejected_demand_keeps_the_rejecter_as_recipient(code):
    cands = code("Kabul rejected Islamabad's demands for the return of the refugees.")
    assert _codes(_find(cands, "REJECT")[0]) == ("AFG", "PAK")
    assert _codes(_find(cands, "REQUEST")[0]) == ("PAK", "AFG")


def test_unowned_demand_stays_the_content_of_its_verb(code):
    cands = code("Kabul rejected the demands for the return of the refugees.")
    assert not _find(cands, "REQUEST")


@pytest.mark.parametrize(
    "text",
    [
        "Taliban commanders promised retaliation against Pakistan.",
        "Afghan leaders have promised 'retaliation' against Pakistan.",
        "Kabul vowed a befitting response to Pakistan.",
    ],
)
def test_promised_retaliation_is_a_threat(code, text):
    ev = _main(code, text)
    assert (ev.event, ev.mode) == ("THREATEN", "violence")
    assert _codes(ev) == ("AFG", "PAK")


def test_reported_proxy_label_accuses_the_patron_in_its_year(code):
    ev = _main(code, "In 2011, an American general said the network was a proxy of the ISI.")
    assert ev.event == "ACCUSE"
    assert _codes(ev) == ("USA", "PAK")
    assert ev.historical_date == dt.date(2011, 1, 1)


def test_reported_label_without_patron_accuses_the_labelled(code):
    ev = _main(code, "The Afghan minister said Pakistan was a haven for terrorists.")
    assert (ev.event, *_codes(ev)) == ("ACCUSE", "AFG", "PAK")


def test_denied_label_is_a_negated_accusation(code):
    (ev,) = code("Kabul said the fighters were not puppets of Islamabad.")
    assert ev.event == "ACCUSE" and ev.modality == "negated"


def test_label_outside_reported_speech_is_no_accusation(code):
    assert not _find(code("The network is a proxy of the ISI in the documentary."), "ACCUSE")


# -- claims of responsibility ----------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["The TTP claimed responsibility.", "This was claimed by the TTP."]
)
def test_bare_claim_of_responsibility_is_the_groups_claimed_assault(code, text):
    (ev,) = code(text)
    assert (ev.event, ev.modality) == ("ASSAULT", "claimed")
    assert ev.actor.ref.sector == "REB" and ev.actor.ref.code == "PAK"


def test_claimed_attack_noun_takes_the_claimer_as_actor(code):
    ev = _main(
        code,
        "The TTP, which hides in Afghanistan, claimed responsibility for the attack on the"
        " police station.",
    )
    assert ev.event == "ASSAULT"
    assert ev.actor.ref.code == "PAK"


@pytest.mark.parametrize(
    "text",
    [
        "No group claimed responsibility.",
        "The territory is claimed by India.",
        "The TTP did not claim responsibility.",
    ],
)
def test_denied_or_territorial_claims_are_no_assault(code, text):
    assert not _find(code(text), "ASSAULT")


# -- modality and dates of nominal events ----------------------------------------------


def test_nested_noun_in_a_hypothetical_subject_is_presupposed(code):
    cands = code("Pakistan's support for the Taliban's seizure of Kabul could lead to instability.")
    assert not _find(cands, "THREATEN")
    assert all(c.modality == "asserted" for c in cands)


def test_open_period_gives_no_historical_date(code):
    (ev,) = code("Attacks on Pakistani police have risen sharply since 2022.")
    assert ev.historical_date is None


# -- cumulative statistics --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Some 2,300 people were killed in militant attacks across Pakistan last year.",
        "Over the past decade, more than 40,000 civilians have died in terrorist violence in"
        " Pakistan.",
        "So far this year, 350 Pakistani police officers have been killed in 120 attacks.",
        "The annual toll of bombings in Pakistan rose to 600 in 2023.",
        "The interior minister said 1,845 civilians had been killed in that period.",
        "Officials said 3,100 people were killed by militants over the past 18 months.",
    ],
)
def test_cumulative_statistic_is_not_an_assault(code, text):
    assert not _find(code(text), "ASSAULT")


@pytest.mark.parametrize(
    "text",
    [
        "In 2014, TTP gunmen killed 132 children at a school in Pakistan.",
        "TTP militants attacked a checkpoint on Wednesday, killing nine Pakistani soldiers in"
        " one of the deadliest attacks this year.",
        "Pakistani jets struck hideouts in Afghanistan last year, killing 20 fighters.",
        "Militants killed 14 soldiers in an ambush in North Waziristan over the past week.",
    ],
)
def test_single_dated_attack_with_a_toll_is_still_an_assault(code, text):
    assert _find(code(text), "ASSAULT")


def test_reminder_that_someone_must_act_is_a_request_to_its_addressee(code):
    ev = _main(
        code,
        "The Iranian president issued a stern reminder on Monday to Afghanistan that it must"
        " share the river water.",
    )
    assert (ev.event, *_codes(ev)) == ("REQUEST", "IRN", "AFG")


def test_object_hung_off_a_particle_is_the_verbs_object(nlp):
    # the parser sometimes attaches "a soldier" to "dead" in "shot dead a soldier"
    doc = Doc(
        nlp.vocab,
        words=["A", "gunman", "shot", "dead", "a", "soldier", "."],
        heads=[1, 2, 2, 2, 5, 3, 2],
        deps=["det", "nsubj", "ROOT", "advmod", "det", "dobj", "punct"],
        pos=["DET", "NOUN", "VERB", "ADV", "DET", "NOUN", "PUNCT"],
        tags=["DT", "NN", "VBD", "RB", "DT", "NN", "."],
        lemmas=["a", "gunman", "shoot", "dead", "a", "soldier", "."],
    )
    obj = direct_object(doc[2])
    assert obj is not None and obj.i == 5


def test_strike_on_own_militants_abroad_is_directed_at_the_host_state(code):
    ev = _main(code, "Pakistani jets struck TTP hideouts inside Afghanistan.")
    assert _codes(ev) == ("PAK", "AFG")


def test_strike_on_own_militants_at_home_stays_domestic(code):
    ev = _main(code, "Pakistani troops raided TTP hideouts in Waziristan.")
    assert _codes(ev) == ("PAK", "PAK")
