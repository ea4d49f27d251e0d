"""Date rules for spans of time: durations, weeks, weekends, quarters, decades, vague and repeated times.

Each expression also carries the TIMEX3 value TimeML would give it
(:attr:`DateValue.timex`), which is what bench/timex.py scores:

* Durations ("two years", "the past three months", "nearly 20 more years",
  "a five-year plan", "twenty four hours") have grain ``duration``, ``value``
  None and timex ``P2Y`` / ``P3M`` / ``PT24H``; an unstated count ("several
  years", "a few days", "for years", "within weeks") is ``PXY`` / ``PXD``; "the
  year ended March 31" is a year's length (``P1Y``), the date after it its end. After an amount, "a year" is a rate
  ("$2 million a year"), not a duration, and is not found.
* "last week" / "this week" / "next week" keep their Monday..Sunday day interval
  (from :mod:`.dates`) and get the ISO week (``2024-W44``) as timex; "the
  weekend" is its Saturday..Sunday (``2024-W44-WE``): the coming one when the
  sentence speaks of the future, else the latest one begun.
* Quarters ("the third quarter", "third-quarter", "the fourth quarter of 1989")
  are month intervals (``1989-07``..``1989-09``, timex ``1989-Q3``) of the stated
  year, else of the article's, a year earlier if it would not have begun;
  "the quarter" / "the latest quarter" alone is the last quarter completed;
  "next year's first quarter" is of the year named.
* Decades ("the 1990s", "the '80s", "the late 1970s", "the nineties") are year
  intervals, timex ``199``; centuries ("the 20th century") timex ``19``.
* Vague references ("now", "currently", "current", "recently", "the past", "the future",
  "the near term") and repeated
  times ("daily", "every week", "each July") have no value a timeline could
  use; they are found only when asked (``find_dates(..., vague=True)``) and give
  the TimeML values ``PRESENT_REF`` / ``PAST_REF`` / ``FUTURE_REF`` / ``P1D``.
"""

from __future__ import annotations

import datetime as dt
import re

from .date_core import (
    COUNT_WORDS,
    MONTH_NUMBERS,
    WEEKDAY,
    WEEKDAY_NUMBERS,
    YEAR,
    DateValue,
    Rule,
    group,
    line_pattern,
    unanchored,
    year_number,
)

_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
_TENS["ninety"] = 90
_TEENS = {
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "hundred": 100,
}  # fmt: skip
_NUMBER_WORDS = {**COUNT_WORDS, **_TEENS, **_TENS}
_UNIT_CODES = {
    "second": ("T", "S"), "minute": ("T", "M"), "hour": ("T", "H"), "day": ("", "D"), "night": ("", "D"),
    "week": ("", "W"), "month": ("", "M"), "year": ("", "Y"), "decade": ("", "Y"), "century": ("", "CE"),
}  # fmt: skip
_VAGUE_COUNTS = frozenset({"several", "few", "a few", "many", "some", "recent"})

_WORD_NUMBER = (
    rf"(?:(?:{'|'.join(_TENS)})(?:(?:\s|-)(?:one|two|three|four|five|six|seven|eight|nine))?"
    rf"|{'|'.join(sorted((*COUNT_WORDS, *_TEENS), key=len, reverse=True))})"
)
_DURATION_COUNT = rf"(?P<count>\d+(?:\.\d+)?|recent|{_WORD_NUMBER}|a\s+few|(?:a\s+)?couple\s+of|a\s+couple|several|few|many|some)"
#: Words before a duration's count that TimeML keeps in it ("nearly five years",
#: "at least 18 months"); "about", "only" and "just" it leaves out (on the TempEval-3
#: training set 0 of 4 "only"/"just" and 2 of 6 "about" were kept).
_DURATION_LEAD = (
    r"(?:the\s+)?(?:(?:last|past|next|first|previous|coming|following|final|latest)\s+)?"
    r"(?:(?:more\s+than|less\s+than|fewer\s+than|nearly|almost|around|roughly|approximately|"
    r"at\s+least|up\s+to|over|under|another|an\s+additional)\s+)?"
)
_UNIT = r"(?P<unit>second|minute|hour|day|night|week|month|year|decade|century|centuries)"
_QUARTER_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_SET_UNITS = {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year", "yearly": "year"}
_VAGUE_REFS = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "at present": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "recently": "PAST_REF",
    "the future": "FUTURE_REF", "in the future": "FUTURE_REF", "current": "PRESENT_REF",
    "the past": "PAST_REF", "the near future": "FUTURE_REF", "the near term": "FUTURE_REF",
    "the short term": "FUTURE_REF",
}  # fmt: skip

#: Units after which "current" / "the past" are part of a longer expression
#: ("the current quarter", "the past three years"), not a vague reference alone.
_REF_UNITS = r"(?:years?|months?|days?|weeks?|decades?|quarters?|hours?|summers?|century|fiscal)"


def _count(text: str) -> int | float | None:
    """The number a duration count states, or None for "several", "a few", ..."""
    words = " ".join(text.lower().replace("-", " ").split())
    if words in _VAGUE_COUNTS:
        return None
    if words.startswith(("a couple", "couple")):
        return 2
    if re.fullmatch(r"\d+(?:\.\d+)?", words):
        number = float(words)
        return int(number) if number.is_integer() else number
    total = 0
    for word in words.split():
        if word not in _NUMBER_WORDS:
            return None
        total += _NUMBER_WORDS[word]
    return total


def duration_timex(count: int | float | None, unit: str) -> str:
    """``P2Y``, ``PT4H``, ``PXD``: the ISO 8601 duration TimeML writes."""
    time_part, code = _UNIT_CODES[unit]
    if code == "Y" and unit == "decade" and count is not None:
        count *= 10  # TimeML writes "two decades" as P20Y
    amount = "X" if count is None else (f"{count:g}" if isinstance(count, float) else str(count))
    return f"P{time_part}{amount}{code}"


#: An amount in the last three words before "a year" makes it a rate ("$1.76 a year",
#: "700 seats a week", "24 hours a day"): on the TempEval-3 training set 8 of 10 such
#: were not tagged at all.
_AMOUNT_WORDS = "|".join(word for word in _NUMBER_WORDS if word not in ("a", "an"))
_RATE = re.compile(
    rf"(?:\d|%|\b(?:{_AMOUNT_WORDS}|million|billion|thousand|percent|cents?))(?:[^\S\n]+[\w$.,-]+){{0,2}}[^\S\n]+$",
    re.I,
)


def _duration(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    if (
        m["count"].lower() in ("a", "an")
        and m[0].lower().startswith(("a ", "an "))
        and _RATE.search(m.string, max(0, m.start() - 40), m.start())
    ):
        return None  # "$2 million a year", "four flights a week": a rate, not a span of time
    unit = m["unit"].lower()
    unit = "century" if unit == "centuries" else unit
    count = _count(m["count"])
    if count is not None and (group(m, "half") or group(m, "half2")):
        return DateValue(None, None, "duration", "none", _and_a_half(count, unit))
    return DateValue(None, None, "duration", "none", duration_timex(count, unit))


_HALF_OF = {"year": "6M", "day": "T12H", "hour": "30M", "minute": "30S", "month": "15D", "week": "3DT12H"}


def _one_unit(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    return DateValue(None, None, "duration", "none", duration_timex(1, m["unit"].lower()))


def _some_units(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    return DateValue(None, None, "duration", "none", duration_timex(None, m["unit"].lower()))


def _and_a_half(count: int | float, unit: str) -> str:
    """ "2 1/2 years" is ``P2Y6M``, "a minute and a half" ``PT1M30S``."""
    whole = duration_timex(count, unit)
    half = _HALF_OF.get(unit)
    if half is None:
        return whole
    return whole + half


def week_timex(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _weekend(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    if pub is None:
        return unanchored("day")
    which = (group(m, "which") or "the").lower()
    saturday = pub + dt.timedelta(days=5 - pub.weekday())  # this week's Saturday
    if which == "last" or (which in ("the", "this") and not future and pub.weekday() < 5):
        saturday -= dt.timedelta(weeks=1)
    elif which == "next" and pub.weekday() >= 5:
        saturday += dt.timedelta(weeks=1)
    sunday = saturday + dt.timedelta(days=1)
    return DateValue(
        saturday.isoformat(), sunday.isoformat(), "day", "published", f"{week_timex(saturday)}-WE"
    )


def _quarter_months(year: int, quarter: int) -> tuple[str, str]:
    return f"{year:04d}-{3 * quarter - 2:02d}", f"{year:04d}-{3 * quarter:02d}"


def _quarter(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    ordinal = group(m, "ordinal") or group(m, "ordinal_b") or group(m, "ordinal_c")
    relative_year = {"last": -1, "this": 0, "next": 1}.get((group(m, "rel") or "").lower())
    stated = group(m, "year") or group(m, "year_b")
    which = (group(m, "which") or "").lower()
    if stated:
        if not ordinal:
            return None
        year, quarter, anchor = year_number(stated), _QUARTER_ORDINALS[ordinal.lower()], "absolute"
    elif pub is None:
        return unanchored("month")
    else:
        current = (pub.month - 1) // 3 + 1
        anchor = "published"
        if ordinal and relative_year is not None:  # "next year's first quarter"
            year, quarter = pub.year + relative_year, _QUARTER_ORDINALS[ordinal.lower()]
        elif ordinal:
            year, quarter = pub.year, _QUARTER_ORDINALS[ordinal.lower()]
            if quarter > current and not future:  # not begun yet: last year's
                year -= 1
        elif which in ("current", "this"):
            year, quarter = pub.year, current
        elif which == "next":
            year, quarter = (pub.year, current + 1) if current < 4 else (pub.year + 1, 1)
        else:  # "the quarter", "the latest quarter": the last one completed
            year, quarter = (pub.year, current - 1) if current > 1 else (pub.year - 1, 4)
        if which in ("year-ago", "year-earlier"):
            year -= 1
    first, last = _quarter_months(year, quarter)
    return DateValue(first, last, "month", anchor, f"{year:04d}-Q{quarter}")


_SPOKEN_DECADES = {"twenties": "20", "thirties": "30", "forties": "40", "fifties": "50", "sixties": "60"}
_SPOKEN_DECADES.update({"seventies": "70", "eighties": "80", "nineties": "90"})


def _decade(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    spoken = group(m, "spoken")
    digits = _SPOKEN_DECADES[spoken.lower()] if spoken else m["decade"] or m["decade2"]
    if len(digits) == 2:  # "the '90s": the last such decade begun by the article's year
        if pub is None:
            return unanchored("year")
        century = pub.year // 100 * 100
        start = century + int(digits)
        start = start - 100 if start > pub.year else start
    else:
        start = int(digits)
    return DateValue(f"{start:04d}", f"{start + 9:04d}", "year", "absolute", f"{start // 10:03d}")


def _century(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    """ "the 20th century" is 1900-1999, TimeML's ``19`` (its first two digits)."""
    start = (int(m["number"]) - 1) * 100
    return DateValue(f"{start:04d}", f"{start + 99:04d}", "year", "absolute", f"{start // 100:02d}")


def _vague_ref(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    words = " ".join(m[0].lower().split())
    timex = _VAGUE_REFS.get(words)
    return DateValue(None, None, "ref", "none", timex)


def _set(m: re.Match[str], pub: dt.date | None, future: bool = False) -> DateValue | None:
    words = m[0].lower().split()
    if words[-1] in _SET_UNITS:
        return DateValue(None, None, "set", "none", duration_timex(1, _SET_UNITS[words[-1]]))
    name = words[-1]
    if name in MONTH_NUMBERS:
        return DateValue(None, None, "set", "none", f"XXXX-{MONTH_NUMBERS[name]:02d}")
    if name in WEEKDAY_NUMBERS:
        return DateValue(None, None, "set", "none", f"XXXX-WXX-{WEEKDAY_NUMBERS[name] + 1}")
    return DateValue(None, None, "set", "none", duration_timex(1, name))


PERIOD_RULES: tuple[Rule, ...] = (
    Rule(
        "quarter",
        line_pattern(
            r"\b(?:(?:the\s+(?:(?P<which>latest|last|current|this|next|year-ago|year-earlier|fiscal)\s+)?"
            rf"(?:(?P<year_b>{YEAR})\s+)?(?:fiscal\s+)?(?:(?P<ordinal>first|second|third|fourth)(?:\s|-)+)?)"
            r"|(?P<rel>this|last|next)\s+year['’]s\s+(?:fiscal\s+)?(?P<ordinal_c>first|second|third|fourth)(?:\s|-)+"
            r"|(?P<ordinal_b>first|second|third|fourth)(?:\s|-)+)quarter\b"
            rf"(?:\s+of\s+(?P<year>{YEAR}))?",
            re.I,
        ),
        _quarter,
        needs=re.compile("quarter", re.I),
    ),
    Rule(
        "decade",
        line_pattern(
            r"\b(?:[Tt]he\s+(?:(?:early|mid|late)(?:\s|-)+)?|(?:[Ee]arly|[Mm]id|[Ll]ate)(?:\s|-)+)"
            rf"(?:(?P<decade>(?:19|20)\d0)s|['’](?P<decade2>\d0)s|(?P<spoken>{'|'.join(_SPOKEN_DECADES)}))\b"
        ),
        _decade,
    ),
    Rule(
        "century",
        line_pattern(r"\b(?:[Tt]he\s+)?(?P<number>[1-9]|1\d|2[01])(?:st|nd|rd|th)(?:\s|-)+century\b", re.I),
        _century,
    ),
    Rule(
        "weekend",
        line_pattern(r"\b(?:(?P<which>the|this|last|next)\s+)weekend\b", re.I),
        _weekend,
    ),
    Rule(
        "duration",
        line_pattern(
            rf"\b{_DURATION_LEAD}{_DURATION_COUNT}(?P<half>\s+1/2|\s+and\s+a\s+half)?(?:\s+more)?(?:\s|-)+{_UNIT}s?"
            r"(?P<half2>\s+and\s+a\s+half)?\b(?!(?:\s|-)+(?:ago|old|earlier)\b)",
            re.I,
        ),
        _duration,
        needs=re.compile(_UNIT, re.I),
    ),
    Rule(
        "year-ended",  # "for the year ended March 31": a year's length, its end the date after it
        line_pattern(r"\b[Tt]he\s+(?:fiscal\s+)?(?P<unit>year)(?=\s+end(?:ed|ing)\b)"),
        _one_unit,
    ),
    Rule(
        "plural-duration",  # "for years", "within weeks": an unstated count
        line_pattern(
            r"\b(?P<unit>year|week|month|day|decade)s\b(?!(?:\s|-)+(?:ago|of|before|after|earlier|later|old)\b)"
        ),
        _some_units,
        lead=re.compile(r"\b(?:[Ff]or|[Ww]ithin|[Ii]n)\s+$"),
    ),
    Rule(
        "vague-ref",
        line_pattern(
            r"\b(?:now|currently|at\s+present|nowadays|these\s+days|recently|the\s+future"
            r"|the\s+near\s+future|the\s+(?:near|short)\s+term)\b(?!-)"
            rf"|\b(?:current|the\s+past)\b(?!-|\s+(?:\w+\s+)?{_REF_UNITS})",
            re.I,
        ),
        _vague_ref,
        vague=True,
    ),
    Rule(
        "set",
        line_pattern(
            rf"\b(?:daily|weekly|monthly|annually|yearly|(?:every|each)\s+(?:day|week|month|year|{WEEKDAY}"
            r"|January|February|March|April|May|June|July|August|September|October|November|December))\b",
            re.I,
        ),
        _set,
        vague=True,
    ),
)
