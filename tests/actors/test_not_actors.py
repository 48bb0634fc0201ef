"""Names that do not name an actor: attitudes ("anti-Iran") and currencies ("US $")."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "an anti-Iran cleric addressed the crowd",
        "a pro-India columnist was arrested",
        "the anti-American mood in the capital",
    ],
)
def test_attitude_prefix_does_not_make_the_country_an_actor(resolver, text):
    codes = {m.code for m in resolver.resolve(text)}
    assert not codes - {None}, codes


@pytest.mark.parametrize(
    "text",
    [
        "the minister embezzled up to US $20 million",
        "a loan of 40 million US dollars was approved",
    ],
)
def test_currency_is_not_the_united_states(resolver, text):
    assert all(m.code != "USA" for m in resolver.resolve(text))


def test_country_still_acts_next_to_an_attitude_word(resolver):
    codes = [m.code for m in resolver.resolve("Iran rejected the anti-Iran resolution")]
    assert codes == ["IRN"]


def test_agent_with_pro_prefix_keeps_its_sector(resolver):
    m = resolver.resolve("pro-government militia")
    assert m and m[0].sector == "PRM"


def test_us_officials_still_code_the_united_states(resolver):
    m = resolver.resolve("US officials paid the ransom in dollars")
    assert m and m[0].code == "USA"
