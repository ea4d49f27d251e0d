"""Store: the only module that touches the database.

SQLite by default (stdlib ``sqlite3``, WAL mode, FTS5 on article text), with a
schema version table and ordered migrations. Every record type of
:mod:`newsweave.model` has one table whose columns are the record's fields;
tuples of values or records are stored as JSON. Identifiers in SQL come only
from those field names (our code), values are always bound parameters.

``save`` writes a whole dossier in one transaction: articles are added (their
ids are content hashes, so a re-run adds nothing), derived results replace the
previous ones. A crash mid-write leaves the previous state intact. During a run,
``add_batch`` adds each ingest batch's new articles and per-article records in a
transaction of its own, so a killed run keeps its finished batches.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any

from .errors import NotFoundError, StoreError
from .model import (
    Article,
    BriefSentence,
    Claim,
    DateMention,
    Discrepancy,
    Dossier,
    Entity,
    Mention,
    Quantity,
    Quote,
    Rejection,
    Relay,
    Reuse,
    Sentence,
    Story,
    StoryMerge,
    TimelineEntry,
    field_hints,
    from_dict,
    to_dict,
)

SCHEMA_VERSION = 2

#: Dossier field -> (table, record type). Articles first: the rest refer to them.
TABLES: dict[str, tuple[str, type[Any]]] = {
    "articles": ("articles", Article),
    "rejected": ("rejected", Rejection),
    "reuse": ("reuse", Reuse),
    "relays": ("relays", Relay),
    "sentences": ("sentences", Sentence),
    "mentions": ("mentions", Mention),
    "dates": ("dates", DateMention),
    "quantities": ("quantities", Quantity),
    "quotes": ("quotes", Quote),
    "stories": ("stories", Story),
    "entities": ("entities", Entity),
    "claims": ("claims", Claim),
    "discrepancies": ("discrepancies", Discrepancy),
    "timeline": ("timeline", TimelineEntry),
    "brief": ("brief", BriefSentence),
}
#: Tables whose rows belong to one article (column ``article``).
ARTICLE_TABLES = ("relays", "sentences", "mentions", "dates", "quantities", "quotes")
#: Per-article fields a run reads back from the store story by story instead of holding
#: them for the whole corpus (:meth:`Store.of_articles`): extract's records, which ingest
#: writes batch by batch. Resolve rewrites quotes (it links their speakers), as parts the
#: store sorts into place once every story has been read (:data:`JOINED_AS_THEY_COME`).
READ_BACK = ("sentences", "mentions", "dates", "quantities", "quotes")
#: Per-story fields a run writes story by story as the per-story stages give them
#: (:meth:`Store.add_results`) instead of holding them for the run's save, which commits
#: them with the rest (a run that dies before leaves the previous ones).
WRITTEN_AS_THEY_COME = ("claims", "discrepancies", "timeline", "brief")
#: Per-story fields whose records join by id across stories (an entity's mentions from each
#: story) or are sorted across them (resolve's quotes and relays, by article), which a run
#: writes story by story as parts (:meth:`Store.add_parts`, a temporary table) and the store
#: joins or sorts once every story has given its own (:meth:`Store.join_parts`).
JOINED_AS_THEY_COME = ("entities", "quotes", "relays")
#: Joined records per insert of :meth:`Store.join_parts`.
JOIN_BATCH = 2000
#: Articles per query of :meth:`Store.of_articles` (SQLite binds at most 32,766 values).
ARTICLES_PER_QUERY = 500
#: Tables whose rows belong to one story (column ``story_id``).
STORY_TABLES = ("claims", "discrepancies", "timeline", "brief")
#: Record fields a table gained after migration 1, which a later migration adds: migration 1
#: stays the schema the first stores were made with, so old and new stores reach the same
#: columns by the same steps.
LATER_COLUMNS: dict[str, tuple[str, ...]] = {"quantities": ("per",)}


def first_columns(table: str, record: type[Any]) -> list[dataclasses.Field[Any]]:
    """The fields of ``record`` that migration 1 made columns of ``table``."""
    return [f for f in dataclasses.fields(record) if f.name not in LATER_COLUMNS.get(table, ())]


def _column_type(hint: Any) -> str:
    if hint in (int, bool, int | None, bool | None):
        return "INTEGER"
    if hint in (float, float | None):
        return "REAL"
    return "TEXT"


def _table_ddl(table: str, record: type[Any]) -> str:
    hints = typing.get_type_hints(record)
    columns = [f'"{f.name}" {_column_type(hints[f.name])}' for f in first_columns(table, record)]
    key = ", PRIMARY KEY (id)" if "id" in hints else ""
    return f'CREATE TABLE "{table}" ({", ".join(columns)}{key})'


#: SQLite's full-text table: FTS5.
_FTS5_DDL = ("CREATE VIRTUAL TABLE articles_fts USING fts5(id UNINDEXED, title, body)",)


def _migration_1(
    table_ddl: Callable[[str, type[Any]], str] = _table_ddl, search_ddl: Sequence[str] = _FTS5_DDL
) -> list[str]:
    """The record tables, story membership, the full-text table and the indexes; a backend
    passes its own table DDL and full-text table (PostgreSQL: its types and a tsvector)."""
    statements = [table_ddl(table, record) for table, record in TABLES.values()]
    statements += [
        "CREATE TABLE story_articles (story_id TEXT NOT NULL, article_id TEXT NOT NULL, "
        "PRIMARY KEY (article_id))",
        "CREATE INDEX story_articles_story ON story_articles (story_id)",
        *search_ddl,
    ]
    statements += [f'CREATE INDEX "{t}_article" ON "{t}" (article)' for t in ARTICLE_TABLES]
    statements += [f'CREATE INDEX "{t}_story" ON "{t}" (story_id)' for t in STORY_TABLES]
    return statements


#: Migration 2: story redirects. A story id that a merge or a regrouping retired points
#: at the story that took its articles, so ids once shown to users stay resolvable.
_MIGRATION_2 = [
    "CREATE TABLE story_redirects (old_id TEXT NOT NULL PRIMARY KEY, new_id TEXT NOT NULL, "
    "article_id TEXT, date TEXT)",
    "CREATE INDEX story_redirects_new ON story_redirects (new_id)",
]

#: Migration 3: which entities an article mentions, so an article page reads its entities
#: by index instead of scanning every entity's mentions (240 ms a page on a store of 10,000
#: articles before). Filled from the stored entities here, rewritten by every save.
_ENTITY_ARTICLES = [
    "CREATE TABLE entity_articles (entity_id TEXT NOT NULL, article_id TEXT NOT NULL, "
    "PRIMARY KEY (article_id, entity_id))",
]
_MIGRATION_3 = [
    *_ENTITY_ARTICLES,
    "INSERT OR IGNORE INTO entity_articles (entity_id, article_id) SELECT e.id, "
    "json_extract(m.value, '$.article') FROM entities e, json_each(e.mentions) m",
]

#: Migration 4: a quantity says what it counts per unit ("3,000 troops" each of "five
#: battalions" has ``per='battalion'``); rows stored before are totals. Portable SQL.
_MIGRATION_4 = ['ALTER TABLE "quantities" ADD COLUMN "per" TEXT NOT NULL DEFAULT \'\'']

#: Ordered migrations: MIGRATIONS[n] brings the schema from version n to n + 1.
MIGRATIONS: tuple[list[str], ...] = (_migration_1(), _MIGRATION_2, _MIGRATION_3, _MIGRATION_4)


def _encode(value: Any) -> Any:
    if isinstance(value, tuple):
        return json.dumps(to_dict(value), ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return int(value)
    return value


def _decode(record: type[Any], row: Any) -> Any:
    """A record from a row (sqlite3.Row or a mapping); tuple fields as JSON text or parsed."""
    hints = field_hints(record)
    data: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = row[f.name]
        if typing.get_origin(hints[f.name]) is tuple and isinstance(value, str):
            value = json.loads(value)
        elif hints[f.name] is bool:
            value = bool(value)
        data[f.name] = value
    return from_dict(record, data)


_COLUMN_KINDS: dict[type[Any], tuple[tuple[str, ...], frozenset[str], frozenset[str]]] = {}


def _column_kinds(record: type[Any]) -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """A record's column names, those holding JSON and those holding booleans (once per type)."""
    kinds = _COLUMN_KINDS.get(record)
    if kinds is None:
        hints = field_hints(record)
        names = tuple(f.name for f in dataclasses.fields(record))
        as_json = frozenset(n for n in names if typing.get_origin(hints[n]) is tuple)
        as_bool = frozenset(n for n in names if hints[n] in (bool, bool | None))
        kinds = _COLUMN_KINDS[record] = (names, as_json, as_bool)
    return kinds


def _plain(record: type[Any], row: sqlite3.Row) -> dict[str, Any]:
    """A row as the JSON-ready dict ``to_dict`` gives for its record, without building it."""
    names, as_json, as_bool = _column_kinds(record)
    data: dict[str, Any] = {}
    for name in names:
        value = row[name]
        if value is not None and name in as_json:
            value = json.loads(value)
        elif value is not None and name in as_bool:
            value = bool(value)
        data[name] = value
    return data


class Store:
    """A newsweave database: ``Store("newsweave.db")``; use as a context manager."""

    def __init__(self, path: str | Path, *, check_same_thread: bool = True) -> None:
        """``check_same_thread=False`` lets a pool hand the connection to one thread at a time."""
        self.path = str(path)
        try:
            self.db = sqlite3.connect(self.path, check_same_thread=check_same_thread)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path}: cannot open as a newsweave database ({exc}); "
                "pass another --db file or remove this one"
            ) from exc

    # ------------------------------------------------------------ lifecycle

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def schema_version(self) -> int:
        row = self.db.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _migrate(self) -> None:
        with self.db:
            self.db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this newsweave "
                f"({len(MIGRATIONS)}); upgrade newsweave"
            )
        for version in range(current, len(MIGRATIONS)):
            with self.db:
                # sqlite3 opens no transaction before CREATE: without this a run killed
                # mid-migration left tables without their version row (the next open failed)
                self.db.execute("BEGIN IMMEDIATE")
                if self.schema_version() > version:
                    continue  # another process migrated meanwhile
                for statement in MIGRATIONS[version]:
                    self.db.execute(statement)
                self.db.execute("INSERT INTO schema_version (version) VALUES (?)", (version + 1,))

    @contextmanager
    def writer(self) -> Iterator[None]:
        """Hold the store's writer lock from load to save (a PostgresStore's is shared by
        every process; SQLite serialises each write by itself, so here it is a no-op)."""
        yield

    # ----------------------------------------------------------------- write

    def save(self, dossier: Dossier, kept: Sequence[str] = ()) -> None:
        """Write a dossier in one transaction: new articles added, derived results replaced;
        the fields named in ``kept`` (of :data:`READ_BACK`) are left as stored."""
        try:
            with self.db:
                self._add_articles(dossier.articles)
                for name, (table, record) in TABLES.items():
                    if name == "articles" or name in kept:
                        continue
                    self.db.execute(f'DELETE FROM "{table}"')
                    self._insert(table, record, getattr(dossier, name))
                self._redirect_regrouped(dossier.stories)
                self.db.execute("DELETE FROM story_articles")
                self.db.executemany(
                    "INSERT INTO story_articles (story_id, article_id) VALUES (?, ?)",
                    ((s.id, aid) for s in dossier.stories for aid in s.article_ids),
                )
                if "entities" not in kept:  # else join_parts wrote it with them
                    self.db.execute("DELETE FROM entity_articles")
                    self._insert_entity_articles(dossier.entities)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: write failed ({exc}); nothing was saved") from exc

    def _insert_entity_articles(self, entities: Iterable[Entity]) -> None:
        self.db.executemany(
            "INSERT INTO entity_articles (entity_id, article_id) VALUES (?, ?)", entity_articles(entities)
        )

    def replace_results(self, names: Sequence[str]) -> None:
        """Start replacing the stored records of these per-story fields (of
        :data:`WRITTEN_AS_THEY_COME`, by those :meth:`add_results` gives, or of
        :data:`JOINED_AS_THEY_COME`, by those :meth:`join_parts` makes) in the transaction
        the run's :meth:`save` (``kept`` naming them) commits; until then readers see the
        previous ones, and a run that dies before leaves them. A joined field's stored
        records stay readable here too until :meth:`join_parts` (quotes are read back)."""
        try:
            for name in names:
                table = TABLES[name][0]
                if name in JOINED_AS_THEY_COME:
                    self.db.execute(f'DROP TABLE IF EXISTS temp."parts_{table}"')
                    self.db.execute(f'CREATE TEMP TABLE "parts_{table}" AS SELECT * FROM "{table}" WHERE 0')
                else:
                    self.db.execute(f'DELETE FROM "{table}"')
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: write failed ({exc}); nothing was saved") from exc

    def add_parts(self, name: str, records: Sequence[Any]) -> None:
        """Stories' records of a field of :data:`JOINED_AS_THEY_COME` that
        :meth:`replace_results` is replacing, in any order: held in a temporary table."""
        table, record = TABLES[name]
        try:
            self._insert(f"parts_{table}", record, records)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: write failed ({exc}); nothing was saved") from exc

    def join_parts(
        self, name: str, order: Sequence[str], join: Callable[[Sequence[Any]], Any] | None
    ) -> None:
        """The stored records of a field :meth:`add_parts` was given replaced by its parts,
        sorted by the attributes ``order`` (then as given); with ``join``, each id's parts
        (``id`` last in ``order``) joined into one, a batch at a time. The parts are dropped."""
        table, record = TABLES[name]
        keys = ", ".join(f'"{key}"' for key in join_order(record, order, joined=join is not None))
        parts = f'temp."parts_{table}"'
        try:
            self.db.execute(f'DELETE FROM "{table}"')
            if join is None:
                columns = ", ".join(f'"{f.name}"' for f in dataclasses.fields(record))
                self.db.execute(
                    f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM {parts} ORDER BY {keys}, rowid'
                )
            else:
                if name == "entities":
                    self.db.execute("DELETE FROM entity_articles")
                rows = self.db.execute(f"SELECT * FROM {parts} ORDER BY {keys}, rowid")
                for batch in joined_batches((_decode(record, row) for row in rows), join):
                    self._insert(table, record, batch)
                    if name == "entities":
                        self._insert_entity_articles(batch)
            self.db.execute(f"DROP TABLE {parts}")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: write failed ({exc}); nothing was saved") from exc

    def add_results(self, name: str, records: Sequence[Any]) -> None:
        """Records of a field :meth:`replace_results` is replacing, in the dossier's order."""
        table, record = TABLES[name]
        try:
            self._insert(table, record, records)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: write failed ({exc}); nothing was saved") from exc

    def add_batch(self, batch: Dossier) -> None:
        """Add one ingest batch in one transaction: its articles not yet stored, their
        per-article records, and its rejections (the engine passes only unseen ones).
        Derived results are left as they are until the run's ``save``."""
        try:
            with self.db:
                added = {a.id for a in self._add_articles(batch.articles)}
                for name in ARTICLE_TABLES:
                    table, record = TABLES[name]
                    self._insert(table, record, (r for r in getattr(batch, name) if r.article in added))
                self._insert("rejected", Rejection, batch.rejected)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: write failed ({exc}); the batch was not saved") from exc

    def _redirect_regrouped(self, stories: Sequence[Story]) -> None:
        """Before stories are replaced: each stored story id that the new grouping no longer
        has redirects to the new story holding most of its articles."""
        stored = self.db.execute("SELECT story_id, article_id FROM story_articles")
        self._write_redirects(regrouped(stored, stories))

    def add_redirects(self, merges: Iterable[StoryMerge]) -> None:
        """Record merges (old id -> surviving id), e.g. those of a StoryTracker."""
        try:
            with self.db:
                self._write_redirects(merges)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: write failed ({exc}); no redirect was saved") from exc

    def _write_redirects(self, merges: Iterable[StoryMerge]) -> None:
        for merge in merges:
            if merge.old_id == merge.new_id:
                continue
            # earlier redirects to the retired id now point at its successor (no chains)
            self.db.execute(
                "UPDATE story_redirects SET new_id = ? WHERE new_id = ?", (merge.new_id, merge.old_id)
            )
            self.db.execute("DELETE FROM story_redirects WHERE old_id = ?", (merge.new_id,))
            self.db.execute(
                "INSERT OR REPLACE INTO story_redirects (old_id, new_id, article_id, date) VALUES (?, ?, ?, ?)",
                (merge.old_id, merge.new_id, merge.article_id, merge.date),
            )

    def resolve_story_id(self, story_id: str) -> str:
        """The current id of a story: ``story_id`` itself, or the story it was merged into."""
        row = self.db.execute("SELECT new_id FROM story_redirects WHERE old_id = ?", (story_id,)).fetchone()
        return str(row[0]) if row else story_id

    def redirects(self) -> list[StoryMerge]:
        """Every recorded redirect, by old id."""
        rows = self.db.execute("SELECT old_id, new_id, article_id, date FROM story_redirects ORDER BY old_id")
        return [StoryMerge(*row) for row in rows]

    def _add_articles(self, articles: Sequence[Article]) -> list[Article]:
        """Insert the articles not stored yet (returned), update the dates of the others."""
        known = {row[0]: (row[1], bool(row[2])) for row in self.db.execute(_KNOWN_DATES)}
        new = [a for a in articles if a.id not in known]
        self._insert("articles", Article, new)
        self.db.executemany(_UPDATE_DATE, _redated(articles, known))
        self.db.executemany(
            "INSERT INTO articles_fts (id, title, body) VALUES (?, ?, ?)",
            ((a.id, a.title or "", a.text) for a in new),
        )
        return new

    def _insert(self, table: str, record: type[Any], rows: Iterable[Any]) -> None:
        names = [f.name for f in dataclasses.fields(record)]
        columns = ", ".join(f'"{n}"' for n in names)
        marks = ", ".join("?" for _ in names)
        self.db.executemany(
            f'INSERT INTO "{table}" ({columns}) VALUES ({marks})',
            ([_encode(getattr(row, n)) for n in names] for row in rows),
        )

    # ------------------------------------------------------------------ read

    def load(self, without: Sequence[str] = ()) -> Dossier:
        """The stored dossier (for the engine's next run), but for the fields ``without``."""
        fields = {name: tuple(self.iter(name)) for name in TABLES if name not in without}
        return Dossier(**fields)

    def of_articles(self, name: str, article_ids: Sequence[str]) -> list[Any]:
        """The records of one per-article field of these articles, in the dossier's order
        (by article id, then as stored)."""
        table, record = TABLES[name]
        if name not in ARTICLE_TABLES:
            raise ValueError(f"{name} rows do not belong to one article")
        found: list[Any] = []
        for start in range(0, len(article_ids), ARTICLES_PER_QUERY):
            chunk = tuple(article_ids[start : start + ARTICLES_PER_QUERY])
            query = f'SELECT * FROM "{table}" WHERE article IN ({", ".join("?" * len(chunk))}) ORDER BY rowid'
            found.extend(_decode(record, row) for row in self.db.execute(query, chunk))
        return sorted(found, key=lambda r: r.article)  # stable: as stored within an article

    def iter(self, name: str, story_id: str | None = None, *, plain: bool = False) -> Iterator[Any]:
        """Records of one dossier field in a stable order, optionally of one story only.

        Rows are read with a cursor, one at a time, so a large corpus is never
        held whole in memory. ``plain=True`` yields each as the dict
        :func:`~newsweave.model.to_dict` would give (the HTTP API's fast path:
        a third of the time of building records and converting them back).
        """
        if name == "entities" and story_id is not None:
            yield from (to_dict(e) if plain else e for e in self._story_entities(story_id))
            return
        found = field_query(name, story_id)
        if found is None:  # rejected records belong to no story
            return
        query, params = found
        record = TABLES[name][1]
        decode = _plain if plain else _decode
        for row in self.db.execute(query, params):
            yield decode(record, row)

    def _story_entities(self, story_id: str) -> Iterator[Entity]:
        members = set(self.article_ids(story_id))
        for entity in self.iter("entities"):
            mentions = tuple(m for m in entity.mentions if m.article in members)
            if mentions:
                yield dataclasses.replace(entity, mentions=mentions)

    def article_ids(self, story_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY article_id", (story_id,)
        )
        return [row[0] for row in rows]

    def story_of_articles(self) -> dict[str, str]:
        """Article id -> story id."""
        return {row[0]: row[1] for row in self.db.execute("SELECT article_id, story_id FROM story_articles")}

    def story(self, story_id: str) -> Story:
        for story in self.iter("stories", self.resolve_story_id(story_id)):
            return typing.cast(Story, story)
        raise NotFoundError(
            f"{self.path}: no story {story_id!r}; `newsweave stories` lists the stored stories"
        )

    # ------------------------------------------- read: single records for the web pages

    def article(self, article_id: str) -> Article:
        """One article by id."""
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"{self.path}: no article {article_id!r}")
        return typing.cast(Article, _decode(Article, row))

    def of_article(self, name: str, article_id: str) -> Iterator[Any]:
        """Records of one per-article field (``mentions``, ``dates``, ``quotes``, ...) of one article."""
        table, record = TABLES[name]
        if name not in ARTICLE_TABLES:
            raise ValueError(f"{name} rows do not belong to one article")
        for row in self.db.execute(
            f'SELECT * FROM "{table}" WHERE article = ? ORDER BY rowid', (article_id,)
        ):
            yield _decode(record, row)

    def reuse_of(self, article_id: str) -> Iterator[Reuse]:
        """Reuse records in which one article takes part."""
        for row in self.db.execute(
            "SELECT * FROM reuse WHERE a = ? OR b = ? ORDER BY rowid", (article_id,) * 2
        ):
            yield typing.cast(Reuse, _decode(Reuse, row))

    def entity(self, entity_id: str) -> Entity:
        """One entity by id."""
        row = self.db.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"{self.path}: no entity {entity_id!r}")
        return typing.cast(Entity, _decode(Entity, row))

    def entities_of_article(self, article_id: str) -> Iterator[Entity]:
        """Entities mentioned in one article, with only that article's mentions."""
        for row in self.db.execute(ENTITIES_OF_ARTICLE, (article_id,)):
            yield from _entity_in_article(row, article_id)

    def entity_names(self) -> Iterator[tuple[str, str, str, tuple[str, ...], int]]:
        """(id, name, type, aliases, mention count) of every entity, without decoding mentions."""
        query = "SELECT id, name, type, aliases, json_array_length(mentions) FROM entities ORDER BY rowid"
        for row in self.db.execute(query):
            yield row[0], row[1], row[2], tuple(json.loads(row[3] or "[]")), int(row[4] or 0)

    def entity_index(self) -> Iterator[tuple[str, str, str, tuple[str, ...], int]]:
        """(id, type, name, aliases, number of stories mentioning it) of every entity,
        most widely reported first, then by type and name."""
        query = (
            "SELECT e.id, e.type, e.name, e.aliases, (SELECT count(DISTINCT sa.story_id) "
            "FROM json_each(e.mentions) m JOIN story_articles sa "
            "ON sa.article_id = json_extract(m.value, '$.article')) AS stories "
            "FROM entities e ORDER BY stories DESC, e.type, e.name, e.id"
        )
        for row in self.db.execute(query):
            yield row[0], row[1], row[2], tuple(json.loads(row[3] or "[]")), int(row[4] or 0)

    def story_source_counts(self) -> dict[str, int]:
        """Story id -> the most independent sources any of its claims has."""
        rows = self.db.execute("SELECT story_id, max(independent_sources) FROM claims GROUP BY story_id")
        return {row[0]: int(row[1] or 0) for row in rows}

    def count(self, name: str) -> int:
        table, _record = TABLES[name]
        return int(self.db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])

    def search(self, query: str, limit: int = 20) -> list[str]:
        """Ids of articles matching an FTS5 query, best first."""
        try:
            rows = self.db.execute(
                "SELECT id FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                (query, limit),
            )
            return [row[0] for row in rows]
        except sqlite3.OperationalError as exc:
            raise StoreError(f'bad search query {query!r} ({exc}); quote phrases with "..."') from exc

    # ----------------------------------------------------- read: pages for the HTTP API

    def claim(self, claim_id: str) -> Claim:
        """One claim by id."""
        row = self.db.execute("SELECT * FROM claims WHERE id = ?", (claim_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"{self.path}: no claim {claim_id!r}")
        return typing.cast(Claim, _decode(Claim, row))

    def stories_page(self, query: StoryQuery) -> tuple[list[StorySummary], int]:
        """One page of stories matching ``query``, latest first, and how many match in all."""
        where, params = _story_filter(query)
        total = int(self.db.execute(f"SELECT count(*) FROM stories s WHERE {where}", params).fetchone()[0])
        # the page is cut first, so the counts are computed for its rows only
        # (9,200 stories: 150 ms -> 28 ms for a page of 100)
        latest = "ORDER BY coalesce(s.last_date, s.first_date) DESC, s.id"
        rows = self.db.execute(
            "SELECT s.*, (SELECT count(DISTINCT a.outlet) FROM story_articles sa "
            "JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = s.id) AS n_outlets, "
            "(SELECT max(c.independent_sources) FROM claims c WHERE c.story_id = s.id) AS n_sources "
            f"FROM (SELECT * FROM stories s WHERE {where} {latest} LIMIT ? OFFSET ?) s {latest}",
            (*params, query.limit, query.offset),
        )
        page = [
            StorySummary(_decode(Story, row), int(row["n_outlets"] or 0), int(row["n_sources"] or 0))
            for row in rows
        ]
        return page, total

    def search_page(self, match: str, limit: int, offset: int = 0) -> tuple[list[SearchHit], int]:
        """Articles matching an FTS5 expression, best first, with a snippet, and the total."""
        try:
            count_query = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
            counted = self.db.execute(count_query, (match,))
            total = int(counted.fetchone()[0])
            rows = self.db.execute(
                "SELECT f.id, f.title, snippet(articles_fts, 2, '', '', '…', 24) AS snippet, sa.story_id "
                "FROM articles_fts f LEFT JOIN story_articles sa ON sa.article_id = f.id "
                "WHERE articles_fts MATCH ? ORDER BY f.rank LIMIT ? OFFSET ?",
                (match, limit, offset),
            )
            hits = [SearchHit(row[0], row[1] or None, row[2], row[3]) for row in rows]
        except sqlite3.OperationalError as exc:
            raise StoreError(f'bad search query {match!r} ({exc}); quote phrases with "..."') from exc
        return hits, total

    def story_of_article(self, article_id: str) -> str | None:
        """The id of the story an article belongs to, if any."""
        query = "SELECT story_id FROM story_articles WHERE article_id = ?"
        row = self.db.execute(query, (article_id,)).fetchone()
        return None if row is None else str(row[0])

    def entity_story_ids(self, entity_id: str) -> list[str]:
        """Ids of the stories whose articles mention an entity."""
        rows = self.db.execute(
            "SELECT DISTINCT sa.story_id FROM entities e, json_each(e.mentions) m "
            "JOIN story_articles sa ON sa.article_id = json_extract(m.value, '$.article') "
            "WHERE e.id = ? ORDER BY sa.story_id",
            (entity_id,),
        )
        return [row[0] for row in rows]


@dataclasses.dataclass(frozen=True, slots=True)
class StoryQuery:
    """A page of stories: dates overlap ``date_from``..``date_to`` (ISO days), optionally
    only stories mentioning an entity id or whose articles match an FTS5 expression."""

    limit: int = 20
    offset: int = 0
    date_from: str | None = None
    date_to: str | None = None
    entity: str | None = None
    match: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class StorySummary:
    """A story with its counts for a listing: distinct outlets, and the most
    independent sources any of its claims has."""

    story: Story
    outlets: int
    independent_sources: int


@dataclasses.dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: str
    title: str | None
    snippet: str
    story_id: str | None


def _story_filter(query: StoryQuery) -> tuple[str, tuple[str, ...]]:
    """The WHERE clause (our text only) and its bound values for a story query."""
    clauses: list[str] = ["1 = 1"]
    params: list[str] = []
    if query.date_from is not None:
        clauses.append("substr(coalesce(s.last_date, s.first_date), 1, 10) >= ?")
        params.append(query.date_from)
    if query.date_to is not None:
        clauses.append("substr(coalesce(s.first_date, s.last_date), 1, 10) <= ?")
        params.append(query.date_to)
    if query.entity is not None:
        clauses.append(
            "s.id IN (SELECT sa.story_id FROM entities e, json_each(e.mentions) m "
            "JOIN story_articles sa ON sa.article_id = json_extract(m.value, '$.article') WHERE e.id = ?)"
        )
        params.append(query.entity)
    if query.match is not None:
        clauses.append(
            "s.id IN (SELECT sa.story_id FROM articles_fts f JOIN story_articles sa "
            "ON sa.article_id = f.id WHERE articles_fts MATCH ?)"
        )
        params.append(query.match)
    return " AND ".join(clauses), tuple(params)


def regrouped(stored: Iterable[tuple[str, str]], stories: Sequence[Story]) -> list[StoryMerge]:
    """Redirects for a regrouping: each stored story id (from ``(story_id, article_id)``
    rows) that ``stories`` no longer has goes to the new story holding most of its
    articles (ties: the smaller id)."""
    new_of = {aid: s.id for s in stories for aid in s.article_ids}
    kept = {s.id for s in stories}
    moved: dict[str, dict[str, int]] = {}
    for old_id, article_id in stored:
        if old_id not in kept and article_id in new_of:
            votes = moved.setdefault(old_id, {})
            votes[new_of[article_id]] = votes.get(new_of[article_id], 0) + 1
    return [
        StoryMerge(old_id, min(votes, key=lambda n: (-votes[n], n)), None, None)
        for old_id, votes in sorted(moved.items())
    ]


def field_query(name: str, story_id: str | None) -> tuple[str, tuple[str, ...]] | None:
    """The query (``?`` placeholders) reading one dossier field in its stable order, of one
    story only when ``story_id`` is given; None for a field that belongs to no story.
    Entities of a story are not one query (their mentions are filtered): the store does that."""
    table, _record = TABLES[name]
    order = _order(name)
    if story_id is None:
        return f'SELECT * FROM "{table}" ORDER BY {order}', ()
    if name == "articles":
        return (
            "SELECT a.* FROM articles a JOIN story_articles s ON s.article_id = a.id "
            f"WHERE s.story_id = ? ORDER BY {order}",
            (story_id,),
        )
    if name in ARTICLE_TABLES:
        return (
            f'SELECT t.* FROM "{table}" t JOIN story_articles s ON s.article_id = t.article '
            f"WHERE s.story_id = ? ORDER BY {_order(name, 't.')}",
            (story_id,),
        )
    if name in STORY_TABLES:
        return f'SELECT * FROM "{table}" WHERE story_id = ? ORDER BY {order}', (story_id,)
    if name == "stories":
        return f"SELECT * FROM stories WHERE id = ? ORDER BY {order}", (story_id,)
    if name == "reuse":
        return (
            "SELECT * FROM reuse WHERE a IN (SELECT article_id FROM story_articles WHERE story_id = ?) "
            f"OR b IN (SELECT article_id FROM story_articles WHERE story_id = ?) ORDER BY {order}",
            (story_id, story_id),
        )
    return None


#: The entities of one article, through the entity_articles index (migration 3).
ENTITIES_OF_ARTICLE = (
    "SELECT e.* FROM entities e JOIN entity_articles x ON x.entity_id = e.id "
    "WHERE x.article_id = ? ORDER BY e.rowid"
)


def join_order(record: type[Any], order: Sequence[str], joined: bool = True) -> list[str]:
    """The columns ``record``'s parts are sorted by (``order``, checked to name the
    record's fields, ``id`` last if they are joined: they go into SQL as identifiers)."""
    names = {f.name for f in dataclasses.fields(record)}
    if not order or (joined and order[-1] != "id") or not set(order) <= names:
        raise ValueError(f"{record.__name__} cannot be joined or sorted in the order {tuple(order)}")
    return list(order)


def joined_batches(parts: Iterable[Any], join: Callable[[Sequence[Any]], Any]) -> Iterator[list[Any]]:
    """Each id's run of consecutive ``parts`` joined, in batches of :data:`JOIN_BATCH`."""
    batch: list[Any] = []
    for _id, shown in groupby(parts, key=attrgetter("id")):
        batch.append(join(list(shown)))
        if len(batch) >= JOIN_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def entity_articles(entities: Iterable[Entity]) -> list[tuple[str, str]]:
    """(entity id, article id) for every article an entity is mentioned in, once each."""
    return sorted({(e.id, m.article) for e in entities for m in e.mentions})


def _entity_in_article(row: Any, article_id: str) -> Iterator[Entity]:
    """An entity row with only one article's mentions, filtered before they are decoded
    (an entity of a large corpus has thousands)."""
    data = {f.name: row[f.name] for f in dataclasses.fields(Entity)}
    mentions = [m for m in json.loads(data["mentions"] or "[]") if m.get("article") == article_id]
    if mentions:
        yield typing.cast(Entity, _decode(Entity, data | {"mentions": mentions}))


#: An article's content never changes (its id hashes it), but its date may: one inferred
#: from its story in a later run replaces the stored one (and a stated date is never touched,
#: since the engine infers only for undated articles).
_KNOWN_DATES = "SELECT id, published, published_inferred FROM articles"
_UPDATE_DATE = "UPDATE articles SET published = ?, published_inferred = ? WHERE id = ?"


def _redated(
    articles: Iterable[Article], known: dict[str, tuple[str | None, bool]]
) -> list[tuple[str | None, int, str]]:
    """(published, published_inferred as stored, id) of the stored articles whose date changed."""
    return [
        (a.published, _encode(a.published_inferred), a.id)
        for a in articles
        if a.id in known and known[a.id] != (a.published, a.published_inferred)
    ]


#: Row order per field. Articles in the engine's order; every other table in the
#: order the stages produced it (rowid), so a load gives back exactly what was saved; the
#: fields a run reads back, which ingest writes batch by batch and a save leaves as they
#: are, by article first (the dossier's order, whatever batches the rows came in).
_ORDER_COLUMNS: dict[str, tuple[str, ...]] = {name: ("rowid",) for name in TABLES}
_ORDER_COLUMNS["articles"] = ("source", "id")
_ORDER_COLUMNS.update((name, ("article", "rowid")) for name in READ_BACK)


def _order(name: str, alias: str = "") -> str:
    return ", ".join(f"{alias}{column}" for column in _ORDER_COLUMNS[name])


#: ``--db`` values that name a PostgreSQL server rather than a SQLite file.
SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server_url(db: str | Path) -> bool:
    """Whether ``db`` is a PostgreSQL connection URL (else a SQLite file path)."""
    return str(db).startswith(SERVER_SCHEMES)


def open_store_url(db: str | Path, *, check_same_thread: bool = True) -> Store:
    """The store ``db`` names: a PostgresStore for ``postgresql://…``, else a SQLite Store."""
    if is_server_url(db):
        from .store_postgres import PostgresStore  # psycopg only for those who use it

        return PostgresStore(str(db), check_same_thread=check_same_thread)
    return Store(db, check_same_thread=check_same_thread)
