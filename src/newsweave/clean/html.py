"""HTML pages: trafilatura for the main text and the page's own metadata, dates from the page."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from typing import Any

import htmldate
import lxml.html
import trafilatura

from ..model import Article, RawDocument
from .dates import headline_date, page_date
from .meta import MIN_ARTICLE_WORDS, article_id, language

#: trafilatura's favor_precision. bench/extraction.py on the 127 article-extraction
#: pages: F1 0.963 with it (P 0.960, R 0.965), 0.961 without (P 0.947, R 0.975).
HTML_FAVOR_PRECISION = True
#: A precision-mode text shorter than this (in words) is checked against the default
#: mode's, which is cheap enough on so few pages: a short text may be the wrong block.
SHORT_TEXT_WORDS = 150
#: ... and the default mode's text wins when the precision text is under this share of
#: it: precision mode then kept a teaser or a caption rather than the body (a Barron's
#: page: 260 characters against the body's 3,200), while its usual trims of a short page
#: leave 60 % or more (the WSJ pages of the article-extraction set: 0.61).
PRECISION_MIN_SHARE = 0.3
#: A body cut into several containers by advertising (<div class="article__body"> ... ad
#: ... <div class="article__body">) is read on from the other containers of the same tag
#: and class, when there are at most CONTINUATION_MAX_CONTAINERS of them (a class on many
#: elements is a comment or teaser list) and the other container holds at least
#: CONTINUATION_MIN_PARAGRAPHS paragraphs of median length CONTINUATION_MEDIAN_WORDS words
#: (running text, not captions or calls to subscribe). On the article-extraction pages it
#: fires on the two Wired pages only (recall 0.35 and 0.45 to 1.0), the same for
#: thresholds 20-30 words, 2-3 paragraphs and 4-10 containers.
CONTINUATION_MAX_CONTAINERS = 6
CONTINUATION_MIN_PARAGRAPHS = 3
CONTINUATION_MEDIAN_WORDS = 25


#: htmldate's fast reading (markup and metadata only, first publication), asked of
#: trafilatura, which runs htmldate while it reads the page's metadata anyway.
MARKUP_DATE: dict[str, Any] = {"extensive_search": False, "original_date": True}


def clean_html(document: RawDocument) -> Article:
    """An HTML page: trafilatura finds the main text and the page's own metadata (og:,
    schema.org, <meta name=author>), htmldate the publication date; the page's other
    text lines are kept in ``removed``."""
    url = document.url or (document.source if document.source.startswith(("http://", "https://")) else None)
    meta = _main_text(document.text, url)
    root = _parse(document.text)
    lines = [" ".join(line.split()) for line in (meta.get("text") or "").splitlines()]
    paragraphs = tuple(_continued(root, [line for line in lines if line]) if root is not None else lines)
    paragraphs = tuple(line for line in paragraphs if line)
    title = document.title or meta.get("title")
    if paragraphs and title and paragraphs[0] == " ".join(title.split()):
        paragraphs = paragraphs[1:]  # the headline is the title, not the body's first paragraph
    text = " ".join(paragraphs)
    # the date before _left_out, which empties the parsed page's scripts
    published = document.published or _html_date(document.text, url, meta.get("date"), root)
    return Article(
        id=article_id(document),
        source=document.source,
        outlet=document.outlet or meta.get("sitename") or meta.get("hostname"),
        title=title,
        byline=document.byline or meta.get("author"),
        published=published,
        published_inferred=False,
        language=language(text),
        paragraphs=paragraphs,
        removed=_left_out(root, text) if root is not None else (),
    )


def _main_text(html: str, url: str | None) -> dict[str, Any]:
    """trafilatura's result in precision mode, or in its default mode when precision kept
    too little (a short page) or far less than the default finds (the wrong block)."""
    meta = _extract_html(html, url, HTML_FAVOR_PRECISION)
    words = len((meta.get("text") or "").split())
    if not HTML_FAVOR_PRECISION or words >= SHORT_TEXT_WORDS:
        return meta
    default = _extract_html(html, url, False)
    default_words = len((default.get("text") or "").split())
    if words < MIN_ARTICLE_WORDS or words < PRECISION_MIN_SHARE * default_words:
        return default
    return meta


def _parse(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None


def _continued(root: lxml.html.HtmlElement, paragraphs: list[str]) -> list[str]:
    """``paragraphs`` with the body's continuation from sibling containers of the one
    holding them (same tag and class), in page order."""
    kept = set(paragraphs)
    container = next(
        (c for c in map(_classed_parent, _paragraph_elements(root, kept)) if c is not None), None
    )
    if container is None:
        return paragraphs
    same = root.xpath(f"//{container.tag}[@class=$name]", name=container.get("class"))
    if not 2 <= len(same) <= CONTINUATION_MAX_CONTAINERS:
        return paragraphs
    found: list[str] = []
    placed = False
    for element in same:
        texts = [" ".join(p.text_content().split()) for p in element.iter("p")]
        if any(text in kept for text in texts):
            if not placed:
                found.extend(paragraphs)
                placed = True
            continue
        more = [text for text in texts if text and text not in kept]
        if len(more) >= CONTINUATION_MIN_PARAGRAPHS and (
            statistics.median(len(text.split()) for text in more) >= CONTINUATION_MEDIAN_WORDS
        ):
            found.extend(more)
    return found if placed else paragraphs


def _paragraph_elements(root: lxml.html.HtmlElement, kept: set[str]) -> Iterator[lxml.html.HtmlElement]:
    return (p for p in root.iter("p") if " ".join(p.text_content().split()) in kept)


def _classed_parent(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The nearest of the paragraph's three nearest ancestors that has a class."""
    parent = element.getparent()
    for _level in range(3):
        if parent is None or not isinstance(parent.tag, str):
            return None
        if parent.get("class"):
            return parent
        parent = parent.getparent()
    return None


def _extract_html(html: str, url: str | None, favor_precision: bool) -> dict[str, Any]:
    """trafilatura's main text and metadata of a page, as a dict (empty when it finds nothing)."""
    extracted = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        favor_precision=favor_precision,
        date_extraction_params=MARKUP_DATE,
    )
    if isinstance(extracted, dict):
        return extracted
    return extracted.as_dict() if extracted is not None else {}


def _html_date(
    html: str, url: str | None, markup: str | None, root: lxml.html.HtmlElement | None
) -> str | None:
    """The page's publication day (:func:`.dates.page_date`); ``markup`` is htmldate's
    fast reading, which trafilatura made while reading the metadata."""
    latest = htmldate.find_date(html, url=url, extensive_search=True, original_date=False)
    headline = headline_date(root) if root is not None else None
    return page_date(markup, str(latest) if latest else None, headline)


def _left_out(root: lxml.html.HtmlElement, kept: str) -> tuple[str, ...]:
    """The page's visible text lines that are not in the kept article text."""
    for element in root.iter("script", "style", "noscript", "template"):
        element.text = ""
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return tuple(dict.fromkeys(line for line in lines if line and line not in kept))
