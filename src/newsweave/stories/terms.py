"""A stream's terms: one id and one string per term, and document frequencies by id.

A :class:`~.tracker.StoryTracker` counts every term of every article it is given
(hundreds an article, hundreds of thousands in all). Keyed by string, that was two
updates of a large dict per term (the count, then a lookup for the weight) and a
third for the shared string; here one lookup gives the id, and the counts are a numpy
array updated and read by id in one step per article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import repeat

import numpy

from .features import weigh

#: Initial capacity of the frequency array (doubled when full).
INITIAL_TERMS = 1 << 16


class TermTable:
    """Term ids, the first string seen of each term (which every vector kept then shares)
    and each term's document frequency."""

    __slots__ = ("documents", "frequencies", "ids", "names")

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.names: list[str] = []
        self.frequencies = numpy.zeros(INITIAL_TERMS, numpy.int64)
        self.documents = 0

    def __len__(self) -> int:
        return len(self.names)

    def count(self, terms: Sequence[str]) -> numpy.ndarray:
        """The ids of one document's distinct ``terms``, each counted once more."""
        ids = numpy.fromiter(map(self.ids.get, terms, repeat(-1)), numpy.intp, len(terms))
        missing = numpy.flatnonzero(ids < 0)
        if len(missing):
            ids[missing] = self._new([terms[k] for k in missing.tolist()])
        self.frequencies[ids] += 1  # each term once: Counter keys
        self.documents += 1
        return ids

    def _new(self, terms: list[str]) -> list[int]:
        start = len(self.names)
        self.names += terms
        self.ids.update(zip(terms, range(start, len(self.names)), strict=True))
        if len(self.names) > len(self.frequencies):
            grown = numpy.zeros(max(2 * len(self.frequencies), len(self.names)), numpy.int64)
            grown[: len(self.frequencies)] = self.frequencies
            self.frequencies = grown
        return list(range(start, len(self.names)))

    def weighted(
        self, counts: dict[str, int], words: int | None = None
    ) -> tuple[list[str], list[float], int]:
        """Count a document's terms, then weigh them as :func:`.features.weighted` does with
        these frequencies: its kept terms (this table's strings), weights and words."""
        terms = list(counts)
        ids = self.count(terms)
        kept, weights, cut = weigh(terms, self.frequencies[ids], counts.values(), self.documents, words)
        return list(map(self.names.__getitem__, ids[kept].tolist())), weights, cut

    def frequency(self, term: str) -> int:
        at = self.ids.get(term)
        return 0 if at is None else int(self.frequencies[at])

    def halve(self) -> None:
        """Halve every frequency and the document count; terms at 0 leave the table (a
        story still holding one keeps its string, and a new article's copy is then a
        second one)."""
        n = len(self.names)
        halved = self.frequencies[:n] // 2
        keep = numpy.flatnonzero(halved)
        names = self.names
        self.names = list(map(names.__getitem__, keep.tolist()))
        self.ids = dict(zip(self.names, range(len(self.names)), strict=True))
        self.frequencies = numpy.zeros(max(INITIAL_TERMS, 2 * len(keep)), numpy.int64)
        self.frequencies[: len(keep)] = halved[keep]
        self.documents //= 2

    def items(self) -> Iterable[tuple[str, int]]:
        """(term, document frequency) of every term in the table."""
        return zip(self.names, self.frequencies[: len(self.names)].tolist(), strict=True)
