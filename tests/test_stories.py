"""Stories: the seeds are one story; articles on other events are not in it."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from newsweave.engine import Engine
from newsweave.ingest import read_paths
from newsweave.model import Dossier, RawDocument

ECBPLUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus" / "documents.jsonl"


def test_the_seeds_form_one_story(seed_dossier: Dossier) -> None:
    (story,) = seed_dossier.stories
    assert set(story.article_ids) == {a.id for a in seed_dossier.articles}
    assert (story.first_date, story.last_date) == ("2024-11-05", "2024-11-06")
    assert story.title in {a.title for a in seed_dossier.articles}


@pytest.fixture(scope="module")
def ecb_documents() -> dict[str, list[dict[str, str]]]:
    if not ECBPLUS.is_file():
        pytest.skip(f"{ECBPLUS} is not here (../shared/data is beside the checkout in CI)")
    by_subtopic: dict[str, list[dict[str, str]]] = defaultdict(list)
    with ECBPLUS.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            by_subtopic[record["subtopic"]].append(record)
    return by_subtopic


def test_articles_on_other_events_do_not_join_the_seeds(
    seeds_dir: Path, ecb_documents: dict[str, list[dict[str, str]]]
) -> None:
    others = [doc for subtopic in ("19_ecb", "20_ecb", "2_ecb") for doc in ecb_documents[subtopic][:3]]
    raw = [*read_paths([seeds_dir]), *(RawDocument(d["doc_id"], d["text"]) for d in others)]
    dossier = Engine().run(raw).dossier
    seed_ids = {a.id for a in dossier.articles if a.source.endswith(".txt")}
    story_of = dossier.story_of()
    assert len({story_of[i] for i in seed_ids}) == 1
    seed_story = story_of[next(iter(seed_ids))]
    assert all(story_of[a.id] != seed_story for a in dossier.articles if a.id not in seed_ids)
    by_source = {a.source: story_of[a.id] for a in dossier.articles}
    quake = [d["doc_id"] for d in ecb_documents["20_ecb"][:3]]
    assert len({by_source[q] for q in quake}) == 1  # one earthquake, one story


def test_every_article_is_in_exactly_one_story(seed_dossier: Dossier) -> None:
    members = [aid for s in seed_dossier.stories for aid in s.article_ids]
    assert sorted(members) == sorted(a.id for a in seed_dossier.articles)
