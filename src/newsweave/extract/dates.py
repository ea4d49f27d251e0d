"""Date expressions: find them in an article and resolve them to ISO values.

:func:`resolve_date` turns one expression ("October 8-13", "on Monday",
"last month", "this past summer", "two years") into a :class:`DateValue`;
:func:`find_dates` finds every expression in a text with the same rules.

Rules, in short (each is one entry of ``_RULES``; spans of time, quarters,
decades and vague references are in :mod:`.periods`):

* A stated year makes the value ``absolute``; anything else is resolved against
  the article's publication date (``published``), or gets ``value=None`` and
  ``anchor="none"`` when the article has no date: we never guess.
* A month and day without a year take the year that puts the date nearest the
  article date but no more than :data:`FUTURE_TOLERANCE_DAYS` after it
  ("November 4" in a 5 Nov 2024 article is 2024-11-04; "December 28" in a March
  article is last year's, "in January" in November the coming one). A bare month
  ("in June") follows the same rule. In a sentence about the future (a "will",
  "scheduled", "'ll" just before the date, :data:`FUTURE_CUE`) the date may lie up
  to half a year ahead.
* A weekday ("on Monday") is the most recent such day on or before the article
  day ("on Tuesday" in a Tuesday article is that day), or the next one on or after
  it in a sentence about the future (not when a "said" comes right before it:
  '"We will...," he said Friday', nor for a plan told in the past tense: "had been
  due to expire Friday"); "last Monday" is strictly before, "next
  Monday" strictly after. "Friday night" keeps the day, TimeML's ``TNI`` in timex.
* "yesterday"/"today"/"tomorrow" and "the day before" count from the article
  date ("the day before" is read as the day before publication: a simple rule;
  the narrative day it may refer to is not tracked); "the day before authorities
  issued a warrant" counts from an event, not a date, and is left out.
* "last week"/"this week" are Monday..Sunday intervals at day grain; "last
  month" is ``YYYY-MM``; "last year" is ``YYYY`` (right after a quarter, "a year
  earlier", "year-ago results", "the year-earlier period" is that quarter a year
  before; alone, "year-ago" is last year).
* Holidays ("Thanksgiving Day", "Election Day", "Christmas", "New Year's Eve") are the nearest such
  day, as a yearless date is; "last"/"next" one before/after the article.
* Seasons are month intervals of the northern hemisphere (summer = June-August,
  winter = December-February); "the summer" is this one.
* Durations ("a month", "a few days", "two years") keep grain ``duration`` and
  ``value=None``: they say how long, not when (their ISO length is ``timex``).
* Years may be spoken ("nineteen ninety-six"), as broadcast transcripts write them;
  "the year two thousand" is a year, "two thousand" alone a count. A bare year needs
  a preposition before it, or the year before it in a list or range ("between 1982
  and 1992", "1994, 1995 and 1997"). "the current year" / "the full year" / "by year-end" is the article's; "mid-1996" the year.
* "that year", "the following month", "earlier that day", "the next morning" count
  from the last date the text named (within :data:`ANAPHORA_CONTEXT_CHARS`), not
  from the article; "next year" / "next month" count from the article.
* "effective Feb. 1" right before a date puts it in the future (a change takes effect).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator

from .date_core import (
    COUNT,
    COUNT_WORDS,
    DASH,
    DAY,
    FULL_MONTH,
    FUTURE_CUE,
    FUTURE_LOOKAHEAD_DAYS,
    FUTURE_TOLERANCE_DAYS,
    LEAD_MONTH,
    LEAD_WINDOW_CHARS,
    LEAD_YEAR,
    LEADING_PREPOSITION,
    MONTH,
    SEASON_MONTHS,
    WEEKDAY,
    WEEKDAY_NUMBERS,
    YEAR,
    DateValue,
    FoundDate,
    Rule,
    day_number,
    day_value,
    group,
    infer_month_year,
    infer_year,
    line_pattern,
    make_date,
    month_number,
    parse_published,
    shift_month,
    unanchored,
    valid_without_year,
    year_number,
)
from .periods import PERIOD_RULES, week_timex

__all__ = ["FUTURE_TOLERANCE_DAYS", "DateValue", "FoundDate", "find_dates", "parse_published", "resolve_date"]

#: "early", "late", "mid-" before a day or month: TimeML keeps them in the
#: expression; the value stays the day or month. "earlier"/"later" it keeps before
#: "this year" (11 of 11 on the TempEval-3 training set), not before a weekday
#: ("Earlier Friday": 0 of 3), so only the relative-period rule takes them.
DAY_EDGE = r"(?:(?:[Ee]arly|[Ll]ate|[Mm]id)(?:\s|-)+)?"

#: How far after a quarter ("the third quarter") a "year earlier" still means
#: that quarter a year before: about two sentences of an earnings report, across
#: paragraph breaks (wire copy puts each sentence in its own paragraph). On the
#: TempEval-3 training set 400 / 600 / 1000 gave value F1 0.7829 / 0.7823 / 0.7823.
QUARTER_CONTEXT_CHARS = 400

#: How far before a date (within its sentence) a future word still sets its tense;
#: after it none: 150/0 scored best of 40-300 / 0-300 on the TempEval-3 training set.
TENSE_BEFORE_CHARS = 150
TENSE_AFTER_CHARS = 0

# ------------------------------------------------------------------ handlers


def _absolute_or_inferred(
    month: int, day: int, year: str | None, pub: dt.date | None, future: bool
) -> tuple[dt.date | None, str] | None:
    if year:
        found = make_date(year_number(year), month, day)
        return (found, "absolute") if found else None
    if not valid_without_year(month, day):
        return None
    if pub is None:
        return (None, "none")
    return (infer_year(month, day, pub, future), "published")


def _month_day(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    month, day = month_number(m["month"]), day_number(m["day"])
    resolved = _absolute_or_inferred(month, day, group(m, "year"), pub, future)
    if resolved is None:
        return None
    found, anchor = resolved
    if found is None:
        return unanchored("day")
    day2, month2, year2 = group(m, "day2"), group(m, "month2"), group(m, "year2")
    if day2 is None:
        return day_value(found, anchor=anchor)
    end_month = month_number(month2) if month2 else month
    end_year = year_number(year2) if year2 else found.year
    end = make_date(end_year, end_month, day_number(day2))
    if end is not None and end < found and not year2 and end_month < month:  # "December 28 - January 3"
        end = make_date(end_year + 1, end_month, day_number(day2))
    if end is None or end < found:
        return None
    return day_value(found, end, anchor)


def _iso_date(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    found = make_date(int(m["year"]), int(m["m"]), int(m["d"]))
    return day_value(found, anchor="absolute") if found else None


def _month_year(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    return DateValue(
        f"{year_number(m['year']):04d}-{month_number(m['month']):02d}", None, "month", "absolute"
    )


def _bare_month(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    if pub is None:
        return unanchored("month")
    month = month_number(m["month"])
    modifier = (group(m, "mod") or "").lower()
    relative_year = {"last": -1, "this": 0, "next": 1}.get((group(m, "rel") or "").lower())
    if relative_year is not None:  # "June last year"
        year = pub.year + relative_year
    elif modifier == "last":
        year = pub.year if month < pub.month else pub.year - 1
    elif modifier == "next":
        year = pub.year if month > pub.month else pub.year + 1
    elif modifier == "this":
        year = pub.year
    else:
        year = infer_month_year(month, pub, future)
    return DateValue(f"{year:04d}-{month:02d}", None, "month", "published")


def _year(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    return DateValue(f"{year_number(m['year']):04d}", None, "year", "absolute")


def _current_year(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    """ "the current year", "the full year": the article's year."""
    if pub is None:
        return unanchored("year")
    return DateValue(f"{pub.year:04d}", None, "year", "published")


def _year_ago(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    """ "year-ago results": the year before the article's (after a quarter, that quarter's)."""
    if pub is None:
        return unanchored("year")
    return DateValue(f"{pub.year - 1:04d}", None, "year", "published")


def _named_year(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    """ "the year 1996", "the year two thousand" (a count only without "the year")."""
    year = group(m, "year")
    return DateValue(f"{year_number(year) if year else 2000:04d}", None, "year", "absolute")


def _weekday_date(target: int, pub: dt.date, future: bool) -> dt.date:
    """The latest such weekday on or before ``pub``, or the next on or after it when ``future``."""
    if future:
        return pub + dt.timedelta(days=(target - pub.weekday()) % 7)
    return pub - dt.timedelta(days=(pub.weekday() - target) % 7)


def _weekday(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    if pub is None:
        return unanchored("day")
    target = WEEKDAY_NUMBERS[m["weekday"].lower()]
    modifier = (group(m, "mod") or "").lower()
    if modifier == "next":
        delta = -((target - pub.weekday()) % 7 or 7)
    elif modifier in ("last", "past"):
        delta = (pub.weekday() - target) % 7 or 7
    elif modifier.startswith("this") and "coming" in modifier:
        delta = -((target - pub.weekday()) % 7)
    else:  # "will meet on Friday": the coming one (today included)
        delta = (pub - _weekday_date(target, pub, future)).days
    day = pub - dt.timedelta(days=delta)
    part = group(m, "part")
    timex = f"{day.isoformat()}T{_DAY_PARTS[part.lower()]}" if part else None
    return DateValue(day.isoformat(), None, "day", "published", timex)


#: Parts of the day as TimeML writes them ("this evening" is ``…TEV``).
_DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}

_RELATIVE_DAY_OFFSETS = {
    "the day before yesterday": -2,
    "yesterday": -1,
    "last night": -1,
    "the day before": -1,
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "tomorrow": 1,
}


def _relative_day(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    if pub is None:
        return unanchored("day")
    words = " ".join(m[0].lower().split())
    words = re.sub(r"^(?:earlier|later)\s+", "", words)
    day = pub + dt.timedelta(days=_RELATIVE_DAY_OFFSETS[words])
    part = _DAY_PARTS.get(words.split()[-1])
    return DateValue(day.isoformat(), None, "day", "published", f"{day.isoformat()}T{part}" if part else None)


def _relative_period(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    unit = m["unit"].lower()
    if pub is None:
        return unanchored("day" if unit == "week" else unit)
    step = {"last": -1, "past": -1, "this": 0, "next": 1}[m["which"].lower().split()[-1]]
    if unit == "week":
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=step)
        sunday = monday + dt.timedelta(days=6)
        return DateValue(monday.isoformat(), sunday.isoformat(), "day", "published", week_timex(monday))
    if unit == "month":
        year, month = shift_month(pub.year, pub.month, step)
        return DateValue(f"{year:04d}-{month:02d}", None, "month", "published")
    return DateValue(f"{pub.year + step:04d}", None, "year", "published")


def _ago(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    unit = m["unit"].lower()
    grain = "day" if unit in ("day", "week") else unit
    if pub is None:
        return unanchored(grain)
    count = COUNT_WORDS.get(m["count"].lower()) or int(m["count"])
    if unit == "day":
        return day_value(pub - dt.timedelta(days=count))
    if unit == "week":
        day = pub - dt.timedelta(weeks=count)
        return DateValue(day.isoformat(), None, "day", "published", week_timex(day))
    if unit == "month":
        year, month = shift_month(pub.year, pub.month, -count)
        return DateValue(f"{year:04d}-{month:02d}", None, "month", "published")
    return DateValue(f"{pub.year - count:04d}", None, "year", "published")


_SEASON_CODES = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}


def _season_value(season: str, year: int, anchor: str) -> DateValue:
    first, last = SEASON_MONTHS[season]
    end_year = year + 1 if last < first else year
    code = _SEASON_CODES[season]
    return DateValue(
        f"{year:04d}-{first:02d}", f"{end_year:04d}-{last:02d}", "month", anchor, f"{year:04d}-{code}"
    )


def _season_bounds(season: str, year: int) -> tuple[dt.date, dt.date]:
    first, last = SEASON_MONTHS[season]
    end_year = year + 1 if last < first else year
    last_day = calendar.monthrange(end_year, last)[1]
    return dt.date(year, first, 1), dt.date(end_year, last, last_day)


def _season(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    season = (group(m, "season") or group(m, "season2") or "").lower()
    stated = group(m, "year") or group(m, "year2")
    if stated:  # "the winter of nineteen ninety-four"
        return _season_value(season, year_number(stated), "absolute")
    if pub is None:
        return unanchored("month")
    modifier = (group(m, "mod") or "this").lower().split()[-1]
    years = range(pub.year - 2, pub.year + 2)
    if modifier in ("last", "past"):  # the latest season already over
        year = max(y for y in years if _season_bounds(season, y)[1] < pub)
    elif modifier == "next":  # the first season not yet begun
        year = min(y for y in years if _season_bounds(season, y)[0] > pub)
    else:  # "this": the season of the article's year (winter: the one around it)
        year = pub.year - 1 if season == "winter" and pub.month <= 2 else pub.year
    return _season_value(season, year, "published")


def _time(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    named = (group(m, "named") or "").lower()
    hour = 12 if named in ("noon", "midday") else 0 if named == "midnight" else int(m["hour"])
    minute = int(group(m, "minute") or 0)
    meridiem = (group(m, "ampm") or group(m, "ampm2") or "").lower()
    if meridiem and not 1 <= hour <= 12:
        return None
    if meridiem == "p" and hour != 12:
        hour += 12
    elif meridiem == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    if pub is None:
        return unanchored("time")
    day = pub
    weekday = group(m, "weekday")
    if weekday:  # "10 p.m. Wednesday"
        day = _weekday_date(WEEKDAY_NUMBERS[weekday.lower()], pub, future)
    elif group(m, "month"):  # "5 p.m. EST Nov. 9"
        dated = infer_year(month_number(m["month"]), day_number(m["day"]), pub, future)
        if dated is None:
            return None
        day = dated
    return DateValue(f"{day.isoformat()}T{hour:02d}:{minute:02d}", None, "time", "published")


#: Holidays of a fixed day (month, day), and Thanksgiving (the US one: the fourth
#: Thursday of November) and Election Day (the US one: the Tuesday after the first
#: Monday of November), computed per year.
_HOLIDAYS = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new year's day": (1, 1), "new year's eve": (12, 31), "halloween": (10, 31),
}  # fmt: skip


def _holiday_date(name: str, year: int) -> dt.date:
    if name.startswith("thanksgiving"):
        first = dt.date(year, 11, 1)
        return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
    if name.startswith("election"):  # the Tuesday after the first Monday of November
        first = dt.date(year, 11, 1)
        return first + dt.timedelta(days=(0 - first.weekday()) % 7 + 1)
    month, day = _HOLIDAYS[name]
    return dt.date(year, month, day)


def _holiday(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    name = " ".join(m["name"].lower().replace("’", "'").split())
    stated = group(m, "year")
    if stated:
        return day_value(_holiday_date(name, year_number(stated)), anchor="absolute")
    if pub is None:
        return unanchored("day")
    days = [_holiday_date(name, year) for year in (pub.year - 1, pub.year, pub.year + 1)]
    modifier = (group(m, "mod") or "").lower()
    if modifier in ("last", "past"):
        return day_value(max(d for d in days if d < pub))
    if modifier == "next":
        return day_value(min(d for d in days if d > pub))
    limit = pub + dt.timedelta(days=FUTURE_LOOKAHEAD_DAYS if future else FUTURE_TOLERANCE_DAYS)
    return day_value(min((d for d in days if d <= limit), key=lambda d: (abs((d - pub).days), d)))


# ------------------------------------------------------------------ rules

_YEAR_GROUP = rf"(?:,?\s+(?P<year>{YEAR}))?"
_RULES: tuple[Rule, ...] = (
    Rule(
        "from-to",
        line_pattern(
            rf"\b(?:[Ff]rom|[Bb]etween)\s+(?P<month>{MONTH})\s+(?P<day>{DAY})(?:,?\s+(?P<year>{YEAR}))?"
            rf"\s+(?:to|and|until|till|through)\s+(?:(?P<month2>{MONTH})\s+)?(?P<day2>{DAY})"
            rf"(?:,?\s+(?P<year2>{YEAR}))?"
        ),
        _month_day,
    ),
    Rule(
        "month-day",
        line_pattern(
            rf"\b(?:{WEEKDAY},?\s+)?(?P<month>{MONTH})\s+(?P<day>{DAY})"
            rf"(?:{DASH}(?:(?P<month2>{MONTH})\s+)?(?P<day2>{DAY}))?(?:,?\s+(?P<year>{YEAR}))?"
        ),
        _month_day,
    ),
    Rule(
        "day-month",
        line_pattern(
            rf"\b(?:{WEEKDAY},?\s+)?(?:the\s+)?(?P<day>{DAY})(?:{DASH}(?P<day2>{DAY}))?\s+(?:of\s+)?"
            rf"(?P<month>{MONTH})(?P<month2>(?!))?{_YEAR_GROUP}"
        ),
        _month_day,
    ),
    Rule("iso", line_pattern(rf"\b(?P<year>{YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"), _iso_date),
    Rule(
        "month-year",
        line_pattern(
            rf"\b(?:(?:[Ee]arly|[Ll]ate|[Mm]id)(?:\s|-)+)?(?P<month>{FULL_MONTH})(?:\s+of)?,?\s+(?P<year>{YEAR})"
        ),
        _month_year,
    ),
    Rule(
        "season",
        line_pattern(
            r"\b(?:(?P<mod>this|last|next|this\s+past|past|the(?:\s+(?:early|late))?)\s+(?P<season>spring|summer|autumn|fall|winter)"
            rf"(?:\s+(?:of\s+)?(?P<year>{YEAR}))?|(?P<season2>spring|summer|autumn|fall|winter)\s+(?:of\s+)?(?P<year2>{YEAR}))\b",
            re.I,
        ),
        _season,
    ),
    Rule(
        "weekday",
        line_pattern(
            rf"\b{DAY_EDGE}(?:(?P<mod>[Ll]ast|[Nn]ext|[Tt]his(?:\s+coming)?|[Pp]ast)\s+)?(?P<weekday>{WEEKDAY})"
            r"(?:\s+(?P<part>morning|afternoon|evening|night)s?)?\b"
        ),
        _weekday,
    ),
    Rule(
        "holiday",
        line_pattern(
            r"\b(?:(?P<mod>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast)\s+)?(?P<name>Thanksgiving(?:\s+Day)?|Election\s+Day|Christmas(?:\s+Day|\s+Eve)?"
            rf"|New\s+Year['’]s\s+(?:Day|Eve)|Halloween)\b(?:,?\s+(?P<year>{YEAR})(?![\w-]))?"
        ),
        _holiday,
    ),
    Rule(
        "relative-day",
        line_pattern(
            r"\b(?:(?:earlier|later)\s+)?(?:the\s+day\s+before\s+yesterday|yesterday|last\s+night"
            r"|the\s+day\s+before(?!\s+(?-i:[a-z]))"  # not "the day before authorities issued a warrant"
            r"|today|tonight|this\s+(?:morning|afternoon|evening)|tomorrow)\b",
            re.I,
        ),
        _relative_day,
    ),
    Rule(
        "relative-period",
        line_pattern(
            r"\b(?:(?:early|late|mid|earlier|later)(?:\s|-)+)?(?:the\s+)?(?P<which>this\s+past|this|last|next|past)\s+"
            r"(?P<unit>week|month|year)\b",
            re.I,
        ),
        _relative_period,
        needs=re.compile("week|month|year", re.I),
    ),
    Rule(
        "ago",
        line_pattern(
            rf"\b(?:(?:about|some|nearly|almost|more\s+than|just|only)\s+)?(?P<count>{COUNT})\s+"
            r"(?P<unit>day|week|month|year)s?(?:\s+or\s+so)?\s+(?:ago|earlier)\b",
            re.I,
        ),
        _ago,
        needs=re.compile("ago|earlier", re.I),
    ),
    Rule(
        "time",
        line_pattern(
            r"(?:\b(?P<hour>[0-2]?\d)(?::(?P<minute>[0-5]\d)(?:\s*(?P<ampm>[ap])\.?m\b\.?)?"
            r"|\s*(?P<ampm2>[ap])\.m\.)(?!\d)|\b(?P<named>noon|midnight|midday)\b)"
            r"(?:\s+(?:[ECMP][SD]T|GMT)\b)?"
            rf"(?:,?\s+(?:on\s+)?(?:(?P<weekday>{WEEKDAY})\b|(?P<month>{MONTH})\s+(?P<day>{DAY})))?",
            re.I,
        ),
        _time,
    ),
    *PERIOD_RULES,
    Rule(
        "bare-month",
        line_pattern(
            rf"\b{DAY_EDGE}(?:(?P<mod>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<month>{FULL_MONTH})\b(?!\s*\d)"
            r"(?:\s+(?P<rel>last|this|next)\s+year\b)?"
        ),
        _bare_month,
        lead=LEAD_MONTH,
    ),
    Rule("year", line_pattern(rf"(?<![\w,.-])(?P<year>{YEAR})(?![\w-])"), _year, lead=LEAD_YEAR),
    Rule("mid-year", line_pattern(rf"\b(?:[Mm]id|[Ee]arly|[Ll]ate)-(?P<year>{YEAR})(?![\w-])"), _year),
    Rule(
        "year-ago",  # "compared with year-earlier profit", "in the year-ago period"
        line_pattern(
            r"\b(?:[Tt]he\s+(?:comparable\s+|corresponding\s+)?[Yy]ear-(?:ago|earlier)\s+period|[Yy]ear-(?:ago|earlier))\b"
        ),
        _year_ago,
    ),
    Rule(
        "year-end",  # "by year-end", "by the end of the year": the article's year
        line_pattern(r"\b(?:[Yy]ear[- ]end|[Yy]ear['’]s\s+end|[Tt]he\s+end\s+of\s+the\s+year)\b"),
        _current_year,
    ),
    Rule(
        "current-year",
        line_pattern(r"\b[Tt]he\s+(?:current|full|present|entire|whole)\s+(?:fiscal\s+|calendar\s+)?year\b"),
        _current_year,
    ),
    Rule(
        "named-year",
        line_pattern(rf"\b[Tt]he\s+year\s+(?:(?P<year>{YEAR})|two\s+thousand)(?![\w-])"),
        _named_year,
    ),
    Rule("fiscal-year", line_pattern(rf"\b[Ff]iscal\s+(?P<year>{YEAR})(?![\w-])"), _year),
)


# ------------------------------------------------------------------ public


def resolve_date(text: str, published: str | None, future: bool = False) -> DateValue | None:
    """The value of one date expression, or None if ``text`` is not one we know.

    ``published`` is the article's ISO date or datetime (or None); ``future``
    says the sentence around it speaks of the future. Never raises.
    """
    pub = parse_published(published)
    expression = LEADING_PREPOSITION.sub("", " ".join(text.split()))
    expression = _EARLIER_LATER.sub("", expression)
    for rule in _RULES:
        match = rule.pattern.fullmatch(expression)
        if match is not None:
            value = rule.handler(match, pub, future)
            if value is not None:
                return value
    return None


def find_dates(
    text: str, published: str | None, hints: Iterable[tuple[int, int]] = (), vague: bool = False
) -> list[FoundDate]:
    """Every date expression in ``text``, longest first where they overlap.

    ``hints`` are spans another tagger (spaCy's DATE entities) took for dates;
    each is kept when :func:`resolve_date` understands it and no rule found it.
    ``vague`` adds references no calendar places ("now", "recently", "daily").
    """
    pub = parse_published(published)
    tense = _Tense(text)
    lines = _Lines(text)
    candidates: list[FoundDate] = []
    for rule in _RULES:
        if rule.vague and not vague:
            continue
        for match in lines.matches(rule):
            start, end = match.span()
            if rule.lead is not None and not rule.lead.search(
                text[max(0, start - LEAD_WINDOW_CHARS) : start]
            ):
                continue
            value = rule.handler(match, pub, tense.future(start, end))
            if value is not None:
                candidates.append(FoundDate(start, end, value))
    chosen = _year_ago_quarters(text, _without_overlaps(candidates))
    for start, end in hints:
        span = _strip_hint(text, start, end)
        if span is None or any(_overlaps(span, (d.start, d.end)) for d in chosen):
            continue
        value = resolve_date(text[span[0] : span[1]], published, tense.future(*span))
        if value is not None:
            chosen.append(FoundDate(span[0], span[1], value))
    found = _anaphoric(text, sorted(chosen, key=lambda d: (d.start, d.end)))
    return [_with_edge(text, d) for d in found]


#: "by the end of 1990", "the middle of next week": TimeML takes the edge into the
#: expression (9 of 9 on the TempEval-3 training set); the value stays the date's.
_EDGE_OF = re.compile(r"\b(?:[Tt]he[^\S\n]+)?(?:end|beginning|start|middle)[^\S\n]+of[^\S\n]+$")


def _with_edge(text: str, found: FoundDate) -> FoundDate:
    edge = _EDGE_OF.search(text, max(0, found.start - 24), found.start)
    return FoundDate(edge.start(), found.end, found.date) if edge else found


#: "that year", "the following month", "earlier that day", "the next morning": a
#: date that counts from the last one the text named, not from the article date.
#: "the next year" / "next month" stay with the article ("relative-period").
_ANAPHORA = line_pattern(
    r"\b(?:(?:earlier|later)\s+)?(?:(?P<that>that(?:\s+same)?)|the\s+(?P<rel>following|previous|prior|same)"
    r"|the\s+(?P<next>next))\s+(?P<unit>year|month|day|morning|afternoon|evening|night)\b",
    re.I,
)
_ANAPHORA_STEP = {"following": 1, "next": 1, "previous": -1, "prior": -1, "same": 0}

#: How far back the named date may be: a few paragraphs of a narrative.
ANAPHORA_CONTEXT_CHARS = 1500


def _anaphoric(text: str, found: list[FoundDate]) -> list[FoundDate]:
    """Add the dates that count from the last date the text named before them."""
    added: list[FoundDate] = []
    for match in _ANAPHORA.finditer(text):
        start, end = match.span()
        unit = match["unit"].lower()
        unit = unit if unit in ("year", "month") else "day"  # "the next morning" is that day
        if (match["next"] and unit != "day") or any(_overlaps((start, end), (d.start, d.end)) for d in found):
            continue
        named = [
            d.date for d in found
            if d.end <= start and start - d.end <= ANAPHORA_CONTEXT_CHARS
            and d.date.value and d.date.grain in _ANAPHORA_GRAINS[unit]
        ]  # fmt: skip
        if named:
            step = _ANAPHORA_STEP[(match["rel"] or match["next"] or "same").lower()]
            added.append(FoundDate(start, end, _counted_from(named[-1], unit, step)))
    return sorted([*found, *added], key=lambda d: (d.start, d.end))


_ANAPHORA_GRAINS = {"year": ("day", "month", "year"), "month": ("day", "month"), "day": ("day",)}


def _counted_from(named: DateValue, unit: str, step: int) -> DateValue:
    """The year, month or day ``step`` units after the one ``named`` falls in."""
    assert named.value is not None
    if unit == "year":
        return DateValue(f"{int(named.value[:4]) + step:04d}", None, "year", named.anchor)
    if unit == "month":
        year, month = shift_month(int(named.value[:4]), int(named.value[5:7]), step)
        return DateValue(f"{year:04d}-{month:02d}", None, "month", named.anchor)
    day = dt.date.fromisoformat(named.value[:10]) + dt.timedelta(days=step)
    return day_value(day, anchor=named.anchor)


_A_YEAR_BEFORE = re.compile(
    r"a\s+year\s+(?:ago|earlier)|(?:the\s+)?(?:comparable\s+|corresponding\s+)?year-(?:ago|earlier)(?:\s+period)?",
    re.I,
)
_YEAR_BEFORE_WORD = re.compile(r"year-(?:ago|earlier)", re.I)
_QUARTER_TIMEX = re.compile(r"(?P<year>\d{4})-Q(?P<quarter>[1-4])")


def _year_ago_quarters(text: str, found: list[FoundDate]) -> list[FoundDate]:
    """ "Profit rose in the third quarter from a year earlier": after a quarter, "a year
    earlier" / "a year ago" is that quarter a year before, not the year ("last year"
    stays the year: on the TempEval-3 training set value F1 0.7909 -> 0.7915)."""
    found = sorted(found, key=lambda d: d.start)
    quarter: FoundDate | None = None
    reported = 0  # the year of the quarter reported on ("the year-ago quarter" is a year before it)
    for k, item in enumerate(found):
        timex = _QUARTER_TIMEX.fullmatch(item.date.timex or "")
        if timex is not None:
            quarter = item
            reported = int(timex["year"]) + bool(_YEAR_BEFORE_WORD.search(text, item.start, item.end))
            continue
        if (
            quarter is not None
            and item.start - quarter.end <= QUARTER_CONTEXT_CHARS
            and _A_YEAR_BEFORE.fullmatch(text, item.start, item.end)
        ):
            q = _QUARTER_TIMEX.fullmatch(quarter.date.timex or "")
            assert q is not None
            year, number = reported - 1, int(q["quarter"])
            first, last = f"{year:04d}-{3 * number - 2:02d}", f"{year:04d}-{3 * number:02d}"
            value = DateValue(first, last, "month", item.date.anchor, f"{year:04d}-Q{number}")
            found[k] = FoundDate(item.start, item.end, value)
    return found


_EARLIER_LATER = re.compile(r"^(?:earlier|later)\s+(?=(?:this|last|next)\b)", re.I)


class _Lines:
    """The lines of a text, to search a rule's pattern only in the lines holding what
    every match holds (``Rule.needs``): the costliest patterns try many words at every
    word start, a plain word search is quicker (200 PolNeAR and timelines articles:
    these four rules 0.56 -> 0.31 CPU s, the same matches)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []

    def matches(self, rule: Rule) -> Iterator[re.Match[str]]:
        """The matches of ``rule.pattern`` in the text, in order."""
        if rule.needs is None:
            yield from rule.pattern.finditer(self.text)
            return
        text, starts = self.text, self.starts
        if not starts:
            starts += [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
        last = -1
        for hit in rule.needs.finditer(text):
            line = bisect.bisect_right(starts, hit.start()) - 1
            if line == last:
                continue
            last = line
            end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
            yield from rule.pattern.finditer(text, starts[line], end)


_LINE_BREAK = re.compile("\n")


class _Tense:
    """Whether the sentence around a span speaks of the future (:data:`FUTURE_CUE`)."""

    #: A sentence ends at ., ! or ? and a space, except after an initial ("Daniel P.
    #: Davison", "U.S.") or a title ("Mr. Schwarz"), and at a line break.
    _BOUNDARY = re.compile(r"(?<![\s.][A-Z])(?<!\bM[rs])(?<!\bMrs)(?<!\bD[rt])(?<!\bSt)[.!?]\s|\n")

    def __init__(self, text: str) -> None:
        self.text = text
        self.cache: dict[tuple[int, int], bool] = {}

    def future(self, start: int, end: int) -> bool:
        left = max(0, start - TENSE_BEFORE_CHARS)
        before = [m.end() for m in self._BOUNDARY.finditer(self.text, left, start)]
        first = before[-1] if before else left
        after = self._BOUNDARY.search(self.text, end, end + TENSE_AFTER_CHARS)
        last = after.start() + 1 if after else min(len(self.text), end + TENSE_AFTER_CHARS)
        key = (first, last)
        if key not in self.cache:
            self.cache[key] = any(
                self._PAST_PLAN.search(self.text, max(first, cue.start() - 24), cue.start()) is None
                for cue in FUTURE_CUE.finditer(self.text, first, last)
            )
        # "..., Mr. Gerstner said Friday": a past verb of saying right before the date wins;
        # "a new pact, effective Feb. 1": a change takes effect on the coming day
        if self._EFFECTIVE.search(self.text, max(first, start - 24), start):
            return True
        return self.cache[key] and self._SAID.search(self.text, max(first, start - 24), start) is None

    #: "It had been due to expire Friday", "as previously planned Saturday night": a plan
    #: told in the past tense is no future.
    _PAST_PLAN = re.compile(r"\b(?:had|had\s+been|previously|was|were)\s+(?:\w+\s+)?$", re.I)
    _EFFECTIVE = re.compile(r"\beffective\s+(?:on\s+|from\s+|as\s+of\s+)?$", re.I)
    _SAID = re.compile(r"\b(?:said|told|announced|reported|added|predicted|was|were)\s+(?:on\s+)?$", re.I)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _without_overlaps(candidates: list[FoundDate]) -> list[FoundDate]:
    chosen: list[FoundDate] = []
    for found in sorted(candidates, key=lambda d: (d.start - d.end, d.start)):
        if not any(_overlaps((found.start, found.end), (c.start, c.end)) for c in chosen):
            chosen.append(found)
    return chosen


_HINT_PREFIX = re.compile(r"^(?:the|on|in|at|by|since)\s+", re.I)


def _strip_hint(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A hinted span without a leading article or preposition and outer spaces."""
    piece = text[start:end]
    prefix = _HINT_PREFIX.match(piece)
    if prefix:
        start += prefix.end()
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None
