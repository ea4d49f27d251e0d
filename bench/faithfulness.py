"""The verifier as a faithfulness score, against FRANK's human factuality judgements.

    python bench/faithfulness.py [--data DIR] [--worst] [--baselines FILE]

DIR is ../shared/data/frank (``frank.jsonl``: the official validation split; the
test split is held out and not read). Each summary sentence is scored by
``newsweave.verify.support_score`` against its article (the article is the one cited
source): the share of its content words, names and numbers the article holds at all,
times the share its best article sentence holds, times the share of its word tokens that
sentence gives in the same order, x0.5 for each number the article never gives and x0.7
for each negation that sentence lacks (the constants and how they were chosen are in
``newsweave.verify``). A summary scores the mean of its sentences, as FRANK's
``factuality`` is the share of its sentences without error (``--worst``: its worst
sentence, the rule before; see the README row). The measure is FRANK's: partial
correlation with the human ``factuality``, controlling for the summarising system
(per-system means removed from both; Spearman on ranks, then the same); also ROC-AUC
against ``label`` (no error in any sentence). BERTScore cannot be computed offline here
(no model download); ``--baselines FILE`` reads FRANK's released baseline outputs
(``data/baseline_factuality_metrics_outputs.json`` of artidoro/frank, not in DIR) and adds
``bertscore_pearson``, BERTScore-P against the article on the same summaries (validation:
0.220; FRANK's README gives 0.295 on the held-out test split).
Last line: ``RESULT pearson=... spearman=... [bertscore_pearson=...] auc=... summaries=...``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from newsweave.verify import support_score

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "frank"
#: The baseline FRANK's README names as the best (its key in the released outputs).
BERTSCORE = "BertScore P Art"


def sentence_score(sentence: str, article: str) -> float:
    # XSum system output escapes its apostrophes ("year\\'s"): a data artefact, undone
    return support_score(sentence.replace("\\'", "'"), [article])


def summary_score(sentences: list[str], article: str, worst: bool = False) -> float:
    """The mean (or, with ``worst``, the minimum) of the summary's sentence scores."""
    scores = [sentence_score(s, article) for s in sentences]
    return min(scores) if worst else sum(scores) / len(scores)


def _auc(scores: list[float], labels: list[int]) -> float:
    """ROC-AUC: the chance a summary with no error outscores one with an error (ties half)."""
    ranks = _ranks(scores)
    positive = [r for r, y in zip(ranks, labels, strict=True) if y]
    n_pos, n_neg = len(positive), len(labels) - len(positive)
    if not n_pos or not n_neg:
        return 0.5
    return (sum(positive) - n_pos * (n_pos - 1) / 2) / (n_pos * n_neg)


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2
        i = j + 1
    return ranks


def _residuals(values: list[float], groups: list[str]) -> list[float]:
    sums: dict[str, list[float]] = defaultdict(list)
    for v, g in zip(values, groups, strict=True):
        sums[g].append(v)
    means = {g: sum(v) / len(v) for g, v in sums.items()}
    return [v - means[g] for v, g in zip(values, groups, strict=True)]


def _pearson(x: list[float], y: list[float]) -> float:
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sx = math.sqrt(sum((a - mx) ** 2 for a in x))
    sy = math.sqrt(sum((b - my) ** 2 for b in y))
    return sxy / (sx * sy) if sx and sy else 0.0


@dataclass(frozen=True, slots=True)
class Judged:
    """One summary: its score, the human factuality and label, its system and data set."""

    key: tuple[str, str]  # (doc_id, system): FRANK's key, as in its released baseline outputs
    score: float
    human: float
    label: int
    system: str
    dataset: str


def _read(path: Path, worst: bool) -> list[Judged]:
    judged = []
    for line in path.open(encoding="utf-8"):
        record = json.loads(line)
        for summary in record["summaries"]:
            sentences = summary["sentences"] or [summary["summary"]]
            judged.append(
                Judged(
                    (record["doc_id"], summary["model_name"]),
                    summary_score(sentences, record["article"], worst),
                    float(summary["factuality"]),
                    int(summary["label"]),
                    summary["model_name"],
                    record["dataset"],
                )
            )
    return judged


def partial(scores: list[float], human: list[float], systems: list[str]) -> tuple[float, float]:
    """FRANK's partial Pearson and Spearman correlation, the system as control variable."""
    pearson = _pearson(_residuals(scores, systems), _residuals(human, systems))
    spearman = _pearson(_residuals(_ranks(scores), systems), _residuals(_ranks(human), systems))
    return pearson, spearman


def _correlate(judged: list[Judged]) -> tuple[float, float]:
    return partial([j.score for j in judged], [j.human for j in judged], [j.system for j in judged])


def bertscore(judged: list[Judged], outputs: Path) -> tuple[float, float]:
    """BERTScore-P against the article, from FRANK's released baseline outputs
    (``data/baseline_factuality_metrics_outputs.json`` of artidoro/frank), on the same summaries."""
    released = {
        (o["hash"], o["model_name"]): o.get(BERTSCORE) for o in json.loads(outputs.read_text("utf-8"))
    }
    both = [(float(released[j.key]), j) for j in judged if released.get(j.key) not in (None, "")]
    if len(both) < len(judged):
        sys.exit(f"bench/faithfulness.py: {outputs} scores {len(both)} of the {len(judged)} summaries")
    return partial([b for b, _ in both], [j.human for _, j in both], [j.system for _, j in both])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the frank folder")
    parser.add_argument("--worst", action="store_true", help="a summary scores its worst sentence")
    parser.add_argument("--baselines", type=Path, help="FRANK's baseline_factuality_metrics_outputs.json")
    args = parser.parse_args()
    path = args.data / "frank.jsonl"
    if not path.is_file():
        sys.exit(f"bench/faithfulness.py: {path} not found; pass --data pointing at ../shared/data/frank")
    judged = _read(path, args.worst)
    print(
        f"FRANK: {len(judged)} summaries of {len({j.system for j in judged})} systems; partial correlation, system controlled"
    )
    for dataset in sorted({j.dataset for j in judged}):
        part = [j for j in judged if j.dataset == dataset]
        print(f"  {dataset}: {len(part)} summaries, pearson %.3f spearman %.3f" % _correlate(part))
    pearson, spearman = _correlate(judged)
    auc = _auc([j.score for j in judged], [j.label for j in judged])
    base = ""
    if args.baselines:
        base_pearson, base_spearman = bertscore(judged, args.baselines)
        print(f"  {BERTSCORE} (released outputs): pearson {base_pearson:.3f} spearman {base_spearman:.3f}")
        base = f" bertscore_pearson={base_pearson:.3f}"
    result = (
        f"RESULT pearson={pearson:.3f} spearman={spearman:.3f}{base} auc={auc:.3f} summaries={len(judged)}"
    )
    print(result)


if __name__ == "__main__":
    main()
