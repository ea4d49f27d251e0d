"""Clean stage: raw documents to articles, with page chrome taken out and kept for audit.

Plain text has no markup to lean on, so each line is judged on general features:
its length, whether it ends like a sentence, link-, price- and code-like tokens,
time stamps, a small vocabulary of web chrome (carts, comment prompts,
newsletter calls), and its place in the page:

* the *header* (lines before the first prose line) holds the outlet, title,
  byline and dateline; they become metadata, not paragraphs;
* the *tail* (lines after the last prose line: "read also" lists of headlines
  and time stamps, comment boxes) is chrome;
* in between, headings are kept and one- or two-word fragments are chrome.

Every line taken out is in ``Article.removed``, in page order. Metadata the
input states (a JSON field, a feed entry) wins over what the text suggests.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

import py3langid

from .errors import StageError
from .model import Article, RawDocument, Rejection, stable_id
from .stage import DocumentStage

#: A line of at least this many words that ends like a sentence is prose.
#: (Headlines in the seeds' "read also" lists run up to 19 words, none ends in a full stop.)
PROSE_MIN_WORDS = 8
#: A line this long is prose even without final punctuation (a lede with no full stop).
PROSE_UNPUNCTUATED_WORDS = 25
#: Lines of at most this many words, not sentences, between paragraphs are fragments.
FRAGMENT_MAX_WORDS = 2
#: A title has at least this many words; a byline or outlet line at most BYLINE_MAX_WORDS.
TITLE_MIN_WORDS = 4
BYLINE_MAX_WORDS = 3
#: Fewer clean words than this and the document is not an article.
MIN_ARTICLE_WORDS = 15
#: Language is not guessed from fewer words than this.
MIN_LANGUAGE_WORDS = 20

_SENTENCE_END = re.compile(r"[.!?…][\"”’'»)\]]*$|[:;][\"”’»]$")
_DATE_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*")
_WIRE_PREFIX = re.compile(r"^\s*\(MENAFN-\s*([^)]+?)\s*\)\s*")
_TIME = re.compile(r"^\s*(\d{1,2}:\d{2})\s*$")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_WEEKDAY = r"(?:,?\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))?"
_DATELINE = re.compile(
    rf"^\s*(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTHS}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTHS})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})){_WEEKDAY}"
    r"(?:\s+(?P<time>\d{1,2}:\d{2}))?\s*$",
    re.IGNORECASE,
)
_BY = re.compile(r"^\s*By\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})\s*$")
_NAME = re.compile(r"^[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}$")
#: Tokens that are not article prose: prices, links, code paths, e-mail.
_ODD_TOKEN = re.compile(r"[$€£]\s?\d|https?://|www\.|\w+/\w+\.\w+|\w+@\w+\.\w+")
#: Generic web-page vocabulary: shop, navigation, comment and newsletter prompts,
#: photo credits. Matched on short lines only (CHROME_MAX_WORDS).
_CHROME_WORDS = re.compile(
    r"\b(?:checkout|cart|log ?in|sign (?:in|up)|subscribe|newsletter|privacy policy|cookies?"
    r"|read (?:also|more)|more news|related(?: articles| news)?|tags?:|back to top|loading"
    r"|(?:write|leave|post) a (?:reply|comment)|comments?:|follow us|share (?:this|on)"
    r"|be the first to know|all rights reserved|advertisement|getty images|photo:|image:)",
    re.IGNORECASE,
)
CHROME_MAX_WORDS = 16
#: A bottom listing: time stamps at most LISTING_MAX_GAP lines apart (stamp, label,
#: headline in the seeds' news sites), at least LISTING_MIN_STAMPS of them.
LISTING_MAX_GAP = 4
LISTING_MIN_STAMPS = 3


@dataclass
class _Page:
    """What is found in one document while its lines are sorted."""

    lines: list[str]
    keep: list[bool]
    removed: list[tuple[int, int, str]] = field(default_factory=list)  # (line, order, text)
    title: str | None = None
    byline: str | None = None
    outlet: str | None = None
    published: str | None = None


class Clean(DocumentStage):
    """Raw documents to articles; rejects documents with no article text."""

    name: ClassVar[str] = "clean"

    def __call__(self, documents: Sequence[RawDocument]) -> tuple[list[Article], list[Rejection]]:
        articles: list[Article] = []
        rejected: list[Rejection] = []
        for document in documents:
            try:
                article = clean_document(document)
            except Exception as exc:
                if self.options.on_error == "raise":
                    raise StageError(self.name, document.source, f"{type(exc).__name__}: {exc}") from exc
                rejected.append(Rejection(document.source, self.name, f"{type(exc).__name__}: {exc}"))
                continue
            words = sum(len(p.split()) for p in article.paragraphs)
            if words < MIN_ARTICLE_WORDS:
                reason = (
                    f"no article text: {words} words left after cleaning (fewer than {MIN_ARTICLE_WORDS})"
                )
                rejected.append(Rejection(document.source, self.name, reason))
            else:
                articles.append(article)
        return articles, rejected


def clean_document(document: RawDocument) -> Article:
    """One document cleaned: paragraphs, removed lines and metadata."""
    page = _split(document.text)
    _header(page)
    _tail(page)
    _middle(page)
    paragraphs = tuple(line.strip() for line, keep in zip(page.lines, page.keep, strict=True) if keep)
    removed = tuple(text for _line, _order, text in sorted(page.removed))
    text = " ".join(" ".join(paragraphs).split())
    return Article(
        id=stable_id("a", document.source, text),
        source=document.source,
        outlet=document.outlet or page.outlet,
        title=document.title or page.title,
        byline=document.byline or page.byline,
        published=document.published or page.published,
        published_inferred=False,
        language=_language(text),
        paragraphs=paragraphs,
        removed=removed,
    )


def _split(text: str) -> _Page:
    """Non-blank lines; a leading date marker or wire prefix becomes metadata."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    page = _Page(lines=lines, keep=[True] * len(lines))
    if lines and (marker := _DATE_MARKER.match(lines[0])):
        page.published = marker.group(1)
        page.removed.append((0, 0, marker.group(0).strip()))
        lines[0] = lines[0][marker.end() :]
    if lines and (wire := _WIRE_PREFIX.match(lines[0])):
        page.outlet = wire.group(1)
        page.removed.append((0, 1, wire.group(0).strip()))
        lines[0] = lines[0][wire.end() :]
    page.keep = [bool(line) for line in lines]
    return page


def _words(line: str) -> int:
    return len(line.split())


def is_prose(line: str) -> bool:
    """A line that reads as running text, not a headline, label or fragment."""
    words = _words(line)
    if _is_chrome(line):
        return False
    if words >= PROSE_UNPUNCTUATED_WORDS:
        return True
    return words >= PROSE_MIN_WORDS and bool(_SENTENCE_END.search(line))


def _is_chrome(line: str) -> bool:
    words = _words(line)
    if _ODD_TOKEN.search(line) and words <= CHROME_MAX_WORDS:
        return True
    return words <= CHROME_MAX_WORDS and bool(_CHROME_WORDS.search(line))


def _remove(page: _Page, index: int) -> None:
    if page.keep[index]:
        page.keep[index] = False
        page.removed.append((index, 2, page.lines[index]))


def _header(page: _Page) -> None:
    """Lines before the first prose line: outlet, title, byline, dateline, chrome."""
    first_prose = next((i for i, line in enumerate(page.lines) if is_prose(line)), len(page.lines))
    header = [i for i in range(first_prose) if page.keep[i]]
    candidates: list[int] = []
    for i in header:
        line = page.lines[i]
        dateline = _DATELINE.match(line)
        if dateline and page.published is None:
            page.published = _iso(dateline)
        elif (time := _TIME.match(line)) and page.published and "T" not in page.published:
            page.published += f"T{int(time.group(1).split(':')[0]):02d}:{time.group(1).split(':')[1]}"
        elif not _is_chrome(line) and not dateline and not _TIME.match(line):
            candidates.append(i)
    titles = [i for i in candidates if _words(page.lines[i]) >= TITLE_MIN_WORDS]
    title = max(titles, key=lambda i: (_words(page.lines[i]), -i)) if titles else None
    if title is not None:
        page.title = page.lines[title]
    for i in candidates:
        line = page.lines[i]
        if title is not None and i > title and page.byline is None and _is_byline(line):
            page.byline = _BY.match(line).group("name") if _BY.match(line) else line  # type: ignore[union-attr]
        elif title is not None and i < title and page.outlet is None and _words(line) <= BYLINE_MAX_WORDS:
            page.outlet = line
    for i in header:
        if i in candidates and i != title and _words(page.lines[i]) >= TITLE_MIN_WORDS:
            continue  # a heading before the first paragraph stays text
        _remove(page, i)


def _is_byline(line: str) -> bool:
    return bool(_BY.match(line)) or (bool(_NAME.match(line)) and _words(line) <= BYLINE_MAX_WORDS)


def _iso(match: re.Match[str]) -> str:
    day = match.group("d1") or match.group("d2")
    month = match.group("m1") or match.group("m2")
    year = match.group("y1") or match.group("y2")
    date = datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date().isoformat()
    if match.group("time"):
        hours, minutes = match.group("time").split(":")
        date += f"T{int(hours):02d}:{minutes}"
    return date


def _tail(page: _Page) -> None:
    """A listing at the bottom, and everything after the last prose line, is page furniture."""
    end = _listing_start(page.lines)
    last_prose = max((i for i in range(end) if page.keep[i] and is_prose(page.lines[i])), default=-1)
    for i in range(last_prose + 1, len(page.lines)):
        _remove(page, i)


def _listing_start(lines: list[str]) -> int:
    """Where a bottom-of-page listing of time-stamped headlines begins (len(lines) if none).

    A listing is a run of at least LISTING_MIN_STAMPS time stamps, each within
    LISTING_MAX_GAP lines of the next, reaching the end of the page; it starts
    at its first stamp, moved back over the non-prose lines that lead into it
    ("Read also:", a date line).
    """
    stamps = [i for i, line in enumerate(lines) if _TIME.match(line)]
    if not stamps or len(lines) - stamps[-1] > LISTING_MAX_GAP:
        return len(lines)
    run = [stamps[-1]]
    for stamp in reversed(stamps[:-1]):
        if run[0] - stamp > LISTING_MAX_GAP:
            break
        run.insert(0, stamp)
    if len(run) < LISTING_MIN_STAMPS:
        return len(lines)
    start = run[0]
    while start > 0 and not is_prose(lines[start - 1]):
        start -= 1
    return start


def _middle(page: _Page) -> None:
    """Between paragraphs: chrome lines and short fragments go; headings stay."""
    for i, line in enumerate(page.lines):
        if not page.keep[i]:
            continue
        fragment = _words(line) <= FRAGMENT_MAX_WORDS and not _SENTENCE_END.search(line)
        if _is_chrome(line) or fragment or _TIME.match(line):
            _remove(page, i)


def _language(text: str) -> str | None:
    if _words(text) < MIN_LANGUAGE_WORDS:
        return None
    language: str = py3langid.classify(text)[0]
    return language
