"""Shared passages: copied spans between articles that are otherwise different.

Fingerprints are *winnowed* word 8-grams (Schleimer, Wilkerson and Aiken 2003):
of every window of ``WINNOW_WINDOW`` consecutive 8-grams an article keeps the
least hash, so any run of ``PASSAGE_MIN_WORDS`` shared words shares at least
one fingerprint, at about a tenth of the 8-grams. Articles sharing a
fingerprint are candidates; a pair is then aligned on all its shared 8-grams:
seeds on one diagonal (same offset between the two articles) join across small
edits, runs extend word by word at both ends, and runs of at least
``PASSAGE_MIN_WORDS`` words are passages, with character offsets in both texts.

The stop-list is learned from the corpus: a fingerprint found in more than
``STOP_CLUSTERS`` unrelated articles (counting each group of duplicates once)
is a stock phrase or boilerplate ("Sign up for our newsletter"), not a copy; it
neither makes candidates nor seeds a passage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .minhash import Mapper, batches
from .tokens import Tokens, grams, tokenize

#: Words per fingerprint n-gram. 8 words rarely recur by chance in news prose (on
#: PolNeAR's 924 articles, 0.4 % of 8-grams are in two unrelated articles, mostly
#: names and titles) while 5-grams recur twelve times as often.
PASSAGE_GRAM = 8
#: A shared passage has at least this many words: above the stock phrases outlets
#: share without copying ("the largest land war in Europe since World War II" is
#: 11 words) and the longest boilerplate sentences seen in the seeds (19), below the
#: shortest pasted paragraph of bench/dedup.py (40) and the seeds' copied block.
PASSAGE_MIN_WORDS = 25
#: Winnowing window in 8-grams: a run of w + 8 - 1 = PASSAGE_MIN_WORDS words
#: always holds one whole window, hence a shared fingerprint.
WINNOW_WINDOW = PASSAGE_MIN_WORDS - PASSAGE_GRAM + 1
#: A fingerprint in more unrelated articles than this is a stop phrase. On
#: bench/dedup.py's 100,000 articles the injected boilerplate lines reach thousands
#: and no pasted passage more than 10 (its source, the host and their copies); 30
#: also leaves room for one outlet's background block pasted into a month of stories.
STOP_CLUSTERS = 30
#: Runs on one diagonal with at most this many differing words between them are one
#: passage (a copy with a word changed here and there is still the copy).
GAP_WORDS = 3
#: Candidate pairs aligned per map step (one tokenisation of the texts they involve). A
#: step holds its texts' words and 8-gram positions as Python lists and dicts, about
#: 150 bytes a word: on 8,220 articles of bench/scale.py's 10k corpus (8,392 pairs) 2,000
#: pairs a step peaked 800 MB above the run, 500 pairs 127 MB, in the same CPU time
#: (10.4 against 8.6-11.8 s) and with the same passages.
ALIGN_PAIRS = 500


@dataclass(frozen=True)
class Passage:
    """Words shared by texts i < j: character spans in both, and the run's length in words."""

    i: int
    j: int
    i_start: int
    i_end: int
    j_start: int
    j_end: int
    words: int


@dataclass(frozen=True)
class Passages:
    found: list[Passage]
    candidates: int  # text pairs aligned
    stop_fingerprints: int  # size of the learned stop-list


def fingerprints(tokens: Tokens) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Winnowed 8-gram hashes of each text, the text they are in and their first
    word's global index (texts under PASSAGE_MIN_WORDS words have none: they cannot
    hold a passage)."""
    hashes, first = grams(tokens, PASSAGE_GRAM)
    if len(hashes) < WINNOW_WINDOW:
        return hashes[:0], first[:0], first[:0]
    docs = tokens.doc_of_words()[first]
    valid = np.flatnonzero(docs[: len(docs) - WINNOW_WINDOW + 1] == docs[WINNOW_WINDOW - 1 :])
    windows = sliding_window_view(hashes, WINNOW_WINDOW)[valid]
    chosen = np.unique(valid + windows.argmin(axis=1))
    return hashes[chosen], docs[chosen], first[chosen]


def find_passages(texts: Sequence[str], clusters: Sequence[int], map_parts: Mapper = map) -> Passages:
    """Passages between texts of different clusters (``clusters[i]``: the group of
    duplicates text i belongs to; texts of one group are copies, not passages).
    Fingerprinting and alignment are map steps over parts (``map_parts``, see
    :data:`.minhash.Mapper`); the stop-list and candidates are merged from them."""
    cluster = np.asarray(clusters, dtype=np.int64)
    parts = list(batches(len(texts)))
    hashes, docs, places = merged_fingerprints(parts, map_parts(part_fingerprints, (texts[p] for p in parts)))
    stop = stop_list(hashes, cluster[docs])
    near_stop = _near_stop(hashes, docs, places, stop)
    pairs = _candidates(hashes[~near_stop], docs[~near_stop], cluster)
    tasks = (
        ({k: texts[k] for pair in pairs[part] for k in pair}, pairs[part], stop)
        for part in batches(len(pairs), ALIGN_PAIRS)
    )
    found = [passage for chunk in map_parts(aligned_part, tasks) for passage in chunk]
    return Passages(found, len(pairs), len(stop))


Fingerprints = tuple[np.ndarray, np.ndarray, np.ndarray, int]


def part_fingerprints(texts: Sequence[str]) -> Fingerprints:
    """Map step: one part's fingerprints (hash, text and word index within the part) and
    its number of words."""
    tokens = tokenize(texts)
    hashes, docs, places = fingerprints(tokens)
    return hashes, docs, places, len(tokens.hashes)


def merged_fingerprints(
    parts: Sequence[slice], found: Iterable[Fingerprints]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Merge step: the corpus's fingerprints with corpus-wide text and word indexes."""
    parts_hashes, parts_docs, parts_places = [], [], []
    words_before = 0
    for part, (hashes, docs, places, words) in zip(parts, found, strict=True):
        parts_hashes.append(hashes)
        parts_docs.append(docs + part.start)
        parts_places.append(places + words_before)
        words_before += words
    if not parts_hashes:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(parts_hashes), np.concatenate(parts_docs), np.concatenate(parts_places)


def aligned_part(task: tuple[Mapping[int, str], Sequence[tuple[int, int]], np.ndarray]) -> list[Passage]:
    """Map step: the passages of one part's candidate pairs (with the texts they name)."""
    texts, pairs, stop = task
    return _aligned(texts, pairs, stop)


def stop_list(hashes: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    """Sorted fingerprints found in more than STOP_CLUSTERS clusters."""
    distinct = np.unique(np.stack([hashes, clusters.astype(np.uint64)]), axis=1)[0]
    values, counts = np.unique(distinct, return_counts=True)
    return values[counts > STOP_CLUSTERS]


def _near_stop(hashes: np.ndarray, docs: np.ndarray, places: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Fingerprints that are stop-listed or start in the boilerplate zone around one
    in the same text (the words alignment does not count, see _aligned): they make
    no candidates."""
    stopped = np.isin(hashes, stop)
    order = np.argsort(places[stopped], kind="stable")
    at, at_docs = places[stopped][order], docs[stopped][order]  # global word indexes
    if len(at) == 0:
        return stopped
    k = np.searchsorted(at, places)
    before, after = np.maximum(k - 1, 0), np.minimum(k, len(at) - 1)
    gap_before, gap_after = places - at[before], at[after] - places
    near = (
        (gap_before >= 0) & (gap_before < PASSAGE_GRAM + WINNOW_WINDOW - 1) & (at_docs[before] == docs)
    ) | ((gap_after >= 0) & (gap_after < WINNOW_WINDOW) & (at_docs[after] == docs))
    zone: np.ndarray = stopped | near
    return zone


def _candidates(hashes: np.ndarray, docs: np.ndarray, cluster: np.ndarray) -> list[tuple[int, int]]:
    order = np.lexsort((docs, hashes))
    hashes, docs = hashes[order], docs[order]
    cuts = np.flatnonzero(np.diff(hashes)) + 1
    starts = np.concatenate(([0], cuts))
    ends = np.concatenate((cuts, [len(hashes)]))
    shared = np.flatnonzero(ends - starts > 1)
    found: set[tuple[int, int]] = set()
    pairs_of_two = shared[ends[shared] - starts[shared] == 2]
    first, second = docs[starts[pairs_of_two]], docs[starts[pairs_of_two] + 1]
    distinct = cluster[first] != cluster[second]
    found.update(zip(first[distinct].tolist(), second[distinct].tolist(), strict=True))
    for group in shared[ends[shared] - starts[shared] > 2].tolist():
        members = sorted(set(docs[starts[group] : ends[group]].tolist()))
        found.update(
            (x, y) for k, x in enumerate(members) for y in members[k + 1 :] if cluster[x] != cluster[y]
        )
    return sorted(found)


def _aligned(
    texts: Mapping[int, str] | Sequence[str], pairs: Sequence[tuple[int, int]], stop: np.ndarray
) -> list[Passage]:
    involved = sorted({k for pair in pairs for k in pair})
    tokens = tokenize([texts[k] for k in involved])
    hashes, first = grams(tokens, PASSAGE_GRAM)
    docs = tokens.doc_of_words()[first]
    cuts = np.searchsorted(docs, np.arange(len(involved) + 1)).tolist()
    bounds = tokens.bounds.tolist()
    stop_set = set(stop.tolist())
    # Words near a stop-listed 8-gram are boilerplate: they neither start nor end a
    # passage, nor count towards its length. Winnowing picks a line's fingerprints by
    # context within a window of its ends, so a boilerplate line is stop-listed only in
    # its middle; the window either side of a stop gram covers the rest of it.
    blocked = np.zeros(len(tokens.hashes) + 1, dtype=np.int64)
    stopped = first[np.isin(hashes, stop)] if len(stop) else first[:0]
    doc_of_stopped = tokens.doc_of_words()[stopped]
    low = np.maximum(stopped - (WINNOW_WINDOW - 1), tokens.bounds[doc_of_stopped])
    high = np.minimum(stopped + PASSAGE_GRAM + WINNOW_WINDOW - 1, tokens.bounds[doc_of_stopped + 1])
    np.add.at(blocked, low, 1)
    np.add.at(blocked, high, -1)
    covered = (np.cumsum(blocked[:-1]) > 0).tolist()
    words: dict[int, list[int]] = {}
    places: dict[int, dict[int, int]] = {}
    for n, k in enumerate(involved):
        words[k] = tokens.hashes[bounds[n] : bounds[n + 1]].tolist()
        grams_of_doc = hashes[cuts[n] : cuts[n + 1]].tolist()
        # gram -> its first position (a gram repeated inside one text seeds once;
        # extending the run word by word recovers the rest)
        places[k] = dict(zip(reversed(grams_of_doc), range(len(grams_of_doc) - 1, -1, -1), strict=True))
    where = {k: n for n, k in enumerate(involved)}
    found: list[Passage] = []
    for i, j in pairs:
        at_x, at_y = places[i], places[j]
        seeds = [(at_x[g], at_y[g]) for g in at_x.keys() & at_y.keys() if g not in stop_set]
        base_x, base_y = bounds[where[i]], bounds[where[j]]
        for p, q, length in _runs(seeds, words[i], words[j]):
            px, py = base_x + p, base_y + q
            while length and covered[px]:  # boilerplate trimmed off both ends
                px, py, length = px + 1, py + 1, length - 1
            while length and covered[px + length - 1]:
                length -= 1
            if length - sum(covered[px : px + length]) >= PASSAGE_MIN_WORDS:
                found.append(
                    Passage(
                        i,
                        j,
                        int(tokens.starts[px]),
                        int(tokens.ends[px + length - 1]),
                        int(tokens.starts[py]),
                        int(tokens.ends[py + length - 1]),
                        length,
                    )
                )
    return found


def _runs(seeds: list[tuple[int, int]], x: list[int], y: list[int]) -> list[tuple[int, int, int]]:
    """Maximal aligned runs (p, q, words): seeds joined along each diagonal across
    gaps of at most GAP_WORDS words, extended while words agree; where two runs
    overlap in either text, the longer is kept."""
    runs: list[tuple[int, int, int]] = []
    seeds.sort(key=lambda s: (s[1] - s[0], s[0]))
    k = 0
    while k < len(seeds):
        p0, q0 = seeds[k]
        last = p0
        k += 1
        while (
            k < len(seeds)
            and seeds[k][1] - seeds[k][0] == q0 - p0
            and seeds[k][0] <= last + PASSAGE_GRAM + GAP_WORDS
        ):
            last = seeds[k][0]
            k += 1
        start_p, start_q, end_p = p0, q0, last + PASSAGE_GRAM
        while start_p > 0 and start_q > 0 and x[start_p - 1] == y[start_q - 1]:
            start_p, start_q = start_p - 1, start_q - 1
        end_q = start_q + (end_p - start_p)
        while end_p < len(x) and end_q < len(y) and x[end_p] == y[end_q]:
            end_p, end_q = end_p + 1, end_q + 1
        runs.append((start_p, start_q, end_p - start_p))
    kept: list[tuple[int, int, int]] = []
    for p, q, length in sorted(runs, key=lambda r: (-r[2], r[0], r[1])):
        if all(p + length <= kp or kp + kl <= p for kp, _, kl in kept) and all(
            q + length <= kq or kq + kl <= q for _, kq, kl in kept
        ):
            kept.append((p, q, length))
    return sorted(kept)
