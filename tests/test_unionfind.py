"""Union-find: groups partition the keys and do not depend on the order of links."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsweave.unionfind import UnionFind

links = st.lists(st.tuples(st.integers(0, 19), st.integers(0, 19)), max_size=30)


@given(links, st.randoms())
def test_groups_partition_keys_whatever_the_link_order(pairs: list[tuple[int, int]], rng: object) -> None:
    one = UnionFind(range(20))
    for x, y in pairs:
        one.union(x, y)
    shuffled = list(pairs)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    two = UnionFind(range(20))
    for x, y in shuffled:
        two.union(y, x)
    assert one.groups() == two.groups()
    assert sorted(k for g in one.groups() for k in g) == list(range(20))
    for x, y in pairs:
        assert one.find(x) == one.find(y)
