"""A run into a store reads extract's records back from it story by story instead of
holding them for the whole corpus (views.ReadBack): its dossier is the one a run in memory
gives, exact copies of articles committed in earlier batches included (their original's
records are read back from the store once no longer held)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import newsweave.engine
from newsweave.brief import Brief
from newsweave.engine import Engine
from newsweave.ingest import read_paths
from newsweave.model import Dossier
from newsweave.stage import Options
from newsweave.store import READ_BACK, Store
from newsweave.workflow import load, run

OPTIONS = Options(batch_size=2, commit_every=2)


def test_a_stored_run_gives_the_dossier_of_a_run_in_memory(
    seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted(seeds_dir.glob("*.txt"))
    for path in seeds:
        shutil.copy(path, folder / path.name)
    for path in seeds[:2]:  # read last: copies of articles two batches back
        shutil.copy(path, folder / f"z-copy-{path.name}")
    monkeypatch.setattr(newsweave.engine, "COPIES_REMEMBERED", 1)
    read: list[tuple[str, tuple[str, ...]]] = []
    of_articles = Store.of_articles

    def spy(self: Store, name: str, article_ids: Any) -> list[Any]:
        read.append((name, tuple(article_ids)))
        return of_articles(self, name, article_ids)

    monkeypatch.setattr(Store, "of_articles", spy)
    saves: list[tuple[int, tuple[str, ...]]] = []
    save = Store.save

    def spy_save(self: Store, dossier: Dossier, kept: Sequence[str] = ()) -> None:
        saves.append((len(dossier.entities), tuple(kept)))
        save(self, dossier, kept)

    monkeypatch.setattr(Store, "save", spy_save)
    db = tmp_path / "run.db"
    run([folder], db, OPTIONS)
    stored = load(db)
    in_memory = Engine(OPTIONS).run(read_paths([folder])).dossier
    assert stored == in_memory
    # the entities were joined by the store from the stories' parts, never held for the save
    assert len(saves) == 1 and saves[0][0] == 0 and "entities" in saves[0][1]
    assert stored.entities and any(len({m.article for m in e.mentions}) > 1 for e in stored.entities)
    copies = {a.id for a in stored.articles if Path(a.source).name.startswith("z-copy-")}
    assert len(copies) == 2 and copies <= {m.article for m in stored.mentions}
    # the copies' originals were read back one at a time; the stories' views read back too
    assert sum(1 for name, ids in read if name == "sentences" and len(ids) == 1) >= 2
    assert {name for name, _ in read} == set(READ_BACK) | {"quotes"}


def test_a_second_run_reads_back_the_first_runs_records(seeds_dir: Path, tmp_path: Path) -> None:
    """A store's earlier articles' records are read back, not loaded: the second run's
    dossier is the one of a run over everything in memory."""
    seeds = sorted(seeds_dir.glob("*.txt"))
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, files in ((first, seeds[:3]), (second, seeds[3:])):
        folder.mkdir()
        for path in files:
            shutil.copy(path, folder / path.name)
    db = tmp_path / "twice.db"
    run([first], db, OPTIONS)
    run([second], db, OPTIONS)
    assert load(db) == Engine(OPTIONS).run(read_paths([first, second])).dossier


def test_a_run_dying_among_the_stories_leaves_the_previous_results(
    seeds_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ecb_documents: dict[str, list[dict[str, str]]],
) -> None:
    """Claims and briefs are written story by story as they come, but reach the store only
    with the run's save: a run that fails after writing some leaves the previous ones, and
    a rerun ends as a clean run would. Input: the seeds, then ECB+ reports of four events."""
    first, second = tmp_path / "a", tmp_path / "b"
    shutil.copytree(seeds_dir, first)
    second.mkdir()
    for subtopic in ("1_ecb", "2_ecb", "19_ecb", "20_ecb"):
        for doc in ecb_documents[subtopic][:2]:
            (second / f"{doc['doc_id']}.txt").write_text(doc["text"], encoding="utf-8")
    db = tmp_path / "dies.db"
    run([first], db, OPTIONS)
    before = load(db)
    monkeypatch.setattr(newsweave.engine, "PROGRESS_BATCHES", 1)  # a chunk of stories per 2 articles
    written: list[str] = []
    add_results = Store.add_results

    def spy(self: Store, name: str, records: Any) -> None:
        written.append(name)
        add_results(self, name, records)

    calls = iter(range(1000))

    def fails_on_the_third_story(self: Brief, view: Any) -> Any:
        if next(calls) == 2:
            raise RuntimeError("killed")
        return Brief.__call__(self, view)

    monkeypatch.setattr(Store, "add_results", spy)
    monkeypatch.setattr(Brief, "story_part", fails_on_the_third_story)
    with pytest.raises(RuntimeError, match="killed"):
        run([second], db, OPTIONS)
    assert "claims" in written  # some stories' results were written before it died
    after = load(db)
    assert len(after.articles) > len(before.articles)  # its ingest batches were committed
    for name in ("claims", "discrepancies", "timeline", "brief", "entities", "stories"):
        assert getattr(after, name) == getattr(before, name)
    monkeypatch.undo()
    run([second], db, OPTIONS)
    assert load(db) == Engine(OPTIONS).run(read_paths([first, second])).dossier
