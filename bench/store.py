"""Store throughput on both backends: save, load and full-text search of a corpus.

    python bench/store.py --data ../shared/data [--articles 20000] [--pg-url postgresql://...]

Articles are ECB+ documents (``ecbplus/documents.jsonl``), repeated with a suffix
on the id and a changed last line where the set runs out, saved as a dossier of
articles only (the largest table; the derived tables of the contract suite are
small beside it). Measured, per backend: one ``save`` of every article (s and
articles/s), a second ``save`` of the same dossier (nothing new: the cost of a
re-run's write), ``load`` (s), and ``search_page`` for ten words (ms per query).
Without ``--pg-url`` a throwaway cluster is started (tests/pg_cluster.py) and
removed. Last line: ``RESULT backend=... save_articles_per_s=... ...`` for each
backend, PostgreSQL last.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # pg_cluster
sys.path.insert(0, str(Path(__file__).resolve().parent))  # stories
from newsweave.model import Dossier
from newsweave.store import open_store_url
from stories import ecb_articles

#: Query words: common news words and names of the ECB+ topics.
WORDS = (
    "earthquake",
    "police",
    "killed",
    "Apple",
    "election",
    "fire",
    "arrested",
    "company",
    "hospital",
    "court",
)


def corpus(data: Path, n: int) -> Dossier:
    base, _gold, _split = ecb_articles(data / "ecbplus" / "documents.jsonl")
    articles = []
    for i in range(n):
        a = base[i % len(base)]
        round_ = i // len(base)
        if round_:
            lines = (*a.paragraphs[:-1], f"{a.paragraphs[-1]} (copy {round_})")
            a = dataclasses.replace(a, id=f"{a.id}-{round_}", source=f"{a.source}#{round_}", paragraphs=lines)
        articles.append(a)
    return Dossier(articles=tuple(articles))


def measure(db: str, dossier: Dossier) -> dict[str, float]:
    n = len(dossier.articles)
    with open_store_url(db) as store:
        start = time.perf_counter()
        store.save(dossier)
        save = time.perf_counter() - start
        start = time.perf_counter()
        store.save(dossier)
        resave = time.perf_counter() - start
        start = time.perf_counter()
        loaded = store.load()
        load = time.perf_counter() - start
        assert len(loaded.articles) == n
        start = time.perf_counter()
        hits = sum(store.search_page(f'"{w}"', 20)[1] for w in WORDS)
        search = (time.perf_counter() - start) / len(WORDS) * 1000
    return {
        "save_s": save,
        "save_articles_per_s": n / save,
        "resave_s": resave,
        "load_s": load,
        "search_ms": search,
        "hits": float(hits),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument(
        "--pg-url", default=None, help="an empty PostgreSQL database (default: a throwaway cluster)"
    )
    args = parser.parse_args()
    dossier = corpus(args.data, args.articles)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(("sqlite", measure(str(Path(tmp) / "bench.db"), dossier)))
    if args.pg_url:
        results.append(("postgresql", measure(args.pg_url, dossier)))
    else:
        from pg_cluster import PgCluster, find_bin_dir

        bin_dir = find_bin_dir()
        if bin_dir is None:
            sys.exit("PostgreSQL is not installed: run scripts/install-postgres.sh or pass --pg-url")
        cluster = PgCluster(bin_dir).start()
        try:
            results.append(("postgresql", measure(cluster.new_database(), dossier)))
        finally:
            cluster.stop()
    for backend, figures in results:
        line = " ".join(f"{k}={v:.3g}" if k != "hits" else f"{k}={int(v)}" for k, v in figures.items())
        print(f"RESULT backend={backend} articles={args.articles} {line}")


if __name__ == "__main__":
    main()
