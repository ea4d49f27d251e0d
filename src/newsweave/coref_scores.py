"""Coreference scores: MUC, B³, CEAF-e and their mean, CoNLL F1.

The standard definitions, as in Pradhan et al. 2014 ("Scoring coreference
partitions of predicted mentions: a reference implementation") and the CoNLL
reference scorer:

* MUC (Vilain et al. 1995), link based: recall is the sum over key clusters K of
  ``|K| - |p(K)|`` over the sum of ``|K| - 1``, where ``p(K)`` is K partitioned by
  the response (a mention the response lacks is a part of its own); precision is
  the same with key and response swapped. Singletons add nothing.
* B³ (Bagga and Baldwin 1998), mention based: recall averages, over key mentions,
  ``|K ∩ R| / |K|`` for the key cluster K and response cluster R holding the
  mention (0 when the response lacks it); precision swaps the roles.
* CEAF-e (Luo 2005), entity based: a one-to-one alignment of key and response
  clusters maximising the summed similarity ``φ4 = 2|K ∩ R| / (|K| + |R|)``;
  recall is that sum over the number of key clusters, precision over the number of
  response clusters. The alignment is solved exactly (Hungarian method) within
  each connected part of the key/response overlap graph, so a corpus of thousands
  of singletons costs no more than its overlapping clusters.

A partition is a collection of clusters, each a collection of hashable mention ids;
a mention appears in at most one cluster of a partition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass

Partition = Sequence[Collection[Hashable]]


@dataclass(frozen=True, slots=True)
class Score:
    """Recall, precision and F1 of one metric."""

    recall: float
    precision: float

    @property
    def f1(self) -> float:
        total = self.recall + self.precision
        return 2 * self.recall * self.precision / total if total else 0.0


@dataclass(frozen=True, slots=True)
class Counts:
    """Numerators and denominators of recall and precision, so that scores pool
    over documents or topics by summing counts (as the reference scorer does)."""

    recall_num: float
    recall_den: float
    precision_num: float
    precision_den: float

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.recall_num + other.recall_num,
            self.recall_den + other.recall_den,
            self.precision_num + other.precision_num,
            self.precision_den + other.precision_den,
        )

    @property
    def score(self) -> Score:
        recall = self.recall_num / self.recall_den if self.recall_den else 0.0
        precision = self.precision_num / self.precision_den if self.precision_den else 0.0
        return Score(recall, precision)


ZERO = Counts(0.0, 0.0, 0.0, 0.0)


def _clusters(partition: Partition) -> list[frozenset[Hashable]]:
    clusters = [frozenset(c) for c in partition if c]
    seen: set[Hashable] = set()
    for cluster in clusters:
        if seen & cluster:
            raise ValueError(
                f"mention(s) {sorted(map(str, seen & cluster))} in two clusters of one partition"
            )
        seen |= cluster
    return clusters


def _owner(clusters: Iterable[frozenset[Hashable]]) -> dict[Hashable, int]:
    return {m: i for i, cluster in enumerate(clusters) for m in cluster}


def _muc_side(gold: list[frozenset[Hashable]], other: list[frozenset[Hashable]]) -> tuple[float, float]:
    owner = _owner(other)
    num = den = 0
    for cluster in gold:
        parts = {owner.get(m, ("missing", m)) for m in cluster}
        num += len(cluster) - len(parts)
        den += len(cluster) - 1
    return float(num), float(den)


def muc(key: Partition, response: Partition) -> Counts:
    k, r = _clusters(key), _clusters(response)
    rn, rd = _muc_side(k, r)
    pn, pd = _muc_side(r, k)
    return Counts(rn, rd, pn, pd)


def _b3_side(gold: list[frozenset[Hashable]], other: list[frozenset[Hashable]]) -> tuple[float, float]:
    owner = _owner(other)
    num = 0.0
    for cluster in gold:
        for m in cluster:
            if m in owner:
                num += len(cluster & other[owner[m]]) / len(cluster)
    return num, float(sum(len(c) for c in gold))


def b_cubed(key: Partition, response: Partition) -> Counts:
    k, r = _clusters(key), _clusters(response)
    rn, rd = _b3_side(k, r)
    pn, pd = _b3_side(r, k)
    return Counts(rn, rd, pn, pd)


def ceaf_e(key: Partition, response: Partition) -> Counts:
    k, r = _clusters(key), _clusters(response)
    owner = _owner(r)
    # connected parts of the bipartite overlap graph: union key i with response j
    parent = list(range(len(k) + len(r)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    edges: dict[tuple[int, int], float] = {}
    for i, cluster in enumerate(k):
        for j in {owner[m] for m in cluster if m in owner}:
            edges[(i, j)] = 2 * len(cluster & r[j]) / (len(cluster) + len(r[j]))
            parent[find(i)] = find(len(k) + j)
    parts: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i in range(len(k)):
        parts[find(i)][0].append(i)
    for j in range(len(r)):
        parts[find(len(k) + j)][1].append(j)
    total = 0.0
    for rows, cols in parts.values():
        if rows and cols:
            matrix = [[edges.get((i, j), 0.0) for j in cols] for i in rows]
            total += max_assignment(matrix)
    return Counts(total, float(len(k)), total, float(len(r)))


def max_assignment(weights: Sequence[Sequence[float]]) -> float:
    """The largest sum of ``weights[i][j]`` over a one-to-one matching of rows to
    columns (the Hungarian method, O(n³) in the larger side)."""
    rows = len(weights)
    cols = len(weights[0]) if rows else 0
    if not rows or not cols:
        return 0.0
    n = max(rows, cols)
    top = max(max(row) for row in weights)
    # minimise cost = top - weight on a square matrix padded with zero-weight cells
    cost = [[top - (weights[i][j] if i < rows and j < cols else 0.0) for j in range(n)] for i in range(n)]
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    match = [0] * (n + 1)  # match[column] = row, 1-based; 0 = free
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        match[0] = i
        j0 = 0
        minv = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    current = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if current < minv[j]:
                        minv[j], way[j] = current, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    return sum(weights[match[j] - 1][j - 1] for j in range(1, n + 1) if match[j] - 1 < rows and j - 1 < cols)


@dataclass(frozen=True, slots=True)
class CorefScores:
    """MUC, B³ and CEAF-e counts, pooled by addition."""

    muc: Counts = ZERO
    b3: Counts = ZERO
    ceafe: Counts = ZERO

    def __add__(self, other: CorefScores) -> CorefScores:
        return CorefScores(self.muc + other.muc, self.b3 + other.b3, self.ceafe + other.ceafe)

    @property
    def conll_f1(self) -> float:
        """The mean of the MUC, B³ and CEAF-e F1."""
        return (self.muc.score.f1 + self.b3.score.f1 + self.ceafe.score.f1) / 3


def score(key: Partition, response: Partition) -> CorefScores:
    """All three metrics of one response against one key."""
    return CorefScores(muc(key, response), b_cubed(key, response), ceaf_e(key, response))
