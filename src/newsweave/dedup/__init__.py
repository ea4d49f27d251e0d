"""Dedup stage: who copied whom.

* exact duplicates: the same words (case, spacing, quotes, dashes and
  punctuation folded), by a digest of the word sequence;
* near duplicates: one-permutation MinHash over word 5-shingles with LSH
  banding, candidates verified by their real shingle Jaccard (:mod:`.minhash`);
* shared passages: winnowed word 8-gram fingerprints, pairs aligned into runs of
  at least ``PASSAGE_MIN_WORDS`` words, with character offsets in both clean
  texts, and a stop-list of fingerprints learned from the corpus (:mod:`.passages`);
* relays: the reports an article says it repeats (:mod:`.relays`).

Direction: the article published on the earlier day is the origin; on the same
day or without dates no direction is claimed. No step compares all pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from ..model import Article, Dossier, Reuse
from ..stage import Options, Stage
from ..unionfind import UnionFind
from .minhash import NEAR_DUPLICATE_JACCARD, PERMUTATIONS, SHINGLE_WORDS, Copies, Mapper, find_copies
from .passages import PASSAGE_MIN_WORDS, Passage, Passages, find_passages
from .relays import find_relays

__all__ = [
    "NEAR_DUPLICATE_JACCARD",
    "PASSAGE_MIN_WORDS",
    "PERMUTATIONS",
    "SHINGLE_WORDS",
    "Copies",
    "Dedup",
    "Mapper",
    "Passage",
    "Passages",
    "clusters_of",
    "find_copies",
    "find_passages",
    "find_relays",
]


def _day(article: Article) -> str | None:
    return article.published[:10] if article.published else None


def _ordered(a: Article, b: Article) -> tuple[Article, Article, str | None]:
    """(first, second, origin): the earlier-published article first when dates differ."""
    day_a, day_b = _day(a), _day(b)
    if day_a and day_b and day_a != day_b:
        return (a, b, a.id) if day_a < day_b else (b, a, b.id)
    return (a, b, None) if a.id < b.id else (b, a, None)


def clusters_of(count: int, copies: Copies) -> list[int]:
    """Per text, the smallest index of its group of exact and near duplicates."""
    groups = UnionFind(range(count))
    for members in copies.exact:
        for other in members[1:]:
            groups.union(members[0], other)
    for i, j, _ in copies.near:
        groups.union(i, j)
    return [groups.find(i) for i in range(count)]


class Dedup(Stage):
    """Duplicates, near duplicates and shared passages between articles; relays within each."""

    name: ClassVar[str] = "dedup"
    requires: ClassVar[tuple[str, ...]] = ("articles",)
    provides: ClassVar[tuple[str, ...]] = ("reuse", "relays")

    def __init__(self, options: Options | None = None, map_parts: Mapper = map) -> None:
        """``map_parts`` runs the map steps of MinHash and passages (an engine's ``map``:
        the Dask engine's runs them in its workers); the merges run here."""
        super().__init__(options)
        self.map_parts = map_parts

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        articles = sorted(dossier.articles, key=lambda a: a.id)  # input order does not matter
        texts = [a.text for a in articles]
        copies = find_copies(texts, map_parts=self.map_parts)
        reuse = [
            _whole(articles[i], articles[j], "duplicate") for group in copies.exact for i, j in _pairs(group)
        ]
        reuse += [_whole(articles[i], articles[j], "near_duplicate") for i, j, _ in copies.near]
        passages = find_passages(texts, clusters_of(len(texts), copies), self.map_parts)
        reuse += [_passage(articles, p) for p in passages.found]
        relays = [relay for article in articles for relay in find_relays(article)]
        return {
            "reuse": tuple(sorted(reuse, key=lambda r: (r.a, r.b, r.a_start, r.b_start))),
            "relays": tuple(sorted(relays, key=lambda r: (r.article, r.start, r.end, r.source))),
        }


def _pairs(group: Sequence[int]) -> list[tuple[int, int]]:
    return [(x, y) for k, x in enumerate(group) for y in group[k + 1 :]]


def _whole(x: Article, y: Article, kind: str) -> Reuse:
    first, second, origin = _ordered(x, y)
    return Reuse(first.id, second.id, kind, first.text, 0, len(first.text), 0, len(second.text), origin)


def _passage(articles: Sequence[Article], passage: Passage) -> Reuse:
    x, y = articles[passage.i], articles[passage.j]
    spans = {x.id: (passage.i_start, passage.i_end), y.id: (passage.j_start, passage.j_end)}
    first, second, origin = _ordered(x, y)
    (a_start, a_end), (b_start, b_end) = spans[first.id], spans[second.id]
    return Reuse(
        first.id,
        second.id,
        "shared_passage",
        first.text[a_start:a_end],
        a_start,
        a_end,
        b_start,
        b_end,
        origin,
    )
