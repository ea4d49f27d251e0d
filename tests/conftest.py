"""Shared fixtures: the bundled seed articles, read and run once per test session."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from newsweave.engine import Engine
from newsweave.ingest import read_paths
from newsweave.model import Article, Dossier
from newsweave.store import Store
from pg_cluster import PgCluster, find_bin_dir

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "samples" / "seeds"
ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus" / "documents.jsonl"

# No deadline on property tests: speed is measured in bench/, and a machine busy with
# other work (a benchmark, CI beside it) made a 0.06 ms example take 272 ms once.
settings.register_profile("newsweave", deadline=None)
settings.load_profile("newsweave")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """File name -> raw text of each seed."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_dossier() -> Dossier:
    """The seeds run through every stage by the engine, once per test session."""
    return Engine().run(read_paths([SEEDS])).dossier


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory, seed_dossier: Dossier) -> Path:
    """The seeds' dossier saved in a store of its own, once per test module."""
    path = tmp_path_factory.mktemp("store") / "seeds.db"
    with Store(path) as store:
        store.save(seed_dossier)
    return path


@pytest.fixture(scope="session")
def seed_articles(seed_dossier: Dossier) -> dict[str, Article]:
    """Seed file number ("000" ... "004") -> its cleaned article."""
    return {Path(a.source).name[:3]: a for a in seed_dossier.articles}


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A throwaway PostgreSQL cluster for the session (tests/pg_cluster.py), removed after."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed and cannot be (scripts/install-postgres.sh)")
    cluster = PgCluster(bin_dir).start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> str:
    """The URL of a fresh empty database on the session's cluster."""
    return pg_cluster.new_database()


@pytest.fixture(scope="session")
def ecb_documents() -> dict[str, list[dict[str, str]]]:
    """ECB+ documents by sub-topic (one event each), from ../shared/data beside the checkout."""
    if not ECBPLUS.is_file():
        pytest.skip(f"{ECBPLUS} is not here (../shared/data is beside the checkout in CI)")
    by_subtopic: dict[str, list[dict[str, str]]] = defaultdict(list)
    with ECBPLUS.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            by_subtopic[record["subtopic"]].append(record)
    return by_subtopic
