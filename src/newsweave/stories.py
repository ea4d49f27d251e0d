"""Stories stage: group articles into stories, one news event each.

Two articles belong to one story when their TF-IDF vectors (content words)
are close, helped by the named entities they share and held back by time:
articles published far apart need more similarity. Candidates come from an
inverted index of each article's most salient terms, never from all pairs;
linked articles are joined with union-find, so every article is in exactly one
story (a lone article is a story of one).

A story's title is the title of its most central article (closest to the
story's centroid) or, when none has a title, that article's first sentence.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar

from .model import Article, Dossier, Mention, Story, stable_id
from .stage import Stage
from .unionfind import UnionFind, pairs_sharing

#: Terms per article used to retrieve candidates from the inverted index.
SALIENT_TERMS = 20
#: Cosine of TF-IDF vectors (plus entity bonus) at or above which two articles are one story.
#: Chosen on the seeds plus four documents of each ECB+ sub-topic: at 0.3 the seeds
#: stay one story and 15 of 64 stories mix two sub-topics (mostly the two confusable
#: events of one topic); at 0.4 the seeds split, at 0.2 23 of 43 stories mix.
LINK_SIMILARITY = 0.3
#: Share of named entities in common (Jaccard) added, times this weight, to the cosine.
ENTITY_WEIGHT = 0.3
#: Articles published more than this many days apart need LATE_LINK_SIMILARITY.
SAME_EVENT_DAYS = 7
LATE_LINK_SIMILARITY = 0.5
#: Mention types whose shared names count as evidence of one event.
ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})
#: A salient term shared by more than this many articles retrieves no candidates:
#: it names a broad topic, and its all-pairs list would grow with the square of the corpus.
MAX_POSTINGS = 200

_TOKEN = re.compile(r"[^\W\d_]{3,}")
#: A sentence ends at ".", "!" or "?" before a capital, digit or quote, or at the paragraph's
#: end; not after a lone capital, so "U.S." and "J. Smith" do not cut a title short.
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.!?](?=\s+[\"“‘'(\[A-Z0-9]|\s*$)")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "that",
        "with",
        "from",
        "this",
        "was",
        "were",
        "are",
        "has",
        "have",
        "had",
        "been",
        "not",
        "but",
        "they",
        "their",
        "them",
        "its",
        "his",
        "her",
        "she",
        "him",
        "who",
        "which",
        "what",
        "when",
        "where",
        "will",
        "would",
        "could",
        "should",
        "can",
        "may",
        "might",
        "also",
        "said",
        "says",
        "after",
        "before",
        "into",
        "over",
        "than",
        "then",
        "there",
        "these",
        "those",
        "about",
        "more",
        "most",
        "other",
        "some",
        "such",
        "only",
        "very",
        "just",
        "being",
        "because",
        "while",
        "during",
        "against",
        "between",
        "under",
        "again",
        "further",
        "once",
        "here",
        "both",
        "each",
        "few",
        "own",
        "same",
        "too",
        "out",
        "our",
        "your",
        "all",
        "any",
        "how",
        "why",
        "you",
        "one",
        "two",
        "new",
        "first",
        "last",
        "year",
        "years",
        "day",
        "days",
        "time",
    ]
)


def _terms(article: Article) -> Counter[str]:
    return Counter(t for t in _TOKEN.findall(article.text.casefold()) if t not in _STOP)


def _day(article: Article) -> date | None:
    try:
        return date.fromisoformat(article.published[:10]) if article.published else None
    except ValueError:
        return None


class Stories(Stage):
    """Articles grouped into stories."""

    name: ClassVar[str] = "stories"
    requires: ClassVar[tuple[str, ...]] = ("articles", "mentions", "dates")
    provides: ClassVar[tuple[str, ...]] = ("stories",)

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        return {"stories": group(dossier.articles, dossier.mentions)}


def _vectors(articles: Sequence[Article]) -> list[dict[str, float]]:
    counts = [_terms(a) for a in articles]
    df = Counter(term for c in counts for term in c)
    n = len(articles)
    vectors = []
    for c in counts:
        # smoothed IDF (as scikit-learn's): a term in every article still counts a little,
        # so a small corpus on one event is not stripped of the words it shares
        weights = {t: (1 + math.log(k)) * (math.log((1 + n) / (1 + df[t])) + 1) for t, k in c.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({t: w / norm for t, w in weights.items()})
    return vectors


def _cosine(x: dict[str, float], y: dict[str, float]) -> float:
    if len(x) > len(y):
        x, y = y, x
    return sum(w * y.get(t, 0.0) for t, w in x.items())


def _entities(mentions: Sequence[Mention]) -> dict[str, set[str]]:
    by_article: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.type in ENTITY_TYPES:
            by_article[m.article].add(m.text.casefold())
    return by_article


def similarity(x: dict[str, float], y: dict[str, float], ex: set[str], ey: set[str]) -> float:
    shared = len(ex & ey) / len(ex | ey) if ex and ey else 0.0
    return _cosine(x, y) + ENTITY_WEIGHT * shared


def group(articles: Sequence[Article], mentions: Sequence[Mention]) -> tuple[Story, ...]:
    """Stories of the articles, sorted by (first date, id)."""
    vectors = _vectors(articles)
    entities = _entities(mentions)
    index: dict[str, list[int]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for term in sorted(vector, key=lambda t: (-vector[t], t))[:SALIENT_TERMS]:
            index[term].append(i)
    links = UnionFind(range(len(articles)))
    for i, j in pairs_sharing(index.values(), MAX_POSTINGS):
        a, b = articles[i], articles[j]
        score = similarity(vectors[i], vectors[j], entities[a.id], entities[b.id])
        day_a, day_b = _day(a), _day(b)
        far = day_a and day_b and abs((day_a - day_b).days) > SAME_EVENT_DAYS
        if score >= (LATE_LINK_SIMILARITY if far else LINK_SIMILARITY):
            links.union(i, j)
    stories = [_story([articles[i] for i in group], [vectors[i] for i in group]) for group in links.groups()]
    return tuple(sorted(stories, key=lambda s: (s.first_date or "", s.id)))


def _story(articles: list[Article], vectors: list[dict[str, float]]) -> Story:
    centroid: dict[str, float] = defaultdict(float)
    for vector in vectors:
        for term, weight in vector.items():
            centroid[term] += weight
    ranked = sorted(
        range(len(articles)),
        key=lambda k: (articles[k].title is None, -_cosine(vectors[k], centroid), articles[k].id),
    )
    central = articles[ranked[0]]
    days = sorted(a.published[:10] for a in articles if a.published)
    return Story(
        id=stable_id("s", *sorted(a.id for a in articles)),
        title=central.title or _first_sentence(central),
        article_ids=tuple(sorted(a.id for a in articles)),
        first_date=days[0] if days else None,
        last_date=days[-1] if days else None,
    )


def _first_sentence(article: Article) -> str:
    first = article.paragraphs[0] if article.paragraphs else article.source
    end = _SENTENCE_END.search(first)
    return first[: end.end()] if end else first
