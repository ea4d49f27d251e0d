"""One sentence judged as a timeline line: real sentences of Timeline17's crawled pages."""

from __future__ import annotations

from newsweave.clean.sentence import news_sentence, strip_dateline

REUTERS = (
    "JERUSALEM | Mon Oct 31, 2011 8:02 pm GMT JERUSALEM (Reuters) - Israel is forcing Palestinians out of "
    "East Jerusalem as part of a deliberate policy that might constitute a war crime, a prominent Israeli "
    "non-governmental organization said on Monday, a charge rejected by Jerusalem's mayor."
)
CNN = (
    "Cairo, Egypt (CNN) -- Thousands of protesters spilled into the streets of Egypt on Tuesday, an "
    "unprecedented display of anti-government rage inspired in part by the tumult in the nearby North "
    "African nation of Tunisia."
)
LISTED = (
    "April 28 - The Coast Guard says the flow of oil is 5,000 barrels per day (bpd) -- five times "
    "greater than first estimated."
)


def test_a_wire_dateline_and_what_the_crawl_glued_before_it_go() -> None:
    assert news_sentence(REUTERS) == REUTERS[REUTERS.index("Israel is forcing") :]
    assert news_sentence(CNN) == CNN[CNN.index("Thousands") :]


def test_a_date_heading_a_listed_event_goes() -> None:
    assert strip_dateline(LISTED) == LISTED[LISTED.index("The Coast Guard") :]
    assert strip_dateline("Apr. 21: Fire boat crews battle the blazing remnants of the rig.") == (
        "Fire boat crews battle the blazing remnants of the rig."
    )


def test_a_pages_time_stamp_and_the_headline_before_it_go() -> None:
    text = (
        "Months of war that ruined centuries of history Cherished monuments defaced and ancient inscribed "
        "fragments found in spoil heaps Saturday 15 January 2005 16.18 GMT Iraqi authorities will today take "
        "back responsibility for the site of Babylon in a formal handover from the coalition forces."
    )
    assert news_sentence(text) == text[text.index("Iraqi authorities") :]


def test_a_live_blog_stamp_goes() -> None:
    update = (
        "(Update 9:45 p.m. Cairo, 2:45 p.m. ET) Egypt's health minister said 611 people were injured in "
        "clashes in Cairo's Tahrir square Wednesday, state-run television reported."
    )
    assert news_sentence(update) == update[update.index("Egypt's") :]


def test_a_sentence_that_only_starts_with_a_capital_and_a_bracket_stays() -> None:
    text = "The World Health Organization (WHO) - which had warned of a pandemic - raised its alert level."
    assert strip_dateline(text) == text  # what follows the dash does not start a sentence
    assert news_sentence(text) == text


def test_furniture_and_questions_are_no_timeline_lines() -> None:
    assert (
        news_sentence(
            "Photograph: PA A lawyer for one of the British soldiers facing charges of abusing Iraqi "
            "detainees today blamed superiors who had called for a crackdown on looters at a British camp."
        )
        is None
    )
    assert (
        news_sentence(
            "After the 1997 election, Lanchester wrote: I very quickly felt as if I was the only person I knew "
            "who still basically approved of Blair, apart from all the people who voted for him."
        )
        is None
    )
    assert news_sentence("How on earth, I wondered, would the show make us laugh after that?") is None
    assert news_sentence("Would you like to make this your default edition?") is None


def test_headlines_and_run_ons_are_no_timeline_lines() -> None:
    assert news_sentence("BP boss expects new year dividend") is None  # no sentence, few function words
    run_on = (  # a headline, a photo caption and the lede with no stop between them
        "Mexico to re-test swine flu cases The widow of swine flu victim Gerardo Leyva first heard of the "
        "cause of his death when an Associated Press reporter contacted her, the news agency says Stricter "
        "swine flu tests have cut the number of confirmed deaths in Mexico, where the virus was first "
        "reported, from 20 to seven, authorities say."
    )
    assert news_sentence(run_on) is None
