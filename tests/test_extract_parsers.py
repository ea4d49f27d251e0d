"""The date and number parsers of the extract stage: examples and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsweave.extract import parse_number, resolve_date
from newsweave.extract.dates import FUTURE_TOLERANCE_DAYS, find_dates

TUESDAY = "2024-11-05"  # the seeds' publication day, a Tuesday

dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31))


@pytest.mark.parametrize(
    ("text", "value", "end_value", "grain", "anchor"),
    [
        ("November 4", "2024-11-04", None, "day", "published"),
        ("4 November", "2024-11-04", None, "day", "published"),
        ("5 November, 2024", "2024-11-05", None, "day", "absolute"),
        ("Oct. 8", "2024-10-08", None, "day", "published"),
        ("October 24, 2024", "2024-10-24", None, "day", "absolute"),
        ("Tuesday, November 5", "2024-11-05", None, "day", "published"),
        ("on Monday", "2024-11-04", None, "day", "published"),
        ("on Tuesday", "2024-11-05", None, "day", "published"),
        ("last Monday", "2024-11-04", None, "day", "published"),
        ("next Monday", "2024-11-11", None, "day", "published"),
        ("yesterday", "2024-11-04", None, "day", "published"),
        ("today", "2024-11-05", None, "day", "published"),
        ("the day before", "2024-11-04", None, "day", "published"),
        ("last week", "2024-10-28", "2024-11-03", "day", "published"),
        ("this week", "2024-11-04", "2024-11-10", "day", "published"),
        ("earlier this month", "2024-11", None, "month", "published"),
        ("last month", "2024-10", None, "month", "published"),
        ("last year", "2023", None, "year", "published"),
        ("in June", "2024-06", None, "month", "published"),
        ("in December", "2024-12", None, "month", "published"),
        ("in January", "2025-01", None, "month", "published"),
        ("in March", "2024-03", None, "month", "published"),
        ("June 2023", "2023-06", None, "month", "absolute"),
        ("this summer", "2024-06", "2024-08", "month", "published"),
        ("this past summer", "2024-06", "2024-08", "month", "published"),
        ("winter of 2022", "2022-12", "2023-02", "month", "absolute"),
        ("October 8-13", "2024-10-08", "2024-10-13", "day", "published"),
        ("October 27-28", "2024-10-27", "2024-10-28", "day", "published"),
        ("from October 8 to October 13", "2024-10-08", "2024-10-13", "day", "published"),
        ("between December 28 and January 3", "2024-12-28", "2025-01-03", "day", "published"),
        ("between March 28 and April 3", "2024-03-28", "2024-04-03", "day", "published"),
        ("in 2022", "2022", None, "year", "absolute"),
        ("two years ago", "2022", None, "year", "published"),
        ("a month", None, None, "duration", "none"),
        ("a few days", None, None, "duration", "none"),
        ("a few weeks", None, None, "duration", "none"),
        ("two years", None, None, "duration", "none"),
        ("18:39", "2024-11-05T18:39", None, "time", "published"),
    ],
)
def test_resolve_date_examples(
    text: str, value: str | None, end_value: str | None, grain: str, anchor: str
) -> None:
    resolved = resolve_date(text, TUESDAY)
    assert resolved is not None
    assert (resolved.value, resolved.end_value, resolved.grain, resolved.anchor) == (
        value,
        end_value,
        grain,
        anchor,
    )


def test_a_datetime_published_value_is_an_anchor() -> None:
    resolved = resolve_date("on Monday", "2024-11-05T18:39")
    assert resolved is not None and resolved.value == "2024-11-04"


def test_relative_dates_need_an_anchor() -> None:
    for text in ("on Monday", "yesterday", "November 4", "last month", "this summer"):
        resolved = resolve_date(text, None)
        assert resolved is not None and (resolved.value, resolved.anchor) == (None, "none"), text


def test_absolute_dates_need_no_anchor() -> None:
    resolved = resolve_date("October 24, 2024", None)
    assert resolved is not None and (resolved.value, resolved.anchor) == ("2024-10-24", "absolute")


def test_impossible_dates_are_not_dates() -> None:
    assert resolve_date("February 30", TUESDAY) is None
    assert resolve_date("October 13-8", TUESDAY) is None


def test_may_needs_a_preposition_to_be_a_month() -> None:
    found = find_dates("Russia may respond. It began in May.", TUESDAY)
    assert [f.date.value for f in found] == ["2024-05"]


def test_found_dates_never_cross_paragraphs() -> None:
    found = find_dates("2024, Friday\n\n6 December", TUESDAY)
    assert all("\n" not in "2024, Friday\n\n6 December"[f.start : f.end] for f in found)


@given(dates)
def test_month_day_year_round_trips(day: dt.date) -> None:
    for form in ("%B %d, %Y", "%d %B, %Y", "%B %d %Y", "%d %B %Y"):
        resolved = resolve_date(day.strftime(form), None)
        assert resolved is not None and resolved.value == day.isoformat(), form


@given(dates, st.integers(min_value=0, max_value=365 - FUTURE_TOLERANCE_DAYS - 2))
def test_month_day_takes_the_year_of_a_recent_article(day: dt.date, days_later: int) -> None:
    published = day + dt.timedelta(days=days_later)
    resolved = resolve_date(day.strftime("%B %d"), published.isoformat())
    assert resolved is not None and resolved.value == day.isoformat()


@given(dates, st.integers(min_value=0, max_value=FUTURE_TOLERANCE_DAYS))
def test_month_day_may_be_a_little_after_the_article(day: dt.date, days_before: int) -> None:
    published = day - dt.timedelta(days=days_before)
    resolved = resolve_date(day.strftime("%B %d"), published.isoformat())
    assert resolved is not None and resolved.value == day.isoformat()


@given(dates)
def test_weekday_is_never_after_the_article(published: dt.date) -> None:
    for name in ("Monday", "Wednesday", "Sunday"):
        resolved = resolve_date(f"on {name}", published.isoformat())
        assert resolved is not None and resolved.value is not None
        day = dt.date.fromisoformat(resolved.value)
        assert day.strftime("%A") == name
        assert dt.timedelta(0) <= published - day < dt.timedelta(days=7)


@given(st.text(max_size=80), st.one_of(st.none(), st.text(max_size=20), dates.map(dt.date.isoformat)))
def test_date_parsing_never_crashes(text: str, published: str | None) -> None:
    resolve_date(text, published)
    for found in find_dates(text, published):
        assert 0 <= found.start < found.end <= len(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12 000", 12000),
        ("2,600", 2600),
        ("10,000", 10000),
        ("10.000", 10000),
        ("1.5", 1.5),
        ("1.5 million", 1_500_000),
        ("500", 500),
        ("five", 5),
        ("three", 3),
        ("a thousand", 1000),
        ("twenty-five", 25),
        ("three hundred and fifty", 350),
        ("two dozen", 24),
    ],
)
def test_parse_number_examples(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "hundred", "several hundred", "a", "thousands", "11th", "five six x"])
def test_parse_number_refuses_what_is_not_a_number(text: str) -> None:
    assert parse_number(text) is None


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([",", " ", "."]))
def test_parse_number_round_trips_thousand_separators(number: int, separator: str) -> None:
    written = f"{number:,}".replace(",", separator)
    assert parse_number(written) == number


@given(st.text(max_size=40))
def test_parse_number_never_crashes(text: str) -> None:
    value = parse_number(text)
    assert value is None or isinstance(value, float)


def test_a_spoken_count_after_in_is_not_a_year() -> None:
    found = find_dates("Floods hit in two thousand homes in 1998 and in nineteen ninety-six.", None)
    assert [f.date.value for f in found] == ["1998", "1996"]


def test_a_weekday_after_a_plan_or_schedule_is_the_coming_one() -> None:
    # Tuesday 5 Nov 2024: "planned ... on Thursday" is the 7th, "said ... on Thursday" the 31 Oct.
    planned = find_dates("The team planned to leave on Thursday for Paris.", "2024-11-05")
    said = find_dates("The team said on Thursday it had left Paris.", "2024-11-05")
    assert [d.date.value for d in planned] == ["2024-11-07"]
    assert [d.date.value for d in said] == ["2024-10-31"]


def test_a_year_ago_after_a_quarter_in_the_previous_paragraph_is_that_quarter() -> None:
    text = "Profit rose 5% in the third quarter.\nA year earlier, it earned $2 million."
    found = find_dates(text, "1989-10-26")
    assert [d.date.timex_value for d in found] == ["1989-Q3", "1988-Q3"]


def test_a_quarter_of_this_or_next_year() -> None:
    next_year = resolve_date("next year's first quarter", "1989-10-26")
    this_year = resolve_date("this year's third quarter", "1989-10-26")
    assert next_year is not None and next_year.timex == "1990-Q1"
    assert this_year is not None and this_year.timex == "1989-Q3"


def test_a_day_before_a_colon_is_still_a_date() -> None:
    found = find_dates("An editorial on Monday, Oct. 26:\nThe murder of", "1998-10-25")
    assert [(d.date.value, d.end) for d in found] == [("1998-10-26", 31)]


def test_current_and_the_past_alone_are_vague_references() -> None:
    text = "Under current rules, as in the past, the past three years count."
    found = [(text[d.start : d.end], d.date.timex_value) for d in find_dates(text, "2024-11-05", vague=True)]
    assert found == [("current", "PRESENT_REF"), ("the past", "PAST_REF"), ("the past three years", "P3Y")]


def test_holidays_are_the_nearest_such_day() -> None:
    assert [d.date.value for d in find_dates("He was found on Thanksgiving Day.", "2000-01-15")] == [
        "1999-11-25"
    ]
    thanksgiving = resolve_date("Thanksgiving", TUESDAY)  # the fourth Thursday of November 2024
    christmas = resolve_date("next Christmas", "2000-01-15")
    assert thanksgiving is not None and thanksgiving.value == "2024-11-28"
    assert christmas is not None and christmas.value == "2000-12-25"


def test_last_year_after_a_quarter_stays_the_year() -> None:
    found = find_dates("Profit rose in the third quarter, as it did last year.", "1989-10-26")
    assert [d.date.timex_value for d in found] == ["1989-Q3", "1988"]


def test_a_said_right_before_a_weekday_keeps_it_in_the_past() -> None:
    text = '"We will focus on our core brands," Mr. Gerstner said Friday.'
    assert [d.date.value for d in find_dates(text, TUESDAY)] == ["2024-11-01"]


def test_an_initial_does_not_end_the_sentence_that_sets_the_tense() -> None:
    text = "Mr. Schwarz will succeed Daniel P. Davison Feb. 1, the bank said."
    assert [d.date.value for d in find_dates(text, "1989-10-26")] == ["1990-02-01"]


def test_a_month_in_a_sentence_about_the_future_is_the_coming_one() -> None:
    text = "Qantas will almost double its flights to India by August."
    assert [d.date.value for d in find_dates(text, "1998-02-13")] == ["1998-08"]


def test_a_time_with_a_zone_and_a_date_is_that_day() -> None:
    found = find_dates("Bids are due by 5 p.m. EST Nov. 9, it said.", "1989-11-02")
    assert [(d.date.value, d.end) for d in found] == [("1989-11-09T17:00", 33)]


def test_a_year_after_another_in_a_list_or_range_is_a_year() -> None:
    ranged = "In 45 states, the number of doctors who performed abortions declined between 1982 and 1992."
    listed = "Kopp's car crossed the Canadian border around the days _ in 1994, 1995 and 1997 _ that doctors were shot."
    assert [d.date.value for d in find_dates(ranged, "1998-10-25")] == ["1982", "1992"]
    assert [d.date.value for d in find_dates(listed, "1999-04-19")] == ["1994", "1995", "1997"]


def test_decades_with_early_mid_late_or_spoken_and_centuries() -> None:
    text = (
        "The communist group held power in the late 1970s; hate group numbers dropped through the nineties"
        " near Angkor Wat, the fabled 11th century temple."
    )
    found = [(text[d.start : d.end], d.date.timex_value) for d in find_dates(text, "1998-03-03")]
    assert found == [("the late 1970s", "197"), ("the nineties", "199"), ("11th century", "10")]


def test_the_current_year_and_the_year_two_thousand() -> None:
    current = "The company expects to post sales in the current fiscal year that are slightly above fiscal 1989 sales."
    spoken = "His promise to half unemployment by the year two thousand has now been abandoned."
    assert [d.date.value for d in find_dates(current, "1989-11-02")][:1] == ["1989"]
    assert [d.date.value for d in find_dates(spoken, "1998-02-05")] == ["2000"]


def test_a_change_effective_on_a_day_takes_effect_on_the_coming_one() -> None:
    text = "U.S. Trust also created a four-member office of the chairman, effective Feb. 1."
    assert [d.date.value for d in find_dates(text, "1989-10-26")] == ["1990-02-01"]


def test_that_year_and_the_following_one_count_from_the_date_last_named() -> None:
    text = (
        "On May 22, 1995, Farkas was made a brigadier general, and the following year he was appointed "
        "military attache. He appeared in court the next morning."
    )
    found = [(text[d.start : d.end], d.date.value) for d in find_dates(text, "1998-04-18")]
    assert found == [
        ("May 22, 1995", "1995-05-22"),
        ("the following year", "1996"),
        ("the next morning", "1995-05-23"),
    ]


def test_year_ago_results_after_a_quarter_are_that_quarter_a_year_before() -> None:
    text = (
        "Coast earned $10.2 million, or 67 cents a share, in the year-ago quarter. "
        "The year-ago results have been restated. In the year-earlier period, it had net of $77.2 million."
    )
    found = [(text[d.start : d.end], d.date.timex_value) for d in find_dates(text, "1989-11-01")]
    assert found == [
        ("the year-ago quarter", "1988-Q3"),
        ("year-ago", "1988-Q3"),
        ("the year-earlier period", "1988-Q3"),
    ]
    alone = find_dates("Net fell from year-earlier levels.", "1989-11-01")
    assert [(d.date.value, d.date.grain) for d in alone] == [("1988", "year")]


def test_the_summer_year_end_and_mid_year() -> None:
    summer = "Delays made it hard for Sun to meet demand for its newest computers well into the summer."
    year_end = "It expects to obtain regulatory approval and complete the transaction by year-end."
    mid_year = "But the group began to fall apart in mid-1996 after the defection of one of its leaders."
    assert [d.date.timex_value for d in find_dates(summer, "1989-10-26")] == ["1989-SU"]
    assert [d.date.value for d in find_dates(year_end, "1989-11-02")] == ["1989"]
    assert [d.date.value for d in find_dates(mid_year, "1998-02-19")] == ["1996"]


def test_extents_as_timeml_draws_them() -> None:
    # "Earlier this month" and "the end of 1990" keep their edge words; "Earlier Friday"
    # is the day alone, "about three days" the duration without its "about".
    text = (
        "Earlier this month, Sun said it expected to break even. Earlier Friday, lawyers filed a petition. "
        "It wants to boost non-GM revenue by the end of 1990. I am talking about three days, Castro said."
    )
    found = [text[d.start : d.end] for d in find_dates(text, "2000-01-07")]
    assert found == ["Earlier this month", "Friday", "the end of 1990", "three days"]


def test_an_amount_a_year_is_a_rate_not_a_duration() -> None:
    rate = "Unisys said that should help it save $500 million a year in costs."
    seats = "This will add nearly 700 seats a week on the route."
    span = "Officials were upbeat in private, with one even talking of victory within a week."
    assert find_dates(rate, "1989-10-25", vague=True) == []
    assert find_dates(seats, "1998-02-13", vague=True) == []
    assert [d.date.timex_value for d in find_dates(span, "1991-02-25")] == ["P1W"]


def test_unstated_counts_and_the_near_future() -> None:
    weeks = "For weeks the communist government has held such rallies almost daily."
    couple = '"Over the next couple of years we would not be surprised to see sales double," he said.'
    near = "It will offer 15% of the contract-drilling business through an initial public offering in the near future."
    assert [d.date.timex_value for d in find_dates(weeks, "2000-01-15")] == ["PXW"]
    assert [d.date.timex_value for d in find_dates(couple, "1989-10-26")] == ["P2Y"]
    assert [d.date.timex_value for d in find_dates(near, "1989-10-26", vague=True)] == ["FUTURE_REF"]


def test_the_season_of_a_spoken_year() -> None:
    text = "Ah next up is that thirteen dollar a barrel level we saw in the winter of nineteen ninety-four."
    found = [(text[d.start : d.end], d.date.timex_value) for d in find_dates(text, "1998-02-23")]
    assert found == [("the winter of nineteen ninety-four", "1994-WI")]


def test_a_plan_told_in_the_past_tense_keeps_its_weekday_in_the_past() -> None:
    # Monday 30 Oct 1989: "had been due to expire Friday" is the 27th, "is due to expire Friday" the 3rd.
    past = find_dates(
        "The offer was extended to Nov. 16. It had been due to expire Friday evening.", "1989-10-30"
    )
    coming = find_dates("The offer is due to expire Friday evening.", "1989-10-30")
    assert [d.date.timex_value for d in past] == ["1989-11-16", "1989-10-27TEV"]
    assert [d.date.timex_value for d in coming] == ["1989-11-03TEV"]


def test_the_year_ended_a_day_is_a_year_long() -> None:
    text = "For the year ended July 2, Rally had net income of $1.8 million."
    found = [(text[d.start : d.end], d.date.timex_value) for d in find_dates(text, "1989-10-25")]
    assert found == [("the year", "P1Y"), ("July 2", "1989-07-02")]


def test_the_day_before_an_event_is_not_the_day_before_the_article() -> None:
    text = "He was last seen Nov. 3, the day before authorities issued a material witness warrant."
    found = [(text[d.start : d.end], d.date.value) for d in find_dates(text, "1999-05-07")]
    assert found == [("Nov. 3", "1998-11-03")]
    alone = find_dates("The day before, the US summoned Russia and China.", TUESDAY)
    assert [d.date.value for d in alone] == ["2024-11-04"]


def test_election_day_and_midday() -> None:
    election = "Violence is going to be a major theme of our campaign from now to Election Day."
    midday = "He is scheduled to appear before a U.S. magistrate judge in Manhattan at midday."
    assert [d.date.value for d in find_dates(election, "1998-10-26")] == ["1998-11-03"]
    assert [d.date.value for d in find_dates(midday, "1999-10-08")] == ["1999-10-08T12:00"]


GATED_TEXT = (
    "Profit rose in the third quarter from a year earlier, and over the past two years.\n"
    "No dates on this line at all.\n\n"
    "Two weeks ago the board met; next month it meets again for a couple of days.\n"
    "It lasted 3 1/2 hours\n"
    "and the FOURTH QUARTER OF 2023 ended"
)


def test_gated_rules_find_what_the_whole_text_search_finds(seed_texts: dict[str, str]) -> None:
    """A rule with ``needs`` searched only in the lines holding it finds exactly the matches
    of its pattern over the whole text, and every such match holds what it needs."""
    from newsweave.extract.dates import _RULES, _Lines

    gated = [rule for rule in _RULES if rule.needs is not None]
    assert gated
    matched = 0
    for text in [GATED_TEXT, *seed_texts.values()]:
        lines = _Lines(text)
        for rule in gated:
            assert rule.needs is not None
            whole = [m.span() for m in rule.pattern.finditer(text)]
            assert [m.span() for m in lines.matches(rule)] == whole, rule.name
            assert all(rule.needs.search(text, s, e) for s, e in whole), rule.name
            matched += len(whole)
    assert matched >= 6
