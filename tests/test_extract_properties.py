"""Properties of the date and number parsers: what they print they read back, and nothing crashes them."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from newsweave.extract import parse_number, resolve_date
from newsweave.extract.dates import find_dates
from newsweave.extract.periods import duration_timex

days = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31))
published = st.one_of(st.none(), days.map(dt.date.isoformat))

_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen"]
_TEENS += ["nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spoken(number: int) -> str:
    """An integer below a million as English words ("three hundred and fifty")."""
    if number >= 1000:
        rest = number % 1000
        head = f"{spoken(number // 1000)} thousand"
        return head if not rest else f"{head} {'and ' if rest < 100 else ''}{spoken(rest)}"
    if number >= 100:
        rest = number % 100
        head = f"{_ONES[number // 100]} hundred"
        return head if not rest else f"{head} and {spoken(rest)}"
    if number >= 20:
        return _TENS[number // 10] + (f"-{_ONES[number % 10]}" if number % 10 else "")
    return _TEENS[number - 10] if number >= 10 else (_ONES[number] or "zero")


@given(
    days, st.sampled_from(["%B %d, %Y", "%d %B %Y", "%b %d, %Y", "%A, %B %d, %Y", "%Y-%m-%d", "%d %B, %Y"])
)
def test_a_printed_day_reads_back(day: dt.date, form: str) -> None:
    resolved = resolve_date(day.strftime(form), None)
    assert resolved is not None
    assert (resolved.value, resolved.grain, resolved.anchor) == (day.isoformat(), "day", "absolute")


@given(days)
def test_a_printed_month_reads_back(day: dt.date) -> None:
    resolved = resolve_date(day.strftime("%B %Y"), None)
    assert resolved is not None and (resolved.value, resolved.grain) == (day.strftime("%Y-%m"), "month")


@given(st.integers(min_value=1900, max_value=2099))
def test_a_printed_year_reads_back(year: int) -> None:
    found = find_dates(f"It happened in {year}.", None)
    assert [(f.date.value, f.date.grain) for f in found] == [(str(year), "year")]


@given(st.integers(min_value=1910, max_value=1999))
def test_a_spoken_year_reads_back(year: int) -> None:
    resolved = resolve_date(f"nineteen {spoken(year - 1900)}", None)
    assert resolved is not None and resolved.value == str(year)


@given(days, st.integers(min_value=0, max_value=20))
def test_a_printed_day_range_reads_back(day: dt.date, length: int) -> None:
    last = day + dt.timedelta(days=length)
    if last.month != day.month:
        text = f"{day:%B} {day.day} - {last:%B} {last.day}, {day.year}"
    else:
        text = f"{day:%B} {day.day}-{last.day}, {day.year}"
    resolved = resolve_date(text, None)
    assert resolved is not None
    assert (resolved.value, resolved.end_value) == (day.isoformat(), last.isoformat())


@given(
    st.integers(min_value=1, max_value=99),
    st.sampled_from(["day", "week", "month", "year", "hour", "minute"]),
)
def test_a_printed_duration_reads_back(count: int, unit: str) -> None:
    for written in (str(count), spoken(count)):
        resolved = resolve_date(f"{written} {unit}{'s' if count > 1 else ''}", None)
        assert resolved is not None
        assert (resolved.value, resolved.grain, resolved.timex) == (
            None,
            "duration",
            duration_timex(count, unit),
        )


@given(days, st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]))
def test_last_and_next_weekday_are_within_a_week(day: dt.date, weekday: str) -> None:
    last, nxt = (
        resolve_date(f"last {weekday}", day.isoformat()),
        resolve_date(f"next {weekday}", day.isoformat()),
    )
    assert last is not None and nxt is not None and last.value and nxt.value
    assert 1 <= (day - dt.date.fromisoformat(last.value)).days <= 7
    assert 1 <= (dt.date.fromisoformat(nxt.value) - day).days <= 7


@given(st.text(max_size=120), published)
def test_finding_dates_never_crashes(text: str, when: str | None) -> None:
    for found in find_dates(text, when, vague=True):
        assert 0 <= found.start < found.end <= len(text)
        assert found.date.value is None or found.date.anchor != "none"


@given(st.integers(min_value=0, max_value=999_999))
def test_a_spoken_number_reads_back(number: int) -> None:
    assert parse_number(spoken(number)) == number


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["million", "billion", "thousand"]))
def test_a_number_with_a_scale_reads_back(number: int, scale: str) -> None:
    factor = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}[scale]
    assert parse_number(f"{number} {scale}") == number * factor
    assert parse_number(f"{spoken(number)} {scale}") == number * factor


@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.-abdehilnorstuvw")), max_size=30))
def test_number_parsing_never_crashes_on_number_like_text(text: str) -> None:
    value = parse_number(text)
    assert value is None or value >= 0
