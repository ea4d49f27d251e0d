"""Clean stage: raw documents to articles, with page chrome taken out and kept for audit.

Plain text has no markup to lean on, so each line is judged on general features:
its length, whether it ends like a sentence, its share of function words
(headlines drop them), link-, price- and code-like tokens, time stamps, a small
vocabulary of web chrome (carts, comment prompts, newsletter calls, photo
credits), and its place in the page:

* a *listing* (a run of time stamps interleaved with short headlines and labels:
  "read also" / "more news" lists) is chrome wherever it stands, with the labels
  leading into it; a paragraph under a time stamp (a live blog) stays;
* the *header* (lines before the first prose line) holds the outlet, title,
  byline and dateline; they become metadata, not paragraphs;
* the *tail* (lines after the last prose line: comment boxes, newsletter calls)
  is chrome;
* in between, headings are kept; chrome lines, the items of a "Read also:"
  label, and fragments (one or two words, or three with no function word, and
  no final punctuation: "ofto's", "U.S. attoin") are chrome;
* a line found in RECURRING_MIN_DOCUMENTS articles of one outlet in a batch is
  that outlet's boilerplate (the one rule that looks beyond the document).

A document with too little text left is rejected with a reason. A record a
reader could not read (``RawDocument.error``) is rejected with that reason too,
or, with ``on_error="raise"``, stops the run as an :class:`InputError`. An
unexpected failure is a :class:`StageError` (``raise``) or a rejection (``skip``).

``Article.id`` hashes the source and the whitespace-collapsed input text, so the
same input gets the same id whatever the batch or the version of these rules.

Every line taken out is in ``Article.removed``, in page order. Metadata the
input states (a JSON field, a feed entry) wins over what the text suggests.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

import htmldate
import lxml.html
import py3langid
import trafilatura

from .errors import InputError, StageError
from .model import Article, RawDocument, Rejection, stable_id
from .stage import DocumentStage

#: A line of at least this many words that ends like a sentence is prose.
#: (Headlines in the seeds' "read also" lists run up to 19 words, none ends in a full stop.)
PROSE_MIN_WORDS = 8
#: A line this long is prose even without final punctuation (a lede with no full stop:
#: seed 003's first paragraph, 36 words); the seeds' longest headline has 19 words.
PROSE_UNPUNCTUATED_WORDS = 25
#: Lines of at most this many words, not sentences, between paragraphs are fragments
#: ("ofto's", "U.S. attoin" in seed 001); the seeds' shortest subheading has 7 words.
FRAGMENT_MAX_WORDS = 2
#: Lines of at most this many words with no function word at all and no final
#: punctuation between paragraphs are fragments too ("INVESTING BOOKS"); a real
#: subheading of three or more words nearly always has one ("between", "of", "the").
FRAGMENT_NO_STOPWORD_MAX_WORDS = 3
#: A title has at least this many words (seed 004's has 9, 003's 16; "Espreso. Global"
#: above them has 2); a byline or outlet line at most BYLINE_MAX_WORDS (first, middle
#: and last name).
TITLE_MIN_WORDS = 4
BYLINE_MAX_WORDS = 3
#: A "By ..." line names at most this many words (two or three authors with "and").
BY_LINE_MAX_WORDS = 8
#: Prose has at least this share of function words (STOP_WORDS). Real sentences in the
#: seeds have 0.16 or more; the headlines of 003's "read also" list go down to 0.0, and
#: the ones that end in a full stop ("Ukraine advances near ..., Russia lacks strategy
#: in Syria.") sit at 0.08. 0.1 splits the two with margin on the prose side.
PROSE_MIN_STOPWORD_RATIO = 0.1
#: A line found in at least this many documents of one outlet within a batch is that
#: outlet's boilerplate. Two is not enough: an outlet pastes its background block into
#: two articles of a story (seeds 000 and 002), and that block is article text.
RECURRING_MIN_DOCUMENTS = 3
#: The outlet's recurring lines are taken out of a page only when they are at most this
#: share of its paragraphs: furniture is a small part of a page, while a page sharing most
#: of its lines with others is a copy (syndicated, updated) that dedup is there to find.
BOILERPLATE_MAX_SHARE = 0.5
#: After the last long prose line, shorter lines ending like a sentence with at least this
#: many words are still the article's close ("“We will see,” he said."); 3 keeps a short
#: quote while a one- or two-word label ("Updated", "More news") stays chrome.
TAIL_SENTENCE_MIN_WORDS = 3
#: Fewer clean words than this and the document is not an article: a one-sentence news
#: brief has about 15-25 words, while what a menu or cookie page leaves is shorter.
MIN_ARTICLE_WORDS = 15
#: Language is not guessed from fewer words than this. The seeds' prose cut into n-word
#: chunks: py3langid says "en" for 78 % of 3-word, 97 % of 8-word and 100 % of 15- and
#: 20-word chunks; 20 leaves a margin for harder text.
MIN_LANGUAGE_WORDS = 20

#: English function words: headlines drop them, running text is full of them.
_STOP_WORD_TEXT = (
    "a an the and or but of in on at to for from by with as is are was were be been has have had "
    "it its this that these those he she they we you his her their our not no into over after "
    "before about than which who whom said says will would can could may should"
)
STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())
_WORD_EDGES = "\"'“”‘’«»()[],.;:!?"
_SENTENCE_END = re.compile(r"[.!?…][\"”’'»)\]]*$|[:;][\"”’»]$")
_FULL_STOP = re.compile(r"\.[\"”’'»)\]]*$")
_DATE_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*")
_WIRE_PREFIX = re.compile(r"^\s*\(MENAFN-\s*([^)]+?)\s*\)\s*")
_CLOCK = r"([01]?\d|2[0-3]):([0-5]\d)"
_TIME = re.compile(rf"^\s*{_CLOCK}\s*$")
_MONTHS = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
    "|January|February|March|April|June|July|August|September|October|November|December"
)
_DAY_NAME = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DATELINE = re.compile(
    rf"^\s*(?:(?:Published|Posted|Updated)(?:\s+on)?:?\s*)?(?:{_DAY_NAME},?\s+)?"
    rf"(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTHS}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTHS})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))"
    rf"(?:,?\s*{_DAY_NAME})?,?(?:\s+(?:at\s+)?(?P<time>(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)))?\s*$",
    re.IGNORECASE,
)
_BY = re.compile(r"^\s*By:?\s+(?P<name>\S.*?)\s*$", re.IGNORECASE)
_MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NUMBERS = {abbreviation: n for n, abbreviation in enumerate(_MONTH_ABBREVIATIONS, 1)}
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*\.?$")  # letters, inner ' or -, initial's dot
#: Tokens that are not article prose: prices, links, code paths, e-mail.
_ODD_TOKEN = re.compile(r"[$€£]\s?\d|https?://|www\.|\w+/\w+\.\w+|\w+@\w+\.\w+")
#: Generic web-page vocabulary: shop, navigation, comment and newsletter prompts,
#: photo credits. Matched on short lines only (CHROME_MAX_WORDS).
_CHROME_WORDS = re.compile(
    r"\b(?:checkout|cart|log ?in|sign (?:in|up)|subscribe|newsletter|privacy policy|cookies?"
    r"|read (?:also|more)|more news|related(?: articles| news)?|tags?:|back to top|loading"
    r"|(?:write|leave|post) a (?:reply|comment)|comments?:|follow us|share (?:this|on)"
    r"|be the first to know|all rights reserved|advertisement|getty images|photo:|image:"
    r"|photo (?:by|credit)|image credit|credit:)",
    re.IGNORECASE,
)
#: Chrome vocabulary and odd tokens count on lines of at most this many words only, so a
#: real sentence mentioning "cookies" or a URL stays; 16 covers the seeds' longest chrome
#: line ("For more news and in-depth stories from Ukraine please follow us on X.", 13 words).
CHROME_MAX_WORDS = 16
#: A bottom listing: time stamps at most LISTING_MAX_GAP lines apart (stamp, label,
#: headline in the seeds' news sites), at least LISTING_MIN_STAMPS of them.
LISTING_MAX_GAP = 4
LISTING_MIN_STAMPS = 3
#: After a list label ("Read also:", "Related:") at most this many headline-like lines (no
#: final full stop, shorter than a paragraph) are its items. More would risk taking a
#: subheading of the article that follows a one-item box; 3 covers the usual link boxes.
LABEL_MAX_ITEMS = 3


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
        cleaned: list[Article | Rejection] = [self._clean(document) for document in documents]
        boilerplate = recurring_lines([a for a in cleaned if isinstance(a, Article)])
        articles: list[Article] = []
        rejected: list[Rejection] = []
        for document, article in zip(documents, cleaned, strict=True):
            if isinstance(article, Article) and _is_furniture(article, boilerplate.get(article.outlet)):
                article = self._clean(document, boilerplate[article.outlet])
            if isinstance(article, Rejection):
                rejected.append(article)
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

    def _clean(self, document: RawDocument, boilerplate: frozenset[str] = frozenset()) -> Article | Rejection:
        if document.error:  # set by a reader that could not read the record
            if self.options.on_error == "raise":
                raise InputError(f"{document.source}: {document.error}")
            return Rejection(document.source, self.name, document.error)
        try:
            return clean_document(document, boilerplate)
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"
            if self.options.on_error == "raise":
                raise StageError(self.name, document.source, reason) from exc
            return Rejection(document.source, self.name, reason)


def recurring_lines(articles: Sequence[Article]) -> dict[str | None, frozenset[str]]:
    """Outlet -> paragraphs found in RECURRING_MIN_DOCUMENTS or more of its articles.

    Articles with no known outlet are left out: a line shared by unrelated
    sources (a quoted statement) is news, not one site's furniture.
    """
    counts: dict[str, Counter[str]] = {}
    for article in {a.text: a for a in articles}.values():  # a copy read twice counts once
        if article.outlet is not None:
            counts.setdefault(article.outlet, Counter()).update(set(article.paragraphs))
    found: dict[str | None, frozenset[str]] = {}
    for outlet, counter in counts.items():
        lines = frozenset(line for line, n in counter.items() if n >= RECURRING_MIN_DOCUMENTS)
        if lines:
            found[outlet] = lines
    return found


def _is_furniture(article: Article, lines: frozenset[str] | None) -> bool:
    """Whether an outlet's recurring ``lines`` are furniture on this page, not its body."""
    shared = sum(p in lines for p in article.paragraphs) if lines else 0
    return 0 < shared <= BOILERPLATE_MAX_SHARE * len(article.paragraphs)


def clean_document(document: RawDocument, boilerplate: frozenset[str] = frozenset()) -> Article:
    """One document cleaned: paragraphs, removed lines and metadata.

    ``boilerplate`` holds lines known to recur across the outlet's pages; they are chrome.
    """
    if document.format == "html":
        return clean_html(document)
    page = _split(document.text)
    _listings(page)
    _header(page)
    _tail(page)
    _middle(page, boilerplate)
    paragraphs = tuple(line.strip() for line, keep in zip(page.lines, page.keep, strict=True) if keep)
    removed = tuple(text for _line, _order, text in sorted(page.removed))
    text = " ".join(paragraphs)
    return Article(
        id=article_id(document),
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


def article_id(document: RawDocument) -> str:
    """A stable id from the source and the whitespace-collapsed input text."""
    return stable_id("a", document.source, " ".join(document.text.split()))


def _split(text: str) -> _Page:
    """Non-blank lines; a leading date marker or wire prefix becomes metadata."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    page = _Page(lines=lines, keep=[True] * len(lines))
    if lines and (marker := _DATE_MARKER.match(lines[0])) and _valid_date(marker.group(1)):
        page.published = marker.group(1)
        page.removed.append((0, 0, marker.group(0).strip()))
        lines[0] = lines[0][marker.end() :]
    if lines and (wire := _WIRE_PREFIX.match(lines[0])):
        page.outlet = wire.group(1)
        page.removed.append((0, 1, wire.group(0).strip()))
        lines[0] = lines[0][wire.end() :]
    page.keep = [bool(line) for line in lines]
    return page


def _valid_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _words(line: str) -> int:
    return len(line.split())


def stopword_ratio(line: str) -> float:
    """The share of the line's words that are function words (0.0 for an empty line)."""
    words = [word.strip(_WORD_EDGES).lower() for word in line.split()]
    return sum(word in STOP_WORDS for word in words) / len(words) if words else 0.0


def is_prose(line: str) -> bool:
    """A line that reads as running text, not a headline, label or fragment."""
    words = _words(line)
    if _is_chrome(line):
        return False
    if stopword_ratio(line) < PROSE_MIN_STOPWORD_RATIO:
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
    candidates = [i for i in header if not _dateline(page, page.lines[i]) and not _is_chrome(page.lines[i])]
    bylines = {i for i in candidates if _byline(page.lines[i])}
    titles = [i for i in candidates if i not in bylines and _words(page.lines[i]) >= TITLE_MIN_WORDS]
    title = max(titles, key=lambda i: (_words(page.lines[i]), -i)) if titles else None
    if title is not None:
        page.title = page.lines[title]
    _byline_and_outlet(page, candidates, title)
    headings = {i for i in titles if i != title}  # a heading before the first paragraph stays text
    for i in header:
        if i not in headings:
            _remove(page, i)


def _dateline(page: _Page, line: str) -> bool:
    """Whether ``line`` is a dateline or time stamp; the first ones set ``published``."""
    if dateline := _DATELINE.match(line):
        page.published = page.published or _iso(dateline)
        return True
    if time := _TIME.match(line):
        if page.published and "T" not in page.published:
            page.published += f"T{int(time.group(1)):02d}:{time.group(2)}"
        return True
    return False


def _byline_and_outlet(page: _Page, candidates: list[int], title: int | None) -> None:
    """A name under the title (or in a header with no title) is the byline; a short
    line above the title is the outlet."""
    for i in candidates:
        line = page.lines[i]
        if (title is None or i > title) and page.byline is None and (by := _byline(line)):
            page.byline = by
        elif title is not None and i < title and page.outlet is None and _words(line) <= BYLINE_MAX_WORDS:
            page.outlet = line


def _byline(line: str) -> str | None:
    """The author(s) a line names: "By A and B", or a bare person-like name."""
    if by := _BY.match(line):
        names = by.group("name").replace(",", " ").replace("&", " and ").split()
        people = [word for word in names if word.lower() != "and"]
        if people and len(names) <= BY_LINE_MAX_WORDS and all(map(_is_name_word, people)):
            return by.group("name")
        return None
    words = line.split()
    return line if 2 <= len(words) <= BYLINE_MAX_WORDS and all(map(_is_name_word, words)) else None


def _is_name_word(word: str) -> bool:
    """A capitalised word of letters ("Polonska", "O'Brien", "Zoë"), or an initial ("F.")."""
    if not (_NAME_WORD.match(word) and word[0].isupper()):
        return False
    return len(word.rstrip(".")) == 1 or any(c.islower() for c in word)


def _iso(match: re.Match[str]) -> str | None:
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


def _tail(page: _Page) -> None:
    """Everything after the last prose line is page furniture."""
    kept = [i for i, line in enumerate(page.lines) if page.keep[i]]
    last = max((i for i in kept if is_prose(page.lines[i])), default=-1)
    if last >= 0:  # a short closing sentence or quote after the last long one is still text
        while last + 1 < len(page.lines) and page.keep[last + 1] and _is_short_sentence(page.lines[last + 1]):
            last += 1
    for i in range(last + 1, len(page.lines)):
        _remove(page, i)


def _is_short_sentence(line: str) -> bool:
    return (
        _words(line) >= TAIL_SENTENCE_MIN_WORDS
        and bool(_SENTENCE_END.search(line))
        and stopword_ratio(line) >= PROSE_MIN_STOPWORD_RATIO
        and not _is_chrome(line)
    )


def _listings(page: _Page) -> None:
    """Lists of time-stamped headlines ("latest news", "read also"), wherever they stand.

    Their headlines go even when they read like a sentence ("Blackout at the plant: dirty
    bomb risk?"); a paragraph (a live blog's entry under its time stamp) stays.
    """
    for start, end in _listing_spans(page.lines):
        for i in range(start, end):
            if not _is_paragraph(page.lines[i]):
                _remove(page, i)


def _is_paragraph(line: str) -> bool:
    """Prose that ends in a full stop (headlines do not), or a line as long as a paragraph."""
    return _words(line) >= PROSE_UNPUNCTUATED_WORDS or (is_prose(line) and bool(_FULL_STOP.search(line)))


def _listing_spans(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each listing: a run of at least LISTING_MIN_STAMPS time stamps, each
    within LISTING_MAX_GAP lines of the next. It starts at its first stamp, moved back over
    the labels leading into it ("Read also:", "6 December"), and ends after the last
    stamp's item (its labels and its headline)."""
    runs: list[list[int]] = []
    for stamp in (i for i, line in enumerate(lines) if _TIME.match(line)):
        if runs and stamp - runs[-1][-1] <= LISTING_MAX_GAP:
            runs[-1].append(stamp)
        else:
            runs.append([stamp])
    spans = []
    for run in (run for run in runs if len(run) >= LISTING_MIN_STAMPS):
        start, end = run[0], run[-1] + 1
        while start > 0 and _is_label(lines[start - 1]):
            start -= 1
        while end < len(lines) and end - run[-1] < LISTING_MAX_GAP:
            end += 1
            if _is_paragraph(lines[end - 1]):
                end -= 1  # a paragraph, not the item's headline
                break
            if not _is_label(lines[end - 1]):
                break  # the item's headline closes it
        spans.append((start, end))
    return spans


def _is_label(line: str) -> bool:
    """A short label: web-chrome words ("Read also:", "Tags:") or a few words ("Exclusive")."""
    return not is_prose(line) and (_is_chrome(line) or _words(line) <= FRAGMENT_NO_STOPWORD_MAX_WORDS)


def _middle(page: _Page, boilerplate: frozenset[str]) -> None:
    """Between paragraphs: chrome lines, the outlet's recurring lines and short fragments go;
    headings (several words, no final full stop) stay, except as the items of a list label."""
    items_left = 0  # lines still to take as the items of a "Read also:" label
    for i, line in enumerate(page.lines):
        if not page.keep[i]:
            continue
        words, unpunctuated = _words(line), not _SENTENCE_END.search(line)
        fragment = unpunctuated and (
            words <= FRAGMENT_MAX_WORDS
            or (words <= FRAGMENT_NO_STOPWORD_MAX_WORDS and stopword_ratio(line) == 0)
        )
        item = items_left > 0 and words < PROSE_UNPUNCTUATED_WORDS and not _FULL_STOP.search(line)
        items_left = items_left - 1 if item else 0
        if _is_chrome(line) and line.endswith(":"):
            items_left = LABEL_MAX_ITEMS
        if item or _is_chrome(line) or fragment or _TIME.match(line) or line in boilerplate:
            _remove(page, i)


def _language(text: str) -> str | None:
    if _words(text) < MIN_LANGUAGE_WORDS:
        return None
    language: str = py3langid.classify(text)[0]
    return language


# ----------------------------------------------------------------------- HTML

#: trafilatura's favor_precision. bench/extraction.py on the 127 article-extraction
#: pages: F1 0.963 with it (P 0.960, R 0.965), 0.961 without (P 0.947, R 0.975).
HTML_FAVOR_PRECISION = True


def clean_html(document: RawDocument) -> Article:
    """An HTML page: trafilatura finds the main text and the page's own metadata (og:,
    schema.org, <meta name=author>), htmldate the publication date; the page's other
    text lines are kept in ``removed``."""
    url = document.url or (document.source if document.source.startswith(("http://", "https://")) else None)
    meta = _extract_html(document.text, url, HTML_FAVOR_PRECISION)
    if HTML_FAVOR_PRECISION and len((meta.get("text") or "").split()) < MIN_ARTICLE_WORDS:
        meta = _extract_html(document.text, url, False)  # a short page: precision kept too little
    paragraphs = tuple(line.strip() for line in (meta.get("text") or "").splitlines() if line.strip())
    title = document.title or meta.get("title")
    if paragraphs and title and paragraphs[0] == title.strip():
        paragraphs = paragraphs[1:]  # the headline is the title, not the body's first paragraph
    text = " ".join(" ".join(paragraphs).split())
    return Article(
        id=article_id(document),
        source=document.source,
        outlet=document.outlet or meta.get("sitename") or meta.get("hostname"),
        title=title,
        byline=document.byline or meta.get("author"),
        published=document.published or _html_date(document.text, url),
        published_inferred=False,
        language=_language(text),
        paragraphs=paragraphs,
        removed=_left_out(document.text, text),
    )


def _extract_html(html: str, url: str | None, favor_precision: bool) -> dict[str, Any]:
    """trafilatura's main text and metadata of a page, as a dict (empty when it finds nothing)."""
    extracted = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, favor_precision=favor_precision
    )
    if isinstance(extracted, dict):
        return extracted
    return extracted.as_dict() if extracted is not None else {}


def _html_date(html: str, url: str | None) -> str | None:
    found = htmldate.find_date(html, url=url, extensive_search=True, original_date=True)
    return str(found) if found else None


def _left_out(html: str, kept: str) -> tuple[str, ...]:
    """The page's visible text lines that are not in the kept article text."""
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ()
    for element in root.iter("script", "style", "noscript", "template"):
        element.text = ""
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return tuple(dict.fromkeys(line for line in lines if line and line not in kept))
