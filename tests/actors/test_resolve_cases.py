"""Mention + date (+ context) -> PLOVER code and sector, through ``ActorResolver.resolve``."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date.fromisoformat

# (mention, date, context, expected code, expected sector)
DATED_CASES = [
    # the Afghan Taliban: insurgents until Kabul fell, the government after
    ("Taliban", "2010-06-01", None, "AFG", "REB"),
    ("the Taliban", "2019-02-01", None, "AFG", "REB"),
    ("Taliban", "2021-08-14", None, "AFG", "REB"),
    ("Taliban", "2021-08-15", None, "AFG", "GOV"),
    ("Taliban", "2023-03-01", None, "AFG", "GOV"),
    ("Taliban", "1999-05-01", None, "AFG", "GOV"),
    ("Afghan Taliban", "2015-05-01", None, "AFG", "REB"),
    ("Taleban", "2012-01-10", None, "AFG", "REB"),
    ("Islamic Emirate", "2022-01-10", None, "AFG", "GOV"),
    ("a senior Taliban leader", "2018-01-01", None, "AFG", "REB"),
    ("a senior Taliban leader", "2022-01-01", None, "AFG", "GOV"),
    ("Taliban fighters", "2016-04-04", None, "AFG", "REB"),
    ("Taliban spokesman", "2024-04-04", None, "AFG", "GOV"),
    ("Taliban police", "2023-04-04", None, "AFG", "COP"),
    ("the Taliban's intelligence", "2023-04-04", None, "AFG", "SPY"),
    ("Haqqani Network", "2012-01-01", None, "AFG", "REB"),
    ("Haqqani network", "2022-06-01", None, "AFG", "GOV"),
    # Imran Khan: prime minister 2018-08-18 -> 2022-04-10, opposition after
    ("Imran Khan", "2017-05-01", None, "PAK", "PTY"),
    ("Imran Khan", "2019-05-01", None, "PAK", "GOV"),
    ("Prime Minister Imran Khan", "2021-12-01", None, "PAK", "GOV"),
    ("Imran Khan", "2022-04-09", None, "PAK", "GOV"),
    ("Imran Khan", "2022-04-11", None, "PAK", "OPP"),
    ("former prime minister Imran Khan", "2023-06-01", None, "PAK", "OPP"),
    ("PTI", "2020-01-01", None, "PAK", "PTY"),
    # Shehbaz Sharif
    ("Shehbaz Sharif", "2012-01-01", None, "PAK", "GOV"),
    ("Shehbaz Sharif", "2019-03-01", None, "PAK", "OPP"),
    ("Shehbaz Sharif", "2022-06-01", None, "PAK", "GOV"),
    ("Shahbaz Sharif", "2023-10-01", None, "PAK", "PTY"),
    ("Prime Minister Shehbaz Sharif", "2025-01-15", None, "PAK", "GOV"),
    # Nawaz Sharif
    ("Nawaz Sharif", "2015-01-01", None, "PAK", "GOV"),
    ("Nawaz Sharif", "2019-01-01", None, "PAK", "PTY"),
    # Hamid Karzai and Ashraf Ghani in and out of office
    ("Hamid Karzai", "2001-06-01", None, "AFG", None),
    ("Hamid Karzai", "2005-03-01", None, "AFG", "GOV"),
    ("President Karzai", "2012-03-01", None, "AFG", "GOV"),
    ("Hamid Karzai", "2016-03-01", None, "AFG", "ELI"),
    ("former president Hamid Karzai", "2019-09-01", None, "AFG", "ELI"),
    ("Ashraf Ghani", "2003-01-01", None, "AFG", "GOV"),
    ("Ashraf Ghani", "2010-01-01", None, "AFG", "ELI"),
    ("Ashraf Ghani", "2018-01-01", None, "AFG", "GOV"),
    ("Ghani", "2021-08-14", None, "AFG", "GOV"),
    ("Ashraf Ghani", "2021-09-01", None, "AFG", "ELI"),
    ("Abdullah Abdullah", "2016-01-01", None, "AFG", "GOV"),
    ("Abdullah Abdullah", "2010-01-01", None, "AFG", "OPP"),
    ("Amrullah Saleh", "2008-01-01", None, "AFG", "SPY"),
    ("Amrullah Saleh", "2021-02-01", None, "AFG", "GOV"),
    ("Amrullah Saleh", "2022-02-01", None, "AFG", "REB"),
    # army chiefs and spy chiefs
    ("General Ashfaq Parvez Kayani", "2006-01-01", None, "PAK", "SPY"),
    ("General Kayani", "2010-01-01", None, "PAK", "MIL"),
    ("Kayani", "2015-01-01", None, "PAK", "ELI"),
    ("Raheel Sharif", "2015-01-01", None, "PAK", "MIL"),
    ("General Qamar Javed Bajwa", "2019-01-01", None, "PAK", "MIL"),
    ("Qamar Javed Bajwa", "2023-02-01", None, "PAK", "ELI"),
    ("Asim Munir", "2019-01-01", None, "PAK", "SPY"),
    ("Asim Munir", "2020-05-01", None, "PAK", "MIL"),
    ("army chief General Asim Munir", "2024-05-01", None, "PAK", "MIL"),
    ("Faiz Hameed", "2020-05-01", None, "PAK", "SPY"),
    ("Faiz Hameed", "2024-09-01", None, "PAK", "ELI"),
    ("Pervez Musharraf", "2004-01-01", None, "PAK", "GOV"),
    ("Musharraf", "2012-01-01", None, "PAK", "ELI"),
    ("Asif Ali Zardari", "2010-01-01", None, "PAK", "GOV"),
    ("Asif Ali Zardari", "2018-01-01", None, "PAK", "PTY"),
    ("President Zardari", "2024-06-01", None, "PAK", "GOV"),
    ("Yousaf Raza Gilani", "2010-01-01", None, "PAK", "GOV"),
    ("Anwaar-ul-Haq Kakar", "2023-10-01", None, "PAK", "GOV"),
    ("Anwaar-ul-Haq Kakar", "2020-10-01", None, "PAK", "LEG"),
    ("Bilawal Bhutto Zardari", "2022-10-01", None, "PAK", "GOV"),
    ("Bilawal Bhutto", "2024-10-01", None, "PAK", "PTY"),
    ("Ishaq Dar", "2024-10-01", None, "PAK", "GOV"),
    ("Khawaja Asif", "2015-10-01", None, "PAK", "GOV"),
    ("Interior Minister Sheikh Rasheed Ahmed", "2021-06-01", None, "PAK", "GOV"),
    ("Sheikh Rashid", "2023-06-01", None, "PAK", "OPP"),
    ("Chief Justice Qazi Faez Isa", "2024-01-01", None, "PAK", "JUD"),
    # Taliban figures before and after the takeover
    ("Hibatullah Akhundzada", "2019-01-01", None, "AFG", "REB"),
    ("Hibatullah Akhundzada", "2023-01-01", None, "AFG", "GOV"),
    ("Mullah Baradar", "2020-02-29", None, "AFG", "REB"),
    ("Mullah Baradar", "2022-02-01", None, "AFG", "GOV"),
    ("Amir Khan Muttaqi", "2023-02-01", None, "AFG", "GOV"),
    ("Zabihullah Mujahid", "2015-02-01", None, "AFG", "REB"),
    ("Zabihullah Mujahid", "2022-02-01", None, "AFG", "GOV"),
    ("Sirajuddin Haqqani", "2017-02-01", None, "AFG", "REB"),
    ("Sirajuddin Haqqani", "2022-02-01", None, "AFG", "GOV"),
    ("Mullah Yaqoob", "2022-02-01", None, "AFG", "GOV"),
    ("Mullah Omar", "2000-02-01", None, "AFG", "GOV"),
    ("Mullah Omar", "2005-02-01", None, "AFG", "REB"),
    # Pakistani militants and state bodies
    ("TTP", "2014-12-16", None, "PAK", "REB"),
    ("Tehreek-e-Taliban Pakistan", "2023-01-30", None, "PAK", "REB"),
    ("Tehrik-i-Taliban Pakistan", "2012-10-09", None, "PAK", "REB"),
    ("Pakistani Taliban", "2009-10-10", None, "PAK", "REB"),
    ("Noor Wali Mehsud", "2022-11-28", None, "PAK", "REB"),
    ("Hakimullah Mehsud", "2012-01-01", None, "PAK", "REB"),
    ("Jamaat-ul-Ahrar", "2016-03-27", None, "PAK", "REB"),
    ("Balochistan Liberation Army", "2025-03-11", None, "PAK", "REB"),
    ("BLA", "2024-08-26", None, "PAK", "REB"),
    ("Lashkar-e-Taiba", "2008-11-26", None, "PAK", "REB"),
    ("Jaish-e-Mohammed", "2019-02-14", None, "PAK", "REB"),
    ("ISI", "2011-05-02", None, "PAK", "SPY"),
    ("Inter-Services Intelligence", "2011-05-02", None, "PAK", "SPY"),
    ("ISPR", "2020-05-02", None, "PAK", "MIL"),
    ("Frontier Corps", "2020-05-02", None, "PAK", "PRM"),
    ("NDS", "2015-05-02", None, "AFG", "SPY"),
    ("ISKP", "2021-08-26", None, "AFG", "REB"),
    ("Islamic State Khorasan", "2022-08-26", None, "AFG", "REB"),
    ("IS-K", "2022-08-26", None, "AFG", "REB"),
    ("al-Qaeda", "2005-08-26", None, "IMG", "REB"),
    ("PML-N", "2016-08-26", None, "PAK", "PTY"),
    ("JUI-F", "2016-08-26", None, "PAK", "PTY"),
    # regional and US officials
    ("Narendra Modi", "2010-01-01", None, "IND", "GOV"),
    ("Modi", "2019-02-27", None, "IND", "GOV"),
    ("Manmohan Singh", "2008-11-27", None, "IND", "GOV"),
    ("George W. Bush", "2003-03-20", None, "USA", "GOV"),
    ("Barack Obama", "2011-05-02", None, "USA", "GOV"),
    ("Donald Trump", "2019-01-01", None, "USA", "GOV"),
    ("Donald Trump", "2023-01-01", None, "USA", "OPP"),
    ("Donald Trump", "2025-03-01", None, "USA", "GOV"),
    ("Joe Biden", "2021-08-31", None, "USA", "GOV"),
    ("Zalmay Khalilzad", "2020-02-29", None, "USA", "GOV"),
    ("Admiral Mike Mullen", "2010-09-01", None, "USA", "MIL"),
    ("Xi Jinping", "2015-04-20", None, "CHN", "GOV"),
    ("Hassan Rouhani", "2016-04-20", None, "IRN", "GOV"),
    ("Ebrahim Raisi", "2020-04-20", None, "IRN", "JUD"),
    ("Vladimir Putin", "2010-04-20", None, "RUS", "GOV"),
]


@pytest.mark.parametrize(("mention", "day", "context", "code", "sector"), DATED_CASES)
def test_resolve_dated_mention(resolver, mention, day, context, code, sector):
    matches = resolver.resolve(mention, date=D(day), context=context)
    assert matches, f"no actor for {mention!r}"
    assert (matches[0].code, matches[0].sector) == (code, sector)


# generic agents with a country from an adjective, a possessive, an "of" phrase or context
AGENT_CASES = [
    ("Pakistani police", None, None, "PAK", "COP"),
    ("Pakistan's military", None, None, "PAK", "MIL"),
    ("Pakistan's army chief", None, None, "PAK", "MIL"),
    ("the army of Pakistan", None, None, "PAK", "MIL"),
    ("the president of Afghanistan", None, None, "AFG", "GOV"),
    ("Afghan security forces", None, None, "AFG", "MIL"),
    ("Indian troops", None, None, "IND", "MIL"),
    ("Iranian border guards", None, None, "IRN", "COP"),
    ("Chinese foreign ministry", None, None, "CHN", "GOV"),
    ("the head of the US military", None, None, "USA", "MIL"),
    ("US-led coalition", None, None, "IGO", "MIL"),
    ("Afghan refugees", None, None, "AFG", "REF"),
    ("Pakistani lawmakers", None, None, "PAK", "LEG"),
    ("Pakistan's Supreme Court", None, None, "PAK", "JUD"),
    ("Afghan villagers", None, None, "AFG", "CVL"),
    ("Kashmiri protesters", None, "Kashmiri protesters marched in Srinagar, India.", "IND", "CVL"),
    ("Pakistani journalists", None, None, "PAK", "JRN"),
    ("Baloch insurgents", None, "Baloch insurgents attacked a convoy in Pakistan.", "PAK", "REB"),
    ("Uzbek officials", None, None, "UZB", "GOV"),
    ("Tajik border troops", None, None, "TJK", "MIL"),
    ("Islamabad", None, None, "PAK", "GOV"),
    ("Kabul", None, None, "AFG", "GOV"),
    ("New Delhi", None, None, "IND", "GOV"),
    ("Tehran", None, None, "IRN", "GOV"),
    ("the police", None, "Police in Pakistan said the police had arrested him.", "PAK", "COP"),
    (
        "militants",
        None,
        "Militants attacked a checkpoint in Afghanistan's Kunar province.",
        "AFG",
        "REB",
    ),
    ("the government", None, "Pakistan's government raised fuel prices.", "PAK", "GOV"),
    ("security forces", None, "Security forces in Pakistan killed five.", "PAK", "MIL"),
    ("gunmen", None, "Gunmen killed two Pakistani soldiers.", "PAK", "UAF"),
    ("police", None, None, None, "COP"),
]


@pytest.mark.parametrize(("mention", "day", "context", "code", "sector"), AGENT_CASES)
def test_resolve_agent_with_country(resolver, mention, day, context, code, sector):
    matches = resolver.resolve(mention, date=D(day) if day else None, context=context)
    assert matches
    assert (matches[0].code, matches[0].sector) == (code, sector)


def test_resolve_country_hint_fills_bare_agent(resolver):
    m = resolver.resolve("paramilitary forces", country_hint="PAK")
    assert (m[0].code, m[0].sector) == ("PAK", "PRM")


IGO_CASES = [
    ("United Nations", "UNO"),
    ("UN Security Council", "UNO"),
    ("UNHCR", "UNO"),
    ("UNAMA", "UNO"),
    ("World Health Organization", "UNO"),
    ("European Union", "EUR"),
    ("NATO", "IGO"),
    ("ISAF", "IGO"),
    ("World Bank", "IGO"),
    ("IMF", "IGO"),
    ("Shanghai Cooperation Organisation", "IGO"),
    ("OIC", "IGO"),
    ("ASEAN", "IGO"),
    ("African Union", "IGO"),
    ("Arab League", "IGO"),
    ("ICRC", "NGO"),
    ("Amnesty International", "NGO"),
]


@pytest.mark.parametrize(("mention", "code"), IGO_CASES)
def test_resolve_international_organisation(resolver, mention, code):
    matches = resolver.resolve(mention, date=D("2015-01-01"))
    assert matches and matches[0].code == code


COUNTRY_CASES = [
    ("Pakistan", "PAK"),
    ("Afghanistan", "AFG"),
    ("United States", "USA"),
    ("U.S.", "USA"),
    ("Britain", "GBR"),
    ("Russia", "RUS"),
    ("Soviet Union", "RUS"),
    ("Burma", "MMR"),
    ("Ivory Coast", "CIV"),
    ("South Korea", "KOR"),
    ("North Korea", "PRK"),
    ("Iran", "IRN"),
    ("Kosovo", "KOS"),
    ("Palestinian", "PSE"),
    ("Tajikistan", "TJK"),
]


@pytest.mark.parametrize(("mention", "code"), COUNTRY_CASES)
def test_resolve_country_name_or_adjective(resolver, mention, code):
    matches = resolver.resolve(mention)
    assert matches and matches[0].code == code and matches[0].kb_id


def test_resolve_compound_adjectives_share_agent(resolver):
    matches = resolver.resolve("Pakistani and Afghan officials")
    assert [(m.code, m.sector) for m in matches] == [("PAK", "GOV"), ("AFG", "GOV")]


@pytest.mark.parametrize("text", ["the weather", "a major attack on the road", "it rained", ""])
def test_resolve_non_actor_is_empty(resolver, text):
    assert resolver.resolve(text) == []


def test_resolve_acronym_needs_capitals(resolver):
    assert resolver.resolve("they told us") == []
    assert resolver.resolve("the US")[0].code == "USA"


def test_resolve_confidence_in_unit_interval(resolver):
    for text in ("Taliban", "police", "Pakistani police", "Kabul", "President Mugabe"):
        for m in resolver.resolve(text, date=D("2020-01-01")):
            assert 0.0 <= m.confidence <= 1.0


def test_resolve_kb_match_beats_context_guess(resolver):
    named = resolver.resolve("ISI", date=D("2020-01-01"))[0]
    guessed = resolver.resolve("police", context="Police in Pakistan said.")[0]
    assert named.confidence > guessed.confidence


def test_resolve_unknown_titled_person_takes_context_country(resolver):
    m = resolver.resolve("President Bouteflika", context="Algeria's President Bouteflika spoke.")
    assert (m[0].code, m[0].sector) == ("DZA", "GOV")


def test_resolve_match_to_dict_has_contract_keys(resolver):
    d = resolver.resolve("Pakistani police")[0].to_dict()
    assert {"code", "country", "sector", "kb_id", "name", "office", "confidence"} <= set(d)
    assert d["country"] == "Pakistan"


def test_resolve_cache_respects_date(resolver):
    before = resolver.resolve("Taliban", date=D("2020-01-01"))[0].sector
    after = resolver.resolve("Taliban", date=D("2022-01-01"))[0].sector
    again = resolver.resolve("Taliban", date=D("2020-01-02"))[0].sector
    assert (before, after, again) == ("REB", "GOV", "REB")


CONTEXT_CASES = [
    # the sentence says more than the mention
    ("Hungarian", "Hungarian and Romanian officials met in Vienna.", "HUN", "GOV"),
    ("President Bouteflika", "Algeria's President Bouteflika spoke.", "DZA", "GOV"),
    ("King Hassan of Morocco", "King Hassan of Morocco received the envoy.", "MAR", "GOV"),
    ("rebels in the Ivory Coast", "Talks with rebels in the Ivory Coast failed.", "CIV", "REB"),
    ("the Sindh government", "The Sindh government imposed a curfew.", "PAK", "GOV"),
    ("Punjab police", "Punjab police arrested the suspects.", "PAK", "COP"),
    ("Iraqi Kurds", "Iraqi Kurds fled to the mountains.", "IRQ", "CVL"),
    ("U.S. negotiator", "The U.S. negotiator left Doha.", "USA", "GOV"),
    ("Taiwan's Vice Foreign Minister", "Taiwan's Vice Foreign Minister flew home.", "TWN", "GOV"),
    ("Congolese refugees", "Congolese refugees crossed into Uganda.", "COD", "REF"),
]


@pytest.mark.parametrize(("mention", "context", "code", "sector"), CONTEXT_CASES)
def test_resolve_mention_read_in_context(resolver, mention, context, code, sector):
    m = resolver.resolve(mention, date=D("2015-01-01"), context=context)[0]
    assert (m.code, m.sector) == (code, sector)


@pytest.mark.parametrize(
    ("context", "sector"),
    [
        ("Kabul rejected the claim on Monday.", "GOV"),
        ("Islamabad said it would respond.", "GOV"),
        ("A bomb exploded in Kabul on Monday.", None),
    ],
)
def test_resolve_capital_is_government_only_when_it_acts(resolver, context, sector):
    mention = "Kabul" if "Kabul" in context else "Islamabad"
    m = resolver.resolve(mention, context=context)[0]
    assert (m.code[:3] in ("AFG", "PAK"), m.sector) == (True, sector)


def test_resolve_ousted_title_makes_former_official(resolver):
    m = resolver.resolve("ousted President Ashraf Ghani", date=D("2021-08-01"))[0]
    assert (m.code, m.sector) == ("AFG", "ELI")


@pytest.mark.parametrize(
    ("mention", "code"),
    [("Afganistan", "AFG"), ("Pakistn", "PAK"), ("Uzbekstan", "UZB"), ("Ghanians", "GHA")],
)
def test_resolve_one_edit_misspelt_country(resolver, mention, code):
    assert resolver.resolve(mention)[0].code == code


@pytest.mark.parametrize("word", ["Indiana", "Austrians were", "Jordanian"])
def test_resolve_fuzzy_does_not_override_real_words(resolver, word):
    codes = [m.code for m in resolver.resolve(word)]
    assert "IND" not in codes and "AUS" not in codes


@pytest.mark.parametrize(
    ("mention", "context", "code"),
    [
        ("ethnic Uzbeks", "Ethnic Uzbeks in northern Afghanistan fled the fighting.", "AFG"),
        ("ethnic Pashtun traders", "Ethnic Pashtun traders in Karachi closed their shops.", "PAK"),
    ],
)
def test_resolve_ethnic_group_takes_country_of_residence(resolver, mention, context, code):
    m = resolver.resolve(mention, context=context)[0]
    assert m.code == code


def test_resolve_local_branch_of_transnational_group_takes_country(resolver):
    m = resolver.resolve("Pakistan's al-Qaeda", date=D("2008-01-01"))[0]
    assert (m.code, m.sector, m.kb_id) == ("PAK", "REB", "al_qaeda")


def test_resolve_title_gives_sector_when_dates_do_not(resolver):
    # Obama held no office in 2000: the title in the text still says he is the president
    m = resolver.resolve("President Obama", date=D("2000-01-01"))[0]
    assert (m.code, m.sector) == ("USA", "GOV")


MORE_DATED_CASES = [
    ("Sher Mohammad Karimi", "2012-01-01", "AFG", "MIL"),
    ("Sher Mohammad Karimi", "2018-01-01", "AFG", "ELI"),
    ("Dalbir Singh Suhag", "2015-01-01", "IND", "MIL"),
    ("General Bipin Rawat", "2020-06-01", "IND", "MIL"),
    ("Khairullah Khairkhwa", "2000-01-01", "AFG", "GOV"),
    ("Khairullah Khairkhwa", "2019-01-01", "AFG", "REB"),
    ("Khairullah Khairkhwa", "2023-01-01", "AFG", "GOV"),
    ("Esmail Qaani", "2021-01-01", "IRN", "MIL"),
    ("Zarar Ahmad Moqbel", "2007-01-01", "AFG", "GOV"),
    ("Gohar Ali Khan", "2024-05-01", "PAK", "OPP"),
]


@pytest.mark.parametrize(("mention", "day", "code", "sector"), MORE_DATED_CASES)
def test_resolve_more_office_holders(resolver, mention, day, code, sector):
    m = resolver.resolve(mention, date=D(day))[0]
    assert (m.code, m.sector) == (code, sector)


@pytest.mark.parametrize(
    ("mention", "day", "code", "sector"),
    [
        ("a spokesman for the Taliban", "2019-05-01", "AFG", "REB"),
        ("a spokesman for the Pakistani military", "2019-05-01", "PAK", "MIL"),
        ("US special envoy for Afghanistan Zalmay Khalilzad", "2019-05-01", "USA", "GOV"),
    ],
)
def test_resolve_for_phrases(resolver, mention, day, code, sector):
    m = resolver.resolve(mention, date=D(day))[0]
    assert (m.code, m.sector) == (code, sector)


@pytest.mark.parametrize(
    ("day", "kb_id"),
    [("1991-01-17", "george_hw_bush"), ("2003-03-20", "george_w_bush"), (None, "george_w_bush")],
)
def test_resolve_shared_alias_picks_office_holder_of_the_date(resolver, day, kb_id):
    m = resolver.resolve("President Bush", date=D(day) if day else None)[0]
    assert m.kb_id == kb_id
