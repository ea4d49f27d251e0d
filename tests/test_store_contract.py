"""One store contract, run on both backends: SQLite (a file) and PostgreSQL (a throwaway
cluster, tests/pg_cluster.py). Whatever the API, web pages and CLI read must read the
same on both."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import itertools
import random
import sqlite3
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from newsweave.errors import NotFoundError, StoreError
from newsweave.model import Dossier, Entity, Rejection, StoryMerge
from newsweave.resolve import Resolve
from newsweave.store import ARTICLE_TABLES, MIGRATIONS, Store, StoryQuery, is_server_url, open_store_url
from newsweave.store_postgres import PG_MIGRATIONS, PostgresStore, _tsquery


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "contract.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(db: str) -> Iterator[Store]:
    with open_store_url(db) as opened:
        yield opened


@pytest.fixture
def saved(store: Store, seed_dossier: Dossier) -> Store:
    store.save(seed_dossier)
    return store


def test_the_url_picks_the_backend(db: str) -> None:
    with open_store_url(db) as store:
        assert isinstance(store, PostgresStore) == is_server_url(db)


def test_postgres_store_overrides_every_public_method_of_store() -> None:
    """A read method added to Store must be added to PostgresStore too, or it would run
    SQLite code on a PostgreSQL store."""
    public = {n for n, v in vars(Store).items() if not n.startswith("_") and inspect.isfunction(v)}
    missing = {n for n in public if n not in vars(PostgresStore)} - {"__exit__"}
    assert not missing, f"PostgresStore lacks {sorted(missing)}"


def test_same_schema_version_and_no_second_migration(db: str) -> None:
    assert len(PG_MIGRATIONS) == len(MIGRATIONS)
    open_store_url(db).close()
    with open_store_url(db) as store:
        assert store.schema_version() == len(MIGRATIONS)


def test_seed_dossier_round_trips_exactly(db: str, seed_dossier: Dossier) -> None:
    with open_store_url(db) as store:
        store.save(seed_dossier)
    with open_store_url(db) as store:
        assert store.load() == seed_dossier


def test_saving_again_adds_nothing(saved: Store, seed_dossier: Dossier) -> None:
    saved.save(seed_dossier)
    assert saved.load() == seed_dossier
    for name in ("articles", "stories", "claims", "entities", "mentions"):
        assert saved.count(name) == len(getattr(seed_dossier, name))


def test_a_failed_write_leaves_the_previous_state(saved: Store, seed_dossier: Dossier) -> None:
    # two stories with one id break the primary key in the middle of the transaction
    broken = dataclasses.replace(seed_dossier, stories=seed_dossier.stories * 2, claims=())
    with pytest.raises(StoreError, match="nothing was saved"):
        saved.save(broken)
    assert saved.load() == seed_dossier


def _batch(dossier: Dossier, articles: slice) -> Dossier:
    """An ingest batch of some of a dossier's articles: them and their per-article records."""
    ids = {a.id for a in dossier.articles[articles]}
    return Dossier(
        articles=dossier.articles[articles],
        **{name: tuple(r for r in getattr(dossier, name) if r.article in ids) for name in ARTICLE_TABLES},
    )


def test_ingest_batches_add_articles_and_their_records_only(store: Store, seed_dossier: Dossier) -> None:
    rejection = Rejection("feed.jsonl#9", "clean", "no text field (body)")
    store.add_batch(dataclasses.replace(_batch(seed_dossier, slice(0, 2)), rejected=(rejection,)))
    store.add_batch(_batch(seed_dossier, slice(1, 5)))  # the second article again: added once
    stored = store.load()
    assert stored.articles == seed_dossier.articles
    for name in ARTICLE_TABLES:
        assert sorted(map(repr, getattr(stored, name))) == sorted(
            map(repr, getattr(_batch(seed_dossier, slice(0, 5)), name))
        )
    assert stored.rejected == (rejection,)
    assert stored.stories == stored.claims == stored.entities == ()  # derived results wait for save
    assert store.search("Kursk")
    store.save(seed_dossier)  # the run's end: everything as one save gives
    assert store.load() == seed_dossier


def test_an_ingest_batch_leaves_the_derived_results_alone(saved: Store, seed_dossier: Dossier) -> None:
    saved.add_batch(_batch(seed_dossier, slice(0, 5)))  # all known: nothing to add
    assert saved.load() == seed_dossier


def test_a_failed_ingest_batch_adds_nothing(
    saved: Store, seed_dossier: Dossier, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch is one transaction: a write failing after its articles are in takes them out."""
    backend = type(saved)
    name = "_copy" if isinstance(saved, PostgresStore) else "_insert"
    real = getattr(backend, name)
    error = psycopg.errors.DiskFull if isinstance(saved, PostgresStore) else sqlite3.OperationalError

    def failing(*args: Any) -> Any:
        if "rejected" in args:
            raise error("disk full")
        return real(*args)

    monkeypatch.setattr(backend, name, staticmethod(failing) if name == "_copy" else failing)
    article = dataclasses.replace(seed_dossier.articles[0], id="a-new", source="new.txt")
    batch = Dossier(articles=(article,), rejected=(Rejection("bad.txt", "clean", "empty"),))
    with pytest.raises(StoreError, match="the batch was not saved"):
        saved.add_batch(batch)
    assert saved.load() == seed_dossier


def test_story_reads(saved: Store, seed_dossier: Dossier) -> None:
    for story in seed_dossier.stories:
        assert saved.story(story.id) == story
        assert saved.article_ids(story.id) == sorted(story.article_ids)
        assert {a.id for a in saved.iter("articles", story.id)} == set(story.article_ids)
        assert list(saved.iter("claims", story.id)) == [
            c for c in seed_dossier.claims if c.story_id == story.id
        ]
        plain = list(saved.iter("brief", story.id, plain=True))
        assert len(plain) == len([b for b in seed_dossier.brief if b.story_id == story.id])
        for article_id in story.article_ids:
            assert saved.story_of_article(article_id) == story.id
    assert saved.story_of_articles() == {a: s.id for s in seed_dossier.stories for a in s.article_ids}
    with pytest.raises(NotFoundError, match="newsweave stories"):
        saved.story("s-missing")


def test_single_record_reads(saved: Store, seed_dossier: Dossier) -> None:
    article = seed_dossier.articles[0]
    assert saved.article(article.id) == article
    assert list(saved.of_article("mentions", article.id)) == [
        m for m in seed_dossier.mentions if m.article == article.id
    ]
    assert list(saved.reuse_of(article.id)) == [r for r in seed_dossier.reuse if article.id in (r.a, r.b)]
    entity = max(seed_dossier.entities, key=lambda e: len(e.mentions))
    assert saved.entity(entity.id) == entity
    here = [e for e in saved.entities_of_article(article.id)]
    assert here and all(m.article == article.id for e in here for m in e.mentions)
    claim = seed_dossier.claims[0]
    assert saved.claim(claim.id) == claim
    for missing in (saved.article, saved.entity, saved.claim):
        with pytest.raises(NotFoundError):
            missing("nope")


def test_entity_reads_agree_with_the_dossier(saved: Store, seed_dossier: Dossier) -> None:
    story_of = {a: s.id for s in seed_dossier.stories for a in s.article_ids}
    names = {row[0]: row for row in saved.entity_names()}
    index = {row[0]: row for row in saved.entity_index()}
    for entity in seed_dossier.entities:
        stories = sorted({story_of[m.article] for m in entity.mentions if m.article in story_of})
        assert names[entity.id][1:] == (entity.name, entity.type, entity.aliases, len(entity.mentions))
        assert index[entity.id][4] == len(stories)
        assert saved.entity_story_ids(entity.id) == stories
    counts = [row[4] for row in saved.entity_index()]
    assert counts == sorted(counts, reverse=True)
    sources = saved.story_source_counts()
    assert sources == {
        s.id: max(c.independent_sources for c in seed_dossier.claims if c.story_id == s.id)
        for s in seed_dossier.stories
        if any(c.story_id == s.id for c in seed_dossier.claims)
    }


def test_full_text_search(saved: Store, seed_dossier: Dossier) -> None:
    def having(*words: str) -> set[str]:
        return {
            a.id for a in seed_dossier.articles if all(w.lower() in a.text.lower().split() for w in words)
        }

    assert having("Umerov") and set(saved.search('"Umerov"')) == having("Umerov")
    either = set(saved.search('"Umerov" OR "Zelensky"', limit=100))
    assert either >= having("Umerov") and either >= having("Zelensky")
    hits, total = saved.search_page('"Umerov"', limit=2)
    assert total == len(having("Umerov")) and len(hits) == min(2, total)
    assert all("umerov" in h.snippet.lower() for h in hits)
    assert all(h.story_id == saved.story_of_article(h.article_id) for h in hits)
    with pytest.raises(StoreError, match="bad search query"):
        saved.search('"unbalanced')


def test_story_pages(saved: Store, seed_dossier: Dossier) -> None:
    page, total = saved.stories_page(StoryQuery(limit=100))
    assert total == len(seed_dossier.stories) == len(page)
    assert {s.story.id for s in page} == {s.id for s in seed_dossier.stories}
    first, _ = saved.stories_page(StoryQuery(limit=1, offset=1))
    assert [s.story.id for s in first] == [s.story.id for s in page[1:2]]
    outlets = {
        s.id: len({a.outlet for a in seed_dossier.articles if a.id in s.article_ids} - {None})
        for s in seed_dossier.stories
    }
    assert {s.story.id: s.outlets for s in page} == outlets
    matched, n = saved.stories_page(StoryQuery(limit=100, match='"Umerov"'))
    assert n == len(matched) and matched
    entity = max(seed_dossier.entities, key=lambda e: len(e.mentions))
    by_entity, _ = saved.stories_page(StoryQuery(limit=100, entity=entity.id))
    assert [s.story.id for s in by_entity] == [
        s.story.id for s in page if s.story.id in saved.entity_story_ids(entity.id)
    ]


def test_redirects(saved: Store, seed_dossier: Dossier) -> None:
    story = seed_dossier.stories[0]
    saved.add_redirects(
        [StoryMerge("s-old", "s-mid", None, None), StoryMerge("s-mid", story.id, "a", "2024")]
    )
    assert saved.resolve_story_id("s-old") == story.id  # no chains
    assert saved.story("s-old") == story
    assert [m.old_id for m in saved.redirects()] == ["s-mid", "s-old"]


def test_fts5_expressions_become_bound_tsqueries() -> None:
    expression, words = _tsquery('("Rustem Umerov" OR Umyerov) NOT "x\'; DROP TABLE articles; --"')
    assert words == ["Rustem Umerov", "Umyerov", "x'; DROP TABLE articles; --"]
    assert "DROP" not in expression.as_string(None)
    for bad in ("", "(a", "a)", "OR", '"a'):
        with pytest.raises(StoreError, match="bad search query"):
            _tsquery(bad)


def test_a_failed_migration_leaves_no_half_schema(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A migration is one transaction, DDL included: a run killed or failing in the middle
    of one leaves the schema as it was, and the next open migrates cleanly."""
    import newsweave.store as sqlite_store
    import newsweave.store_postgres as pg_store

    name = "PG_MIGRATIONS" if is_server_url(db) else "MIGRATIONS"
    module = pg_store if is_server_url(db) else sqlite_store
    good = getattr(module, name)
    monkeypatch.setattr(module, name, (good[0] + ["CREATE TABLE articles (broken TEXT)"], *good[1:]))
    with pytest.raises(StoreError, match="cannot open"):
        open_store_url(db)
    monkeypatch.setattr(module, name, good)
    with open_store_url(db) as store:
        assert store.schema_version() == len(MIGRATIONS)
        assert store.count("articles") == 0


def test_the_api_and_web_pages_answer_alike_on_both_backends(
    db: str, seed_dossier: Dossier, tmp_path: Path
) -> None:
    """create_app over a PostgreSQL URL serves what it serves over a SQLite file."""
    from fastapi.testclient import TestClient

    from newsweave.api import create_app

    reference = str(tmp_path / "reference.db")
    for target in {db, reference}:
        with open_store_url(target) as opened:
            opened.save(seed_dossier)
    story = seed_dossier.stories[0]
    entity = max(seed_dossier.entities, key=lambda e: len(e.mentions))
    api = [
        "/api/stories",
        f"/api/stories/{story.id}",
        f"/api/articles/{story.article_ids[0]}",
        f"/api/claims/{seed_dossier.claims[0].id}",
        "/api/entities?q=Umerov",
        f"/api/entities/{entity.id}",
        "/api/search?q=Umerov",
        f"/api/stories?entity={entity.id}",
    ]
    pages = ["/", f"/stories/{story.id}", f"/articles/{story.article_ids[0]}", f"/entities/{entity.id}"]
    answers = []
    for target in (db, reference):
        with TestClient(create_app(target)) as client:
            got = [client.get(p) for p in api + pages]
            assert all(r.status_code == 200 for r in got), [(r.url, r.status_code) for r in got]
            answers.append([r.json() for r in got[: len(api)]] + [r.text for r in got[len(api) :]])
    # snippets are cut by each database's own headline function, and ranks differ
    # (BM25 against ts_rank): same hits, each snippet holding a term
    searches = [answer[6] for answer in answers]
    for search in searches:
        for hit in search["articles"]:
            snippet = hit.pop("snippet").lower()
            assert any(t.lower() in snippet for t in search["terms"])
        search["articles"].sort(key=lambda hit: hit["id"])
    assert answers[0] == answers[1]


def test_a_date_inferred_later_replaces_the_stored_one(saved: Store, seed_dossier: Dossier) -> None:
    undated = next(a for a in seed_dossier.articles if a.published_inferred or a.published is None)
    others = tuple(a for a in seed_dossier.articles if a.id != undated.id)
    as_first_stored = dataclasses.replace(undated, published=None, published_inferred=False)
    saved.save(dataclasses.replace(seed_dossier, articles=(*others, as_first_stored)))
    assert saved.article(undated.id).published is None
    inferred = dataclasses.replace(undated, published="2024-11-05", published_inferred=True)
    saved.save(dataclasses.replace(seed_dossier, articles=(*others, inferred)))
    stored = saved.article(undated.id)
    assert (stored.published, stored.published_inferred) == ("2024-11-05", True)
    assert {a.id: a.published for a in saved.load().articles if a.id != undated.id} == {
        a.id: a.published for a in others
    }


#: A store back at schema 3: its quantities without the per-unit column.
_BEFORE_MIGRATION_4 = [
    'ALTER TABLE "quantities" DROP COLUMN "per"',
    "DELETE FROM schema_version WHERE version = 4",
]


def test_migration_4_reads_stored_quantities_as_totals(saved: Store, db: str, seed_dossier: Dossier) -> None:
    """A store written at schema 3 keeps its quantities, each a total (``per=""``), and
    then stores what a quantity counts per unit."""
    per_unit = [q for q in seed_dossier.quantities if q.per]
    assert per_unit, "the seeds have a per-unit amount ('each of which will consist of about 3,000 troops')"
    saved.close()
    _execute(db, _BEFORE_MIGRATION_4)
    with open_store_url(db) as store:
        assert store.schema_version() == len(MIGRATIONS)
        loaded = store.load().quantities
        assert loaded == tuple(dataclasses.replace(q, per="") for q in seed_dossier.quantities)
        store.save(seed_dossier)
        assert store.load().quantities == seed_dossier.quantities


def _execute(db: str, statements: list[str]) -> None:
    """Raw SQL on a store's database, outside the Store (to build an older schema)."""
    if is_server_url(db):
        with psycopg.connect(db, autocommit=True) as conn:
            for statement in statements:
                conn.execute(typing.cast(Any, statement))
    else:
        with contextlib.closing(sqlite3.connect(db)) as conn, conn:
            for statement in statements:
                conn.execute(statement)


def test_migration_3_indexes_the_entities_a_store_already_holds(
    saved: Store, db: str, seed_dossier: Dossier
) -> None:
    """A store written at schema 2 gets its article -> entity index from its own entities."""
    saved.close()
    _execute(
        db,
        [*_BEFORE_MIGRATION_4, "DROP TABLE entity_articles", "DELETE FROM schema_version WHERE version = 3"],
    )
    article = seed_dossier.articles[0].id
    expected = {e.id for e in seed_dossier.entities if any(m.article == article for m in e.mentions)}
    assert expected
    with open_store_url(db) as store:
        assert store.schema_version() == len(MIGRATIONS)
        found = list(store.entities_of_article(article))
    assert {e.id for e in found} == expected
    assert all(m.article == article for e in found for m in e.mentions)


def test_records_read_back_by_article_in_the_dossiers_order(saved: Store, seed_dossier: Dossier) -> None:
    ids = sorted({a.id for a in seed_dossier.articles})[::2]
    for name in ARTICLE_TABLES:
        mine = [r for r in getattr(seed_dossier, name) if r.article in ids]
        assert saved.of_articles(name, list(reversed(ids))) == mine
    with pytest.raises(ValueError, match="claims"):
        saved.of_articles("claims", ids)


def _story_views_of(entities: tuple[Entity, ...]) -> list[Entity]:
    """Each entity cut into parts as stories would give them (its mentions of one article
    each, with their spellings as aliases), in a shuffled order."""
    parts = [
        dataclasses.replace(e, aliases=tuple(sorted({m.text for m in group})), mentions=tuple(group))
        for e in entities
        for group in (list(g) for _article, g in itertools.groupby(e.mentions, key=lambda m: m.article))
    ]
    random.Random(7).shuffle(parts)
    return parts


def test_parts_joined_by_the_store_give_the_entities_a_run_would_hold(db: str, seed_dossier: Dossier) -> None:
    """Entities written story by story as parts and joined by the store at the end are
    those the run's ``combined`` gives, in its order, with the index of which articles
    each is mentioned in; quotes given in any order are sorted into the dossier's; a run
    that dies before its save leaves the previous ones."""
    resolve = Resolve()
    parts = _story_views_of(seed_dossier.entities)
    assert len(parts) > len(seed_dossier.entities)  # some entities are in several articles
    order = resolve.joins("entities")
    assert order is not None
    with open_store_url(db) as store:
        store.save(dataclasses.replace(seed_dossier, entities=seed_dossier.entities[:3]))
    with open_store_url(db) as store:  # dies after its parts are given
        store.replace_results(["entities"])
        store.add_parts("entities", parts)
    quotes = list(seed_dossier.quotes)
    random.Random(7).shuffle(quotes)
    by_offset = resolve.sorts("quotes")
    assert by_offset is not None and resolve.sorts("entities") is None
    with open_store_url(db) as store:
        assert tuple(store.iter("entities")) == seed_dossier.entities[:3]
        store.replace_results(["entities", "quotes"])
        store.add_parts("entities", parts[:5])
        store.add_parts("quotes", quotes)
        assert tuple(store.iter("quotes")) == seed_dossier.quotes  # the stored ones until joined
        store.add_parts("entities", parts[5:])
        store.join_parts("entities", order, functools.partial(resolve.joined, "entities"))
        store.join_parts("quotes", by_offset, None)
        store.save(dataclasses.replace(seed_dossier, entities=(), quotes=()), kept=["entities", "quotes"])
    with open_store_url(db) as store:
        assert store.load() == seed_dossier
        assert seed_dossier.entities == resolve.combined("entities", parts)
        article = seed_dossier.articles[0].id
        expected = {e.id for e in seed_dossier.entities if any(m.article == article for m in e.mentions)}
        assert {e.id for e in store.entities_of_article(article)} == expected
        with pytest.raises(ValueError, match="order"):
            store.join_parts("entities", ("name", "type"), functools.partial(resolve.joined, "entities"))


def test_results_written_as_they_come_are_saved_or_dropped_together(db: str, seed_dossier: Dossier) -> None:
    """Per-story results replaced during a run reach readers only with the run's save, and
    are dropped with a run that never saves."""
    claims = seed_dossier.claims
    assert len(claims) > 2
    with open_store_url(db) as store:
        store.save(dataclasses.replace(seed_dossier, claims=claims[:1]))
    with open_store_url(db) as store:  # a run that dies after writing some results
        store.replace_results(["claims"])
        store.add_results("claims", claims[1:2])
    with open_store_url(db) as store:
        assert tuple(store.iter("claims")) == claims[:1]
        store.replace_results(["claims"])
        store.add_results("claims", claims[:2])
        store.add_results("claims", claims[2:])
        with open_store_url(db) as other:  # another reader sees the previous ones meanwhile
            assert tuple(other.iter("claims")) == claims[:1]
        store.save(dataclasses.replace(seed_dossier, claims=()), kept=["claims"])
    with open_store_url(db) as store:
        assert store.load() == seed_dossier
