"""Stories bench: event grouping (ECB+), pair similarity (SemEval-2022 Task 8), a dated
stream (Timeline17) and stream throughput with memory.

    python bench/stories.py --data ../shared/data [--articles 100000]

* ECB+ (``ecbplus/``): B-cubed P/R/F1 of documents grouped by sub-topic (one event),
  batch (``group``) and stream (``StoryTracker``, documents in a fixed shuffled order),
  with extract's mentions and dates; per split (train topics tuned on, dev only scored).
* article-similarity: Pearson of 4 - 3 * cosine against the gold ``overall`` score
  (1 = very similar), all pairs, same-language pairs, en-en.
* timelines (Timeline17): B-cubed against the six topics (coarser than events) in
  batch and stream, and how stories nest in topics (purity).
* throughput: a stream of ``--articles`` articles built from the shared texts (a random
  four fifths of each text's lines, dates spread over a year in order), articles/s of
  ``StoryTracker.add`` and RSS at 25/50/75/100 %.

Last line: ``RESULT b3_f1=... stream_b3_f1=... batch_peak_kb_per_article=... pearson=...
timelines_b3_f1=...``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import pickle
import random
import resource
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from newsweave.extract import Extract
from newsweave.model import Article, Dossier, Story, StoryMerge, stable_id
from newsweave.stories import Stories, StoryTracker, group, track
from newsweave.stories.batch import vectors
from newsweave.stories.features import similarity

SHUFFLE_SEED = 7


def article(doc_id: str, lines: Sequence[str], published: str | None = None) -> Article:
    return Article(stable_id("a", doc_id), doc_id, None, None, None, published, False, "en", tuple(lines), ())


def ecb_articles(path: Path) -> tuple[list[Article], dict[str, str], dict[str, str]]:
    articles, gold, split = [], {}, {}
    for line in path.open(encoding="utf-8"):
        doc = json.loads(line)
        lines = [s for s in doc["text"].split("\n") if s.strip()]
        if doc["subtopic"].endswith("ecbplus"):
            lines = lines[1:]  # sentence 0 of an ECB+ document is its source URL, not text
        a = article(doc["doc_id"], lines)
        articles.append(a)
        gold[a.id] = doc["subtopic"]
        split[a.id] = doc["split"]
    return articles, gold, split


def bcubed(
    gold: dict[str, str], stories: Sequence[Story], only: set[str] | None = None
) -> tuple[float, float, float]:
    predicted = {aid: s.id for s in stories for aid in s.article_ids}
    ids = [aid for aid in gold if only is None or aid in only]
    by_pred: dict[str, list[str]] = defaultdict(list)
    by_gold: Counter[str] = Counter()
    for aid in ids:
        by_pred[predicted[aid]].append(aid)
        by_gold[gold[aid]] += 1
    p = r = 0.0
    for members in by_pred.values():
        labels = Counter(gold[aid] for aid in members)
        for aid in members:
            p += labels[gold[aid]] / len(members)
            r += labels[gold[aid]] / by_gold[gold[aid]]
    p, r = p / len(ids), r / len(ids)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def fmt(name: str, prf: tuple[float, float, float]) -> str:
    return f"{name}: P {prf[0]:.3f} R {prf[1]:.3f} F1 {prf[2]:.3f}"


def ecbplus(data: Path, cache: Path | None) -> tuple[float, float, float]:
    articles, gold, split = ecb_articles(data / "ecbplus" / "documents.jsonl")
    start = time.perf_counter()
    dossier = Dossier(articles=tuple(articles))
    if cache and cache.is_file():
        extracted = pickle.loads(cache.read_bytes())
    else:
        extracted = Extract()(dossier)
        if cache:
            cache.write_bytes(pickle.dumps(extracted))
    dossier = replace(dossier, **extracted)
    print(f"ECB+: {len(articles)} documents, extract {time.perf_counter() - start:.0f} s")
    start = time.perf_counter()
    batch = group(dossier.articles, dossier.mentions, dossier.dates)
    batch_s = time.perf_counter() - start
    batch_kb = _streamed_peak_kb(dossier, batch)
    print(f"  batch grouping as a run from a store gives it: peak {batch_kb:.1f} KB an article (tracemalloc)")
    shuffled = list(articles)
    random.Random(SHUFFLE_SEED).shuffle(shuffled)
    start = time.perf_counter()
    stream, merges = track(shuffled, dossier.mentions, dossier.dates)
    stream_s = time.perf_counter() - start
    topic_level = {aid: sub.split("_")[0] for aid, sub in gold.items()}
    by_topic = [
        Story(t, "", tuple(a for a in gold if topic_level[a] == t), None, None)
        for t in set(topic_level.values())
    ]
    print(fmt("  gold topics as stories (the two events of a topic merged)", bcubed(gold, by_topic)))
    for name, stories, seconds in (("batch", batch, batch_s), ("stream", stream, stream_s)):
        print(
            f"  {name}: {len(stories)} stories ({len(set(gold.values()))} gold sub-topics), {seconds:.1f} s"
        )
        for part in ("train", "dev"):
            print("    " + fmt(part, bcubed(gold, stories, {a for a in gold if split[a] == part})))
        print("    " + fmt("all", bcubed(gold, stories)))
    print(f"  stream merges: {_merges(merges)}")
    batch_labels = {aid: s.id for s in batch for aid in s.article_ids}
    print("  " + fmt("stream against batch as gold", bcubed(batch_labels, stream)))
    return bcubed(gold, batch)[2], bcubed(gold, stream)[2], batch_kb


def _streamed_peak_kb(dossier: Dossier, batch: Sequence[Story]) -> float:
    """Peak memory of the batch grouping per article (tracemalloc) as a run reading back
    from its store gives it: mentions and dates streamed in article id order, never whole
    (their own size not counted); its stories must be those of the whole tuples."""
    in_order = {name: sorted(getattr(dossier, name), key=lambda r: r.article) for name in Stories.streams}
    tracemalloc.start()
    found = Stories().streamed(replace(dossier, mentions=(), dates=()), lambda name: iter(in_order[name]))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    if found["stories"] != tuple(batch):
        raise SystemExit("bench/stories.py: streamed mentions gave other stories than the whole tuples")
    return peak / len(dossier.articles) / 1e3


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    return cov / (sx * sy)


def pair_similarity(data: Path) -> float:
    pairs = [
        json.loads(line) for line in (data / "article-similarity" / "pairs.jsonl").open(encoding="utf-8")
    ]
    texts: dict[str, str] = {}
    for p in pairs:
        texts.setdefault(p["id1"], p["text1"] or "")
        texts.setdefault(p["id2"], p["text2"] or "")
    ids = sorted(texts)
    vecs = dict(zip(ids, vectors([article(i, [texts[i]]) for i in ids]), strict=True))
    predicted = [4 - 3 * similarity(vecs[p["id1"]], vecs[p["id2"]]) for p in pairs]
    gold = [float(p["overall"]) for p in pairs]
    same = [k for k, p in enumerate(pairs) if p["lang1"] == p["lang2"]]
    en = [k for k, p in enumerate(pairs) if p["lang1"] == p["lang2"] == "en"]
    r_all = pearson(predicted, gold)
    r_same = pearson([predicted[k] for k in same], [gold[k] for k in same])
    r_en = pearson([predicted[k] for k in en], [gold[k] for k in en])
    print(
        f"article-similarity: {len(pairs)} pairs; Pearson all {r_all:.3f}, same-language {r_same:.3f} "
        f"({len(same)}), en-en {r_en:.3f} ({len(en)}) (stories' pair score: words, numbers; no entities)"
    )
    return r_same


def timeline_articles(data: Path) -> tuple[list[Article], dict[str, str]]:
    articles, gold = [], {}
    with gzip.open(data / "timelines" / "articles.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            a = article(doc["id"], [s for s in doc["text"].split("\n") if s.strip()], doc["published"])
            articles.append(a)
            gold[a.id] = doc["topic"]
    return articles, gold


def timelines(data: Path) -> float:
    articles, gold = timeline_articles(data)
    print(
        f"Timeline17: {len(articles)} articles in {len(set(gold.values()))} topics (no extract: words only)"
    )
    start = time.perf_counter()
    batch = group(articles)
    batch_s = time.perf_counter() - start
    start = time.perf_counter()
    stream, merges = track(articles)
    stream_s = time.perf_counter() - start
    for name, stories, seconds in (("batch", batch, batch_s), ("stream", stream, stream_s)):
        print(
            f"  {name}: {len(stories)} stories, {seconds:.1f} s; "
            + fmt("against topics", bcubed(gold, stories))
        )
        sizes = Counter(len(s.article_ids) for s in stories)
        pure = sum(len(s.article_ids) for s in stories if len({gold[a] for a in s.article_ids}) == 1)
        print(
            f"    nesting: {pure / len(articles):.1%} of articles are in stories within one topic; "
            f"{sizes[1]} singletons; largest {max(len(s.article_ids) for s in stories)}"
        )
        per_topic: dict[str, list[int]] = defaultdict(list)
        for s in stories:
            topic = Counter(gold[a] for a in s.article_ids).most_common(1)[0][0]
            per_topic[topic].append(len(s.article_ids))
        print(
            "    stories per topic (>=5 articles): "
            + ", ".join(f"{t} {sum(1 for n in v if n >= 5)}" for t, v in sorted(per_topic.items()))
        )
    print(f"  stream merges: {_merges(merges)}")
    return bcubed(gold, batch)[2]


def _merges(merges: Sequence[StoryMerge]) -> str:
    """Bridging merges, and the ids a split redirected (a part holding merged articles)."""
    bridges = sum(1 for m in merges if m.article_id)
    return f"{bridges} bridges, {len(merges) - bridges} split redirects"


def _rss_mb() -> tuple[float, float]:
    current = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            current = int(line.split()[1]) / 1024
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stream_texts(data: Path) -> list[list[str]]:
    texts = [list(a.paragraphs) for a in ecb_articles(data / "ecbplus" / "documents.jsonl")[0]]
    texts += [list(a.paragraphs) for a in timeline_articles(data)[0]]
    return texts


def _stream(texts: list[list[str]], n: int) -> Iterator[Article]:
    rng = random.Random(SHUFFLE_SEED)
    first = date(2024, 1, 1)
    for i in range(n):
        lines = texts[rng.randrange(len(texts))]
        kept = [s for s in lines if rng.random() < 0.8] or lines[:1]
        day = first + timedelta(days=i * 365 // n)
        yield article(f"stream/{i}", kept, day.isoformat())


def throughput(data: Path, n: int) -> float:
    texts = _stream_texts(data)
    tracker = StoryTracker()
    spent = cpu = 0.0
    closed = 0
    merges: list[StoryMerge] = []
    checkpoints = {n * k // 4 for k in (1, 2, 3, 4)}
    print(f"throughput: {n} articles from {len(texts)} shared texts, dates over 2024 in order")
    for i, a in enumerate(_stream(texts, n), start=1):
        start, start_cpu = time.perf_counter(), time.process_time()
        tracker.add(a)
        spent += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
        done, merged = tracker.drain()
        closed += len(done)
        merges += merged
        if i in checkpoints:
            rss, peak = _rss_mb()
            print(
                f"  {i:>7} articles ({i * 100 // n:>3} %): {i / spent:,.0f} articles/s "
                f"({i / cpu:,.0f} per CPU second), RSS {rss:.0f} MB "
                f"(peak {peak:.0f} MB), {len(tracker.open)} open stories, {closed} closed, merges: {_merges(merges)}"
            )
    return n / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--articles", type=int, default=100_000, help="articles in the throughput stream")
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["ecbplus", "similarity", "timelines", "throughput"]
    )
    parser.add_argument("--cache", type=Path, help="keep ECB+ extract results in this file between runs")
    args = parser.parse_args()
    result = {}
    if "ecbplus" not in args.skip:
        result["b3_f1"], result["stream_b3_f1"], result["batch_peak_kb_per_article"] = ecbplus(
            args.data, args.cache
        )
    if "similarity" not in args.skip:
        result["pearson"] = pair_similarity(args.data)
    if "timelines" not in args.skip:
        result["timelines_b3_f1"] = timelines(args.data)
    if "throughput" not in args.skip:
        result["articles_per_cpu_s"] = throughput(args.data, args.articles)
        result["peak_rss_mb"] = _rss_mb()[1]
    print(
        "RESULT "
        + " ".join(f"{k}={v:.3f}" if k != "articles_per_cpu_s" else f"{k}={v:.0f}" for k, v in result.items())
    )


if __name__ == "__main__":
    main()
