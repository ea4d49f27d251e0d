"""Duplicates and shared passages at corpus scale, against known injected copies.

    python bench/dedup.py [--data DIR] [--articles 100000] [--sample 5000] [--seed 5]

DIR is the shared data folder (default ../shared/data). The corpus:

* **real** texts, every article of the sets that have them: polnear, ecbplus
  documents, timelines articles, frank articles, timex documents,
  article-extraction gold bodies, article-similarity texts (exact repeats kept once);
* **synthetic** articles where the real ones run out, clearly marked as such:
  paragraphs of different real articles spliced together (each paragraph used
  once per *universe*), the words of universe u renamed by a seeded,
  frequency-preserving permutation of the vocabulary (words swapped only with
  words of about the same corpus frequency), so synthetic articles read like
  news statistically but copy neither the real ones nor each other;
* **injected copies**, with a fixed seed: exact copies (some re-spaced, quotes
  curled), near copies (1-20 % of words replaced, deleted or inserted, some
  re-paragraphed, some with boilerplate lines added) and pasted passages
  (40-400 consecutive words of one article inserted as a paragraph into another).

Measured: the near-duplicate pass (exact digests + MinHash LSH + Jaccard
verification) in articles/s; the whole stage (near + passages) in seconds at
10k and at the full size; peak RSS; near-duplicate recall and precision at
Jaccard >= 0.8 on a sample of ``--sample`` articles (half injected copies and
their originals, half random) against the exact Jaccard of *every* pair of the
sample (intersections counted from shingle postings; a pair sharing no shingle
has Jaccard 0); and passage recall: an injected passage is found when a
shared passage between its two articles has both ends within 20 characters of
the injected span in both. If ``datasketch`` is importable its plain use
(MinHash(128).update_batch over the same 5-shingles, MinHashLSH(0.8)) is timed
on 2,000 articles as a reference.

Last line: ``RESULT articles_per_s=... recall=... precision=... passage_recall=...
peak_rss_mb=... seconds_10k=... seconds_100k=...``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsweave.dedup import Copies, Passages, clusters_of, find_copies, find_passages
from newsweave.dedup.minhash import NEAR_DUPLICATE_JACCARD, shingle_hashes
from newsweave.dedup.tokens import tokenize

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
TOLERANCE = 20  # characters an injected passage's ends may be off by
#: Lines a site adds to every page; some long enough (>= 25 words) to look like a passage.
BOILERPLATE = (
    "Sign up for our daily newsletter to get the most important stories of the day delivered "
    "straight to your inbox every morning, free of charge, and unsubscribe at any time you like.",
    "Copyright 2024 The Daily Register. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed in whole or in part without prior written permission.",
    "We use cookies to improve your experience on our website, to personalise content and ads and "
    "to analyse our traffic. By continuing to browse this site you agree to our use of cookies.",
    "Follow us on Facebook, Twitter and Instagram for the latest updates.",
    "Have a story tip? Email our newsroom.",
    "This article was produced with the help of our partners at the regional news agency and has "
    "been edited for length and clarity by the staff of the international desk in the capital.",
)
_SPLIT = re.compile(r"(\w+)")


def _lines(path: Path) -> Iterator[dict[str, object]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def real_texts(data: Path) -> list[str]:
    """Every article text of the shared sets that hold texts, each distinct text once."""
    fields = {
        "polnear/polnear.jsonl": ("text",),
        "ecbplus/documents.jsonl": ("text",),
        "timelines/articles.jsonl.gz": ("text",),
        "frank/frank.jsonl": ("article",),
        "timex/documents.jsonl": ("text",),
        "article-extraction/gold.jsonl": ("body",),
        "article-similarity/pairs.jsonl": ("text1", "text2"),
    }
    seen: set[str] = set()
    texts: list[str] = []
    for name, keys in fields.items():
        path = data / name
        if not path.exists():
            print(f"  (no {path}: skipped)", file=sys.stderr)
            continue
        for record in _lines(path):
            for key in keys:
                text = record.get(key)
                if isinstance(text, str) and len(text.split()) >= 40 and text not in seen:
                    seen.add(text)
                    texts.append(text)
    if not texts:
        sys.exit(f"bench/dedup.py: no article texts under {data}; pass --data DIR (the shared data folder)")
    return texts


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if len(p.split()) >= 5]


class Universe:
    """A seeded, frequency-preserving renaming of the vocabulary (synthetic text)."""

    def __init__(self, ranked: list[str], seed: int) -> None:
        rng = random.Random(seed)
        self.names: dict[str, str] = {}
        bucket = 24  # words swapped only within runs of this many frequency ranks
        for start in range(0, len(ranked), bucket):
            words = ranked[start : start + bucket]
            shuffled = words[:]
            rng.shuffle(shuffled)
            self.names.update(zip(words, shuffled, strict=True))

    def rename(self, text: str) -> str:
        pieces = _SPLIT.split(text)  # words at odd indexes
        names = self.names
        for k in range(1, len(pieces), 2):
            piece = pieces[k]
            new = names.get(piece) or names.get(piece.lower())
            if new is None:
                continue
            if piece.islower():
                pieces[k] = new
            elif piece.isupper() and len(piece) > 1:
                pieces[k] = new.upper()
            else:
                pieces[k] = new[:1].upper() + new[1:]
        return "".join(pieces)


def synthetic(real: list[str], count: int, seed: int) -> list[str]:
    """``count`` spliced, renamed articles (see the module docstring)."""
    rng = random.Random(seed)
    frequency = Counter(w for text in real for w in re.findall(r"\w+", text.lower()))
    ranked = [w for w, _ in frequency.most_common()]
    # each distinct paragraph once: real sets repeat some (updated stories, outlet
    # footers), and a paragraph twice in one universe would be a real shared passage
    pool = list(dict.fromkeys(p for text in real for p in paragraphs(text)))
    lengths = [max(1, len(paragraphs(t))) for t in real]
    made: list[str] = []
    u = 0
    while len(made) < count:
        u += 1
        universe = Universe(ranked, seed * 1000 + u)
        order = list(range(len(pool)))
        rng.shuffle(order)
        k = 0
        while k < len(order) and len(made) < count:
            size = min(rng.choice(lengths), 20)
            picked = [universe.rename(pool[i]) for i in order[k : k + size]]
            k += size
            made.append("\n\n".join(picked))
    return made


@dataclass
class Injected:
    passages: list[tuple[int, int, int, int, int, int]]  # source, host, s_start, s_end, h_start, h_end
    copies: list[tuple[int, int]]  # (original, copy)


def _curl(text: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        text = re.sub(r"\s+", lambda m: " " if rng.random() < 0.9 else "  ", text)
    return text.replace('"', "\u201d").replace("'", "\u2019")


def _near(text: str, rng: random.Random, vocabulary: list[str]) -> str:
    rate = rng.uniform(0.01, 0.20)
    paras = [p.split() for p in text.split("\n\n")]
    edited = []
    for words in paras:
        out: list[str] = []
        for word in words:
            if rng.random() >= rate:
                out.append(word)
                continue
            action = rng.randrange(3)
            if action == 0:
                out.append(rng.choice(vocabulary))
            elif action == 1:
                out.extend([word, rng.choice(vocabulary)])
            # action 2 deletes the word
        edited.append(out)
    if rng.random() < 0.5:  # re-paragraphed
        flat = [w for words in edited for w in words]
        edited, k = [], 0
        while k < len(flat):
            size = rng.randint(20, 120)
            edited.append(flat[k : k + size])
            k += size
    result = [" ".join(words) for words in edited if words]
    if rng.random() < 0.5:  # boilerplate added
        result.insert(0, rng.choice(BOILERPLATE))
        result.append(rng.choice(BOILERPLATE))
    return "\n\n".join(result)


def inject(texts: list[str], total: int, seed: int) -> Injected:
    """Grow ``texts`` to ``total`` articles with exact (3 %) and near (8 %) copies, and
    paste passages into 4 % of the base articles; record what was done."""
    rng = random.Random(seed)
    base = len(texts)
    n_exact, n_near = int(total * 0.03), int(total * 0.08)
    n_passages = int(total * 0.04)
    vocabulary = sorted({w for t in texts[:2000] for w in t.split()})
    order = list(range(base))
    rng.shuffle(order)
    hosts, sources = order[:n_passages], order[n_passages : 2 * n_passages]
    originals = order[2 * n_passages :]
    injected = Injected([], [])
    for host, source in zip(hosts, sources, strict=True):
        words = list(re.finditer(r"\S+", texts[source]))
        if len(words) < 50:
            continue
        length = rng.randint(40, min(400, len(words)))
        first = rng.randrange(0, len(words) - length + 1)
        s_start, s_end = words[first].start(), words[first + length - 1].end()
        passage = texts[source][s_start:s_end].replace("\n", " ")
        paras = texts[host].split("\n\n")
        at = rng.randrange(0, len(paras) + 1)
        before = "\n\n".join(paras[:at])
        h_start = len(before) + (2 if at else 0)
        texts[host] = "\n\n".join([*paras[:at], passage, *paras[at:]])
        injected.passages.append((source, host, s_start, s_end, h_start, h_start + len(passage)))
    for n in range(n_exact + n_near):
        original = originals[n % len(originals)]
        copy = _curl(texts[original], rng) if n < n_exact else _near(texts[original], rng, vocabulary)
        texts.append(copy)
        injected.copies.append((original, len(texts) - 1))
    return injected


def brute_force_pairs(texts: list[str], sample: list[int]) -> set[tuple[int, int]]:
    """Pairs of the sample whose exact shingle Jaccard is >= NEAR_DUPLICATE_JACCARD."""
    hashes_parts, docs_parts = [], []
    for start in range(0, len(sample), 1000):
        chunk = sample[start : start + 1000]
        hashes, docs = shingle_hashes(tokenize([texts[i] for i in chunk]))
        hashes_parts.append(hashes)
        docs_parts.append(docs + start)
    pairs = np.unique(
        np.stack([np.concatenate(hashes_parts), np.concatenate(docs_parts).astype(np.uint64)]), axis=1
    )
    hashes, docs = pairs[0], pairs[1].astype(np.int64)
    sizes = np.bincount(docs, minlength=len(sample))
    cuts = np.flatnonzero(np.diff(hashes)) + 1
    starts, ends = np.concatenate(([0], cuts)), np.concatenate((cuts, [len(hashes)]))
    n = len(sample)
    shared = np.zeros(n * n, dtype=np.int64)
    pending: list[np.ndarray] = []
    pending_size = 0
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        if e - s < 2:
            continue
        members = docs[s:e]
        i, j = np.triu_indices(len(members), 1)
        pending.append(members[i] * n + members[j])
        pending_size += len(i)
        if pending_size > 5_000_000:
            shared += np.bincount(np.concatenate(pending), minlength=n * n)
            pending, pending_size = [], 0
    if pending:
        shared += np.bincount(np.concatenate(pending), minlength=n * n)
    flat = np.flatnonzero(shared)
    a, b = flat // n, flat % n
    jaccard = shared[flat] / (sizes[a] + sizes[b] - shared[flat])
    keep = jaccard >= NEAR_DUPLICATE_JACCARD
    return {
        (min(sample[x], sample[y]), max(sample[x], sample[y])) for x, y in zip(a[keep], b[keep], strict=True)
    }


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_stage(texts: list[str], workers: int) -> tuple[float, float, float, Copies, Passages]:
    """(near-duplicate pass seconds, its CPU seconds, whole stage seconds, copies, passages)."""
    start, cpu = time.perf_counter(), cpu_seconds()
    copies = find_copies(texts, workers)
    near_seconds, near_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    passages = find_passages(texts, clusters_of(len(texts), copies))
    return near_seconds, near_cpu, time.perf_counter() - start, copies, passages


def datasketch_reference(texts: list[str]) -> float | None:
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        return None
    start = time.perf_counter()
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    for n, text in enumerate(texts):
        words = re.findall(r"\w+", text.lower())
        shingles = {" ".join(words[k : k + 5]).encode() for k in range(len(words) - 4)}
        minhash = MinHash(num_perm=128)
        minhash.update_batch(list(shingles))
        lsh.query(minhash)
        lsh.insert(str(n), minhash)
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="processes for the MinHash sketches")
    args = parser.parse_args()

    t0 = time.perf_counter()
    real = real_texts(args.data)
    base_count = args.articles - int(args.articles * 0.03) - int(args.articles * 0.08)
    texts = real[:base_count]
    if len(texts) < base_count:
        texts += synthetic(real, base_count - len(texts), args.seed)
    injected = inject(texts, args.articles, args.seed)
    print(
        f"corpus: {len(texts)} articles ({min(len(real), base_count)} real, "
        f"{max(0, base_count - len(real))} synthetic, {len(injected.copies)} injected copies, "
        f"{len(injected.passages)} pasted passages), built in {time.perf_counter() - t0:.0f} s"
    )

    small = min(10_000, len(texts))
    _, _, seconds_small, _, _ = run_stage(texts[:small], args.workers)
    near_seconds, near_cpu, seconds, copies, passages = run_stage(texts, args.workers)
    rate = len(texts) / near_seconds
    print(
        f"near-duplicate pass: {len(texts) / near_cpu:.0f} articles per CPU second (wall clock depends on the load)"
    )
    print(
        f"near-duplicate pass ({args.workers} processes): {near_seconds:.1f} s, {rate:.0f} articles/s, {copies.candidates} candidates"
    )
    print(f"whole stage: {seconds_small:.1f} s at {small}, {seconds:.1f} s at {len(texts)}")
    print(
        f"passages: {len(passages.found)} found, {passages.candidates} pairs aligned, stop-list {passages.stop_fingerprints}"
    )

    rng = random.Random(args.seed)
    chosen: set[int] = set()
    for original, copy in rng.sample(injected.copies, min(len(injected.copies), args.sample // 4)):
        chosen.update((original, copy))
    rest = [i for i in range(len(texts)) if i not in chosen]
    chosen.update(rng.sample(rest, max(0, min(len(rest), args.sample - len(chosen)))))
    sample = sorted(chosen)
    truth = brute_force_pairs(texts, sample)
    in_sample = set(sample)
    found = {(i, j) for group in copies.exact for k, i in enumerate(group) for j in group[k + 1 :]}
    found |= {(i, j) for i, j, _ in copies.near}
    found = {(i, j) for i, j in found if i in in_sample and j in in_sample}
    recall = len(found & truth) / len(truth) if truth else 1.0
    precision = len(found & truth) / len(found) if found else 1.0
    print(f"sample {len(sample)}: {len(truth)} pairs at Jaccard >= 0.8 (brute force), {len(found)} found")

    by_pair: dict[tuple[int, int], list[tuple[int, int, int, int]]] = defaultdict(list)
    for p in passages.found:
        by_pair[(p.i, p.j)].append((p.i_start, p.i_end, p.j_start, p.j_end))
    hits = 0
    for source, host, s_start, s_end, h_start, h_end in injected.passages:
        i, j = min(source, host), max(source, host)
        want = (s_start, s_end, h_start, h_end) if source < host else (h_start, h_end, s_start, s_end)
        if any(
            all(abs(a - b) <= TOLERANCE for a, b in zip(got, want, strict=True)) for got in by_pair[(i, j)]
        ):
            hits += 1
    passage_recall = hits / len(injected.passages) if injected.passages else 1.0
    print(f"passages: {hits} of {len(injected.passages)} injected found within {TOLERANCE} characters")

    reference = datasketch_reference(texts[:2000])
    if reference is not None:
        print(
            f"datasketch (plain MinHash(128).update_batch + MinHashLSH), 2,000 articles: {reference:.0f} articles/s"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"RESULT articles_per_s={rate:.0f} recall={recall:.4f} precision={precision:.4f} "
        f"passage_recall={passage_recall:.4f} peak_rss_mb={peak:.0f} seconds_10k={seconds_small:.1f} "
        f"seconds_100k={seconds:.1f} articles_per_cpu_s={len(texts) / near_cpu:.0f}"
    )


if __name__ == "__main__":
    main()
