"""Cross-document coreference on ECB+ with the product's ``newsweave.coref``.

Setting (as ../shared/data/ecbplus/README.md describes it): gold mentions, only
those in validated sentences, singletons kept (a mention with no chain is a
cluster of its own), clustered within each gold topic across its documents, and
MUC / B³ / CEAF-e counts pooled over topics (summed, as the reference scorer
does); CoNLL F1 is their mean.

The bench only reads ECB+, turns each gold mention into the product's
``SpanMention`` (the ECB+ type as a family: PER, HUM, LOC, TIM, NON, EVENT), calls
``newsweave.coref.cluster_mentions`` once per topic (entities and events
together, since entities use the events they are arguments of) and scores; the
rules are the product's, documented in src/newsweave/coref.py.

The baseline joins mentions sharing their lowercased last token within a topic.
Events are scored with the baseline's lowercased last token, and with the folded
stem of the head (a trailing particle off) within an event group.

The name-variant set: within each topic, the distinct name forms of each gold
entity chain; "same" pairs are two forms of one chain, "different" pairs two
forms of different chains that look alike (a shared folded word, or rapidfuzz
ratio of at least ``SIMILAR_RATIO``). ``same_name`` is scored on them.

    python bench/coref.py --data ../shared/data/ecbplus [--split train|dev|all]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from newsweave.coref import (
    DETERMINERS,
    PRONOUNS,
    SpanMention,
    cluster_mentions,
    is_name,
    lowercase_words,
    name_text,
)
from newsweave.coref_scores import CorefScores, score
from newsweave.resolve import fold, same_name

Record = dict[str, Any]

#: "Different entity, similar name" pairs need at least this rapidfuzz ratio (or a
#: shared folded word); 70 keeps look-alikes such as "Katie Jenkin"/"John Jenkin".
SIMILAR_RATIO = 70


def family(mention: Record) -> str:
    """The product's type family of an ECB+ mention type ("EVENT" for an event)."""
    kind = str(mention["type"])
    if mention["kind"] == "event":
        return "EVENT"
    if kind == "HUMAN_PART_PER":
        return "PER"
    for prefix, name in (("HUMAN", "HUM"), ("LOC", "LOC"), ("TIME", "TIM")):
        if kind.startswith(prefix):
            return name
    return "NON"


def span(mention: Record) -> SpanMention:
    """An ECB+ mention as the product's record (character offsets)."""
    return SpanMention(
        id=mention["mention_id"],
        doc_id=mention["doc_id"],
        sentence=mention["sentence"],
        start=mention["start"],
        end=mention["end"],
        text=mention["text"],
        family=family(mention),
    )


def _last(mention: Record) -> str:
    return str(mention["text"]).split()[-1].lower()


def key_clusters(mentions: list[Record], key: Callable[[Record], Hashable]) -> list[set[str]]:
    groups: dict[Hashable, set[str]] = defaultdict(set)
    for m in mentions:
        groups[key(m)].add(m["mention_id"])
    return list(groups.values())


def product_clusters(mentions: list[Record], docs_text: dict[str, str]) -> list[set[str]]:
    """``newsweave.coref.cluster_mentions`` over one topic's mentions (entities and
    events together: entities use the events they are arguments of)."""
    texts = {d: docs_text[d] for d in sorted({m["doc_id"] for m in mentions})}
    return [set(c) for c in cluster_mentions(texts, [span(m) for m in mentions])]


def gold_clusters(mentions: list[Record]) -> list[set[str]]:
    return key_clusters(mentions, lambda m: m["chain"] or m["mention_id"])


def pooled(
    topics: dict[str, list[Record]], system: Callable[[str, list[Record]], list[set[str]]]
) -> CorefScores:
    total = CorefScores()
    for topic, mentions in topics.items():
        total = total + score(gold_clusters(mentions), system(topic, mentions))
    return total


def name_variant_pairs(
    topics: dict[str, list[Record]],
    docs_text: dict[str, str],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(same-entity pairs, different-entity look-alike pairs) of name forms."""
    same: set[tuple[str, str]] = set()
    different: set[tuple[str, str]] = set()
    for mentions in topics.values():
        common = lowercase_words(docs_text[d] for d in {m["doc_id"] for m in mentions})
        forms: dict[str, set[str]] = defaultdict(set)  # chain -> name forms
        for m in mentions:
            text = name_text(span(m))
            if m["chain"] and family(m) != "TIM" and _proper(text) and is_name(span(m), common):
                forms[m["chain"]].add(text)
        owners: dict[str, set[str]] = defaultdict(set)
        for chain, names in forms.items():
            for name in names:
                owners[name.casefold()].add(chain)
        for names in forms.values():
            ordered = sorted(names)
            for i, x in enumerate(ordered):
                for y in ordered[i + 1 :]:
                    if x.casefold() != y.casefold():
                        same.add((x, y))
        index: dict[str, set[str]] = defaultdict(set)  # folded word -> forms (blocking)
        for name in owners:
            for word in fold(name).split():
                index[word[:3]].add(name)
        for block in index.values():
            ordered = sorted(block)
            for i, x in enumerate(ordered):
                for y in ordered[i + 1 :]:
                    if owners[x] & owners[y]:
                        continue  # one form of both chains: no clean negative
                    shared = set(fold(x).split()) & set(fold(y).split())
                    if shared or fuzz.ratio(fold(x), fold(y)) >= SIMILAR_RATIO:
                        different.add((x, y))
    return sorted(same), sorted(different - same)


def _proper(text: str) -> bool:
    """A proper name only: every word capitalised but connectors, no digits."""
    words = text.split()
    return (
        not re.search(r"\d", text)
        and all(w[:1].isupper() or w in {"of", "and", "the", "de", "-", "."} for w in words)
        and not (len(words) == 1 and words[0].lower() in PRONOUNS.keys() | DETERMINERS)
    )


def _line(label: str, result: CorefScores) -> str:
    parts = [f"{label:<34}", f"CoNLL {100 * result.conll_f1:5.1f}"]
    for name, counts in (("MUC", result.muc), ("B3", result.b3), ("CEAF-e", result.ceafe)):
        s = counts.score
        parts.append(f"{name} R {100 * s.recall:5.1f} P {100 * s.precision:5.1f} F {100 * s.f1:5.1f}")
    return "  ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, required=True, help="the ecbplus folder")
    parser.add_argument("--split", choices=("train", "dev", "all"), default="all")
    args = parser.parse_args(argv)
    docs_file, mentions_file = args.data / "documents.jsonl", args.data / "mentions.jsonl"
    if not docs_file.is_file() or not mentions_file.is_file():
        raise SystemExit(f"coref.py: no documents.jsonl/mentions.jsonl in {args.data}; pass --data DIR")
    started = time.process_time()
    with docs_file.open(encoding="utf-8") as lines:
        docs = {d["doc_id"]: d for d in map(json.loads, lines)}
    docs_text = {doc_id: d["text"] for doc_id, d in docs.items()}
    with mentions_file.open(encoding="utf-8") as lines:
        mentions = [m for m in map(json.loads, lines) if m["in_validated_sentence"]]
    topics: dict[str, dict[str, list[Record]]] = {"entity": defaultdict(list), "event": defaultdict(list)}
    both: dict[str, list[Record]] = defaultdict(list)
    for m in mentions:
        doc = docs[m["doc_id"]]
        if args.split in ("all", doc["split"]):
            topics[m["kind"]][doc["topic"]].append(m)
            both[doc["topic"]].append(m)
    entity, event = topics["entity"], topics["event"]
    clusters = {topic: product_clusters(ms, docs_text) for topic, ms in both.items()}
    events = {m["mention_id"] for m in mentions if m["kind"] == "event"}
    entity_clusters = {t: [c for c in cs if not c & events] for t, cs in clusters.items()}
    event_clusters = {t: [c for c in cs if c & events] for t, cs in clusters.items()}
    counts = Counter(m["kind"] for m in mentions if args.split in ("all", docs[m["doc_id"]]["split"]))
    print(
        f"ECB+ {args.split}: {len(entity)} topics, {counts['entity']} entity and {counts['event']} event "
        "gold mentions in validated sentences; singletons kept; per topic, pooled"
    )
    baseline = pooled(entity, lambda _, ms: key_clusters(ms, _last))
    ours = pooled(entity, lambda topic, _: entity_clusters[topic])
    event_baseline = pooled(event, lambda _, ms: key_clusters(ms, _last))
    event_ours = pooled(event, lambda topic, _: event_clusters[topic])
    print(_line("entities: last-token baseline", baseline))
    print(_line("entities: newsweave.coref", ours))
    print(_line("events: last-token baseline", event_baseline))
    print(_line("events: newsweave.coref", event_ours))
    same, different = name_variant_pairs(entity, docs_text)
    tp = sum(same_name(x, y) for x, y in same)
    fp = sum(same_name(x, y) for x, y in different)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / len(same) if same else 0.0
    print(
        f"name variants: {len(same)} same-entity pairs, {len(different)} different look-alike pairs; "
        f"same_name precision {100 * precision:.1f} recall {100 * recall:.1f}"
    )
    for x, y in [p for p in different if same_name(*p)][:5]:
        print(f"  false merge: {x!r} ~ {y!r}")
    for x, y in [p for p in same if not same_name(*p)][:5]:
        print(f"  missed: {x!r} ~ {y!r}")
    print(f"cpu {time.process_time() - started:.1f}s", file=sys.stderr)
    print(
        f"RESULT conll_f1={ours.conll_f1:.4f} muc={ours.muc.score.f1:.4f} b3={ours.b3.score.f1:.4f} "
        f"ceafe={ours.ceafe.score.f1:.4f} event_conll_f1={event_ours.conll_f1:.4f} "
        f"lemma_baseline_conll_f1={baseline.conll_f1:.4f} event_baseline_conll_f1={event_baseline.conll_f1:.4f} "
        f"name_precision={precision:.4f} name_recall={recall:.4f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
