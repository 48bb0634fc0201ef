"""Event dates from sentences (riftwatch.when). All sentences written for these tests.

Publication date: Wednesday 15 May 2024.
"""

from __future__ import annotations

import datetime as dt

import pytest

from riftwatch.when import EventDate, event_date, resolve

PUB = dt.date(2024, 5, 15)  # a Wednesday
D = dt.date


def _trigger(doc, word: str) -> tuple[int, int]:
    """Token span of ``word`` (``word#2`` = its second occurrence)."""
    word, _, nth = word.partition("#")
    hits = [t.i for t in doc if t.text == word]
    i = hits[int(nth) - 1 if nth else 0]
    return (i, i + 1)


def _date(nlp, text: str, trigger: str, published: dt.date | None = PUB) -> EventDate:
    doc = nlp(text)
    return event_date(doc, _trigger(doc, trigger), published=published)


DATED = [
    # explicit dates
    ("Rebels stormed the town on 5 March 2011.", "stormed", D(2011, 3, 5), "day"),
    ("Rebels stormed the town on March 5, 2011.", "stormed", D(2011, 3, 5), "day"),
    ("On 2 January 2019 the army shelled the border villages.", "shelled", D(2019, 1, 2), "day"),
    ("Police raided the office on May 3.", "raided", D(2024, 5, 3), "day"),
    ("Police raided the office on 3rd May.", "raided", D(2024, 5, 3), "day"),
    ("The rally took place on 20 December.", "took", D(2023, 12, 20), "day"),
    ("The talks collapsed on 2023-11-07.", "collapsed", D(2023, 11, 7), "day"),
    # partial dates
    ("In March, troops raided the village.", "raided", D(2024, 3, 1), "month"),
    ("Troops raided the village in August.", "raided", D(2023, 8, 1), "month"),
    ("Troops raided the village in May.", "raided", D(2024, 5, 1), "month"),
    ("The ceasefire was signed in June 2019.", "signed", D(2019, 6, 1), "month"),
    ("The two parties signed an accord in 2011.", "signed", D(2011, 1, 1), "year"),
    ("The group was founded in the 1990s.", "founded", D(1990, 1, 1), "decade"),
    (
        "The insurgents first attacked the pipeline in the early 2000s.",
        "attacked",
        D(2000, 1, 1),
        "decade",
    ),
    ("The army launched an offensive in mid-2014.", "launched", D(2014, 1, 1), "year"),
    # relative days
    ("Three soldiers were killed yesterday.", "killed", D(2024, 5, 14), "day"),
    ("Gunmen killed a teacher today in Quetta.", "killed", D(2024, 5, 15), "day"),
    ("Protesters blocked the motorway last night.", "blocked", D(2024, 5, 14), "day"),
    ("Protesters blocked the motorway this morning.", "blocked", D(2024, 5, 15), "day"),
    ("The day before yesterday a bomb exploded in the bazaar.", "exploded", D(2024, 5, 13), "day"),
    ("Two days ago, a bomb exploded in Quetta.", "exploded", D(2024, 5, 13), "day"),
    ("A drone struck a compound three days ago.", "struck", D(2024, 5, 12), "day"),
    ("Police detained the cleric two weeks ago.", "detained", D(2024, 4, 29), "week"),
    ("Troops withdrew from the area two months ago.", "withdrew", D(2024, 3, 1), "month"),
    ("The militia was disbanded five years ago.", "disbanded", D(2019, 1, 1), "year"),
    # weekdays
    ("Three militants were killed in Waziristan on Monday.", "killed", D(2024, 5, 13), "day"),
    ("Gunmen opened fire on a bus on Wednesday.", "opened", D(2024, 5, 15), "day"),
    ("Gunmen opened fire on a bus on Thursday.", "opened", D(2024, 5, 9), "day"),
    ("A bomb exploded Sunday night in Peshawar.", "exploded", D(2024, 5, 12), "day"),
    ("Troops killed six militants last Friday.", "killed", D(2024, 5, 10), "day"),
    ("Police arrested the suspects early Tuesday.", "arrested", D(2024, 5, 14), "day"),
    ("The minister will visit Kabul next Tuesday.", "visit", D(2024, 5, 21), "day"),
    ("Talks will resume on Tuesday next week.", "resume", D(2024, 5, 21), "day"),
    ("Rioters torched the depot on Friday last week.", "torched", D(2024, 5, 10), "day"),
    # weeks, months, years
    ("The army shelled the ridge this week.", "shelled", D(2024, 5, 13), "week"),
    ("The army shelled the ridge last week.", "shelled", D(2024, 5, 6), "week"),
    ("Earlier this week, police detained two journalists.", "detained", D(2024, 5, 13), "week"),
    ("Police detained two journalists last month.", "detained", D(2024, 4, 1), "month"),
    ("Earlier this month police detained 20 people.", "detained", D(2024, 5, 1), "month"),
    ("Late last month the rebels seized the dam.", "seized", D(2024, 4, 1), "month"),
    ("Late last year the army launched an offensive.", "launched", D(2023, 1, 1), "year"),
    ("The government banned the party earlier this year.", "banned", D(2024, 1, 1), "year"),
    ("The two states will hold talks next month.", "hold", D(2024, 6, 1), "month"),
    ("Hundreds marched through the capital over the weekend.", "marched", D(2024, 5, 11), "week"),
]


@pytest.mark.parametrize(("text", "trigger", "date", "precision"), DATED)
def test_when_event_date_resolves_expression(nlp, text, trigger, date, precision):
    got = _date(nlp, text, trigger)
    assert (got.date, got.precision) == (date, precision)


UNDATED = [
    "The minister visited Kabul.",
    "Militants killed three soldiers in an ambush near the border.",
    "A 12-year-old boy was wounded by a stray bullet.",
    "The army deployed 2,000 troops along the highway.",
    "Police arrested 54 people after the protest.",
    "The government condemned the attack on the shrine.",
    "Article 370 was the subject of the protest.",
    "Twelve people died when the convoy was ambushed 15 km from the town.",
]


@pytest.mark.parametrize("text", UNDATED)
def test_when_no_date_in_text_gives_none(nlp, text):
    doc = nlp(text)
    root = next(t for t in doc if t.dep_ == "ROOT")
    got = event_date(doc, (root.i, root.i + 1), published=PUB)
    assert got.date is None
    assert got.precision is None


ATTACHMENT = [
    # two events, two dates: each event gets its own
    (
        "Gunmen attacked a checkpost on Monday and police arrested four suspects on Wednesday.",
        "attacked",
        D(2024, 5, 13),
    ),
    (
        "Gunmen attacked a checkpost on Monday and police arrested four suspects on Wednesday.",
        "arrested",
        D(2024, 5, 15),
    ),
    (
        "Rebels seized the town in March and the army recaptured it in April.",
        "seized",
        D(2024, 3, 1),
    ),
    (
        "Rebels seized the town in March and the army recaptured it in April.",
        "recaptured",
        D(2024, 4, 1),
    ),
    (
        "The party won the election in 2018, and its leader was arrested yesterday.",
        "won",
        D(2018, 1, 1),
    ),
    (
        "The party won the election in 2018, and its leader was arrested yesterday.",
        "arrested",
        D(2024, 5, 14),
    ),
    (
        "After militants attacked the post on Sunday, troops raided the village on Tuesday.",
        "raided",
        D(2024, 5, 14),
    ),
    (
        "After militants attacked the post on Sunday, troops raided the village on Tuesday.",
        "attacked",
        D(2024, 5, 12),
    ),
    # the date of a reporting verb dates the reported event when it has none of its own
    ("Police said on Tuesday that militants had killed a policeman.", "killed", D(2024, 5, 14)),
    (
        "Police said on Tuesday that militants killed a policeman on Sunday.",
        "killed",
        D(2024, 5, 12),
    ),
    # a date in a nominal trigger's own phrase
    ("The attack on Monday was condemned by the government.", "attack", D(2024, 5, 13)),
]


@pytest.mark.parametrize(("text", "trigger", "date"), ATTACHMENT)
def test_when_date_attaches_to_its_own_event(nlp, text, trigger, date):
    assert _date(nlp, text, trigger).date == date


def test_when_date_of_other_clause_is_not_taken(nlp):
    text = "Militants attacked a convoy, and the army retaliated on Friday."
    assert _date(nlp, text, "attacked").date is None


ONGOING = [
    ("The army has continued to bomb the area since 2022.", "bomb", D(2022, 1, 1)),
    ("Militants have been attacking convoys since March.", "attacking", D(2024, 3, 1)),
    ("Militants have been attacking convoys for months.", "attacking", None),
    ("The blockade has lasted for the past three days.", "lasted", D(2024, 5, 12)),
    ("Security forces routinely detain activists in the province.", "detain", None),
    ("The siege of the town has continued since last year.", "continued", D(2023, 1, 1)),
]


@pytest.mark.parametrize(("text", "trigger", "start"), ONGOING)
def test_when_ongoing_event_is_flagged_with_start(nlp, text, trigger, start):
    got = _date(nlp, text, trigger)
    assert got.ongoing is True
    assert got.start == start


def test_when_single_event_is_not_ongoing(nlp):
    assert _date(nlp, "Troops killed six militants last Friday.", "killed").ongoing is False


def test_when_span_points_at_the_time_expression(nlp):
    text = "Three soldiers were killed yesterday."
    got = _date(nlp, text, "killed")
    assert got.span is not None
    assert text[got.span[0] : got.span[1]] == "yesterday"


def test_when_relative_date_without_publication_date_is_none(nlp):
    assert (
        _date(nlp, "Three soldiers were killed yesterday.", "killed", published=None).date is None
    )


def test_when_absolute_date_without_publication_date_resolves(nlp):
    got = _date(nlp, "Rebels stormed the town on 5 March 2011.", "stormed", published=None)
    assert got.date == D(2011, 3, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("54", None),
        ("three days", None),
        ("the 1990s", (D(1990, 1, 1), "decade")),
        ("2011", (D(2011, 1, 1), "year")),
        ("5 May 14", (D(2014, 5, 5), "day")),
        ("last Friday", (D(2024, 5, 10), "day")),
        ("Friday", (D(2024, 5, 10), "day")),
    ],
)
def test_when_resolve_expression(text, expected):
    got = resolve(text, PUB)
    assert (None if got is None else (got.date, got.precision)) == expected


def test_when_last_weekday_on_that_weekday_is_a_week_back():
    assert resolve("last Wednesday", PUB).date == D(2024, 5, 8)


NOUN_MODIFIERS = [
    # a date that modifies another noun dates that noun, not the event
    ("The court sentenced the bomber over the 2008 attacks.", "sentenced", None),
    ("The minister condemned the 2008 attacks on Monday.", "condemned", D(2024, 5, 13)),
    ("Last year's election was annulled on Friday.", "annulled", D(2024, 5, 10)),
    # ... unless it is the violent subject of the trigger itself
    ("The 2008 attacks killed 166 people.", "killed", D(2008, 1, 1)),
]


@pytest.mark.parametrize(("text", "trigger", "date"), NOUN_MODIFIERS)
def test_when_noun_modifier_dates_its_noun(nlp, text, trigger, date):
    assert _date(nlp, text, trigger).date == date


@pytest.mark.parametrize(
    "text",
    [
        "The sun rose over the valley as troops advanced.",
        "Police may detain the protesters.",
        "The 70-year-old cleric was detained.",
        "Rebels fought for three days.",
    ],
)
def test_when_words_that_look_like_dates_are_not_point_dates(nlp, text):
    doc = nlp(text)
    root = next(t for t in doc if t.dep_ == "ROOT")
    assert event_date(doc, (root.i, root.i + 1), published=PUB).date is None


def test_when_finished_stretch_is_not_ongoing(nlp):
    got = _date(nlp, "Rebels fought for three days.", "fought")
    assert (got.date, got.ongoing) == (None, False)


def test_when_past_week_dates_a_finished_event(nlp):
    got = _date(nlp, "Troops killed 20 militants in the past week.", "killed")
    assert (got.date, got.precision, got.ongoing) == (D(2024, 5, 8), "week", False)


@pytest.mark.parametrize(
    ("text", "trigger", "date"),
    [
        (
            "Militants who attacked a checkpoint on Monday were arrested on Wednesday.",
            "attacked",
            D(2024, 5, 13),
        ),
        (
            "Militants who attacked a checkpoint on Monday were arrested on Wednesday.",
            "arrested",
            D(2024, 5, 15),
        ),
        ("On Monday, police said militants killed two soldiers.", "killed", D(2024, 5, 13)),
        ("Police arrested two men over the March 5 bombing.", "arrested", None),
        (
            "The army said it killed six militants on Sunday and lost two soldiers on Monday.",
            "lost",
            D(2024, 5, 13),
        ),
    ],
)
def test_when_relative_clauses_and_reports(nlp, text, trigger, date):
    assert _date(nlp, text, trigger).date == date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("this past weekend", (D(2024, 5, 11), "week")),
        ("earlier today", (D(2024, 5, 15), "day")),
        ("late on Monday", (D(2024, 5, 13), "day")),
        ("the summer of 2019", (D(2019, 1, 1), "year")),
        ("a few days ago", (D(2024, 5, 12), "day")),
        ("on the night of March 5", (D(2024, 3, 5), "day")),
        ("on 5/3/2011", (D(2011, 3, 5), "day")),
        ("the late 1970s", (D(1970, 1, 1), "decade")),
        ("in the coming days", None),
    ],
)
def test_when_resolve_more_forms(text, expected):
    got = resolve(text, PUB)
    assert (None if got is None else (got.date, got.precision)) == expected


def test_when_resolve_past_n_days_is_a_stretch():
    got = resolve("the past two days", PUB)
    assert (got.kind, got.start) == ("duration", D(2024, 5, 13))


def test_when_same_doc_two_triggers_keep_their_own_dates(nlp):
    doc = nlp(
        "Gunmen attacked a checkpost on Monday and police arrested four suspects on Wednesday."
    )
    first = next(t.i for t in doc if t.text == "attacked")
    second = next(t.i for t in doc if t.text == "arrested")
    assert event_date(doc, (first, first + 1), published=PUB).date == D(2024, 5, 13)
    assert event_date(doc, (second, second + 1), published=PUB).date == D(2024, 5, 15)
