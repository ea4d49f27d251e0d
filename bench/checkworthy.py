"""Check-worthiness score (``newsweave.claims.checkworthy``) on ClaimBuster and CLEF-2019 CheckThat! task 1.

    python bench/checkworthy.py [--data DIR] [--fit]

DIR holds ``claimbuster/claimbuster.jsonl`` and ``checkthat2019_t1/checkthat2019_t1.jsonl``
(../shared/data). Only their shared training parts are read; the held-out parts
are not. Every figure is cross-validated: the score is refitted (same features,
same fit) without the sentences it is measured on.

* ClaimBuster: 4-fold CV, stratified by label (each label's sentences in id order,
  every 4th to a fold), the protocol of Meng et al. 2020. F1 of the CFS class and
  macro-F1 at the score's operating point (0.5: the fit balances the classes),
  precision and recall of CFS too.
* CheckThat: leave-one-debate-out over the 19 training debates; average precision
  of each left-out debate's sentences ranked by score, averaged (MAP, the official
  measure).

Each fold trains on the rest of its data set plus the other data set, minus any
sentence whose text is in the fold (the 2016 general-election debates are in both).
The claims stage drops clauses scoring below ``MIN_CHECKWORTHINESS``: at that
floor, the share of ClaimBuster's non-check-worthy sentences removed and of its
check-worthy ones kept (same cross-validated scores) are reported too.
Anchor, same folds: the task organisers' kind of n-gram baseline, the same
logistic fit on word and word-pair features only (no hand-built features).

``--fit`` also writes the shipped weights (fitted on all shared training
sentences of both sets) to src/newsweave/claims/checkworthy.json.
Last line: ``RESULT cfs_f1=... macro_f1=... checkthat_map=...``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsweave.claims import MIN_CHECKWORTHINESS, checkworthy

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
MODEL_PATH = Path(__file__).resolve().parents[1] / "src" / "newsweave" / "claims" / checkworthy.MODEL_FILE
FOLDS = 4
THRESHOLD = 0.5


def _read(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        sys.exit(f"bench/checkworthy.py: {path} not found; pass --data pointing at ../shared/data")
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def average_precision(ranked_labels: list[int]) -> float:
    hits, total = 0, 0.0
    for rank, label in enumerate(ranked_labels, 1):
        if label:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _words_only(text: str) -> dict[str, float]:
    return {f: v for f, v in _full(text).items() if not f.startswith("f:")}


_full = checkworthy.features


def run(
    cb: list[dict[str, Any]], ct: list[dict[str, Any]], feats: Callable[[str], dict[str, float]]
) -> dict[str, float]:
    checkworthy.features = feats  # the fit and the score read features through the module
    try:
        folds: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for label in (0, 1):
            for i, r in enumerate(sorted((r for r in cb if r["label"] == label), key=lambda r: r["id"])):
                folds[i % FOLDS].append(r)
        tp = fp = fn = tn = 0
        scored: list[tuple[float, int]] = []
        for k in range(FOLDS):
            test = folds[k]
            keys = {_key(r["text"]) for r in test}
            train = [(r["text"], r["label"]) for j in range(FOLDS) if j != k for r in folds[j]]
            train += [(r["text"], r["label"]) for r in ct if _key(r["text"]) not in keys]
            weights = checkworthy.fit(train)
            for r in test:
                scored.append((checkworthy.score(r["text"], weights), r["label"]))
                predicted = scored[-1][0] >= THRESHOLD
                tp += predicted and r["label"] == 1
                fp += predicted and r["label"] == 0
                fn += (not predicted) and r["label"] == 1
                tn += (not predicted) and r["label"] == 0
        debates: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in ct:
            debates[r["doc_id"]].append(r)
        aps = []
        for doc, test in sorted(debates.items()):
            keys = {_key(r["text"]) for r in test}
            train = [(r["text"], r["label"]) for r in ct if r["doc_id"] != doc]
            train += [(r["text"], r["label"]) for r in cb if _key(r["text"]) not in keys]
            weights = checkworthy.fit(train)
            ranked = sorted(test, key=lambda r: (-checkworthy.score(r["text"], weights), r["line"]))
            aps.append(average_precision([r["label"] for r in ranked]))
    finally:
        checkworthy.features = _full
    cfs = _f1(tp, fp, fn)
    ncs = _f1(tn, fn, fp)
    floor = MIN_CHECKWORTHINESS
    return {
        "ncs_removed": sum(s < floor for s, label in scored if not label) / max(fp + tn, 1),
        "cfs_kept": sum(s >= floor for s, label in scored if label) / max(tp + fn, 1),
        "cfs_f1": cfs,
        "macro_f1": (cfs + ncs) / 2,
        "cfs_precision": tp / max(tp + fp, 1),
        "cfs_recall": tp / max(tp + fn, 1),
        "checkthat_map": sum(aps) / len(aps),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder holding claimbuster/ and checkthat2019_t1/"
    )
    parser.add_argument(
        "--fit", action="store_true", help="also write the shipped weights from all shared training data"
    )
    parser.add_argument(
        "--no-anchor", action="store_true", help="skip the n-gram-only anchor (halves the time)"
    )
    args = parser.parse_args()
    cb = _read(args.data / "claimbuster" / "claimbuster.jsonl")
    ct = _read(args.data / "checkthat2019_t1" / "checkthat2019_t1.jsonl")
    if args.fit:
        samples = [(r["text"], r["label"]) for r in cb] + [(r["text"], r["label"]) for r in ct]
        weights = checkworthy.fit(samples, threshold=THRESHOLD)
        MODEL_PATH.write_text(
            json.dumps(weights, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
        )
        print(f"wrote {MODEL_PATH} ({len(weights['weights'])} weights)")
    ours = run(cb, ct, _full)
    print(
        f"ClaimBuster {FOLDS}-fold CV ({len(cb)} sentences), CheckThat leave-one-debate-out ({len(ct)} sentences)"
    )
    print("newsweave: " + " ".join(f"{k}={v:.3f}" for k, v in ours.items()))
    if not args.no_anchor:
        anchor = run(cb, ct, _words_only)
        print("n-gram anchor: " + " ".join(f"{k}={v:.3f}" for k, v in anchor.items()))
    print(
        f"RESULT cfs_f1={ours['cfs_f1']:.3f} macro_f1={ours['macro_f1']:.3f} "
        f"checkthat_map={ours['checkthat_map']:.3f} cfs_precision={ours['cfs_precision']:.3f} "
        f"ncs_removed={ours['ncs_removed']:.3f} cfs_kept={ours['cfs_kept']:.3f}"
    )


if __name__ == "__main__":
    main()
