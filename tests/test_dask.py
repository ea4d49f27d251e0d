"""The Dask engine gives the local engine's dossier, with its parts run in worker processes.

One 2-worker LocalCluster serves the module. The corpus is the seeds, ECB+ and PolNeAR
articles from the shared data, and copies of some of them (exact, edited, and pasted into
another article) so dedup's map steps have duplicates, near duplicates and passages to find.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.engine import Engine
from newsweave.errors import NewsweaveError
from newsweave.ingest import read_paths
from newsweave.model import Dossier, RawDocument
from newsweave.stage import Options
from newsweave.workflow import load, make_engine

pytest.importorskip("distributed", reason="the Dask engine needs newsweave[dask] (dask.distributed)")

from newsweave.dask_engine import DaskEngine
from newsweave.dedup import Dedup

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
#: Shared-data articles in the corpus: enough for several extract parts per worker and
#: dedup parts, few enough for the module to run in about a minute on 2 cores.
ECB_ARTICLES = 100
POLNEAR_ARTICLES = 20
COPIES = 9


def _jsonl(path: Path, limit: int) -> list[dict[str, str]]:
    if not path.is_file():
        pytest.skip(f"{path} not available")
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for _, line in zip(range(limit), lines, strict=False)]


def _edited(text: str, rng: random.Random) -> str:
    """A copy with a word in about a hundred misspelt (reversed; dedup folds case, so
    upper-casing would leave an exact copy): still a near duplicate."""
    words = text.split(" ")
    for k in rng.sample(range(len(words)), max(1, len(words) // 100)):
        words[k] = words[k][::-1] + "x"
    return " ".join(words)


@pytest.fixture(scope="module")
def corpus(seeds_dir: Path) -> list[RawDocument]:
    documents = list(read_paths([seeds_dir]))
    for record in _jsonl(DATA / "ecbplus" / "documents.jsonl", ECB_ARTICLES):
        documents.append(RawDocument(source=f"ecb/{record['doc_id']}", text=record["text"]))
    for record in _jsonl(DATA / "polnear" / "polnear.jsonl", POLNEAR_ARTICLES):
        documents.append(
            RawDocument(
                source=f"polnear/{record['doc_id']}",
                text=record["text"],
                title=record.get("title"),
                outlet=record.get("publisher"),
                published=record.get("date"),
            )
        )
    rng = random.Random(12)
    originals = documents[len(documents) - POLNEAR_ARTICLES :]
    for k, original in enumerate(rng.sample(originals, COPIES)):
        kind = ("exact", "edited", "pasted")[k % 3]
        text = original.text
        if kind == "edited":
            text = _edited(text, rng)
        elif kind == "pasted":  # the copy's first paragraphs inside another ECB+ article
            host = documents[len(documents) - POLNEAR_ARTICLES - 1 - k]
            text = host.text + "\n\n" + "\n\n".join(original.text.split("\n\n")[:3])
        documents.append(RawDocument(source=f"copy/{k}-{kind}", text=text, outlet="Copier"))
    return documents


@pytest.fixture(scope="module")
def dask_engine() -> Iterator[DaskEngine]:
    with DaskEngine(Options(on_error="skip"), workers=2) as engine:
        yield engine


@pytest.fixture(scope="module")
def local_dossier(corpus: list[RawDocument]) -> Dossier:
    return Engine(Options(on_error="skip")).run(corpus).dossier


@pytest.fixture(scope="module")
def dask_dossier(dask_engine: DaskEngine, corpus: list[RawDocument]) -> Dossier:
    return dask_engine.run(corpus).dossier


def test_dask_engine_gives_the_local_engines_dossier(local_dossier: Dossier, dask_dossier: Dossier) -> None:
    kinds = {reuse.kind for reuse in local_dossier.reuse}
    assert {"duplicate", "near_duplicate", "shared_passage"} <= kinds  # dedup had work to merge
    assert len(local_dossier.articles) > ECB_ARTICLES and local_dossier.mentions
    for field in ("articles", "rejected", "reuse", "mentions", "sentences", "stories", "claims"):
        assert getattr(dask_dossier, field) == getattr(local_dossier, field), field
    assert dask_dossier == local_dossier


def test_spacy_loads_once_in_each_worker(dask_engine: DaskEngine, dask_dossier: Dossier) -> None:
    from newsweave.extract import load_pipeline

    loads = dask_engine.client().run(lambda: load_pipeline.cache_info().misses)
    assert len(loads) == 2
    assert set(loads.values()) == {1}


def test_local_cluster_workers_keep_glibcs_malloc_trimming_and_run_no_profiler(
    dask_engine: DaskEngine,
) -> None:
    """Dask's MALLOC_TRIM_THRESHOLD_=65536 and its 10 ms stack sampler cost a worker about
    a fifth more CPU than this process on the same extract parts (dask_engine.WORKER_CONFIG)."""

    def settings() -> tuple[str | None, bool]:
        import os

        import dask

        return os.environ.get("MALLOC_TRIM_THRESHOLD_"), dask.config.get("distributed.worker.profile.enabled")

    assert set(dask_engine.client().run(settings).values()) == {(None, False)}


def test_dedup_map_steps_run_through_the_engine(dask_engine: DaskEngine) -> None:
    (dedup,) = [stage for stage in dask_engine.stages if isinstance(stage, Dedup)]
    assert dedup.map_parts == dask_engine.map


def test_a_later_run_adds_articles_like_the_local_engine(
    dask_engine: DaskEngine, corpus: list[RawDocument]
) -> None:
    earlier, later = corpus[:20], corpus[20:40]
    local = Engine(Options(on_error="skip"))
    expected = local.run(later, local.run(earlier).dossier).dossier
    assert dask_engine.run(later, dask_engine.run(earlier).dossier).dossier == expected


def test_cli_runs_on_a_given_scheduler(dask_engine: DaskEngine, seeds_dir: Path, tmp_path: Path) -> None:
    address = dask_engine.client().scheduler.address
    db = tmp_path / "dask.db"
    result = CliRunner().invoke(
        main, ["run", str(seeds_dir), "--db", str(db), "--engine", "dask", "--scheduler", address]
    )
    assert result.exit_code == 0, result.output
    local_db = tmp_path / "local.db"
    assert CliRunner().invoke(main, ["run", str(seeds_dir), "--db", str(local_db)]).exit_code == 0
    assert load(db) == load(local_db)


def test_dask_options_without_the_dask_engine_are_an_error() -> None:
    with pytest.raises(NewsweaveError, match="--engine dask"):
        make_engine("local", workers=2)


def test_missing_dask_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name, *a)
    )
    with pytest.raises(NewsweaveError, match=r"newsweave\[dask\]"):
        make_engine("dask")
