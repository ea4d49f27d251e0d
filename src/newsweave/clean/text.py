"""Plain text (no markup to lean on): each line judged on general features.

Its length, whether it ends like a sentence, its share of function words
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
  no final punctuation: "ofto's", "U.S. attoin") are chrome; so are the lines
  the outlet repeats across a batch (``boilerplate``, found by the stage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Article, RawDocument
from .dates import DATE_MARKER, DATELINE, TIME_STAMP, dateline_iso, valid_date
from .meta import article_id, language

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
#: After the last long prose line, shorter lines ending like a sentence with at least this
#: many words are still the article's close ("“We will see,” he said."); 3 keeps a short
#: quote while a one- or two-word label ("Updated", "More news") stays chrome.
TAIL_SENTENCE_MIN_WORDS = 3
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
_WIRE_PREFIX = re.compile(r"^\s*\(MENAFN-\s*([^)]+?)\s*\)\s*")
_BY = re.compile(r"^\s*By:?\s+(?P<name>\S.*?)\s*$", re.IGNORECASE)
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


def clean_text(document: RawDocument, boilerplate: frozenset[str] = frozenset()) -> Article:
    """One document cleaned: paragraphs, removed lines and metadata.

    ``boilerplate`` holds lines known to recur across the outlet's pages; they are chrome.
    """
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
        language=language(text),
        paragraphs=paragraphs,
        removed=removed,
    )


def _split(text: str) -> _Page:
    """Non-blank lines; a leading date marker or wire prefix becomes metadata."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    page = _Page(lines=lines, keep=[True] * len(lines))
    if lines and (marker := DATE_MARKER.match(lines[0])) and valid_date(marker.group(1)):
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
    if dateline := DATELINE.match(line):
        page.published = page.published or dateline_iso(dateline)
        return True
    if time := TIME_STAMP.match(line):
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
    for stamp in (i for i, line in enumerate(lines) if TIME_STAMP.match(line)):
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
        if item or _is_chrome(line) or fragment or TIME_STAMP.match(line) or line in boilerplate:
            _remove(page, i)
