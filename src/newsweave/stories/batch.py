"""Batch grouping: a whole corpus into stories at once.

Every article's vector is weighted with the corpus's own IDF. Candidate pairs
come from an inverted index of each article's most salient terms (never all
pairs); they are taken strongest first, and two articles' groups are joined when
the mean cosine over all their cross pairs passes the linking rule of
:mod:`.features` (average link, so one shared phrase does not chain two events
together as single link would).
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from operator import add
from typing import Any, overload

import numpy

from ..model import Article, DateMention, Mention, Story, by_article, stable_id
from ..unionfind import UnionFind
from .features import (
    EVIDENCE_WEIGHT,
    Features,
    Group,
    Vector,
    add_into,
    features,
    has_evidence,
    has_words,
    link,
    publication_day,
    required_similarity,
    salient,
    similarity,
    weighted_terms,
)
from .titles import headline, most_central

#: Terms per article used to retrieve candidates from the inverted index.
SALIENT_TERMS = 20
#: A salient term shared by more than this many articles retrieves no candidates:
#: it names a broad topic, and its all-pairs list would grow with the square of the corpus.
MAX_POSTINGS = 200
#: Candidates per article: the articles sharing the most salient terms with it. 30: on ECB+
#: (sub-topics of 2 to 30 documents) the F1 is the same as with every posting pair.
NEIGHBOURS = 30
#: Up to this many articles every pair is scored (no index): a tracker's young story
#: regrouped on a second look holds at most 21.
ALL_PAIRS = 40


def vectors(
    articles: Sequence[Article], mentions: Sequence[Mention] = (), dates: Sequence[DateMention] = ()
) -> Sequence[Vector]:
    """Each article's unit TF-IDF vector, IDF from these articles."""
    named, dated = by_article(mentions), by_article(dates)
    return _vectors(len(articles), (features(a, named.get(a.id, ()), dated.get(a.id, ())) for a in articles))


def streamed_vectors(
    articles: Sequence[Article], mentions: Iterable[Mention], dates: Iterable[DateMention]
) -> Sequence[Vector]:
    """:func:`vectors` of articles whose ``mentions`` and ``dates`` come in article id
    order (as a store reads them back), each article's taken as they come."""
    order = sorted(range(len(articles)), key=lambda k: articles[k].id)
    named, dated = _Runs(mentions), _Runs(dates)
    found = (features(articles[k], named.take(articles[k].id), dated.take(articles[k].id)) for k in order)
    return _vectors(len(articles), found).placed(order)


def _vectors(documents: int, found: Iterable[Features]) -> PackedVectors:
    """Unit TF-IDF vectors of ``documents`` articles' features, in their order. Until the
    IDF is known each article's counts are held as its interned terms and an array of
    their counts: its Counter (every term a string of its own) was 13 KB an article of
    bench/scale.py's corpus, more than its vector."""
    df: Counter[str] = Counter()
    packed = []
    for one in found:
        terms = tuple(map(sys.intern, one.counts))
        df.update(terms)
        packed.append((terms, array("l", one.counts.values()), one.words))
    vecs = PackedVectors()
    for terms, counts, words in packed:
        kept, weights, _cut = weighted_terms(terms, counts, df, documents, words)
        vecs.terms.append(tuple(kept))
        vecs.weights.append(array("d", weights))
    return vecs


class PackedVectors(Sequence[Vector]):
    """Articles' unit vectors, each held as its terms and an array of their weights (16
    bytes a term, where its dict took 10 KB an article of bench/scale.py's corpus): each
    look makes the dict afresh, the same terms and floats in the same order."""

    def __init__(self) -> None:
        self.terms: list[tuple[str, ...]] = []
        self.weights: list[array[float]] = []

    def __len__(self) -> int:
        return len(self.terms)

    @overload
    def __getitem__(self, k: int) -> Vector: ...

    @overload
    def __getitem__(self, k: slice) -> list[Vector]: ...

    def __getitem__(self, k: int | slice) -> Vector | list[Vector]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        return dict(zip(self.terms[k], self.weights[k], strict=True))

    def placed(self, at: Sequence[int]) -> PackedVectors:
        """These vectors with the k-th at position ``at[k]``."""
        placed = PackedVectors()
        placed.terms, placed.weights = [()] * len(at), [array("d")] * len(at)
        for k, position in enumerate(at):
            placed.terms[position], placed.weights[position] = self.terms[k], self.weights[k]
        return placed


class _Runs:
    """Records in article id order, taken an article at a time in that order."""

    def __init__(self, records: Iterable[Any]) -> None:
        self.records = iter(records)
        self.head = next(self.records, None)

    def take(self, article_id: str) -> list[Any]:
        """The records of ``article_id`` (those of articles before it are skipped)."""
        found = []
        while self.head is not None and self.head.article <= article_id:
            if self.head.article == article_id:
                found.append(self.head)
            self.head = next(self.records, None)
        return found


def neighbour_pairs(vecs: Sequence[Vector], index: dict[str, list[int]]) -> list[tuple[int, int]]:
    """Candidate pairs (i < j): for each article, the NEIGHBOURS others sharing the most of
    its salient terms (terms in more than MAX_POSTINGS articles skipped)."""
    pairs: set[tuple[int, int]] = set()
    for i, v in enumerate(vecs):
        shared: Counter[int] = Counter()
        for term in salient(v, SALIENT_TERMS):
            posting = index[term]
            if len(posting) <= MAX_POSTINGS:
                shared.update(posting)
        del shared[i]
        for j, _count in sorted(shared.items(), key=lambda c: (-c[1], c[0]))[:NEIGHBOURS]:
            pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


def group(
    articles: Sequence[Article], mentions: Sequence[Mention] = (), dates: Sequence[DateMention] = ()
) -> tuple[Story, ...]:
    """Stories of the articles, sorted by (first date, id)."""
    return group_vectors(articles, vectors(articles, mentions, dates))


def group_vectors(articles: Sequence[Article], vecs: Sequence[Vector]) -> tuple[Story, ...]:
    """:func:`group` of the articles' vectors (``vecs[k]`` of ``articles[k]``)."""
    parts = cluster(vecs, [publication_day(a) for a in articles])
    stories = [story([articles[k] for k in members], [vecs[k] for k in members]) for members in parts]
    return tuple(sorted(stories, key=lambda s: (s.first_date or "", s.id)))


def cluster(vecs: Sequence[dict[str, float]], days: Sequence[date | None]) -> list[list[int]]:
    """Groups of indices of ``vecs``: candidate pairs strongest first, two articles' groups
    joined when they pass the linking rule (:meth:`.features.Group.linked`)."""
    if len(vecs) <= ALL_PAIRS:  # every pair is a candidate (a tracker's young story)
        dots = [[complex(*link(vecs[i], vecs[j])) for j in range(i)] for i in range(len(vecs))]
        return cluster_dots(dots, [has_words(v) for v in vecs], [has_evidence(v) for v in vecs], days)
    index: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(vecs):
        for term in salient(v, SALIENT_TERMS):
            index[term].append(i)
    links = UnionFind(range(len(vecs)))
    groups: dict[int, Group] = {}  # of two articles or more; one article's is made at each look

    def group_of(root: int) -> Group:
        return groups[root] if root in groups else Group(vecs[root], days[root])

    for i, j in _edges(vecs, neighbour_pairs(vecs, index)):
        a, b = links.find(i), links.find(j)
        if a == b:
            continue
        group_a, group_b = group_of(a), group_of(b)
        ok, cross = group_a.linked(group_b)
        if not ok:
            continue
        links.union(a, b)
        root, other = (a, b) if links.find(a) == a else (b, a)
        kept, taken = (group_a, group_b) if root == a else (group_b, group_a)
        kept.absorb(taken, cross)
        groups[root] = kept
        groups.pop(other, None)
    return [list(members) for members in links.groups()]


def _edges(vecs: Sequence[Vector], candidates: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The candidate pairs scoring at least the floor of the linking rule, strongest first
    (ties by i, then j). Scores and pairs are held as arrays: a list of (score, i, j)
    tuples and its sort keys were a fifth of the batch grouping's memory."""
    evidence = [has_evidence(v) for v in vecs]
    pairs = numpy.asarray(candidates, dtype=numpy.int64).reshape(-1, 2)

    def scored() -> Iterator[float]:
        last, first = -1, {}
        for i, j in candidates:  # sorted: each i's pairs in a row
            if i != last:
                last, first = i, vecs[i]
            yield similarity(first, vecs[j], evidence[i] and evidence[j])

    scores = numpy.fromiter(scored(), float, len(candidates))
    # a pair scoring below this has too few words in common for the rule on its own
    floor = required_similarity(0) / (1 + EVIDENCE_WEIGHT)
    strong = numpy.flatnonzero(scores >= floor)
    order = strong[numpy.lexsort((pairs[strong, 1], pairs[strong, 0], -scores[strong]))]
    return zip(pairs[order, 0].tolist(), pairs[order, 1].tolist(), strict=True)


def _score(dot: complex, both_have_evidence: bool) -> float:
    """:func:`.features.similarity` from a pair's dot products (words + evidence * 1j)."""
    if not both_have_evidence:
        return dot.real
    return (dot.real + EVIDENCE_WEIGHT * dot.imag) / (1 + EVIDENCE_WEIGHT)


def cluster_dots(
    dots: Sequence[Sequence[complex]],
    words: Sequence[bool],
    evidence: Sequence[bool],
    days: Sequence[date | None],
) -> list[list[int]]:
    """As :func:`cluster` on every pair of a few articles, given each pair's dot products
    (``dots[i][j]`` for j < i: words + evidence * 1j, as :func:`.features.link`) and whether
    each article has words and evidence. Average link needs no vectors: two groups' cross
    dot products are the sums of their pairs', kept per pair of groups as groups join (so a
    tracker caches a young story's pairs and never recomputes them)."""
    n = len(days)
    # a pair scoring below this has too few words in common for the rule on its own
    floor = required_similarity(0) / (1 + EVIDENCE_WEIGHT)
    # only pairs at the floor or above, strongest first (negated scores: tuples compared
    # in C, the order of a sort by (-score, i, j))
    # cross dot products between the groups rooted at a and b (both ways; complex sums
    # add words and evidence apart, the same floats as two sums): row i is dots[i], 0 for
    # itself, then the later ones' pairs with it
    cross = [[*dots[i], 0j, *(dots[j][i] for j in range(i + 1, n))] for i in range(n)]
    edges = sorted(
        (-score, i, j)
        for i in range(n)
        for j, pair in enumerate(cross[i][i + 1 :], start=i + 1)
        if (score := _score(pair, evidence[i] and evidence[j])) >= floor
    )
    links = UnionFind(range(n))
    groups = {i: Group({}, days[i], words[i], evidence[i]) for i in range(n)}
    for _score_negated, i, j in edges:
        a, b = links.find(i), links.find(j)
        if a == b:
            continue
        between = cross[a][b]
        ok, _cross = groups[a].linked(groups[b], cross=(between.real, between.imag))
        if not ok:
            continue
        links.union(a, b)
        root, other = (a, b) if links.find(a) == a else (b, a)
        groups[root].absorb(groups.pop(other), (between.real, between.imag))
        kept = cross[root] = list(map(add, cross[root], cross[other]))
        for row, value in zip(cross, kept, strict=True):
            row[root] = value
    return [list(members) for members in links.groups()]


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
