"""Clean stage: raw documents to articles, with page chrome taken out and kept for audit.

* :mod:`.text` judges plain text line by line (no markup to lean on);
* :mod:`.html` hands HTML pages to trafilatura, with the page's own metadata;
* :mod:`.dates` finds publication dates (date lines, datelines, HTML metadata);
* :mod:`.meta` gives every article its stable id and language.

A line found in RECURRING_MIN_DOCUMENTS articles of one outlet in a batch is
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

from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from ..errors import InputError, StageError
from ..model import Article, RawDocument, Rejection
from ..stage import DocumentStage
from .html import clean_html
from .meta import MIN_ARTICLE_WORDS, article_id
from .text import clean_text, is_prose, stopword_ratio

__all__ = [
    "BOILERPLATE_MAX_SHARE",
    "MIN_ARTICLE_WORDS",
    "RECURRING_MIN_DOCUMENTS",
    "Clean",
    "article_id",
    "clean_document",
    "is_prose",
    "recurring_lines",
    "stopword_ratio",
]

#: A line found in at least this many documents of one outlet within a batch is that
#: outlet's boilerplate. Two is not enough: an outlet pastes its background block into
#: two articles of a story (seeds 000 and 002), and that block is article text.
RECURRING_MIN_DOCUMENTS = 3
#: The outlet's recurring lines are taken out of a page only when they are at most this
#: share of its paragraphs: furniture is a small part of a page, while a page sharing most
#: of its lines with others is a copy (syndicated, updated) that dedup is there to find.
BOILERPLATE_MAX_SHARE = 0.5


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
    return clean_text(document, boilerplate)
