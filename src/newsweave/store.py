"""Store: the only module that touches the database.

SQLite by default (stdlib ``sqlite3``, WAL mode, FTS5 on article text), with a
schema version table and ordered migrations. Every record type of
:mod:`newsweave.model` has one table whose columns are the record's fields;
tuples of values or records are stored as JSON. Identifiers in SQL come only
from those field names (our code), values are always bound parameters.

``save`` writes a whole dossier in one transaction: articles are added (their
ids are content hashes, so a re-run adds nothing), derived results replace the
previous ones. A crash mid-write leaves the previous state intact.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import typing
from collections.abc import Iterable, Iterator, Sequence
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
    TimelineEntry,
    from_dict,
    to_dict,
)

SCHEMA_VERSION = 1

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
#: Tables whose rows belong to one story (column ``story_id``).
STORY_TABLES = ("claims", "discrepancies", "timeline", "brief")


def _column_type(hint: Any) -> str:
    if hint in (int, bool, int | None, bool | None):
        return "INTEGER"
    if hint in (float, float | None):
        return "REAL"
    return "TEXT"


def _table_ddl(table: str, record: type[Any]) -> str:
    hints = typing.get_type_hints(record)
    columns = [f'"{f.name}" {_column_type(hints[f.name])}' for f in dataclasses.fields(record)]
    key = ", PRIMARY KEY (id)" if "id" in hints else ""
    return f'CREATE TABLE "{table}" ({", ".join(columns)}{key})'


def _migration_1() -> list[str]:
    statements = [_table_ddl(table, record) for table, record in TABLES.values()]
    statements += [
        "CREATE TABLE story_articles (story_id TEXT NOT NULL, article_id TEXT NOT NULL, "
        "PRIMARY KEY (article_id))",
        "CREATE INDEX story_articles_story ON story_articles (story_id)",
        "CREATE VIRTUAL TABLE articles_fts USING fts5(id UNINDEXED, title, body)",
    ]
    statements += [f'CREATE INDEX "{t}_article" ON "{t}" (article)' for t in ARTICLE_TABLES]
    statements += [f'CREATE INDEX "{t}_story" ON "{t}" (story_id)' for t in STORY_TABLES]
    return statements


#: Ordered migrations: MIGRATIONS[n] brings the schema from version n to n + 1.
MIGRATIONS: tuple[list[str], ...] = (_migration_1(),)


def _encode(value: Any) -> Any:
    if isinstance(value, tuple):
        return json.dumps(to_dict(value), ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return int(value)
    return value


def _decode(record: type[Any], row: sqlite3.Row) -> Any:
    hints = typing.get_type_hints(record)
    data: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = row[f.name]
        if typing.get_origin(hints[f.name]) is tuple and value is not None:
            value = json.loads(value)
        elif hints[f.name] is bool:
            value = bool(value)
        data[f.name] = value
    return from_dict(record, data)


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
                for statement in MIGRATIONS[version]:
                    self.db.execute(statement)
                self.db.execute("INSERT INTO schema_version (version) VALUES (?)", (version + 1,))

    # ----------------------------------------------------------------- write

    def save(self, dossier: Dossier) -> None:
        """Write a dossier in one transaction: new articles added, derived results replaced."""
        try:
            with self.db:
                self._add_articles(dossier.articles)
                for name, (table, record) in TABLES.items():
                    if name == "articles":
                        continue
                    self.db.execute(f'DELETE FROM "{table}"')
                    self._insert(table, record, getattr(dossier, name))
                self.db.execute("DELETE FROM story_articles")
                self.db.executemany(
                    "INSERT INTO story_articles (story_id, article_id) VALUES (?, ?)",
                    ((s.id, aid) for s in dossier.stories for aid in s.article_ids),
                )
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: write failed ({exc}); nothing was saved") from exc

    def _add_articles(self, articles: Sequence[Article]) -> None:
        known = {row[0] for row in self.db.execute("SELECT id FROM articles")}
        new = [a for a in articles if a.id not in known]
        self._insert("articles", Article, new)
        self.db.executemany(
            "INSERT INTO articles_fts (id, title, body) VALUES (?, ?, ?)",
            ((a.id, a.title or "", a.text) for a in new),
        )

    def _insert(self, table: str, record: type[Any], rows: Iterable[Any]) -> None:
        names = [f.name for f in dataclasses.fields(record)]
        columns = ", ".join(f'"{n}"' for n in names)
        marks = ", ".join("?" for _ in names)
        self.db.executemany(
            f'INSERT INTO "{table}" ({columns}) VALUES ({marks})',
            ([_encode(getattr(row, n)) for n in names] for row in rows),
        )

    # ------------------------------------------------------------------ read

    def load(self) -> Dossier:
        """The whole stored dossier (for the engine's next run)."""
        fields = {name: tuple(self.iter(name)) for name in TABLES}
        return Dossier(**fields)

    def iter(self, name: str, story_id: str | None = None) -> Iterator[Any]:
        """Records of one dossier field in a stable order, optionally of one story only.

        Rows are read with a cursor, one at a time, so a large corpus is never
        held whole in memory.
        """
        table, record = TABLES[name]
        order = _ORDER[name]
        params: tuple[str, ...]
        if story_id is None:
            query, params = f'SELECT * FROM "{table}" ORDER BY {order}', ()
        elif name == "articles":
            query = (
                "SELECT a.* FROM articles a JOIN story_articles s ON s.article_id = a.id "
                f"WHERE s.story_id = ? ORDER BY {order}"
            )
            params = (story_id,)
        elif name in ARTICLE_TABLES:
            query = (
                f'SELECT t.* FROM "{table}" t JOIN story_articles s ON s.article_id = t.article '
                f"WHERE s.story_id = ? ORDER BY t.{order}"
            )
            params = (story_id,)
        elif name in STORY_TABLES:
            query, params = f'SELECT * FROM "{table}" WHERE story_id = ? ORDER BY {order}', (story_id,)
        elif name == "stories":
            query, params = f"SELECT * FROM stories WHERE id = ? ORDER BY {order}", (story_id,)
        elif name == "reuse":
            query = (
                "SELECT * FROM reuse WHERE a IN (SELECT article_id FROM story_articles WHERE story_id = ?) "
                f"OR b IN (SELECT article_id FROM story_articles WHERE story_id = ?) ORDER BY {order}"
            )
            params = (story_id, story_id)
        elif name == "entities":
            yield from self._story_entities(story_id)
            return
        else:  # rejected records belong to no story
            return
        for row in self.db.execute(query, params):
            yield _decode(record, row)

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
        for story in self.iter("stories", story_id):
            return typing.cast(Story, story)
        raise NotFoundError(
            f"{self.path}: no story {story_id!r}; `newsweave stories` lists the stored stories"
        )

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


#: Row order per field. Articles in the engine's order; every other table in the
#: order the stages produced it (rowid), so a load gives back exactly what was saved.
_ORDER: dict[str, str] = {name: "rowid" for name in TABLES} | {"articles": "source, id"}
