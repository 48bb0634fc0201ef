"""Victim counts from sentences (riftwatch.sizes). All sentences written for these tests."""

from __future__ import annotations

import pytest

from riftwatch.model import Size
from riftwatch.sizes import count_victims


def _trigger(doc, word: str) -> tuple[int, int]:
    word, _, nth = word.partition("#")
    hits = [t.i for t in doc if t.text == word]
    i = hits[int(nth) - 1 if nth else 0]
    return (i, i + 1)


def _size(nlp, text: str, trigger: str, event: str | None = None) -> Size:
    doc = nlp(text)
    return count_victims(doc, _trigger(doc, trigger), event=event)


DEAD = [
    # numerals and number words, passive and active sides
    ("Three militants were killed in Waziristan on Monday.", "killed", 3),
    ("Militants killed three soldiers near the border.", "killed", 3),
    ("Militants killed 14 soldiers near the border.", "killed", 14),
    ("Eight policemen died in the ambush.", "died", 8),
    ("Six militants killed in tribal district raid", "killed", 6),
    ("Bomb kills 25 at crowded market", "kills", 25),
    ("Troops raided the compound, killing 8.", "raided", 8),
    ("The bomb exploded, leaving five people dead.", "exploded", 5),
    ("A suicide blast left 9 dead at the checkpoint.", "blast", 9),
    ("The attack that killed 5 was claimed by the banned group.", "attack", 5),
    ("The violence claimed 1,500 lives last year.", "violence", 1500),
    ("Twelve people lost their lives in the blast.", "blast", 12),
    ("Twenty-five people were killed in the clashes.", "killed", 25),
    ("Two hundred villagers were massacred by the militia.", "massacred", 200),
    ("Gunmen shot dead four men outside the mosque.", "shot", 4),
    ("Four men were gunned down outside the mosque.", "gunned", 4),
    ("Two soldiers were martyred in cross-border firing.", "martyred", 2),
    ("Five bodies were recovered after the clash.", "clash", 5),
    ("The clashes caused 30 deaths in two days.", "clashes", 30),
    ("The death toll rose to 40.", "rose", 40),
    ("The death toll from the bombing climbed to 63 on Sunday.", "bombing", 63),
    ("Nine killed in shelling along the frontier", "killed", 9),
    # "a" / singular victims
    ("A policeman was killed in the attack.", "killed", 1),
    ("Gunmen killed a policeman in Quetta.", "killed", 1),
    ("Soldier killed by sniper fire in the valley", "killed", 1),
    ("A 12-year-old was killed by a stray shell.", "killed", 1),
    ("A 12-year-old boy was killed by a stray shell.", "killed", 1),
    ("He was shot dead at his home.", "shot", 1),
    # coordination
    ("Militants killed two soldiers and three civilians.", "killed", 5),
    ("One policeman and a passer-by were killed.", "killed", 2),
    ("Two people, a soldier and a civilian, were killed.", "killed", 2),
    ("Eight militants and a soldier died in the fighting.", "died", 9),
    ("Militants stormed the school and killed 11 pupils.", "stormed", 11),
    ("A bomb exploded in the market and 12 people were killed.", "exploded", 12),
    ("Two soldiers were killed, including an officer.", "killed", 2),
]


@pytest.mark.parametrize(("text", "trigger", "dead"), DEAD)
def test_sizes_dead_count(nlp, text, trigger, dead):
    assert _size(nlp, text, trigger).dead == dead


RANGES = [
    # (text, trigger, dead, dead_low, dead_high)
    ("At least 12 people were killed in the blast.", "killed", 12, 12, None),
    ("The attack killed at least 12 people.", "attack", 12, 12, None),
    ("More than 100 people died in the floods of violence.", "died", 101, 101, None),
    ("Up to 30 people were killed in the raid.", "killed", 30, None, 30),
    ("Nearly 50 civilians were killed in the offensive.", "killed", 50, None, 50),
    ("Between 10 and 15 people died in the clashes.", "died", 10, 10, 15),
    ("Two or three soldiers were killed.", "killed", 2, 2, 3),
    ("Dozens of people were killed in the bombing.", "killed", 24, 24, 99),
    ("Hundreds of protesters were killed during the crackdown.", "killed", 200, 200, 999),
    ("Several policemen were killed in the ambush.", "killed", 3, 3, 9),
    ("A dozen soldiers were killed.", "killed", 12, None, None),
    ("Half a dozen guards were killed at the gate.", "killed", 6, None, None),
    ("Three soldiers and several civilians were killed.", "killed", 6, 6, 12),
]


@pytest.mark.parametrize(("text", "trigger", "dead", "low", "high"), RANGES)
def test_sizes_dead_range(nlp, text, trigger, dead, low, high):
    got = _size(nlp, text, trigger)
    assert (got.dead, got.dead_low, got.dead_high) == (dead, low, high)


INJURED_ARRESTED = [
    # (text, trigger, dead, injured, arrested)
    ("Militants killed three soldiers and wounded five others.", "killed", 3, 5, None),
    ("Bomb kills 25, injures 40", "kills", 25, 40, None),
    ("Five killed, 11 wounded by shelling in the valley", "killed", 5, 11, None),
    ("The blast left 5 wounded.", "blast", None, 5, None),
    ("At least 7 people were injured when the grenade exploded.", "exploded", None, 7, None),
    ("Twenty-five people were killed and two hundred and five injured.", "killed", 25, 205, None),
    ("Police arrested 12 suspects after the raid.", "arrested", None, None, 12),
    ("Police detained dozens of protesters in the capital.", "detained", None, None, 24),
    ("Security forces captured four militants during the operation.", "captured", None, None, 4),
    ("Forty-two activists were rounded up by police.", "rounded", None, None, 42),
    ("Troops raided the hideout and arrested seven suspects.", "raided", None, None, 7),
    ("Six suspects were taken into custody.", "taken", None, None, 6),
]


@pytest.mark.parametrize(("text", "trigger", "dead", "injured", "arrested"), INJURED_ARRESTED)
def test_sizes_injured_and_arrested(nlp, text, trigger, dead, injured, arrested):
    got = _size(nlp, text, trigger)
    assert (got.dead, got.injured, got.arrested) == (dead, injured, arrested)


NOT_VICTIMS = [
    ("Troops destroyed 100 villages in the valley.", "destroyed"),
    ("The army deployed 2,000 troops after the attack.", "attack"),
    ("Militants attacked the post in 2011.", "attacked"),
    ("The group has been attacking convoys since the 1990s.", "attacking"),
    ("Protesters demanded the restoration of Article 370.", "demanded"),
    ("The convoy was ambushed 15 km from the town.", "ambushed"),
    ("Rockets hit 12 houses in the border village.", "hit"),
    ("The attack took place at 10 pm.", "attack"),
    ("The police raided 30 shops in the market.", "raided"),
    ("Militants were killed in the operation.", "killed"),
]


@pytest.mark.parametrize(("text", "trigger"), NOT_VICTIMS)
def test_sizes_numbers_that_are_not_victims_are_ignored(nlp, text, trigger):
    assert _size(nlp, text, trigger).empty


LINKING = [
    # the kill belongs to its own event; the arrest is another event's
    (
        "Gunmen killed two guards on Monday and police arrested four suspects on Wednesday.",
        "killed",
        Size(dead=2),
    ),
    (
        "Gunmen killed two guards on Monday and police arrested four suspects on Wednesday.",
        "arrested",
        Size(arrested=4),
    ),
    # two casualty clauses, one per event
    (
        "Two soldiers were killed in the north and three policemen died in the south.",
        "killed",
        Size(dead=2),
    ),
    (
        "Two soldiers were killed in the north and three policemen died in the south.",
        "died",
        Size(dead=3),
    ),
]


@pytest.mark.parametrize(("text", "trigger", "size"), LINKING)
def test_sizes_counts_link_to_their_own_event(nlp, text, trigger, size):
    assert _size(nlp, text, trigger) == size


def test_sizes_non_violent_trigger_gets_no_count(nlp):
    text = "The minister condemned the attack that killed five soldiers."
    assert _size(nlp, text, "condemned", event="DISAPPROVE").empty


def test_sizes_violent_event_counts_sentence_casualties(nlp):
    text = "Militants stormed a checkpost on the highway, officials said, and six guards died."
    assert _size(nlp, text, "stormed", event="ASSAULT").dead == 6


def test_sizes_empty_doc_gives_empty_size(nlp):
    assert count_victims(nlp(""), (0, 1)).empty


def test_sizes_kill_trigger_takes_injured_of_same_sentence(nlp):
    text = "A policeman was killed and five passers-by were injured when the bomb went off."
    got = _size(nlp, text, "killed")
    assert (got.dead, got.injured) == (1, 5)


HEADLINES = [
    # (headline, trigger, dead, injured) -- headline style: reduced passives, lists, tags
    ("Four killed, 11 hurt in mortar fire on border village", "killed", 4, 11),
    ("Guard and driver die in highway ambush", "die", 2, None),
    ("Lawmaker among 16 killed in market bombing", "killed", 16, None),
    ("Troops gun down 4 gunmen near the dam", "gun", 4, None),
    ("Three die, nine injured as rockets hit bazaar", "die", 3, 9),
    ("Shelling kills 2, hurts 5 along the frontier", "kills", 2, 5),
    ("Six traders shot dead in the old city: police", "shot", 6, None),
    ("Two members of peace committee killed in roadside blast", "killed", 2, None),
    ("Young girl killed in cross-border firing: officials", "killed", 1, None),
    ("UN envoy condemns death of two aid workers in the valley", "death", 2, None),
]


@pytest.mark.parametrize(("text", "trigger", "dead", "injured"), HEADLINES)
def test_sizes_headline_counts(nlp, text, trigger, dead, injured):
    got = _size(nlp, text, trigger, event="ASSAULT")
    assert (got.dead, got.injured) == (dead, injured)


@pytest.mark.parametrize(
    ("text", "trigger", "size"),
    [
        ("No one was killed in the blast.", "blast", Size(dead=0)),
        ("No soldiers were killed in the shelling.", "shelling", Size(dead=0)),
        ("Nobody was hurt in the explosion.", "explosion", Size(injured=0)),
        ("The militants threatened to kill 20 hostages.", "threatened", Size()),
        ("Police arrested a man who planned to kill the judge.", "arrested", Size(arrested=1)),
        ("The rebels could kill dozens of hostages.", "kill", Size()),
        ("Ten prisoners were not harmed and none were killed.", "killed", Size(dead=0)),
    ],
)
def test_sizes_negated_intended_and_zero_counts(nlp, text, trigger, size):
    assert _size(nlp, text, trigger) == size


def test_sizes_subset_apposition_is_not_added(nlp):
    text = "About 60 people, nearly 40 of them fighters, were killed in the battle."
    assert _size(nlp, text, "killed").dead == 60


def test_sizes_age_hyphen_does_not_hide_the_victim(nlp):
    text = "Troops fired on a car, killing a 12-year-old girl and wounding a 2-year-old."
    got = _size(nlp, text, "killing")
    assert (got.dead, got.injured) == (1, 1)


@pytest.mark.parametrize(
    ("text", "trigger", "dead"),
    [
        (
            "QUETTA - At least 19 people, including four policemen, were killed on Sunday.",
            "killed",
            19,
        ),
        ("The commander was killed along with two guards in the shootout.", "killed", 3),
        ("The attack, which left seven soldiers dead, derailed the talks.", "attack", 7),
        ("Rescuers said the floods of fire killed 3 and a separate strike killed 4.", "killed", 3),
    ],
)
def test_sizes_datelines_companions_and_relative_clauses(nlp, text, trigger, dead):
    assert _size(nlp, text, trigger, event="ASSAULT").dead == dead


@pytest.mark.parametrize(
    ("text", "trigger", "dead"),
    [
        ("Border clash leaves 3 guards, 10 smugglers dead", "dead", 13),
        ("Four soldiers, 12 insurgents die in gunfight: officials", "die", 16),
        ("Gunmen kill tribal elder, teacher in mountain village", "kill", 2),
    ],
)
def test_sizes_headline_lists_split_by_the_parser(nlp, text, trigger, dead):
    assert _size(nlp, text, trigger, event="ASSAULT").dead == dead


@pytest.mark.parametrize(
    ("text", "dead"),
    [
        ("Market gunfight kills three police, one attacker", 4),
        ("Gunmen killed two soldiers, three days after the truce.", 2),
    ],
)
def test_sizes_comma_list_after_object(nlp, text, dead):
    doc = nlp(text)
    verb = next(t for t in doc if t.lemma_ == "kill")
    assert count_victims(doc, (verb.i, verb.i + 1)).dead == dead


@pytest.mark.parametrize(
    ("text", "trigger", "dead"),
    [
        ("The death toll of 18 rose to 25 on Sunday.", "rose", 25),
        ("The death toll stood at 12.", "stood", 12),
        ("The toll was 14.", "was", 14),
        ("Two of the 10 hostages were killed.", "killed", 2),
        ("Eleven people, most of them women, were killed.", "killed", 11),
        ("The blast wounded 15 and killed 3.", "blast", 3),
    ],
)
def test_sizes_tolls_and_partitives(nlp, text, trigger, dead):
    assert _size(nlp, text, trigger, event="ASSAULT").dead == dead


def test_sizes_same_doc_two_triggers_keep_their_own_counts(nlp):
    doc = nlp("Gunmen killed two guards on Monday and police arrested four suspects on Wednesday.")
    killed = next(t.i for t in doc if t.text == "killed")
    arrested = next(t.i for t in doc if t.text == "arrested")
    assert count_victims(doc, (killed, killed + 1)) == Size(dead=2)
    assert count_victims(doc, (arrested, arrested + 1)) == Size(arrested=4)
