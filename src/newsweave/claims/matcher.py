"""The lexical claim matcher: is this sentence the same claim as that one?

One matcher serves both uses: grouping a story's sentences across outlets
(:func:`newsweave.claims.group_candidates`) and matching a tweet to the
fact-checked claim it repeats (``bench/claim_match.py``).

* Terms are crude stems of content words (:func:`~newsweave.claims.text.content_stems`),
  numbers without separators ("12 000" = "12000").
* Retrieval is BM25 over an inverted index (:class:`Index`): only documents that
  share a term are scored, never all pairs.
* Sameness is :func:`similarity`: the share of the *smaller* side's terms found
  in the other (a short retelling inside a long sentence is the same claim);
  :meth:`Index.similarity` weighs the terms by idf (measured: no better for
  grouping, see ``SAME_CLAIM_CONTAINMENT``). Two sentences whose numbers both
  state values and share none are not the same claim (:func:`numbers_clash`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

#: BM25 term-frequency saturation and length normalisation (the usual defaults; 1.2/0.75
#: were within 0.005 MAP@5 of the best of a 0.8–2.0 × 0.3–0.9 grid on CheckThat 2020 dev).
BM25_K1 = 1.2
BM25_B = 0.75


class Index:
    """A BM25 index over term bags (one per document), with idf for :func:`similarity`."""

    def __init__(self, documents: Sequence[Iterable[str]]) -> None:
        self.docs = [Counter(d) for d in documents]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg_length = sum(self.lengths) / max(len(self.docs), 1)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(self.docs):
            for term in sorted(d):
                self.postings[term].append(i)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}
        #: idf of a term never seen in the collection (as rare as can be)
        self.unseen_idf = math.log(1 + (n + 0.5) / 0.5)

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.unseen_idf)

    def search(self, query: Iterable[str], k: int, skip: int | None = None) -> list[tuple[int, float]]:
        """The ``k`` best documents for a query by BM25 (ties: lower index first)."""
        scores: dict[int, float] = defaultdict(float)
        for term, qtf in Counter(query).items():
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i in self.postings[term]:
                if i == skip:
                    continue
                tf = self.docs[i][term]
                norm = BM25_K1 * (1 - BM25_B + BM25_B * self.lengths[i] / max(self.avg_length, 1e-9))
                scores[i] += idf * tf * (BM25_K1 + 1) / (tf + norm) * (1 + math.log(qtf))
        return sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]

    def similarity(self, x: frozenset[str], y: frozenset[str]) -> float:
        """Idf-weighted containment of the smaller term set in the other, in [0, 1]."""
        return similarity(x, y, self.weight)


def similarity(x: frozenset[str], y: frozenset[str], weight: object = None) -> float:
    """Idf-weighted share of the smaller set's terms found in the other (``weight`` maps
    a term to its idf; without it every term weighs 1)."""
    if not x or not y:
        return 0.0
    w = weight if callable(weight) else (lambda _t: 1.0)
    small, large = (x, y) if sum(w(t) for t in x) <= sum(w(t) for t in y) else (y, x)
    total = sum(w(t) for t in small)
    return sum(w(t) for t in small & large) / total if total else 0.0


def value_numbers(stems: frozenset[str]) -> frozenset[str]:
    """The terms of a stem set that are numbers (not years: a year is a date, checked apart)."""
    return frozenset(t for t in stems if t.isdigit() and not (len(t) == 4 and t[:2] in ("19", "20")))


def numbers_clash(x: frozenset[str], y: frozenset[str]) -> bool:
    """Both state numbers and share none: two different figures, not one claim retold."""
    nx, ny = value_numbers(x), value_numbers(y)
    return bool(nx and ny and not nx & ny)
