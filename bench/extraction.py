"""Article-body extraction from HTML: newsweave's clean stage against trafilatura, same pages, same run.

    python bench/extraction.py [--data DIR]

DIR holds ``gold.jsonl`` (lines ``{"id", "url", "body", "html"}``, ``html`` a
path to a gzipped page relative to DIR), as ../shared/data/article-extraction.
Scoring follows that folder's README (the Scrapinghub benchmark): word 4-gram
shingle multisets, per-page counts normalised to sum to one, corpus precision
averaged over pages with a prediction, recall over pages with gold text.
Last line: ``RESULT f1=... precision=... recall=... trafilatura_f1=... trafilatura_precision_f1=... pages=...``.
"""

from __future__ import annotations

import argparse
import re
import statistics
from collections import Counter
from pathlib import Path

import trafilatura

from _data import read_pages
from newsweave.clean import Clean
from newsweave.model import RawDocument
from newsweave.stage import Options

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "article-extraction"
_WORD = re.compile(r"\w+")


def _shingles(text: str | None) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text or "")
    if len(tokens) < 4:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def score(gold: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """Precision, recall and F1 as the benchmark computes them."""
    precisions, recalls = [], []
    for page, body in gold.items():
        g, p = _shingles(body), _shingles(predicted.get(page))
        tp, fp, fn = sum((g & p).values()), sum((p - g).values()), sum((g - p).values())
        perfect = fp == 0 and fn == 0
        if tp + fp:
            precisions.append(1.0 if perfect else tp / (tp + fp))
        if tp + fn:
            recalls.append(1.0 if perfect else tp / (tp + fn))
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with gold.jsonl and html/")
    args = parser.parse_args()
    read = read_pages(args.data, "bench/extraction.py")
    pages = {record["id"]: (html, record.get("url")) for record, html in read}
    gold = {record["id"]: record["body"] for record, _html in read}

    clean = Clean(Options(on_error="skip"))
    ours: dict[str, str] = {}
    for page, (html, url) in pages.items():
        articles, _rejected = clean([RawDocument(source=url or page, text=html, format="html", url=url)])
        ours[page] = "\n".join(articles[0].paragraphs) if articles else ""
    baselines = {
        name: {
            page: trafilatura.extract(html, url=url, include_comments=False, favor_precision=precise) or ""
            for page, (html, url) in pages.items()
        }
        for name, precise in (("trafilatura", False), ("trafilatura_precision", True))
    }
    result = score(gold, ours)
    anchors = {name: score(gold, predicted)["f1"] for name, predicted in baselines.items()}
    print(
        f"newsweave: precision {result['precision']:.3f} recall {result['recall']:.3f} f1 {result['f1']:.3f}"
    )
    for name, f1 in anchors.items():
        print(f"{name}: f1 {f1:.3f}")
    print(
        f"RESULT f1={result['f1']:.3f} precision={result['precision']:.3f} recall={result['recall']:.3f} "
        f"trafilatura_f1={anchors['trafilatura']:.3f} "
        f"trafilatura_precision_f1={anchors['trafilatura_precision']:.3f} pages={len(gold)}"
    )


if __name__ == "__main__":
    main()
