"""HTML pages: trafilatura for the main text and the page's own metadata, dates from the page."""

from __future__ import annotations

from typing import Any

import htmldate
import lxml.html
import trafilatura

from ..model import Article, RawDocument
from .meta import MIN_ARTICLE_WORDS, article_id, language

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
        language=language(text),
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
