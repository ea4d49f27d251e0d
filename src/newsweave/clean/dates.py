"""Publication dates: stated date lines and datelines of plain text, and the dates of HTML pages.

A plain-text page states its date in a leading `` date YYYY-MM-DD `` marker or a
dateline ("5 November, 2024 Tuesday 18:39", "Published: Nov 5, 2024"); an
impossible date (31 February) is no date. Time zones are kept when stated.

An article that states no date gets one from its story (:func:`infer_published`,
run by the engine once stories are known), marked ``published_inferred``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from ..model import Article, Story

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


# ------------------------------------------------------------------ HTML pages

#: Month names of the languages most pages here are in (English, German, French,
#: Italian, Spanish), with their usual abbreviations, for dates written under a headline.
_MONTH_NAMES: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "january januar jan janvier gennaio enero jänner jän",
            "february februar feb février febbraio febrero",
            "march märz mär mar mars marzo",
            "april apr avril aprile abril",
            "may mai maggio mayo",
            "june juni jun juin giugno junio",
            "july juli jul juillet luglio julio",
            "august aug août agosto",
            "september sep sept septembre settembre septiembre",
            "october oktober oct okt octobre ottobre octubre",
            "november nov novembre noviembre",
            "december dezember dec dez décembre dicembre diciembre",
        ),
        1,
    )
    for name in names.split()
}
_MONTH_NAME = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
#: Written dates: ISO, day.month.year and day.month.yy (German), month/day/year (US), "5. November 2024",
#: "5 November 2024", "November 5, 2024"; each gives (year, month, day) groups by name.
_WRITTEN_DATES = (
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})(?!\d)"),
    # the German short form "31.10.23": two digits each, not part of a longer dotted number
    re.compile(r"(?<![\d.])(?P<d>[0-3]\d)\.(?P<m>[01]\d)\.(?P<y>\d{2})(?![\d.])"),
    re.compile(r"(?<!\d)(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})(?!\d)"),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\.?\s+(?P<name>{_MONTH_NAME})\.?,?\s+(?P<y>\d{{4}})", re.IGNORECASE),
    re.compile(rf"\b(?P<name>{_MONTH_NAME})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})", re.IGNORECASE),
)
#: Years outside this range are not publication dates of web pages (a founding year,
#: a copyright line of a template); fixed rather than today's, so results do not drift.
PAGE_YEARS = range(1995, 2100)
#: How far below the headline (in words of page text) a written date still belongs to it:
#: the date line of a news page sits within its first few lines (kicker, byline, date).
#: Measured on the 560 date-extraction pages (where it decides, below): 80 words, 20
#: gained and 19 lost against htmldate alone; 30 and 200 give about the same.
HEADLINE_DATE_WORDS = 80
_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})


def written_date(text: str) -> str | None:
    """The first possible date written in ``text``, as ISO (``2024-11-05``), or None."""
    found: tuple[int, str] | None = None
    for pattern in _WRITTEN_DATES:
        match = pattern.search(text)
        if match is None or (found is not None and match.start() >= found[0]):
            continue
        month = _MONTH_NAMES[match["name"].lower()] if "name" in pattern.groupindex else int(match["m"])
        try:
            day = date(_full_year(match["y"]), month, int(match["d"]))
        except ValueError:
            continue
        if day.year in PAGE_YEARS:
            found = (match.start(), day.isoformat())
    return found[1] if found else None


def _full_year(year: str) -> int:
    """A written year; two digits are 1969-2068, as POSIX ``strptime("%y")`` reads them."""
    if len(year) != 2:
        return int(year)
    return int(year) + (2000 if int(year) < TWO_DIGIT_YEAR_PIVOT else 1900)


#: Two-digit years below this are 20xx, the others 19xx (the POSIX ``%y`` convention).
TWO_DIGIT_YEAR_PIVOT = 69


def headline_date(root: Any) -> str | None:
    """The first date written (or shown by a ``<time>``) within HEADLINE_DATE_WORDS
    words after the page's first ``<h1>`` (not in the headline's own words, whose date
    is its subject's); None when there is no headline or no date."""
    headline = root.find(".//h1")
    if headline is None:
        return None
    words, started = 0, False
    for element in root.iter():
        started = started or element is headline
        if not started or not isinstance(element.tag, str):
            continue
        if element.tag == "time" and (stamp := _time_date(element)):
            return stamp
        texts = (element.tail,) if element.tag in _NOT_TEXT else (element.text, element.tail)
        for position, text in enumerate(texts):
            if text and text.strip():
                # a date in the headline's own words is its subject's ("Results, 19.5.2007")
                own = element is headline and position == 0
                if not own and (stamp := written_date(text)):
                    return stamp
                words += len(text.split())
        if words > HEADLINE_DATE_WORDS:
            return None
    return None


def _time_date(element: Any) -> str | None:
    """The day a ``<time>`` element shows, else the day of its ``datetime`` attribute:
    the shown day is the page's own (local) day, while the attribute is often a UTC
    stamp a time zone away (``datetime="2023-11-01T23:01:00Z"`` shown as "02 Novembre
    2023") or another event's time (the last edit) than the one the page states."""
    return written_date(" ".join(element.itertext())) or written_date(element.get("datetime") or "")


#: The date under the headline wins over a markup date at most this many days away: the
#: page then states its own day, and the markup's is off by a time zone (a UTC stamp of
#: a late-evening story), or is the CMS entry's creation a few days before publication.
#: On the 560 date-extraction pages: 10 pages gained, 5 lost; 1 day gives 6 and 4, and
#: 7 to 30 days about the same as 7.
HEADLINE_MARKUP_MAX_DAYS = 7


def page_date(markup: str | None, latest: str | None, headline: str | None) -> str | None:
    """The publication day of an HTML page from three readings of it.

    ``markup`` is htmldate's fast reading (metadata and markup only, the first
    publication), ``latest`` its extensive reading of the latest date, ``headline`` the
    date written under the headline. The markup wins, except over a headline date that
    is within HEADLINE_MARKUP_MAX_DAYS of it or that the latest date confirms (the page
    shows the day its markup calls an update). With no markup date, the headline's
    date, else the latest date found anywhere. On the 560 date-extraction pages this
    takes exact-day accuracy from htmldate extensive's 0.904 to 0.936.
    """
    if not markup:
        return headline or latest
    if headline and (headline == latest or abs(_days_between(headline, markup)) <= HEADLINE_MARKUP_MAX_DAYS):
        return headline
    return markup


def _days_between(later: str, earlier: str) -> int:
    return (date.fromisoformat(later[:10]) - date.fromisoformat(earlier[:10])).days


# ------------------------------------------------------------- inferred dates

#: An undated article gets a date from its story only when the story's dated articles
#: span at most this many days: a tight story is evidence of when the undated one was
#: written, a story running for weeks is not. The seeds' story spans 5-6 November (1 day);
#: wire coverage of one event mostly falls within 2-3 days.
INFER_MAX_SPAN_DAYS = 3
#: ... and only with at least this many dated articles in the story: one could be a
#: wrong story link or a misdated page, two agreeing within the span are evidence.
INFER_MIN_DATED = 2


def infer_published(articles: Sequence[Article], stories: Sequence[Story]) -> tuple[Article, ...]:
    """``articles`` with a date inferred for each undated one from its story's dated articles.

    The inferred date is the day most of the story's dated articles give (the earliest
    of equally common days), set with ``published_inferred=True``, and only when the
    story has INFER_MIN_DATED dated articles within INFER_MAX_SPAN_DAYS; otherwise the
    article stays undated (no date is ever made up without evidence). Dates inferred by
    an earlier run are worked out again, since stories change as the corpus grows.
    """
    stated = {a.id: _day(a.published) for a in articles if a.published and not a.published_inferred}
    inferred: dict[str, str] = {}
    for story in stories:
        days = sorted(day for aid in story.article_ids if (day := stated.get(aid)))
        if len(days) < INFER_MIN_DATED:
            continue
        if (date.fromisoformat(days[-1]) - date.fromisoformat(days[0])).days > INFER_MAX_SPAN_DAYS:
            continue
        counts = Counter(days)
        day = min(counts, key=lambda d: (-counts[d], d))
        inferred.update({aid: day for aid in story.article_ids if aid not in stated})
    return tuple(_dated(article, inferred.get(article.id)) for article in articles)


def _day(published: str) -> str | None:
    day = published[:10]
    return day if valid_date(day) else None


def _dated(article: Article, day: str | None) -> Article:
    if article.published and not article.published_inferred:
        return article
    if day is None:
        return replace(article, published=None, published_inferred=False) if article.published else article
    return replace(article, published=day, published_inferred=True)
