"""A story's title: chosen from its articles, never generated.

The title is the headline of the most central article (the one whose vector is
closest to the story's summed vector); when no article has a headline, the first
sentence of the most central article.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..model import Article
from .features import dot

#: A sentence ends at ".", "!" or "?" before a capital, digit or quote, or at the paragraph's
#: end; not after a lone capital, so "U.S." and "J. Smith" do not cut a title short.
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.!?](?=\s+[\"“‘'(\[A-Z0-9]|\s*$)")


def first_sentence(article: Article) -> str:
    first = article.paragraphs[0] if article.paragraphs else article.source
    end = _SENTENCE_END.search(first)
    return first[: end.end()] if end else first


def has_headline(article: Article) -> bool:
    """Whether the article came with a real headline (else its first sentence stands in)."""
    return article.title is not None


def headline(article: Article) -> tuple[bool, str]:
    """(has a real headline, the headline or else the first sentence)."""
    return (has_headline(article), article.title or first_sentence(article))


def most_central(
    candidates: Sequence[tuple[str, bool, str, Mapping[str, float]]], total: Mapping[str, float]
) -> str:
    """Title among ``(article_id, has_headline, text, vector)`` candidates: headlines before
    first sentences, then the closest to ``total``, then the smallest article id."""
    best = min(candidates, key=lambda c: (not c[1], -dot(c[3], total), c[0]))
    return best[2]
