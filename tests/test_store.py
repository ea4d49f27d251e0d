"""The store: schema versioning, the write/read round-trip, search, crash safety."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsweave.errors import NotFoundError, StoreError
from newsweave.model import Article, Dossier, Rejection, Reuse
from newsweave.store import MIGRATIONS, Store


def test_new_store_is_at_the_latest_schema_version(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        assert store.schema_version() == len(MIGRATIONS)


def test_store_uses_wal_journal(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_does_not_migrate_twice(tmp_path: Path) -> None:
    Store(tmp_path / "n.db").close()
    with Store(tmp_path / "n.db") as store:
        versions = [r[0] for r in store.db.execute("SELECT version FROM schema_version")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_seed_dossier_round_trips_exactly(tmp_path: Path, seed_dossier: Dossier) -> None:
    with Store(tmp_path / "n.db") as store:
        store.save(seed_dossier)
    with Store(tmp_path / "n.db") as store:
        assert store.load() == seed_dossier


def test_saving_the_same_articles_twice_keeps_one_copy(tmp_path: Path, seed_dossier: Dossier) -> None:
    with Store(tmp_path / "n.db") as store:
        store.save(seed_dossier)
        store.save(seed_dossier)
        assert store.count("articles") == len(seed_dossier.articles)
        assert store.count("stories") == len(seed_dossier.stories)


def test_one_story_reads_only_its_records(tmp_path: Path, seed_dossier: Dossier) -> None:
    story = seed_dossier.stories[0]
    with Store(tmp_path / "n.db") as store:
        store.save(seed_dossier)
        articles = list(store.iter("articles", story.id))
        claims = list(store.iter("claims", story.id))
    assert sorted(a.id for a in articles) == sorted(story.article_ids)
    assert all(c.story_id == story.id for c in claims)


def test_unknown_story_is_a_clear_error(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store, pytest.raises(NotFoundError, match="newsweave stories"):
        store.story("s-missing")


def test_full_text_search_finds_a_word_of_the_clean_text(tmp_path: Path, seed_dossier: Dossier) -> None:
    with Store(tmp_path / "n.db") as store:
        store.save(seed_dossier)
        hits = store.search("Umerov")
    expected = {a.id for a in seed_dossier.articles if "Umerov" in a.text}
    assert expected and set(hits) == expected


def test_a_failed_write_leaves_the_previous_state(tmp_path: Path, seed_dossier: Dossier) -> None:
    with Store(tmp_path / "n.db") as store:
        store.save(seed_dossier)
        # two stories with one id break the primary key in the middle of the transaction
        broken = dataclasses.replace(seed_dossier, stories=seed_dossier.stories * 2)
        with pytest.raises(StoreError, match="nothing was saved"):
            store.save(broken)
        assert store.load() == seed_dossier


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        Store(bogus)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    Store(tmp_path / "n.db").close()
    with sqlite3.connect(tmp_path / "n.db") as db:
        db.execute("INSERT INTO schema_version VALUES (99)")
    db.close()
    with pytest.raises(StoreError, match="upgrade newsweave"):
        Store(tmp_path / "n.db")


untrusted_text = st.text(min_size=0, max_size=40)
articles = st.builds(
    Article,
    id=st.text(min_size=1, max_size=12),
    source=untrusted_text,
    outlet=st.none() | untrusted_text,
    title=st.none() | untrusted_text,
    byline=st.none() | untrusted_text,
    published=st.none() | st.dates().map(str),
    published_inferred=st.booleans(),
    language=st.none() | st.sampled_from(["en", "uk", "de"]),
    paragraphs=st.lists(untrusted_text, max_size=4).map(tuple),
    removed=st.lists(untrusted_text, max_size=3).map(tuple),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    articles=st.lists(articles, max_size=5, unique_by=lambda a: a.id),
    rejected=st.lists(st.builds(Rejection, untrusted_text, untrusted_text, untrusted_text), max_size=3),
)
def test_any_articles_round_trip(tmp_path: Path, articles: list[Article], rejected: list[Rejection]) -> None:
    ordered = tuple(sorted(articles, key=lambda a: (a.source, a.id)))
    reuse = tuple(
        Reuse(a.id, a.id, "duplicate", a.text, 0, len(a.text), 0, len(a.text), None) for a in ordered
    )
    dossier = Dossier(articles=ordered, rejected=tuple(rejected), reuse=reuse)
    path = tmp_path / "h.db"
    path.unlink(missing_ok=True)
    with Store(path) as store:
        store.save(dossier)
    with Store(path) as store:
        assert store.load() == dossier
