"""The brief verifier (``newsweave.verify``) on perturbed sentences of real news articles.

    python bench/verify.py [--data DIR] [--articles N]

DIR is ../shared/data/polnear (``polnear.jsonl``: US political news, 2016). From
the first N articles (by id) the verifier's own sentence split gives sentences
of 8-40 words; each is checked against its article (as a brief sentence citing
that one article) as it stands and after one perturbation of each kind it allows:

* number: its first number that is not a year changed (+1 below 20, else +10 %,
  rounded, at least +1);
* date: a month-and-day moved a day, else a weekday to the next, else a month
  to the next, else a year +1;
* name: its first capitalised name (not the opening word) swapped for another
  name of the same article that the sentence does not hold (the hard case: one
  of the story's own cast), else skipped;
* negation: "not" after its first auxiliary verb (is, was, has, will, can ...),
  else skipped.

True sentences are the sentence itself and, where it ends in an attribution
(", he said."), the sentence without it: a compression the brief may make.
``caught`` is the share of perturbed sentences the verifier fails;
``passed_true`` the share of true ones it passes.
Last line: ``RESULT caught=... passed_true=... sentences=...``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from newsweave.verify import _MONTHS, check, names, split_sentences

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polnear"
_NUM = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d.,])\d+(?![\d,])")
_MONTH_DAY = re.compile(rf"\b({'|'.join(m.capitalize() for m in _MONTHS)})\s+(\d{{1,2}})\b")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_AUX = re.compile(
    r"\b(is|are|was|were|has|have|had|will|would|can|could|should|does|did|may|might|must)\b(?! not\b)(?!n't)"
)
_ATTRIBUTION = re.compile(
    r",\s+(?:he|she|they|it|[A-Z][a-z]+(?: [A-Z][a-z]+)?)\s+(?:said|says|added|told \w+)\.$"
)
_NAME_TOKEN = re.compile(r"(?<![\w'’])[A-Z][a-z]{2,}(?![\w'’])")


def _read(path: Path) -> list[dict[str, object]]:
    if not path.is_file():
        sys.exit(f"bench/verify.py: {path} not found; pass --data pointing at ../shared/data/polnear")
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def change_number(s: str) -> str | None:
    for m in _NUM.finditer(s):
        value = int(m.group(0).replace(",", ""))
        if 1900 <= value <= 2030 and "," not in m.group(0):
            continue
        new = value + 1 if value < 20 else value + max(1, round(value * 0.1))
        text = f"{new:,}" if "," in m.group(0) else str(new)
        if re.search(rf"(?<![\d,]){re.escape(text)}(?![\d,])", s):
            continue  # the new value is already in the sentence: nothing changed
        return s[: m.start()] + text + s[m.end() :]
    return None


def shift_date(s: str) -> str | None:
    m = _MONTH_DAY.search(s)
    if m:
        day = int(m.group(2))
        return s[: m.start(2)] + str(day + 1 if day < 28 else day - 1) + s[m.end(2) :]
    for i, day in enumerate(_WEEKDAYS):
        if re.search(rf"\b{day}\b", s):
            return re.sub(rf"\b{day}\b", _WEEKDAYS[(i + 1) % 7], s, count=1)
    for i, month in enumerate(_MONTHS):
        if re.search(rf"\b{month.capitalize()}\b", s) and month != "may":
            return re.sub(rf"\b{month.capitalize()}\b", _MONTHS[(i + 1) % 12].capitalize(), s, count=1)
    m = re.search(r"\b(19[5-9]\d|20[0-2]\d)\b", s)
    return s[: m.start()] + str(int(m.group(0)) + 1) + s[m.end() :] if m else None


def swap_name(s: str, cast: list[str]) -> str | None:
    own = {w.casefold() for w in names(s)}
    for m in _NAME_TOKEN.finditer(s):
        if m.start() == 0 or m.group(0).casefold() not in own:
            continue
        other = next((c for c in cast if c.casefold() not in own and c not in s), None)
        return s[: m.start()] + other + s[m.end() :] if other else None
    return None


def add_negation(s: str) -> str | None:
    m = _AUX.search(s)
    return s[: m.end()] + " not" + s[m.end() :] if m else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the polnear folder")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--show", type=int, default=0, help="print this many misses of each kind")
    args = parser.parse_args()
    records = sorted(_read(args.data / "polnear.jsonl"), key=lambda r: str(r["doc_id"]))[: args.articles]
    true_total = true_passed = 0
    perturbed: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    shown: Counter[str] = Counter()
    for record in records:
        text = str(record["text"])
        sentences = split_sentences(text)
        cast = sorted(
            {w for s in sentences for w in _NAME_TOKEN.findall(s)[1:] if w.casefold() in names(s)},
            key=lambda w: (-text.count(w), w),
        )
        for s in sentences:
            if not 8 <= len(s.split()) <= 40:
                continue
            trues = [s]
            short = _ATTRIBUTION.sub(".", s)
            if short != s:
                trues.append(short)
            for t in trues:
                true_total += 1
                failures = check(t, [text])
                true_passed += not failures
                if failures and shown["true"] < args.show:
                    shown["true"] += 1
                    print(f"FALSE ALARM {failures}: {t}")
            for kind, changed in (
                ("number", change_number(s)),
                ("date", shift_date(s)),
                ("name", swap_name(s, cast)),
                ("negation", add_negation(s)),
            ):
                if changed is None or changed == s:
                    continue
                perturbed[kind] += 1
                ok = bool(check(changed, [text]))
                caught[kind] += ok
                if not ok and shown[kind] < args.show:
                    shown[kind] += 1
                    print(f"MISSED {kind}: {changed}")
    for kind in sorted(perturbed):
        print(f"{kind}: caught {caught[kind]}/{perturbed[kind]} = {caught[kind] / perturbed[kind]:.3f}")
    total = sum(perturbed.values())
    print(f"true: passed {true_passed}/{true_total}; {len(records)} PolNeAR articles")
    print(
        f"RESULT caught={sum(caught.values()) / max(total, 1):.3f} "
        f"passed_true={true_passed / max(true_total, 1):.3f} sentences={true_total} perturbed={total}"
    )


if __name__ == "__main__":
    main()
