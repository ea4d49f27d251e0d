"""The shared pieces of the date rules: records, calendar words, patterns and helpers.

:mod:`.dates` (days, months, years, weekdays, relative dates) and :mod:`.periods`
(durations, weeks, quarters, decades, vague references, sets) both build on these.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

#: How far after the article date a yearless date may fall and still be the
#: nearest one ("on December 3" in a mid-November piece; "in January" in a November
#: one): on the TempEval-3 training set (bench/timex.py) 31 / 92 / 153 days gave
#: value F1 0.750 / 0.758 / 0.758 (news looks back more than ahead); the seeds hold.
FUTURE_TOLERANCE_DAYS = 92

#: How far ahead a yearless date may fall in a sentence about the future ("will
#: meet in March"): half a year, so the nearest such day either way.
FUTURE_LOOKAHEAD_DAYS = 183

#: Words that put a sentence in the future, read in the sentence around a date
#: (HeidelTime reads tense the same way); "would" is left out, as reported speech
#: uses it of the past. Tuned on the TempEval-3 training set (bench/timex.py): plans and
#: schedules ("planning", "set to", "is to", "as early as", "until") turned 5 of the 9
#: weekdays TimeML placed after the article the right way, at the cost of 1 of 148 before.
FUTURE_CUE = re.compile(
    r"\b(?:will|shall|won't|going\s+to|plans?\s+to|planned|planning|scheduled|set\s+to|(?:is|are)\s+to|"
    r"expected\s+to|due\s+to|likely\s+to|upcoming|to\s+be\s+held|as\s+(?:early|soon)\s+as|until)\b|['’]ll\b",
    re.I,
)

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
    #: The TIMEX3 value TimeML would write when it differs from ``value``: a
    #: duration ("P2Y"), a week ("2024-W45"), a season ("2024-SU"), "PRESENT_REF".
    timex: str | None = None

    @property
    def timex_value(self) -> str | None:
        """The TIMEX3 value of this expression (what bench/timex.py scores)."""
        return self.timex if self.timex is not None else self.value


@dataclass(frozen=True, slots=True)
class FoundDate:
    start: int
    end: int
    date: DateValue


# ------------------------------------------------------------------ patterns

MONTH_NUMBERS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTH_NUMBERS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTH_NUMBERS["sept"] = 9
WEEKDAY_NUMBERS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}

FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
ABBR_MONTH = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
MONTH = rf"(?:{FULL_MONTH}|{ABBR_MONTH})"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_DECADE_WORDS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_DECADE_WORDS += "|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
#: A year in digits, or spoken as broadcast transcripts write it ("nineteen ninety-six");
#: not "two thousand", which is far more often a count ("in two thousand homes").
YEAR = (
    r"(?:(?:19|20)\d\d(?!\d)"
    rf"|(?i:nineteen(?:\s|-)+(?:{_DECADE_WORDS})(?:(?:\s|-)(?:{_ONES}))?(?![\w-])))"
)
_SPOKEN = {w: i for i, w in enumerate(["zero", *_ONES.split("|")])}
_SPOKEN.update({w: 10 + i for i, w in enumerate(_DECADE_WORDS.split("|")[:10])})
_SPOKEN.update({w: 20 + 10 * i for i, w in enumerate(_DECADE_WORDS.split("|")[10:])})


def year_number(text: str) -> int:
    """The year of a :data:`YEAR` match: "1996", "nineteen ninety-six"."""
    if text[:1].isdigit():
        return int(text)
    words = re.split(r"[\s-]+", text.lower())
    return 1900 + sum(_SPOKEN[w] for w in words[1:])


DAY = r"[0-3]?\d(?:st|nd|rd|th)?(?!\w|:\d)"
DASH = r"\s*[-–—]\s*"
COUNT = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3})"
LEAD_MONTH = re.compile(
    r"\b(?:in|since|by|until|till|from|during|before|after|through|of|early|late|mid)[\s-]+$", re.I
)
#: Before a bare year: a preposition ("in 1994", "between 1982 and 1992"), or the
#: year before it in a list or range ("1994, 1995 and 1997", "from 1991 to 1997"):
#: on the TempEval-3 training set the lists and ranges found 9 more gold years.
LEAD_YEAR = re.compile(
    r"(?:\b(?:in|since|by|until|till|from|during|before|after|through|of|early|late|mid|year|fiscal|between|both)"
    r"|(?<![\w,.])(?:19|20)\d\d(?:,|\s+(?:and|to|or|through)))[\s-]+$",
    re.I,
)
LEADING_PREPOSITION = re.compile(r"^(?:on|in|at|during|since|by|until|till)\s+", re.I)


def line_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
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


def group(match: re.Match[str], name: str) -> str | None:
    """A named group's text, or None when it did not take part (or the rule has none)."""
    return match.groupdict().get(name)


def month_number(name: str) -> int:
    return MONTH_NUMBERS[name.lower().rstrip(".")]


def day_number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def infer_year(month: int, day: int, pub: dt.date, future: bool = False) -> dt.date | None:
    """The date with this month and day nearest ``pub`` but no more than the
    tolerance after it (:data:`FUTURE_LOOKAHEAD_DAYS` when the sentence speaks of the future)."""
    limit = pub + dt.timedelta(days=FUTURE_LOOKAHEAD_DAYS if future else FUTURE_TOLERANCE_DAYS)
    candidates = [make_date(year, month, day) for year in range(pub.year + 1, pub.year - 8, -1)]
    fitting = [c for c in candidates if c is not None and c <= limit]  # 8 years back finds any 29 February
    if future:  # "will succeed him Feb. 1": the coming one, the article's day included
        fitting = [c for c in fitting if c >= pub] or fitting
    return min(fitting, key=lambda c: (abs((c - pub).days), c)) if fitting else None


def infer_month_year(month: int, pub: dt.date, future: bool = False) -> int:
    """The year of the month nearest ``pub`` (its first day no more than the tolerance after it)."""
    limit = pub + dt.timedelta(days=FUTURE_LOOKAHEAD_DAYS if future else FUTURE_TOLERANCE_DAYS)
    middle = [dt.date(year, month, 15) for year in (pub.year - 1, pub.year, pub.year + 1)]
    fitting = [d for d in middle if d.replace(day=1) <= limit]
    if future:  # "will double its flights by August": the coming one, this month included
        coming = [d for d in fitting if d.replace(day=1) >= pub.replace(day=1)]
        fitting = coming or fitting
    return min(fitting, key=lambda d: (abs((d - pub).days), d)).year


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def unanchored(grain: str) -> DateValue:
    return DateValue(None, None, grain, "none")


def day_value(start: dt.date, end: dt.date | None = None, anchor: str = "published") -> DateValue:
    return DateValue(start.isoformat(), end.isoformat() if end else None, "day", anchor)


def valid_without_year(month: int, day: int) -> bool:
    return make_date(2000, month, day) is not None  # 2000 is a leap year: 29 Feb is valid


# Each handler gets the rule's match, the article date and whether the sentence
# speaks of the future ("will", "next", "scheduled"), and returns the value, or
# None when the match is not a real date after all (31 February).
Handler = Callable[[re.Match[str], dt.date | None, bool], DateValue | None]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler
    lead: re.Pattern[str] | None = None  # text that must come just before, when finding
    vague: bool = False  # a reference no calendar can place ("now", "daily"): found only on request
    #: Text every match holds (a necessary condition, same flags as ``pattern``), for a
    #: pattern that never matches or looks past a line break (:func:`line_pattern`, no
    #: class holding one): it is searched only in the lines holding this.
    needs: re.Pattern[str] | None = None
