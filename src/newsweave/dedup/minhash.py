"""Exact and near duplicates at corpus scale: one-permutation MinHash, LSH banding.

Every article's words are hashed once (:mod:`.tokens`); its word 5-shingles are
hashed from those integers, and one hash per shingle gives its MinHash
signature by *one-permutation hashing* (Li, Owen and Zhang 2012): the shingle's
top bits pick one of ``PERMUTATIONS`` bins, the others are its value, a bin
keeps its least value. Empty bins (short articles) are filled by *rotation
densification* (Shrivastava and Li 2014): from the next non-empty bin to the
right, plus a constant per step, which keeps equal-bin probability the Jaccard
similarity. Bands of ``ROWS`` bins are hashed into bucket keys; articles
sharing a key in any band are candidates, and only candidates have their real
shingle Jaccard computed. Nothing compares all pairs, and every hash is fixed
(no random state), so the same texts give the same pairs on every run.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from .tokens import Tokens, grams, mix, tokenize

#: Words per shingle: the customary 5 for news text. With 3, stock phrases of
#: political prose ("the president of the") made unrelated PolNeAR articles share
#: shingles; with 7, a 2 % word edit already drops Jaccard below 0.75.
SHINGLE_WORDS = 5
#: MinHash bins (one-permutation hashing), 7 bits of the shingle hash.
PERMUTATIONS = 128
#: LSH bands of ROWS bins; 2 of the 128 bins are left out of the bands. Probability
#: of being a candidate: 1 - (1 - J**5)**25 -- 0.99995 at J = 0.8, 0.55 at 0.5,
#: 0.06 at 0.3. Tuned on bench/dedup.py's corpus (100,000 articles): 4 rows made
#: twice the candidates to verify (pairs at J 0.3-0.6 from heavily edited copies)
#: for no gain in recall; 6 rows lost pairs near 0.8.
ROWS = 5
BANDS = 25
#: Verified shingle Jaccard at or above which two articles are near duplicates.
NEAR_DUPLICATE_JACCARD = 0.8
#: Articles per numpy batch: about 2.5 MB of text (under the 2**22 code points of one
#: power table), big enough to amortise the numpy calls.
BATCH_ARTICLES = 500
#: First texts of candidate pairs whose shingle sets are built together when verifying.
VERIFY_FIRSTS = BATCH_ARTICLES // 4
#: Densification step: a borrowed bin value moves by this much per bin crossed.
_STEP = np.uint64(1 << 32)
_EMPTY = np.uint64(np.iinfo(np.uint64).max)
_BIN_SHIFT = np.uint64(64 - (PERMUTATIONS - 1).bit_length())
#: Texts by index: the corpus, or the part of it one map step was given.
Texts = Sequence[str] | Mapping[int, str]
_ROW_SALTS = mix(np.arange(1, ROWS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))


def batches(count: int, size: int = BATCH_ARTICLES) -> Iterator[slice]:
    for start in range(0, count, size):
        yield slice(start, min(start + size, count))


def exact_keys(tokens: Tokens) -> list[bytes]:
    """Per text, a digest of its word sequence (case, spacing, quotes, dashes and all
    punctuation ignored): equal digests are exact duplicates."""
    return [
        hashlib.blake2b(tokens.hashes[tokens.doc(d)].tobytes(), digest_size=16).digest()
        for d in range(len(tokens.bounds) - 1)
    ]


def shingle_hashes(tokens: Tokens) -> tuple[np.ndarray, np.ndarray]:
    """Every word 5-shingle's hash, and the text it is in."""
    hashes, first = grams(tokens, SHINGLE_WORDS)
    return hashes, tokens.doc_of_words()[first]


def signatures(tokens: Tokens) -> np.ndarray:
    """One-permutation MinHash signatures, shape (texts, PERMUTATIONS); a text with
    no shingle (under SHINGLE_WORDS words) has every bin _EMPTY."""
    count = len(tokens.bounds) - 1
    hashes, docs = shingle_hashes(tokens)
    signature = np.full(count * PERMUTATIONS, _EMPTY, dtype=np.uint64)
    bins = docs * PERMUTATIONS + (hashes >> _BIN_SHIFT).astype(np.int64)
    np.minimum.at(signature, bins, hashes & np.uint64(0xFFFFFFFF))
    return _densified(signature.reshape(count, PERMUTATIONS))


def _densified(signature: np.ndarray) -> np.ndarray:
    empty = signature == _EMPTY
    rows = np.flatnonzero(empty.any(axis=1) & ~empty.all(axis=1))
    if len(rows) == 0:
        return signature
    part = signature[rows]
    doubled = np.concatenate([part, part], axis=1)
    index = np.where(doubled != _EMPTY, np.arange(2 * PERMUTATIONS), 4 * PERMUTATIONS)
    nearest = np.minimum.accumulate(index[:, ::-1], axis=1)[:, ::-1][:, :PERMUTATIONS]
    steps = (nearest - np.arange(PERMUTATIONS)).astype(np.uint64)
    borrowed = np.take_along_axis(doubled, nearest, axis=1) + steps * _STEP
    signature[rows] = np.where(part == _EMPTY, borrowed, part)
    return signature


def band_keys(signature: np.ndarray) -> np.ndarray:
    """Bucket keys, shape (texts, BANDS): a band's ROWS bins hashed into one integer."""
    bands = signature[:, : BANDS * ROWS].reshape(len(signature), BANDS, ROWS)
    keys = np.zeros(bands.shape[:2], dtype=np.uint64)
    for row in range(ROWS):
        keys = mix(keys ^ (bands[:, :, row] * _ROW_SALTS[row]))
    return keys


@dataclass(frozen=True)
class Copies:
    """Exact groups and verified near-duplicate pairs among a corpus's texts (by index)."""

    exact: list[list[int]]  # groups of two or more texts with the same words, in index order
    near: list[tuple[int, int, float]]  # (i, j, jaccard), i < j, not exact duplicates
    candidates: int  # candidate pairs the bands gave (what was verified)


Mapper = Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]
"""``map_parts(fn, items)``: ``fn`` of each item, in order -- the builtin ``map``, a process
pool's, or an engine's with workers (``Engine.map``). Every corpus step below is a map of
pure functions over parts and a merge of their results, so all give the same answer."""

Sketch = tuple[list[bytes], np.ndarray, np.ndarray]
#: LSH bands per candidate task: 5 tasks of 5 bands, so two or more workers share them.
BANDS_PER_TASK = 5


def sketch(texts: Sequence[str]) -> Sketch:
    """Map step: word digests, band keys and whether each text has a shingle, for one part."""
    tokens = tokenize(texts)
    signature = signatures(tokens)
    return exact_keys(tokens), band_keys(signature), signature[:, 0] != _EMPTY


def merged_sketches(
    parts: Sequence[slice], sketches: Iterable[Sketch], count: int
) -> tuple[list[list[int]], np.ndarray, np.ndarray]:
    """Merge step: exact groups by digest, and every text's band keys and whether it takes
    part in the bands (one text speaks for its exact copies)."""
    groups: dict[bytes, list[int]] = defaultdict(list)
    keys = np.zeros((count, BANDS), dtype=np.uint64)
    usable = np.zeros(count, dtype=bool)
    for part, (digests, part_keys, part_usable) in zip(parts, sketches, strict=True):
        for offset, digest in enumerate(digests):
            groups[digest].append(part.start + offset)
        keys[part], usable[part] = part_keys, part_usable
    exact = [members for members in groups.values() if len(members) > 1]
    for members in exact:
        usable[members[1:]] = False
    return exact, keys, usable


def band_tasks(keys: np.ndarray, usable: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The candidate step partitioned by band: each task has BANDS_PER_TASK columns of keys."""
    for start in range(0, keys.shape[1], BANDS_PER_TASK):
        yield keys[:, start : start + BANDS_PER_TASK], usable


def band_candidates(task: tuple[np.ndarray, np.ndarray]) -> list[tuple[int, int]]:
    """Map step: the candidate pairs of one range of bands."""
    keys, usable = task
    return candidate_pairs(keys, usable)


def verification_tasks(
    texts: Texts, pairs: Sequence[tuple[int, int]]
) -> Iterator[tuple[dict[int, str], list[tuple[int, int]]]]:
    """Candidate pairs in parts of VERIFY_FIRSTS first texts, each with the texts it needs."""
    by_first: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pair in pairs:
        by_first[pair[0]].append(pair)
    firsts = sorted(by_first)
    for part in batches(len(firsts), VERIFY_FIRSTS):
        chunk = [pair for i in firsts[part] for pair in by_first[i]]
        yield {k: texts[k] for pair in chunk for k in pair}, chunk


def verified_part(task: tuple[dict[int, str], list[tuple[int, int]]]) -> list[tuple[int, int, float]]:
    """Map step: the verified near duplicates among one part's candidate pairs."""
    texts, pairs = task
    return verified(texts, pairs)


def find_copies(texts: Sequence[str], workers: int = 1, map_parts: Mapper | None = None) -> Copies:
    """Exact groups by word digest; near pairs by MinHash LSH over one text per group,
    verified by real shingle Jaccard and spread back to the group's other members.
    ``workers`` > 1 sketches parts in that many processes; ``map_parts`` runs every map
    step where it says (an engine's workers). Same result either way."""
    if map_parts is None and workers > 1 and len(texts) > BATCH_ARTICLES:
        with ProcessPoolExecutor(workers) as pool:
            return find_copies(texts, map_parts=pool.map)
    run = map_parts or map
    parts = list(batches(len(texts)))
    sketches = run(sketch, (list(texts[part]) for part in parts))
    exact, keys, usable = merged_sketches(parts, sketches, len(texts))
    pairs = sorted(set().union(*run(band_candidates, band_tasks(keys, usable))))
    near = [pair for found in run(verified_part, verification_tasks(texts, pairs)) for pair in found]
    return Copies(sorted(exact), _spread(near, exact), len(pairs))


def candidate_pairs(keys: np.ndarray, usable: np.ndarray) -> list[tuple[int, int]]:
    """Pairs (i < j) of usable texts with the same key in at least one band."""
    found: set[tuple[int, int]] = set()
    rows = np.flatnonzero(usable)
    for band in range(keys.shape[1]):
        column = keys[rows, band]
        order = np.argsort(column, kind="stable")
        ordered = column[order]
        same = np.flatnonzero(ordered[1:] == ordered[:-1])
        if len(same) == 0:
            continue
        # runs of equal keys: start where the previous position was not equal
        run_starts = same[np.concatenate(([True], same[1:] != same[:-1] + 1))]
        for start in run_starts.tolist():
            end = start + 1
            while end < len(ordered) and ordered[end] == ordered[start]:
                end += 1
            members = sorted(rows[order[start:end]].tolist())
            found.update(combinations(members, 2))
    return sorted(found)


def shingle_sets(texts: Texts, indexes: Sequence[int]) -> dict[int, np.ndarray]:
    """Sorted unique shingle hashes of the texts named."""
    sets: dict[int, np.ndarray] = {}
    ordered = sorted(set(indexes))
    for part in batches(len(ordered)):
        chosen = ordered[part]
        tokens = tokenize([texts[i] for i in chosen])
        hashes, docs = shingle_hashes(tokens)
        order = np.lexsort((hashes, docs))
        hashes, docs = hashes[order], docs[order]
        cuts = np.searchsorted(docs, np.arange(len(chosen) + 1))
        for offset, index in enumerate(chosen):
            sets[index] = np.unique(hashes[cuts[offset] : cuts[offset + 1]])
    return sets


def jaccard(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) == 0 or len(y) == 0:
        return 0.0
    shared = len(np.intersect1d(x, y, assume_unique=True))
    return shared / (len(x) + len(y) - shared)


def verified(texts: Texts, pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int, float]]:
    """The candidate pairs whose real shingle Jaccard reaches NEAR_DUPLICATE_JACCARD."""
    near: list[tuple[int, int, float]] = []
    by_first: dict[int, list[int]] = defaultdict(list)
    for i, j in pairs:
        by_first[i].append(j)
    firsts = sorted(by_first)
    for part in batches(len(firsts), VERIFY_FIRSTS):
        chunk = firsts[part]
        sets = shingle_sets(texts, chunk + [j for i in chunk for j in by_first[i]])
        for i in chunk:
            for j in by_first[i]:
                similarity = jaccard(sets[i], sets[j])
                if similarity >= NEAR_DUPLICATE_JACCARD:
                    near.append((i, j, similarity))
    return near


def _spread(near: list[tuple[int, int, float]], exact: list[list[int]]) -> list[tuple[int, int, float]]:
    members = {group[0]: group for group in exact}
    pairs: dict[tuple[int, int], float] = {}
    for i, j, similarity in near:
        for x in members.get(i, [i]):
            for y in members.get(j, [j]):
                pairs[(min(x, y), max(x, y))] = similarity
    return sorted((i, j, s) for (i, j), s in pairs.items())
