"""Batch grouping: a whole corpus into stories at once.

Every article's vector is weighted with the corpus's own IDF. Candidate pairs
come from an inverted index of each article's most salient terms (never all
pairs); they are taken strongest first, and two articles' groups are joined when
the mean cosine over all their cross pairs passes the linking rule of
:mod:`.features` (average link, so one shared phrase does not chain two events
together as single link would).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from ..model import Article, DateMention, Mention, Story, stable_id
from ..unionfind import UnionFind, pairs_sharing
from .features import (
    Vector,
    add_into,
    by_article,
    dot,
    features,
    gap_days,
    is_evidence,
    linked,
    publication_day,
    required_similarity,
    salient,
    span,
    vector,
)
from .titles import headline, most_central

#: Terms per article used to retrieve candidates from the inverted index.
SALIENT_TERMS = 20
#: A salient term shared by more than this many articles retrieves no candidates:
#: it names a broad topic, and its all-pairs list would grow with the square of the corpus.
MAX_POSTINGS = 200


def vectors(
    articles: Sequence[Article], mentions: Sequence[Mention] = (), dates: Sequence[DateMention] = ()
) -> list[Vector]:
    """Each article's unit TF-IDF vector, IDF from these articles."""
    named, dated = by_article(mentions), by_article(dates)
    counts = [
        features(a, named.get(a.id, ()), dated.get(a.id, ())).counts  # type: ignore[arg-type]
        for a in articles
    ]
    df = Counter(term for c in counts for term in c)
    return [vector(c, df, len(articles)) for c in counts]


def group(
    articles: Sequence[Article], mentions: Sequence[Mention] = (), dates: Sequence[DateMention] = ()
) -> tuple[Story, ...]:
    """Stories of the articles, sorted by (first date, id)."""
    vecs = vectors(articles, mentions, dates)
    index: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(vecs):
        for term in salient(v, SALIENT_TERMS):
            index[term].append(i)
    edges = sorted(
        ((dot(vecs[i], vecs[j]), i, j) for i, j in pairs_sharing(index.values(), MAX_POSTINGS)),
        key=lambda e: (-e[0], e[1], e[2]),
    )
    days = [publication_day(a) for a in articles]
    links = UnionFind(range(len(articles)))
    sums: dict[int, Vector] = {i: dict(v) for i, v in enumerate(vecs)}
    sizes = dict.fromkeys(range(len(articles)), 1)
    spans = {i: (d, d) if d else None for i, d in enumerate(days)}
    evidence = {i: any(is_evidence(t) for t in v) for i, v in enumerate(vecs)}
    floor = required_similarity(0)
    for score, i, j in edges:
        if score < floor:
            break  # weaker pairs cannot lift a mean over the threshold on their own
        a, b = links.find(i), links.find(j)
        if a == b:
            continue
        gap = gap_days(spans[a], spans[b])
        if not linked(sums[a], sizes[a], sums[b], sizes[b], gap, evidence[a], evidence[b]):
            continue
        links.union(a, b)
        root, other = (a, b) if links.find(a) == a else (b, a)
        add_into(sums[root], sums.pop(other))
        sizes[root] += sizes.pop(other)
        spans[root] = span(spans[root], spans.pop(other))
        evidence[root] = evidence[root] or evidence.pop(other)
    stories = [
        story([articles[k] for k in members], [vecs[k] for k in members]) for members in links.groups()
    ]
    return tuple(sorted(stories, key=lambda s: (s.first_date or "", s.id)))


def story(articles: Sequence[Article], vecs: Sequence[Vector], story_id: str | None = None) -> Story:
    """The Story record of a group of articles (id from its members unless given)."""
    total: Vector = {}
    for v in vecs:
        add_into(total, v)
    candidates = [(a.id, *headline(a), v) for a, v in zip(articles, vecs, strict=True)]
    days = sorted(a.published[:10] for a in articles if a.published)
    ids = tuple(sorted(a.id for a in articles))
    return Story(
        id=story_id or stable_id("s", *ids),
        title=most_central(candidates, total),
        article_ids=ids,
        first_date=days[0] if days else None,
        last_date=days[-1] if days else None,
    )
