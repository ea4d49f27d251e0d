"""Date expressions: find them in an article and resolve them to ISO values.

:func:`resolve_date` turns one expression ("October 8-13", "on Monday",
"last month", "this past summer", "two years") into a :class:`DateValue`;
:func:`find_dates` finds every expression in a text with the same rules.

Rules, in short (each is one entry of ``_RULES``):

* A stated year makes the value ``absolute``; anything else is resolved against
  the article's publication date (``published``), or gets ``value=None`` and
  ``anchor="none"`` when the article has no date: we never guess.
* A month and day without a year take the latest year that puts the date no
  more than :data:`FUTURE_TOLERANCE_DAYS` after the article date ("November 4"
  in a 5 Nov 2024 article is 2024-11-04; "December 28" in January is last year's).
  A bare month ("in June") follows the same rule on its first day.
* A weekday ("on Monday") is the most recent such day on or before the article
  day ("on Tuesday" in a Tuesday article is that day); "last Monday" is strictly
  before, "next Monday" strictly after.
* "yesterday"/"today"/"tomorrow" and "the day before" count from the article
  date ("the day before" is read as the day before publication: a simple rule;
  the narrative day it may refer to is not tracked).
* "last week"/"this week" are Monday..Sunday intervals at day grain; "last
  month" is ``YYYY-MM``; "last year" is ``YYYY``.
* Seasons are month intervals of the northern hemisphere (summer = June-August,
  winter = December-February).
* Durations ("a month", "a few days", "two years") keep grain ``duration`` and
  ``value=None``: they say how long, not when.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

#: How far after the article date a yearless date may fall before we take the
#: previous year: articles announce dates up to a few weeks ahead ("on December 3"
#: in a mid-November piece); one month kept every dated expression of the seeds right.
FUTURE_TOLERANCE_DAYS = 31

#: How many characters before a bare month or year we look for a preposition
#: that makes it a date ("in June", "since 2014"); longest lead word is 7 chars.
LEAD_WINDOW_CHARS = 12


@dataclass(frozen=True, slots=True)
class DateValue:
    """A resolved date expression (see :class:`newsweave.model.DateMention`)."""

    value: str | None
    end_value: str | None
    grain: str  # day | month | year | time | duration
    anchor: str  # absolute | published | none


@dataclass(frozen=True, slots=True)
class FoundDate:
    start: int
    end: int
    date: DateValue


# ------------------------------------------------------------------ patterns

_MONTH_NUMBERS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NUMBERS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTH_NUMBERS["sept"] = 9
_WEEKDAY_NUMBERS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}

_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_ABBR_MONTH = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MONTH = rf"(?:{_FULL_MONTH}|{_ABBR_MONTH})"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:19|20)\d\d(?!\d)"
_DAY = r"[0-3]?\d(?:st|nd|rd|th)?(?![\w:])"
_DASH = r"\s*[-–—]\s*"
_COUNT = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3})"
_LEAD_MONTH = re.compile(
    r"\b(?:in|since|by|until|till|from|during|before|after|through|of|early|late|mid)[\s-]+$", re.I
)
_LEAD_YEAR = re.compile(
    r"\b(?:in|since|by|until|till|from|during|before|after|through|of|early|late|mid|year)[\s-]+$", re.I
)
_LEADING_PREPOSITION = re.compile(r"^(?:on|in|at|during|since|by|until|till)\s+", re.I)


def _p(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A rule's pattern; its spaces never cross a line, so a date never spans two paragraphs."""
    return re.compile(pattern.replace(r"\s", r"[^\S\n]"), flags)


# ------------------------------------------------------------------ helpers


def parse_published(published: str | None) -> dt.date | None:
    """The article date of an ISO date or datetime string, or None if there is none."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def _g(match: re.Match[str], name: str) -> str | None:
    """A named group's text, or None when it did not take part (or the rule has none)."""
    return match.groupdict().get(name)


def _month(name: str) -> int:
    return _MONTH_NUMBERS[name.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int, pub: dt.date) -> dt.date | None:
    """The latest date with this month and day no more than the tolerance after ``pub``."""
    limit = pub + dt.timedelta(days=FUTURE_TOLERANCE_DAYS)
    for year in range(pub.year + 1, pub.year - 8, -1):  # 8 years back finds any 29 February
        candidate = _make_date(year, month, day)
        if candidate is not None and candidate <= limit:
            return candidate
    return None


def _infer_month_year(month: int, pub: dt.date) -> int:
    limit = pub + dt.timedelta(days=FUTURE_TOLERANCE_DAYS)
    return (
        pub.year + 1
        if dt.date(pub.year + 1, month, 1) <= limit
        else (pub.year if dt.date(pub.year, month, 1) <= limit else pub.year - 1)
    )


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _unanchored(grain: str) -> DateValue:
    return DateValue(None, None, grain, "none")


def _day_value(start: dt.date, end: dt.date | None = None, anchor: str = "published") -> DateValue:
    return DateValue(start.isoformat(), end.isoformat() if end else None, "day", anchor)


def _valid_without_year(month: int, day: int) -> bool:
    return _make_date(2000, month, day) is not None  # 2000 is a leap year: 29 Feb is valid


# ------------------------------------------------------------------ handlers
# Each handler gets the rule's match and the article date and returns the value,
# or None when the match is not a real date after all (31 February).

Handler = Callable[[re.Match[str], dt.date | None], DateValue | None]


def _absolute_or_inferred(
    month: int, day: int, year: str | None, pub: dt.date | None
) -> tuple[dt.date | None, str] | None:
    if year:
        found = _make_date(int(year), month, day)
        return (found, "absolute") if found else None
    if not _valid_without_year(month, day):
        return None
    if pub is None:
        return (None, "none")
    return (_infer_year(month, day, pub), "published")


def _month_day(m: re.Match[str], pub: dt.date | None) -> DateValue | None:
    month, day = _month(m["month"]), _day(m["day"])
    resolved = _absolute_or_inferred(month, day, _g(m, "year"), pub)
    if resolved is None:
        return None
    found, anchor = resolved
    if found is None:
        return _unanchored("day")
    day2, month2, year2 = _g(m, "day2"), _g(m, "month2"), _g(m, "year2")
    if day2 is None:
        return _day_value(found, anchor=anchor)
    end_month = _month(month2) if month2 else month
    end_year = int(year2) if year2 else found.year
    end = _make_date(end_year, end_month, _day(day2))
    if end is not None and end < found and not year2 and end_month < month:  # "December 28 - January 3"
        end = _make_date(end_year + 1, end_month, _day(day2))
    if end is None or end < found:
        return None
    return _day_value(found, end, anchor)


def _iso_date(m: re.Match[str], pub: dt.date | None) -> DateValue | None:
    found = _make_date(int(m["year"]), int(m["m"]), int(m["d"]))
    return _day_value(found, anchor="absolute") if found else None


def _month_year(m: re.Match[str], pub: dt.date | None) -> DateValue | None:
    return DateValue(f"{int(m['year']):04d}-{_month(m['month']):02d}", None, "month", "absolute")


def _bare_month(m: re.Match[str], pub: dt.date | None) -> DateValue | None:
    if pub is None:
        return _unanchored("month")
    month = _month(m["month"])
    modifier = (_g(m, "mod") or "").lower()
    if modifier == "last":
        year = pub.year if month < pub.month else pub.year - 1
    elif modifier == "next":
        year = pub.year if month > pub.month else pub.year + 1
    elif modifier == "this":
        year = pub.year
    else:
        year = _infer_month_year(month, pub)
    return DateValue(f"{year:04d}-{month:02d}", None, "month", "published")


def _year(m: re.Match[str], pub: dt.date | None) -> DateValue | None:
    return DateValue(m["year"], None, "year", "absolute")


def _weekday(m: re.Match[str], pub: dt.date | None) -> DateValue | None:
    if pub is None:
        return _unanchored("day")
    target = _WEEKDAY_NUMBERS[m["weekday"].lower()]
    modifier = (_g(m, "mod") or "").lower()
    if modifier == "next":
        delta = -((target - pub.weekday()) % 7 or 7)
    elif modifier in ("last", "past"):
        delta = (pub.weekday() - target) % 7 or 7
    else:
        delta = (pub.weekday() - target) % 7
    return _day_value(pub - dt.timedelta(days=delta))


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


def _relative_day(m: re.Match[str], pub: dt.date | None) -> DateValue | None:
    if pub is None:
        return _unanchored("day")
    offset = _RELATIVE_DAY_OFFSETS[" ".join(m[0].lower().split())]
    return _day_value(pub + dt.timedelta(days=offset))


def _relative_period(m: re.Match[str], pub: dt.date | None) -> DateValue | None:
    unit = m["unit"].lower()
    if pub is None:
        return _unanchored("day" if unit == "week" else unit)
    step = {"last": -1, "past": -1, "this": 0, "next": 1}[m["which"].lower().split()[-1]]
    if unit == "week":
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=step)
        return _day_value(monday, monday + dt.timedelta(days=6))
    if unit == "month":
        year, month = _shift_month(pub.year, pub.month, step)
        return DateValue(f"{year:04d}-{month:02d}", None, "month", "published")
    return DateValue(f"{pub.year + step:04d}", None, "year", "published")


def _ago(m: re.Match[str], pub: dt.date | None) -> DateValue | None:
    unit = m["unit"].lower()
    grain = "day" if unit in ("day", "week") else unit
    if pub is None:
        return _unanchored(grain)
    count = _COUNT_WORDS.get(m["count"].lower()) or int(m["count"])
    if unit in ("day", "week"):
        return _day_value(pub - dt.timedelta(days=count * (7 if unit == "week" else 1)))
    if unit == "month":
        year, month = _shift_month(pub.year, pub.month, -count)
        return DateValue(f"{year:04d}-{month:02d}", None, "month", "published")
    return DateValue(f"{pub.year - count:04d}", None, "year", "published")


def _season_value(season: str, year: int, anchor: str) -> DateValue:
    first, last = _SEASON_MONTHS[season]
    end_year = year + 1 if last < first else year
    return DateValue(f"{year:04d}-{first:02d}", f"{end_year:04d}-{last:02d}", "month", anchor)


def _season_bounds(season: str, year: int) -> tuple[dt.date, dt.date]:
    first, last = _SEASON_MONTHS[season]
    end_year = year + 1 if last < first else year
    last_day = calendar.monthrange(end_year, last)[1]
    return dt.date(year, first, 1), dt.date(end_year, last, last_day)


def _season(m: re.Match[str], pub: dt.date | None) -> DateValue | None:
    season = (_g(m, "season") or _g(m, "season2") or "").lower()
    stated = _g(m, "year")
    if stated:
        return _season_value(season, int(stated), "absolute")
    if pub is None:
        return _unanchored("month")
    modifier = (_g(m, "mod") or "this").lower().split()[-1]
    years = range(pub.year - 2, pub.year + 2)
    if modifier in ("last", "past"):  # the latest season already over
        year = max(y for y in years if _season_bounds(season, y)[1] < pub)
    elif modifier == "next":  # the first season not yet begun
        year = min(y for y in years if _season_bounds(season, y)[0] > pub)
    else:  # "this": the season of the article's year (winter: the one around it)
        year = pub.year - 1 if season == "winter" and pub.month <= 2 else pub.year
    return _season_value(season, year, "published")


def _time(m: re.Match[str], pub: dt.date | None) -> DateValue | None:
    hour, minute = int(m["hour"]), int(_g(m, "minute") or 0)
    meridiem = (_g(m, "ampm") or _g(m, "ampm2") or "").lower()
    if meridiem and not 1 <= hour <= 12:
        return None
    if meridiem == "p" and hour != 12:
        hour += 12
    elif meridiem == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    if pub is None:
        return _unanchored("time")
    return DateValue(f"{pub.isoformat()}T{hour:02d}:{minute:02d}", None, "time", "published")


def _duration(m: re.Match[str], pub: dt.date | None) -> DateValue | None:
    return DateValue(None, None, "duration", "none")


# ------------------------------------------------------------------ rules


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler
    lead: re.Pattern[str] | None = None  # text that must come just before, when finding


_YEAR_GROUP = rf"(?:,?\s+(?P<year>{_YEAR}))?"
_RULES: tuple[_Rule, ...] = (
    _Rule(
        "from-to",
        _p(
            rf"\b(?:[Ff]rom|[Bb]etween)\s+(?P<month>{_MONTH})\s+(?P<day>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?"
            rf"\s+(?:to|and|until|till|through)\s+(?:(?P<month2>{_MONTH})\s+)?(?P<day2>{_DAY})"
            rf"(?:,?\s+(?P<year2>{_YEAR}))?"
        ),
        _month_day,
    ),
    _Rule(
        "month-day",
        _p(
            rf"\b(?:{_WEEKDAY},?\s+)?(?P<month>{_MONTH})\s+(?P<day>{_DAY})"
            rf"(?:{_DASH}(?:(?P<month2>{_MONTH})\s+)?(?P<day2>{_DAY}))?(?:,?\s+(?P<year>{_YEAR}))?"
        ),
        _month_day,
    ),
    _Rule(
        "day-month",
        _p(
            rf"\b(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?P<day>{_DAY})(?:{_DASH}(?P<day2>{_DAY}))?\s+(?:of\s+)?"
            rf"(?P<month>{_MONTH})(?P<month2>(?!))?{_YEAR_GROUP}"
        ),
        _month_day,
    ),
    _Rule("iso", _p(rf"\b(?P<year>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"), _iso_date),
    _Rule(
        "month-year",
        _p(
            rf"\b(?:(?:[Ee]arly|[Ll]ate|[Mm]id)(?:\s|-)+)?(?P<month>{_FULL_MONTH})(?:\s+of)?,?\s+(?P<year>{_YEAR})"
        ),
        _month_year,
    ),
    _Rule(
        "season",
        _p(
            r"\b(?:(?P<mod>this|last|next|this\s+past|past)\s+(?P<season>spring|summer|autumn|fall|winter)"
            rf"|(?P<season2>spring|summer|autumn|fall|winter)\s+(?:of\s+)?(?P<year>{_YEAR}))\b",
            re.I,
        ),
        _season,
    ),
    _Rule(
        "weekday",
        _p(rf"\b(?:(?P<mod>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast)\s+)?(?P<weekday>{_WEEKDAY})\b"),
        _weekday,
    ),
    _Rule(
        "relative-day",
        _p(
            r"\b(?:the\s+day\s+before\s+yesterday|yesterday|last\s+night|the\s+day\s+before|today|tonight"
            r"|this\s+(?:morning|afternoon|evening)|tomorrow)\b",
            re.I,
        ),
        _relative_day,
    ),
    _Rule(
        "relative-period",
        _p(
            r"\b(?:(?:earlier|later)\s+)?(?P<which>this\s+past|this|last|next|past)\s+(?P<unit>week|month|year)\b",
            re.I,
        ),
        _relative_period,
    ),
    _Rule("ago", _p(rf"\b(?P<count>{_COUNT})\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I), _ago),
    _Rule(
        "time",
        _p(
            r"\b(?P<hour>[0-2]?\d)(?::(?P<minute>[0-5]\d)(?:\s*(?P<ampm>[ap])\.?m\b\.?)?"
            r"|\s*(?P<ampm2>[ap])\.m\.)(?!\d)",
            re.I,
        ),
        _time,
    ),
    _Rule(
        "duration",
        _p(
            rf"\b(?:{_COUNT}|a\s+few|a\s+couple\s+of|few|several)\s+(?:more\s+)?"
            r"(?:minute|hour|day|week|month|year|decade)s?\b",
            re.I,
        ),
        _duration,
    ),
    _Rule(
        "bare-month",
        _p(rf"\b(?:(?P<mod>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<month>{_FULL_MONTH})\b(?!\s*\d)"),
        _bare_month,
        lead=_LEAD_MONTH,
    ),
    _Rule("year", _p(rf"(?<![\w,.-])(?P<year>{_YEAR})(?![\w-])"), _year, lead=_LEAD_YEAR),
)


# ------------------------------------------------------------------ public


def resolve_date(text: str, published: str | None) -> DateValue | None:
    """The value of one date expression, or None if ``text`` is not one we know.

    ``published`` is the article's ISO date or datetime (or None). Never raises.
    """
    pub = parse_published(published)
    expression = _LEADING_PREPOSITION.sub("", " ".join(text.split()))
    for rule in _RULES:
        match = rule.pattern.fullmatch(expression)
        if match is not None:
            value = rule.handler(match, pub)
            if value is not None:
                return value
    return None


def find_dates(text: str, published: str | None, hints: Iterable[tuple[int, int]] = ()) -> list[FoundDate]:
    """Every date expression in ``text``, longest first where they overlap.

    ``hints`` are spans another tagger (spaCy's DATE entities) took for dates;
    each is kept when :func:`resolve_date` understands it and no rule found it.
    """
    pub = parse_published(published)
    candidates: list[FoundDate] = []
    for rule in _RULES:
        for match in rule.pattern.finditer(text):
            start, end = match.span()
            if rule.lead is not None and not rule.lead.search(
                text[max(0, start - LEAD_WINDOW_CHARS) : start]
            ):
                continue
            value = rule.handler(match, pub)
            if value is not None:
                candidates.append(FoundDate(start, end, value))
    chosen = _without_overlaps(candidates)
    for start, end in hints:
        span = _strip_hint(text, start, end)
        if span is None or any(_overlaps(span, (d.start, d.end)) for d in chosen):
            continue
        value = resolve_date(text[span[0] : span[1]], published)
        if value is not None:
            chosen.append(FoundDate(span[0], span[1], value))
    return sorted(chosen, key=lambda d: (d.start, d.end))


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
