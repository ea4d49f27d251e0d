"""One sentence judged as a timeline line: real sentences of Timeline17's crawled pages."""

from __future__ import annotations

from newsweave.clean.sentence import drop_weekday, news_sentence, strip_dateline, strip_glued_head

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


# BBC first sentences of Timeline17 (H1N1): headline and photo caption glued before the lede.
GLUED_CAPTION = (
    "Face masks are handed out, while the head of the WHO voices concern A new flu virus suspected of "
    "killing as many as 81 people in Mexico has the potential to become a pandemic, the World Health "
    "Organization's chief says."
)
GLUED_HEADLINE = (
    "Eight cases of swine flu have emerged in the UK Two more people in London have been diagnosed with "
    "the swine flu virus, the Department of Health (DH) confirmed."
)


def test_a_headline_or_caption_glued_before_a_lede_goes() -> None:
    assert news_sentence(GLUED_CAPTION, lede=True) == GLUED_CAPTION[GLUED_CAPTION.index("A new flu") :]
    assert news_sentence(GLUED_HEADLINE, lede=True) == GLUED_HEADLINE[GLUED_HEADLINE.index("Two more") :]
    assert strip_glued_head(GLUED_HEADLINE) == GLUED_HEADLINE[GLUED_HEADLINE.index("Two more") :]


def test_a_capitalised_word_inside_a_body_sentence_is_no_glue() -> None:
    body = "The school said it would give its grade A students a discount on the new courses this year."
    assert news_sentence(body) == body  # not a lede: never cut
    assert news_sentence(CNN, lede=True) == CNN[CNN.index("Thousands") :]  # a lede without glue
    short = "Deaths rise A new toll of 20 was given."  # the lede left would be too short
    assert strip_glued_head(short) == short


def test_an_exclamation_is_no_timeline_line() -> None:
    comment = (
        'The gist of what you have been reporting in the last week is "15 people caught the flu in the UK '
        'and they are now recovering from it"!'
    )
    assert news_sentence(comment) is None


def test_a_weekday_saying_when_goes_but_a_name_holding_one_stays() -> None:
    reuters = (
        "A new type of swine flu has infected at least two children in California and while both have "
        "recovered, U.S. health officials said on Tuesday they were looking for more cases."
    )
    assert drop_weekday(reuters) == reuters.replace(" on Tuesday", "")
    assert drop_weekday("Tanks stormed Hama late on Friday night, residents said.") == (
        "Tanks stormed Hama, residents said."
    )
    kept = "The Sunday Times said Monday's attack on the convoy was planned."
    assert drop_weekday(kept) == kept
    head = "On Monday, Russian President Vladimir Putin met North Korean Foreign Minister Choe Son-hui."
    assert drop_weekday(head) == head.removeprefix("On Monday, ")
    assert drop_weekday("By Monday, the talks had failed.") == "By Monday, the talks had failed."


def test_a_readers_comment_stamp_and_a_menus_bar_are_no_timeline_lines() -> None:
    # comments under CNN's Egypt live pages, and a poll's buttons glued to a sentence
    assert news_sentence("January 31, 2011 at 6:39 pm | Don t just stand there, President Obama, stand up for the people of Egypt.") is None  # fmt: skip
    assert news_sentence("Alan Misenheimer February 2, 2011 at 2:30 pm | The people in Egypt have the right to protest.") is None  # fmt: skip
    assert news_sentence("YES | NO Egyptian President Hosni Mubarak stepped down as president of Egypt on February 11.") is None  # fmt: skip
    assert news_sentence(REUTERS) is not None  # a wire's bar goes with its dateline
