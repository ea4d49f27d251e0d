"""Grouping helpers: candidate pairs from an inverted index, and union-find to join them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)


class UnionFind(Generic[Key]):
    """Disjoint sets with path halving; a group's root is its smallest key, so
    results do not depend on the order links were added."""

    def __init__(self, keys: Iterable[Key]) -> None:
        self.parent: dict[Key, Key] = {key: key for key in keys}

    def find(self, key: Key) -> Key:
        parent = self.parent
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(self, x: Key, y: Key) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            low, high = sorted((rx, ry))  # type: ignore[type-var]
            self.parent[high] = low

    def groups(self) -> list[list[Key]]:
        """Every group, its members in key order, groups ordered by their smallest key."""
        members: dict[Key, list[Key]] = defaultdict(list)
        for key in sorted(self.parent):  # type: ignore[type-var]
            members[self.find(key)].append(key)
        return list(members.values())


def pairs_sharing(postings: Iterable[Sequence[int]], max_members: int) -> list[tuple[int, int]]:
    """Sorted pairs (i < j) of records found together in a posting list of an inverted
    index; lists longer than ``max_members`` are too common to say anything and are skipped,
    which keeps the pairs far below all pairs."""
    pairs = {
        (i, j)
        for members in postings
        if len(members) <= max_members
        for i in members
        for j in members
        if i < j
    }
    return sorted(pairs)
