"""Relay sources against PolNeAR's gold attribution sources.

    python bench/relays.py [--data DIR] [--split all|train|dev]

DIR holds PolNeAR's ``polnear.jsonl`` (default ../shared/data/polnear). Each
article's text is one clean article (paragraphs split at blank lines) for
``find_relays``; a relay's *source span* is where its source stands inside the
relay's phrase.

Matching follows the overlap rule of the data's README: a predicted span
matches a gold span when the token Jaccard of the two spans is >= 0.5 (tokens:
words and punctuation marks of the article, by position).

* precision: relays whose source span matches the source span of any gold
  attribution of the article;
* recall: gold attributions made with a *relay cue* -- the forms the relay
  finder is for: "according to", "report(s/ed)", "write(s)/wrote", "told",
  "citing/cited", "via" -- whose source span some relay matches. PolNeAR's other
  attributions ("he said", "she believes") are quotes and beliefs, found by the
  extract stage, not relays. Recall on the named ones (source starting with a
  capital letter, not a pronoun) is printed too.

PolNeAR publishes no model score for sources (its README lists the corpus's
annotator agreement only); those figures are printed beside ours as the
ceiling humans reach, not as a system to beat. Last line:
``RESULT precision=... recall=... f1=...``.
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
from pathlib import Path

from newsweave.dedup import find_relays
from newsweave.model import Article

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polnear"
OVERLAP = 0.5
RELAY_CUE = re.compile(
    r"\b(?:according|report|reports|reported|reporting|writes?|wrote|written|told|citing|cited|via)\b", re.I
)
PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "its",
        "this",
        "that",
        "who",
        "which",
    ]
)
PUBLISHED = (
    ("token-wise Krippendorff's alpha (annotators)", "75.4 %"),
    ("attribution-wise agreement (annotators)", "92.3 %"),
    ("pseudo-recall of PARC3 (annotators)", "94.2 %"),
)
_TOKEN = re.compile(r"\w+|[^\w\s]")
#: "told X", "in an interview with X": X is the outlet that reports, the relay; PolNeAR
#: annotates the speaker as the source instead, so these count apart.
_LISTENER = re.compile(r"(?:told|in an interview with)\b", re.I)


def _article(record: dict[str, object]) -> Article:
    text = str(record["text"])
    return Article(
        str(record["doc_id"]), str(record["doc_id"]), None, None, None, None, False, "en", (text,), ()
    )


def _token_sets(text: str) -> tuple[list[int], list[int]]:
    spans = [m.span() for m in _TOKEN.finditer(text)]
    return [s for s, _ in spans], [e for _, e in spans]


def _tokens(starts: list[int], ends: list[int], start: int, end: int) -> set[int]:
    first = bisect.bisect_right(ends, start)
    last = bisect.bisect_left(starts, end)
    return set(range(first, last))


def _matches(a: set[int], b: set[int]) -> bool:
    return bool(a and b) and len(a & b) / len(a | b) >= OVERLAP


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with polnear.jsonl")
    parser.add_argument("--split", choices=("all", "train", "dev"), default="all")
    args = parser.parse_args()
    path = args.data / "polnear.jsonl"
    if not path.exists():
        sys.exit(f"bench/relays.py: no {path}; pass --data DIR (the polnear folder)")
    predicted = matched = gold_relays = found = named = named_found = listeners = inside = 0
    missed: list[str] = []
    wrong: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if args.split != "all" and record["split"] != args.split:
                continue
            article = _article(record)
            text = article.text
            assert text == record["text"], "one paragraph: offsets are the record's"
            starts, ends = _token_sets(text)
            gold = []
            for quote in record["quotes"]:
                for s, e in quote.get("speaker_spans") or []:
                    cue = str(quote.get("cue") or "")
                    gold.append((_tokens(starts, ends, s, e), bool(RELAY_CUE.search(cue)), text[s:e]))
            relays = []
            for relay in find_relays(article):
                offset = relay.text.find(relay.source)
                start = relay.start + max(offset, 0)
                relays.append((_tokens(starts, ends, start, start + len(relay.source)), relay))
            for span, relay in relays:
                predicted += 1
                if any(_matches(span, g) for g, _, _ in gold):
                    matched += 1
                elif any(span <= g for g, _, _ in gold):
                    inside += 1  # the name inside a longer gold span ("Graham, a former candidate,")
                elif _LISTENER.match(relay.text):
                    listeners += 1
                elif len(wrong) < 400:
                    wrong.append(f"{relay.text!r} -> {relay.source!r}")
            for g, is_relay, surface in gold:
                if not is_relay:
                    continue
                gold_relays += 1
                hit = any(_matches(span, g) for span, _ in relays)
                found += hit
                words = surface.split()
                if words and surface[:1].isupper() and words[0].lower() not in PRONOUNS:
                    named += 1
                    named_found += hit
                    if not hit and len(missed) < 15:
                        missed.append(surface)
    precision = matched / predicted if predicted else 0.0
    recall = found / gold_relays if gold_relays else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        f"split {args.split}: {predicted} relays, {matched} on a gold source; {gold_relays} gold attributions with a relay cue"
    )
    print(
        f"precision counting a source inside a longer gold source span as matched: "
        f"{(matched + inside) / max(predicted, 1):.3f}"
    )
    kept = predicted - listeners
    print(
        f"precision without the {listeners} unmatched 'told X' / 'interview with X' relays "
        f"(X the outlet, not PolNeAR's source), inside counted: {(matched + inside) / max(kept, 1):.3f}"
    )
    print(f"recall on named sources: {named_found}/{named} = {named_found / max(named, 1):.3f}")
    print("published on PolNeAR (agreement between annotators, not a model score):")
    for name, value in PUBLISHED:
        print(f"  {name}: {value}")
    print("some relays on no gold source:", *wrong, sep="\n  ")
    print("some named gold relay sources missed:", *missed, sep="\n  ")
    print(f"RESULT precision={precision:.4f} recall={recall:.4f} f1={f1:.4f}")


if __name__ == "__main__":
    main()
