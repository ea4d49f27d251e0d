"""Time the web pages, in process: story list, story, article, entity and search pages.

    python bench/web.py [--data DIR] [--db FILE] [--requests 30]

With ``--db FILE`` an existing store is read as it is (e.g. the 10,000-article
store ``bench/serve.py`` builds); otherwise DIR (default samples/seeds) is run
through the pipeline into a temporary store first. Each page is asked for
``--requests`` times through Starlette's TestClient (no network, one thread),
over a sample of stories, articles and entities; the figures are per page, in
milliseconds, and include template rendering. The last line is
``RESULT pages=... list_ms=... story_ms=... article_ms=... entity_ms=... search_ms=... p99_ms=... errors=...``
(medians per page, p99 over every request).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

import newsweave
from newsweave.api import create_app
from newsweave.store import Store

ROOT = Path(__file__).resolve().parents[1]
#: Search words: names and places of the seed story, in two spellings where it has two.
SEARCH_WORDS = ("Umerov", "Umyerov", "Kursk", "Financial Times", "troops")


def _sample(db: Path, count: int, seed: int = 7) -> dict[str, list[str]]:
    rng = random.Random(seed)
    with Store(db) as store:
        stories = [s.id for s in store.iter("stories")]
        articles = [
            a for s in rng.sample(stories, min(len(stories), count)) for a in store.article_ids(s)[:1]
        ]
        entities = [row[0] for row in store.entity_names()]
    return {
        "list": ["/"],
        "story": [f"/stories/{i}" for i in rng.sample(stories, min(len(stories), count))],
        "article": [f"/articles/{i}" for i in articles],
        "entity": [f"/entities/{i}" for i in rng.sample(entities, min(len(entities), count))],
        "search": [f"/search?q={w}" for w in SEARCH_WORDS],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "samples" / "seeds", help="articles to run first")
    parser.add_argument("--db", type=Path, help="an existing store to read instead")
    parser.add_argument("--requests", type=int, default=30, help="requests per page kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "bench.db"
            newsweave.run([args.data], db=db)
        paths = _sample(db, args.requests)
        with Store(db) as store:
            size = f"{store.count('articles')} articles, {store.count('entities')} entities"
        print(f"store: {db} ({size})", file=sys.stderr)
        timings: dict[str, list[float]] = {}
        errors = 0
        with TestClient(create_app(db)) as client:
            for kind, urls in paths.items():
                client.get(urls[0])  # warm: the entity index, templates, page cache
                for n in range(args.requests):
                    started = time.perf_counter()
                    response = client.get(urls[n % len(urls)])
                    timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
                    errors += response.status_code != 200
        every = sorted(t for values in timings.values() for t in values)
        p99 = every[min(len(every) - 1, round(0.99 * (len(every) - 1)))]
        medians = {kind: statistics.median(values) for kind, values in timings.items()}
        for kind, value in medians.items():
            print(f"{kind:8s} median {value:7.1f} ms  max {max(timings[kind]):7.1f} ms", file=sys.stderr)
    figures = " ".join(f"{kind}_ms={value:.1f}" for kind, value in medians.items())
    print(f"RESULT pages={len(every)} {figures} p99_ms={p99:.1f} errors={errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
