"""Incremental runs: a new article updates only its own story's downstream results
(entities, claims, timeline, brief), and the dossier equals the one a single run on
everything gives. Input: the seeds and ECB+ reports of other events (two earthquakes'
sub-topic, the Oscars host, ...), fed in two runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from newsweave.claims import Claims
from newsweave.engine import STAGES, Engine
from newsweave.ingest import read_paths
from newsweave.model import Dossier
from newsweave.resolve import Resolve
from newsweave.workflow import load, run

#: ECB+ sub-topics (one event each) and how many of their documents each run gets.
FIRST = {"20_ecb": 3, "2_ecb": 2, "1_ecb": 3}
SECOND = {"20_ecb": 2, "19_ecb": 3}


def _write(folder: Path, documents: list[dict[str, str]]) -> None:
    for doc in documents:
        (folder / f"{doc['doc_id']}.txt").write_text(doc["text"], encoding="utf-8")


@pytest.fixture(scope="module")
def inputs(
    tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, ecb_documents: dict[str, list[dict[str, str]]]
) -> tuple[Path, Path]:
    """Two folders: three seeds with reports of three events; then the other two seeds,
    more reports of one of those events and reports of a new one."""
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    seeds = sorted(seeds_dir.glob("*.txt"))
    for folder, names in ((first, seeds[:3]), (second, seeds[3:])):
        for name in names:
            (folder / name.name).write_bytes(name.read_bytes())
    _write(first, [doc for sub, n in FIRST.items() for doc in ecb_documents[sub][:n]])
    _write(second, [doc for sub, n in SECOND.items() for doc in ecb_documents[sub][FIRST.get(sub, 0) :][:n]])
    return first, second


def test_two_runs_give_the_dossier_of_one_run(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    first, second = inputs
    stepwise, at_once = tmp_path / "stepwise.db", tmp_path / "at_once.db"
    run([first], stepwise)
    before = load(stepwise)
    run([second], stepwise)
    run([first, second], at_once)
    after, whole = load(stepwise), load(at_once)
    assert after == whole
    kept = {s.id for s in before.stories} & {s.id for s in after.stories}
    assert kept and len(after.stories) > len(kept)  # some stories unchanged, some new or grown
    assert {c.story_id for c in after.claims} - kept  # the changed stories have claims


class CountingClaims(Claims):
    """Claims that remember the stories it worked on."""

    seen: ClassVar[list[str]] = []

    def story_part(self, view: Dossier) -> Any:
        CountingClaims.seen.append(view.stories[0].id)
        return super().story_part(view)


class CountingResolve(Resolve):
    seen: ClassVar[list[str]] = []

    def story_part(self, view: Dossier) -> Any:
        CountingResolve.seen.append(view.stories[0].id)
        return super().story_part(view)


def test_only_new_and_grown_stories_are_worked_on_again(inputs: tuple[Path, Path]) -> None:
    first, second = inputs
    counting = {Claims: CountingClaims, Resolve: CountingResolve}
    engine = Engine(stages=[counting.get(cls, cls)() for cls in STAGES])
    before = engine.run(read_paths([first])).dossier
    CountingClaims.seen.clear()
    CountingResolve.seen.clear()
    after = engine.run(read_paths([second]), before).dossier

    old = {s.id: s for s in before.stories}
    changed = {s.id for s in after.stories if s.id not in old}
    unchanged = {s.id for s in after.stories} - changed
    assert changed and unchanged
    assert sorted(CountingResolve.seen) == sorted(changed)  # its part reads articles and mentions only
    # claims also read the entities' names, which a new article elsewhere may change
    assert set(CountingClaims.seen) >= changed and len(CountingClaims.seen) < len(after.stories)
    for story_id in set(unchanged) - set(CountingClaims.seen):
        assert [c for c in after.claims if c.story_id == story_id] == [
            c for c in before.claims if c.story_id == story_id
        ]
    assert after == engine.run(read_paths([first, second])).dossier


def test_a_rerun_on_the_same_input_works_on_no_story(inputs: tuple[Path, Path]) -> None:
    first, _ = inputs
    engine = Engine(stages=[CountingClaims() if cls is Claims else cls() for cls in STAGES])
    before = engine.run(read_paths([first])).dossier
    CountingClaims.seen.clear()
    assert engine.run(read_paths([first]), before).dossier == before
    assert CountingClaims.seen == []
