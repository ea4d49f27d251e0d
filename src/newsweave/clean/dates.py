"""Publication dates: stated date lines and datelines of plain text, and the dates of HTML pages.

A plain-text page states its date in a leading `` date YYYY-MM-DD `` marker or a
dateline ("5 November, 2024 Tuesday 18:39", "Published: Nov 5, 2024"); an
impossible date (31 February) is no date. Time zones are kept when stated.
"""

from __future__ import annotations

import re
from datetime import date

DATE_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*")
_CLOCK = r"([01]?\d|2[0-3]):([0-5]\d)"
TIME_STAMP = re.compile(rf"^\s*{_CLOCK}\s*$")
_MONTHS = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
    "|January|February|March|April|June|July|August|September|October|November|December"
)
_DAY_NAME = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
DATELINE = re.compile(
    rf"^\s*(?:(?:Published|Posted|Updated)(?:\s+on)?:?\s*)?(?:{_DAY_NAME},?\s+)?"
    rf"(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTHS}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTHS})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))"
    rf"(?:,?\s*{_DAY_NAME})?,?(?:\s+(?:at\s+)?(?P<time>(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)))?\s*$",
    re.IGNORECASE,
)
_MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NUMBERS = {abbreviation: n for n, abbreviation in enumerate(_MONTH_ABBREVIATIONS, 1)}


def valid_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def dateline_iso(match: re.Match[str]) -> str | None:
    """The ISO date (and time) of a dateline match; None for an impossible date (31 February)."""
    day = match.group("d1") or match.group("d2")
    month = match.group("m1") or match.group("m2")
    year = match.group("y1") or match.group("y2")
    try:
        if match.group("iso"):
            stated = date.fromisoformat(match.group("iso")).isoformat()
        else:
            number = _MONTH_NUMBERS[month[:3].lower()]
            stated = date(int(year), number, int(day)).isoformat()
    except ValueError:
        return None
    if match.group("time"):
        stated += f"T{int(match.group('hh')):02d}:{match.group('mm')}"
    return stated
