"""Date expressions against TempEval-3 gold TIMEX3: extraction and normalisation (Task A).

    python bench/timex.py [--data DIR] [--docs N] [--errors K]

DIR holds ``documents.jsonl`` and ``timex.jsonl`` as ../shared/data/timex (its
README defines the scoring, re-implemented here): a system and a gold timex
match *relaxed* when their extents overlap (each matched at most once), *strict*
when the extents are identical; P/R/F1 pooled over all documents; value (type)
accuracy is the share of relaxed matches whose TIMEX3 value (type) string is
identical, and value F1 = relaxed F1 x value accuracy (the ranking score).

The extractor is the extract stage's own: :func:`newsweave.extract.dates.find_dates`
with spaCy's DATE/TIME entities as hints, each document resolved against its
creation time (DCT), with ``vague=True``: TimeML also tags references no
calendar places ("now" = PRESENT_REF, "daily" = P1D), which the stage leaves
out of the dossier. Beside it, on the gold DATE spans alone (no extraction),
our resolver and ``dateparser`` (RELATIVE_BASE = DCT, compared at the gold
granularity as the data's ``baseline_dateparser.py`` does; values dateparser
cannot express count as wrong) are scored on the same spans.
Last line: ``RESULT value_f1=... relaxed_f1=... strict_f1=... dateparser_value_accuracy=...``.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import re
import sys
import warnings
from pathlib import Path
from typing import Any

from newsweave.extract import load_pipeline
from newsweave.extract.dates import DateValue, find_dates, resolve_date
from newsweave.stage import Options

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "timex"
_GRANULARITY = ((re.compile(r"\d{4}-\d\d-\d\d"), "%Y-%m-%d"), (re.compile(r"\d{4}-\d\d"), "%Y-%m"))
_GRANULARITY += ((re.compile(r"\d{4}"), "%Y"),)
_TYPE_OF_GRAIN = {
    "day": "DATE",
    "month": "DATE",
    "year": "DATE",
    "ref": "DATE",
    "time": "TIME",
    "duration": "DURATION",
}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        sys.exit(f"bench/timex.py: no {path.name} in {path.parent}; pass --data DIR")
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def timex_type(value: DateValue) -> str:
    if value.grain == "set":
        return "SET"
    if value.timex and value.timex.startswith(("P", "T")) and value.grain == "duration":
        return "DURATION"
    if value.timex and "T" in value.timex[4:] and value.grain == "time":
        return "TIME"
    return _TYPE_OF_GRAIN.get(value.grain, "DATE")


def match(system: list[tuple[int, int, Any]], gold: list[dict[str, Any]]) -> list[tuple[Any, dict[str, Any]]]:
    """One-to-one pairs of overlapping extents, identical ones first, then by text order."""
    pairs: list[tuple[Any, dict[str, Any]]] = []
    used_s: set[int] = set()
    used_g: set[int] = set()
    for strict_pass in (True, False):
        for i, (start, end, item) in enumerate(system):
            if i in used_s:
                continue
            for j, g in enumerate(gold):
                if j in used_g:
                    continue
                same = (start, end) == (g["start"], g["end"])
                if same if strict_pass else start < g["end"] and g["start"] < end:
                    pairs.append(((start, end, item), g))
                    used_s.add(i)
                    used_g.add(j)
                    break
    return pairs


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def dct_datetime(dct: str) -> dt.datetime:
    return dt.datetime.fromisoformat(dct[:19]) if "T" in dct else dt.datetime.fromisoformat(dct[:10])


def dateparser_value(text: str, dct: str, gold: str) -> str | None:
    import dateparser

    for pattern, fmt in _GRANULARITY:
        if pattern.fullmatch(gold):
            parsed = dateparser.parse(text, languages=["en"], settings={"RELATIVE_BASE": dct_datetime(dct)})
            return parsed.strftime(fmt) if parsed else None
    return None  # weeks, seasons, *_REF: dateparser has no way to say them


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder with documents.jsonl, timex.jsonl"
    )
    parser.add_argument("--docs", type=int, default=0, help="only the first N documents (0: all)")
    parser.add_argument("--errors", type=int, default=0, help="print K value errors and misses")
    args = parser.parse_args()
    documents = read_jsonl(args.data / "documents.jsonl")
    if args.docs:
        documents = documents[: args.docs]
    gold_by_doc: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for timex in read_jsonl(args.data / "timex.jsonl"):
        gold_by_doc[timex["doc_id"]].append(timex)

    nlp = load_pipeline(Options().spacy_model)
    n_system = n_gold = n_relaxed = n_strict = n_value = n_type = 0
    errors: list[str] = []
    loose: list[str] = []
    misses: collections.Counter[str] = collections.Counter()
    spurious: collections.Counter[str] = collections.Counter()
    docs = nlp.pipe((d["text"] for d in documents), batch_size=16)
    for document, doc in zip(documents, docs, strict=True):
        text, dct = document["text"], document["dct"]
        hints = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]
        system = [(f.start, f.end, f.date) for f in find_dates(text, dct, hints, vague=True)]
        gold = gold_by_doc.get(document["doc_id"], [])
        pairs = match(system, gold)
        n_system += len(system)
        n_gold += len(gold)
        n_relaxed += len(pairs)
        for (start, end, value), g in pairs:
            n_strict += (start, end) == (g["start"], g["end"])
            n_value += value.timex_value == g["value"]
            n_type += timex_type(value) == g["type"]
            if (start, end) != (g["start"], g["end"]):
                loose.append(f"{text[start:end]!r} vs gold {g['text']!r}")
            if value.timex_value != g["value"]:
                errors.append(
                    f"{text[start:end]!r} [{g['text']!r}] dct={dct}: {value.timex_value} != {g['value']}"
                )
        matched_g = {id(g) for _s, g in pairs}
        matched_s = {id(s[2]) for s, _g in pairs}
        misses.update(f"{g['text']}={g['value']}" for g in gold if id(g) not in matched_g)
        spurious.update(text[s:e] for s, e, v in system if id(v) not in matched_s)

    precision, recall = n_relaxed / max(n_system, 1), n_relaxed / max(n_gold, 1)
    relaxed_f1 = f1(precision, recall)
    strict_f1 = f1(n_strict / max(n_system, 1), n_strict / max(n_gold, 1))
    value_acc, type_acc = n_value / max(n_relaxed, 1), n_type / max(n_relaxed, 1)

    # Normalisation alone, on the gold DATE spans: ours against dateparser.
    by_id = {d["doc_id"]: d for d in documents}
    gold_dates = [g for doc_id in by_id for g in gold_by_doc.get(doc_id, []) if g["type"] == "DATE"]
    ours_right = theirs_right = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for g in gold_dates:
            dct = by_id[g["doc_id"]]["dct"]
            resolved = resolve_date(g["text"], dct)
            ours_right += resolved is not None and resolved.timex_value == g["value"]
            theirs_right += dateparser_value(g["text"], dct, g["value"]) == g["value"]
    ours_acc, theirs_acc = ours_right / max(len(gold_dates), 1), theirs_right / max(len(gold_dates), 1)

    if args.errors:
        print("value errors:", *errors[: args.errors], sep="\n  ")
        print("extent differences:", *collections.Counter(loose).most_common(args.errors), sep="\n  ")
        print("most frequent misses:", *misses.most_common(args.errors), sep="\n  ")
        print("most frequent spurious:", *spurious.most_common(args.errors), sep="\n  ")
    print(f"{len(documents)} documents, {n_gold} gold timexes, {n_system} found")
    print(f"relaxed P={precision:.4f} R={recall:.4f} F1={relaxed_f1:.4f}; strict F1={strict_f1:.4f}")
    print(f"value accuracy={value_acc:.4f} (F1 {value_acc * relaxed_f1:.4f}); type accuracy={type_acc:.4f}")
    print(f"gold DATE spans ({len(gold_dates)}): our resolver {ours_acc:.4f}, dateparser {theirs_acc:.4f}")
    print(
        "published (TempEval-3 platinum test set): HeidelTime-t value F1 0.7761, relaxed 0.9030, strict 0.8134"
    )
    print(
        f"RESULT value_f1={value_acc * relaxed_f1:.4f} relaxed_f1={relaxed_f1:.4f} strict_f1={strict_f1:.4f} "
        f"dateparser_value_accuracy={theirs_acc:.4f} our_gold_span_accuracy={ours_acc:.4f} "
        f"type_f1={type_acc * relaxed_f1:.4f}"
    )


if __name__ == "__main__":
    main()
