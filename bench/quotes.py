"""Quotes and their speakers against PolNeAR's hand-annotated attributions (source / cue / content).

    python bench/quotes.py [--data DIR] [--split dev] [--articles N]

DIR holds ``polnear.jsonl`` as ../shared/data/polnear (its README describes the
annotation and the suggested metric, used here). Each article's text goes
through the extract stage's spaCy pipeline and quote finder
(:func:`newsweave.extract.article_quotes`); offsets are the data's own (the
text's paragraphs are split at blank lines and joined back unchanged).

* **content F1**: a found quote matches a gold content span when their word
  tokens have Jaccard >= 0.5 (one-to-one, best overlap first; discontinuous gold
  contents count from their first to their last fragment). Reported for all,
  for quotes with quotation marks (``direct``) and for the rest.
* **speaker F1**: a found quote's speaker *as written* (the cue's subject:
  "he", "a source", "Trump") is right when its content matched and the span has
  Jaccard >= 0.5 with the gold source span; precision over found quotes with a
  speaker, recall over gold attributions with a source.
* attribution accuracy: of matched contents with a gold source, the share whose
  speaker is right (the README's "attribution accuracy").

Last line: ``RESULT speaker_f1=... content_f1=...``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from newsweave.extract import TAGGERS, FoundQuote, article_quotes, load_pipeline
from newsweave.model import Article
from newsweave.stage import Options

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polnear"
MATCH_JACCARD = 0.5  # the PolNeAR README's overlap criterion
_WORD = re.compile(r"\w+")


def read_articles(folder: Path, split: str, limit: int) -> list[dict[str, Any]]:
    path = folder / "polnear.jsonl"
    if not path.is_file():
        sys.exit(f"bench/quotes.py: no polnear.jsonl in {folder}; pass --data DIR")
    records = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if split in ("all", record["split"]):
                records.append(record)
                if len(records) == limit:
                    break
    return records


class Words:
    """Word-token positions of one text, to compare spans by token Jaccard."""

    def __init__(self, text: str) -> None:
        self.starts = [m.start() for m in _WORD.finditer(text)]

    def within(self, start: int, end: int) -> set[int]:
        return {s for s in self.starts if start <= s < end}

    def jaccard(self, a: tuple[int, int], b: tuple[int, int]) -> float:
        x, y = self.within(*a), self.within(*b)
        return len(x & y) / len(x | y) if x | y else 0.0


def match(
    words: Words, found: list[FoundQuote], gold: list[dict[str, Any]]
) -> list[tuple[FoundQuote, dict[str, Any]]]:
    scored = []
    for i, quote in enumerate(found):
        for j, g in enumerate(gold):
            if quote.start < g["end"] and g["start"] < quote.end:
                score = words.jaccard((quote.start, quote.end), (g["start"], g["end"]))
                if score >= MATCH_JACCARD:
                    scored.append((-score, i, j))
    pairs, used_f, used_g = [], set(), set()
    for _score, i, j in sorted(scored):
        if i not in used_f and j not in used_g:
            used_f.add(i)
            used_g.add(j)
            pairs.append((found[i], gold[j]))
    return pairs


def f1(tp: int, predicted: int, actual: int) -> tuple[float, float, float]:
    p, r = tp / max(predicted, 1), tp / max(actual, 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with polnear.jsonl")
    parser.add_argument("--split", default="dev", help="dev (for tuning, default), train, or all")
    parser.add_argument("--articles", type=int, default=0, help="only the first N articles (0: all)")
    parser.add_argument("--tagger", choices=TAGGERS, default=Options().tagger, help="extract's tag source")
    args = parser.parse_args()
    records = read_articles(args.data, args.split, args.articles or -1)
    articles = [
        Article(r["doc_id"], r["doc_id"], r.get("publisher"), r.get("title"), None, r.get("date"), False, "en",
                tuple(r["text"].split("\n\n")), ())
        for r in records
    ]  # fmt: skip
    nlp = load_pipeline(Options().spacy_model, args.tagger)
    counts = dict.fromkeys(
        ["found", "gold", "content_tp", "with_speaker", "gold_source", "speaker_tp", "matched_source"], 0
    )
    by_kind = {True: [0, 0], False: [0, 0]}  # direct?: [gold, matched]
    for record, article, doc in zip(records, articles, nlp.pipe(a.text for a in articles), strict=True):
        assert article.text == record["text"]
        words = Words(record["text"])
        found = article_quotes(article, doc)
        gold = record["quotes"]
        pairs = match(words, found, gold)
        counts["found"] += len(found)
        counts["gold"] += len(gold)
        counts["content_tp"] += len(pairs)
        counts["with_speaker"] += sum(q.subject is not None for q in found)
        counts["gold_source"] += sum(g["has_source"] for g in gold)
        for g in gold:
            by_kind[bool(g["direct"])][0] += 1
        for quote, g in pairs:
            by_kind[bool(g["direct"])][1] += 1
            if g["has_source"]:
                counts["matched_source"] += 1
                if quote.subject is not None and any(
                    words.jaccard(quote.subject, (s, e)) >= MATCH_JACCARD for s, e in g["speaker_spans"]
                ):
                    counts["speaker_tp"] += 1

    cp, cr, cf = f1(counts["content_tp"], counts["found"], counts["gold"])
    sp, sr, sf = f1(counts["speaker_tp"], counts["with_speaker"], counts["gold_source"])
    accuracy = counts["speaker_tp"] / max(counts["matched_source"], 1)
    print(
        f"{len(records)} {args.split} articles, {counts['gold']} gold attributions, {counts['found']} quotes found"
    )
    print(f"content (Jaccard >= {MATCH_JACCARD}): P={cp:.3f} R={cr:.3f} F1={cf:.3f}")
    for direct, (n, hit) in by_kind.items():
        print(
            f"  recall on {'direct' if direct else 'indirect'} attributions: {hit}/{n} = {hit / max(n, 1):.3f}"
        )
    print(f"speaker: P={sp:.3f} R={sr:.3f} F1={sf:.3f}; attribution accuracy {accuracy:.3f}")
    print(
        "published (PolNeAR README): human agreement only, token-wise Krippendorff's alpha 0.754, "
        "attribution-wise agreement 0.923; no model score on this document-level file was verified"
    )
    print(
        f"RESULT speaker_f1={sf:.3f} content_f1={cf:.3f} content_recall={cr:.3f} attribution_accuracy={accuracy:.3f}"
    )


if __name__ == "__main__":
    main()
