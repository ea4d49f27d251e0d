"""CPU seconds per pipeline stage, in one process: where a run's time goes after extract.

    python bench/stages.py [--data DIR] [--articles 1000] [--no-cache]

DIR is the shared data folder; the corpus is bench/scale.py's (its article texts from
bench/dedup.py's ``real_texts``, then spliced and renamed ones where they run out; no
copies), read as raw documents with their outlet. ``Engine(Options(on_error="skip"))``
runs them as ``newsweave run`` does, every stage's calls (``__call__``, ``story_part``,
``kept_part``, ``summary``, ``settle``, ``story_fields``, ``combined``) timed by this process's CPU clock (on a shared machine wall time
says more about the other jobs). Extract (spaCy) costs most and is another stage's
concern: its records are cached under build/cache/stages/ by the articles of each call, so
a rerun times the other stages without it and reports the CPU seconds extract took when it
ran (``extract_cached=1``); ``--no-cache`` runs it again.

Last line: ``RESULT articles=N clean_s=... dedup_s=... extract_s=... stories_s=...
resolve_s=... claims_s=... timeline_s=... brief_s=... after_extract_s=... total_s=...
extract_cached=0|1``; ``after_extract_s`` is every stage after extract (dedup included).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from newsweave.clean import Clean
from newsweave.engine import STAGES, Engine
from newsweave.extract import Extract
from newsweave.model import Dossier, RawDocument
from newsweave.stage import Options

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
CACHE = ROOT / "build" / "cache" / "stages"
#: The stage methods an engine calls; a call inside another (story_part calls the stage
#: itself) is counted once.
TIMED = ("__call__", "story_part", "kept_part", "summary", "settle", "story_fields", "combined")


class Clock:
    """CPU seconds spent in each stage."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.busy: set[str] = set()

    def timed(self, cls: type[Any]) -> type[Any]:
        """A subclass of a stage class whose engine-facing methods add to ``spent``."""

        def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
            def inner(stage: Any, *args: Any, **kwargs: Any) -> Any:
                if cls.name in self.busy:
                    return method(stage, *args, **kwargs)
                self.busy.add(cls.name)
                start = time.process_time()
                try:
                    return method(stage, *args, **kwargs)
                finally:
                    self.busy.discard(cls.name)
                    self.spent[cls.name] = self.spent.get(cls.name, 0.0) + time.process_time() - start

            return inner

        methods = {name: wrap(getattr(cls, name)) for name in TIMED if hasattr(cls, name)}
        return type(cls.__name__, (cls,), methods)


class CachedExtract(Extract):
    """Extract whose records of a call's articles come from a cache when it has them."""

    cache: ClassVar[dict[tuple[str, ...], dict[str, tuple[Any, ...]]]] = {}
    ran: ClassVar[float] = 0.0  # CPU seconds of the calls that ran spaCy

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        key = tuple(a.id for a in dossier.articles)
        if key not in CachedExtract.cache:
            start = time.process_time()
            CachedExtract.cache[key] = super().__call__(dossier)
            CachedExtract.ran += time.process_time() - start
        return CachedExtract.cache[key]


def documents(data: Path, count: int) -> list[RawDocument]:
    """bench/scale.py's corpus of ``count`` articles without copies, as raw documents."""
    sys.path.insert(0, str(ROOT / "bench"))
    from scale import corpus_texts, write_corpus  # the corpus bench/scale.py times

    path = write_corpus(corpus_texts(data, count), count, 0.0)
    found = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            record = json.loads(line)
            found.append(RawDocument(f"{path.name}#{number}", record["text"], outlet=record.get("publisher")))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--articles", type=int, default=1000, help="how many articles to run")
    parser.add_argument("--no-cache", action="store_true", help="run extract even if cached")
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"bench/stages.py: no folder {args.data}; pass --data DIR (the shared data folder)")
    docs = documents(args.data, args.articles)
    cache_file = CACHE / f"extract-{args.articles}.pkl"
    cached_cpu = None
    if cache_file.is_file() and not args.no_cache:
        CachedExtract.cache, cached_cpu = pickle.loads(cache_file.read_bytes())
    clock = Clock()
    options = Options(on_error="skip")
    stages = [clock.timed(CachedExtract if s is Extract else s)(options) for s in STAGES]
    front = clock.timed(Clean)(options)
    engine = Engine(options, front=front, stages=stages)
    start = time.process_time()
    result = engine.run(docs)
    total = time.process_time() - start
    if cached_cpu is None:
        CACHE.mkdir(parents=True, exist_ok=True)
        cache_file.write_bytes(pickle.dumps((CachedExtract.cache, CachedExtract.ran)))
    extract = cached_cpu if cached_cpu is not None else CachedExtract.ran
    spent = dict(clock.spent)
    spent["extract"] = extract
    after = sum(v for k, v in spent.items() if k not in ("clean", "extract"))
    if cached_cpu is not None:  # the run skipped spaCy: count what it took when it ran
        total += extract - clock.spent.get("extract", 0.0)
    print(f"{len(result.dossier.articles)} articles, {len(result.dossier.stories)} stories")
    for name in ("clean", *(s.name for s in STAGES)):
        print(f"  {name:9s} {spent.get(name, 0.0):8.2f} CPU s")
    figures = " ".join(f"{n}_s={spent.get(n, 0.0):.2f}" for n in ("clean", *(s.name for s in STAGES)))
    print(
        f"RESULT articles={len(docs)} {figures} after_extract_s={after:.2f} total_s={total:.2f} "
        f"extract_cached={int(cached_cpu is not None)}"
    )


if __name__ == "__main__":
    main()
