"""PostgresStore: the store on a PostgreSQL server, for a team sharing one database.

``newsweave run PATHS --db postgresql://user@host/dbname`` (and ``db=`` in the
Python API, ``create_app``) opens this store instead of a SQLite file; see
:func:`newsweave.store.open_store_url`. It has the public interface of
:class:`~newsweave.store.Store` (it subclasses it so every caller's type hints
hold, and overrides every public method: ``tests/test_store_contract.py`` checks
that none is left to the SQLite code) and the same tables, columns, schema
version and migrations. Differences, all internal:

- connections come from a ``psycopg_pool.ConnectionPool`` (thread-safe, so the
  HTTP API shares one store between requests);
- each table has a hidden identity column ``rowid`` that keeps insertion order,
  as SQLite's rowid does, so a load gives back exactly what was saved;
- full-text search is a ``tsvector`` column with a GIN index (``simple``
  configuration: no stemming and no stop words, like FTS5's unicode61), queried
  with the FTS5 expressions the API and web pages build (quoted phrases, bare
  words, AND/OR/NOT, parentheses), translated into ``tsquery`` functions whose
  words are bound parameters; ranking is ``ts_rank``, not BM25, so ties and close
  scores may order differently than on SQLite; FTS5 folds diacritics, ``simple``
  does not;
- ``save`` and migrations take transaction-level advisory locks, and
  :meth:`PostgresStore.writer` a session-level one, so concurrent ``newsweave
  run`` processes take turns: each reads the corpus the previous one saved and
  the database ends with the union of their inputs.

Values are always bound parameters; identifiers come only from record field names.
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import re
import threading
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from .errors import NotFoundError, StoreError
from .model import Article, Claim, Dossier, Entity, Rejection, Reuse, Story, StoryMerge, field_hints, to_dict
from .store import (
    _ENTITY_ARTICLES,
    _KNOWN_DATES,
    _UPDATE_DATE,
    ARTICLE_TABLES,
    ARTICLES_PER_QUERY,
    ENTITIES_OF_ARTICLE,
    JOINED_AS_THEY_COME,
    MIGRATIONS,
    TABLES,
    SearchHit,
    Store,
    StoryQuery,
    StorySummary,
    _decode,
    _encode,
    _entity_in_article,
    _migration_1,
    _plain,
    _redated,
    entity_articles,
    field_query,
    first_columns,
    join_order,
    joined_batches,
    regrouped,
)

#: Connections the pool keeps open and at most opens: the API's read requests share
#: the pool; a `newsweave run` needs two (the writer lock and the work).
POOL_MIN, POOL_MAX = 1, 8
#: Seconds to wait for a connection before giving up with a StoreError.
CONNECT_TIMEOUT = 10.0
#: Advisory lock keys (any two distinct 64-bit numbers, fixed for every newsweave).
MIGRATE_LOCK, SAVE_LOCK, WRITER_LOCK = 0x6E770001, 0x6E770002, 0x6E770003
#: Text search configuration: 'simple' lower-cases words and keeps every one, as FTS5 does.
TS_CONFIG = "simple"
#: Words in a search snippet, as FTS5's snippet(..., 24) on SQLite.
SNIPPET_WORDS = 24


def _pg_type(hint: Any) -> str:
    if hint in (int, bool, int | None, bool | None):
        return "BIGINT"
    if hint in (float, float | None):
        return "DOUBLE PRECISION"
    return "TEXT"


def _pg_table_ddl(table: str, record: type[Any]) -> str:
    hints = typing.get_type_hints(record)
    columns = [f'"{f.name}" {_pg_type(hints[f.name])}' for f in first_columns(table, record)]
    columns.append("rowid BIGINT GENERATED ALWAYS AS IDENTITY")
    key = ", PRIMARY KEY (id)" if "id" in hints else ""
    return f'CREATE TABLE "{table}" ({", ".join(columns)}{key})'


#: PostgreSQL's full-text table: FTS5's columns and a generated tsvector with a GIN index.
_PG_SEARCH_DDL = (
    "CREATE TABLE articles_fts (id TEXT PRIMARY KEY, title TEXT, body TEXT, tsv tsvector "
    f"GENERATED ALWAYS AS (to_tsvector('{TS_CONFIG}', coalesce(title, '') || ' ' || body)) STORED)",
    "CREATE INDEX articles_fts_tsv ON articles_fts USING GIN (tsv)",
)


#: Migration 3 in PostgreSQL's JSON functions (the table itself is portable SQL).
_PG_MIGRATION_3 = [
    *_ENTITY_ARTICLES,
    "INSERT INTO entity_articles (entity_id, article_id) SELECT DISTINCT e.id, m.value->>'article' "
    "FROM entities e, jsonb_array_elements(e.mentions::jsonb) m ON CONFLICT DO NOTHING",
]

#: PostgreSQL's migrations, one per SQLite migration (same schema versions). The first
#: differs (types, FTS) and the third (JSON functions); the second and fourth are SQL both accept.
PG_MIGRATIONS: tuple[list[str], ...] = (
    _migration_1(_pg_table_ddl, _PG_SEARCH_DDL),
    MIGRATIONS[1],
    _PG_MIGRATION_3,
    MIGRATIONS[3],
)


def redact(url: str) -> str:
    """A connection URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


# ------------------------------------------------------------------ FTS5 -> tsquery

_TOKEN = re.compile(r'\s*(?:"((?:[^"]|"")*)"|(\()|(\))|([^\s()"]+))')


def _tsquery(match: str) -> tuple[sql.Composed, list[str]]:
    """An FTS5 expression as a tsquery SQL expression and its bound words.

    Phrases (``"a b"``) and bare words become ``phraseto_tsquery``; juxtaposition
    and AND are ``&&``, OR is ``||``, NOT is ``&& !!``; parentheses group. A
    malformed expression raises StoreError as FTS5 does on SQLite.
    """
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = match.strip()
    while pos < len(text):
        found = _TOKEN.match(text, pos)
        if found is None or found.end() == pos:
            raise StoreError(f'bad search query {match!r} (unbalanced quote); quote phrases with "..."')
        phrase, opening, closing, word = found.groups()
        if phrase is not None:
            tokens.append(("term", phrase.replace('""', '"')))
        elif opening:
            tokens.append(("(", ""))
        elif closing:
            tokens.append((")", ""))
        elif word in ("AND", "OR", "NOT"):
            tokens.append((word, ""))
        else:
            tokens.append(("term", word))
        pos = found.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    params: list[str] = []
    at = 0

    def fail(why: str) -> StoreError:
        return StoreError(f'bad search query {match!r} ({why}); quote phrases with "..."')

    def primary() -> sql.Composable:
        nonlocal at
        if at >= len(tokens):
            raise fail("a term is missing")
        kind, value = tokens[at]
        at += 1
        if kind == "term":
            params.append(value)
            return sql.SQL("phraseto_tsquery({}, %s)").format(sql.Literal(TS_CONFIG))
        if kind == "(":
            inner = either()
            if at >= len(tokens) or tokens[at][0] != ")":
                raise fail("unbalanced parenthesis")
            at += 1
            return sql.SQL("({})").format(inner)
        raise fail(f"unexpected {kind}")

    def both() -> sql.Composable:
        nonlocal at
        left = primary()
        while at < len(tokens) and tokens[at][0] in ("term", "(", "AND", "NOT"):
            kind = tokens[at][0]
            if kind in ("AND", "NOT"):
                at += 1
            right = primary()
            op = "&& !!" if kind == "NOT" else "&&"
            left = sql.SQL("({} " + op + " {})").format(left, right)
        return left

    def either() -> sql.Composable:
        nonlocal at
        left = both()
        while at < len(tokens) and tokens[at][0] == "OR":
            at += 1
            left = sql.SQL("({} || {})").format(left, both())
        return left

    if not tokens:
        raise fail("no term")
    expression = either()
    if at != len(tokens):
        raise fail(f"unexpected {tokens[at][0]}")
    return sql.SQL("{}").format(expression), params


class PostgresStore(Store):
    """A newsweave database on PostgreSQL: ``PostgresStore("postgresql://host/db")``."""

    def __init__(self, url: str, *, check_same_thread: bool = True) -> None:
        """``check_same_thread`` is accepted for Store's signature; the pool is thread-safe."""
        self.url = url
        self.path = redact(url)
        self._results: psycopg.Connection[dict[str, Any]] | None = None  # see replace_results
        # rows as dicts (kwargs row_factory)
        self.pool: ConnectionPool[psycopg.Connection[dict[str, Any]]] = ConnectionPool(
            url,
            min_size=POOL_MIN,
            max_size=POOL_MAX,
            kwargs={"row_factory": dict_row},
            open=False,
            timeout=CONNECT_TIMEOUT,
            name="newsweave",
        )
        try:
            self.pool.open(wait=True, timeout=CONNECT_TIMEOUT)
            self._migrate()
        except (PoolTimeout, psycopg.Error) as exc:
            self.pool.close()
            raise StoreError(
                f"{self.path}: cannot open as a newsweave database ({exc}); "
                "check the server, the user's rights and the database name in --db"
            ) from exc

    # ------------------------------------------------------------ lifecycle

    def __enter__(self) -> PostgresStore:
        return self

    def close(self) -> None:
        if self._results is not None:  # results of a run that did not save: dropped
            self._results.rollback()
            self.pool.putconn(self._results)
            self._results = None
        self.pool.close()

    @contextmanager
    def _conn(self, what: str = "read") -> Iterator[psycopg.Connection[dict[str, Any]]]:
        """A pooled connection inside one transaction (committed on success)."""
        try:
            with self.pool.connection() as conn:
                yield conn
        except PoolTimeout as exc:
            raise StoreError(f"{self.path}: no connection within {CONNECT_TIMEOUT:g} s ({exc})") from exc
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: {what} failed ({exc})") from exc

    def _all(self, query: str | sql.Composable, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._conn() as conn:
            return conn.execute(typing.cast(Any, query), params).fetchall()

    def _one(self, query: str | sql.Composable, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        with self._conn() as conn:
            return conn.execute(typing.cast(Any, query), params).fetchone()

    def schema_version(self) -> int:
        row = self._one("SELECT max(version) AS v FROM schema_version")
        return int(row["v"] or 0) if row else 0

    def _migrate(self) -> None:
        with self.pool.connection() as conn:  # one transaction: DDL is transactional here
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT max(version) AS v FROM schema_version").fetchone()
            current = int(row["v"] or 0) if row else 0
            if current > len(PG_MIGRATIONS):
                raise StoreError(
                    f"{self.path}: schema version {current} is newer than this newsweave "
                    f"({len(PG_MIGRATIONS)}); upgrade newsweave"
                )
            for version in range(current, len(PG_MIGRATIONS)):
                for statement in PG_MIGRATIONS[version]:
                    conn.execute(typing.cast(Any, statement))
                conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (version + 1,))

    @contextmanager
    def writer(self) -> Iterator[None]:
        """Hold the database's writer lock: one `newsweave run` at a time reads, runs and
        saves, so a second one waiting here sees the first one's articles. The server
        releases it if the process dies."""
        try:
            with self.pool.connection() as conn:
                conn.autocommit = True
                conn.execute("SELECT pg_advisory_lock(%s)", (WRITER_LOCK,))
                try:
                    yield
                finally:
                    if not conn.closed:
                        conn.execute("SELECT pg_advisory_unlock(%s)", (WRITER_LOCK,))
                    conn.autocommit = False
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: writer lock failed ({exc})") from exc

    def data_version(self) -> tuple[int, ...]:
        """Changes whenever a save or a redirect is written (the HTTP API's caches key on it):
        the tables' identity sequences only grow, and a save inserts into them anew."""
        names = [f"{table}_rowid_seq" for table, _record in TABLES.values()]
        parts = sql.SQL(" + ").join(
            sql.SQL("(SELECT last_value + (CASE WHEN is_called THEN 1 ELSE 0 END) FROM {})").format(
                sql.Identifier(n)
            )
            for n in names
        )
        row = self._one(sql.SQL("SELECT {} AS v, (SELECT count(*) FROM story_redirects) AS r").format(parts))
        return (int(row["v"]), int(row["r"])) if row else (0, 0)

    # ----------------------------------------------------------------- write

    def replace_results(self, names: Sequence[str]) -> None:
        """As :meth:`Store.replace_results`: on a connection of its own, whose transaction
        (holding the save lock) the run's ``save`` commits."""
        try:
            if self._results is None:
                self._results = self.pool.getconn(timeout=CONNECT_TIMEOUT)
                self._results.execute("SELECT pg_advisory_xact_lock(%s)", (SAVE_LOCK,))
            for name in names:
                table = TABLES[name][0]
                if name in JOINED_AS_THEY_COME:  # the parts: dropped with the transaction
                    self._results.execute(
                        sql.SQL("CREATE TEMP TABLE {} (LIKE {} INCLUDING IDENTITY) ON COMMIT DROP").format(
                            sql.Identifier(f"parts_{table}"), sql.Identifier(table)
                        )
                    )
                else:
                    self._results.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
        except (PoolTimeout, psycopg.Error) as exc:
            raise StoreError(f"{self.path}: write failed ({exc}); nothing was saved") from exc

    def add_parts(self, name: str, records: Sequence[Any]) -> None:
        """As :meth:`Store.add_parts`: into a temporary table of the results' connection."""
        self._add_on_results(name, records, parts=True)

    def join_parts(
        self, name: str, order: Sequence[str], join: Callable[[Sequence[Any]], Any] | None
    ) -> None:
        """As :meth:`Store.join_parts`; text compares by code point (``COLLATE "C"``), as
        Python sorts, whatever the database's collation."""
        table, record = TABLES[name]
        hints = field_hints(record)
        keys = sql.SQL(", ").join(
            sql.SQL('{} COLLATE "C"' if hints[key] is str else "{}").format(sql.Identifier(key))
            for key in join_order(record, order, joined=join is not None)
        )
        parts = sql.Identifier(f"parts_{table}")
        if self._results is None:
            raise StoreError("join_parts before replace_results")
        try:
            conn = self._results
            conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
            if join is None:
                columns = sql.SQL(", ").join(sql.Identifier(f.name) for f in dataclasses.fields(record))
                conn.execute(
                    sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {} ORDER BY {}, rowid").format(
                        sql.Identifier(table), columns, columns, parts, keys
                    )
                )
                return
            if name == "entities":
                conn.execute("DELETE FROM entity_articles")
            query = sql.SQL("SELECT * FROM {} ORDER BY {}, rowid").format(parts, keys)
            with conn.cursor(name=f"newsweave_parts_{table}") as read, conn.cursor() as cur:
                read.itersize = 2000
                read.execute(query)
                for batch in joined_batches((_decode(record, typing.cast(Any, row)) for row in read), join):
                    self._copy(cur, table, record, batch)
                    if name == "entities":
                        self._copy_entity_articles(cur, batch)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: write failed ({exc}); nothing was saved") from exc

    def add_results(self, name: str, records: Sequence[Any]) -> None:
        self._add_on_results(name, records)

    def _add_on_results(self, name: str, records: Sequence[Any], parts: bool = False) -> None:
        """Records of a field being replaced, on the results' connection: into its table, or
        (``parts``) into its temporary table of parts."""
        if self._results is None:
            raise StoreError(f"{name} given before replace_results")
        table, record = TABLES[name]
        try:
            with self._results.cursor() as cur:
                self._copy(cur, f"parts_{table}" if parts else table, record, records)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: write failed ({exc}); nothing was saved") from exc

    @contextmanager
    def _saving(self) -> Iterator[psycopg.Connection[dict[str, Any]]]:
        """The connection a save writes on, in one transaction committed at the end: the one
        results were being written on, or one from the pool."""
        if self._results is None:
            with self.pool.connection() as conn:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (SAVE_LOCK,))
                yield conn
            return
        conn, self._results = self._results, None
        try:
            yield conn
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            self.pool.putconn(conn)

    def save(self, dossier: Dossier, kept: Sequence[str] = ()) -> None:
        """Write a dossier in one transaction: new articles added, derived results replaced;
        the fields named in ``kept`` are left as stored."""
        try:
            with self._saving() as conn, conn.cursor() as cur:
                self._add_articles_pg(cur, dossier.articles)
                for name, (table, record) in TABLES.items():
                    if name == "articles" or name in kept:
                        continue
                    cur.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
                    self._copy(cur, table, record, getattr(dossier, name))
                self._redirect_regrouped_pg(cur, dossier.stories)
                cur.execute("DELETE FROM story_articles")
                with cur.copy("COPY story_articles (story_id, article_id) FROM STDIN") as copy:
                    for story in dossier.stories:
                        for aid in story.article_ids:
                            copy.write_row((story.id, aid))
                if "entities" not in kept:  # else join_parts wrote it with them
                    cur.execute("DELETE FROM entity_articles")
                    self._copy_entity_articles(cur, dossier.entities)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: write failed ({exc}); nothing was saved") from exc

    def add_batch(self, batch: Dossier) -> None:
        """Add one ingest batch in one transaction: its articles not yet stored, their
        per-article records, and its rejections; derived results wait for ``save``."""
        try:
            with self.pool.connection() as conn:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (SAVE_LOCK,))
                with conn.cursor() as cur:
                    added = {a.id for a in self._add_articles_pg(cur, batch.articles)}
                    for name in ARTICLE_TABLES:
                        table, record = TABLES[name]
                        rows = (r for r in getattr(batch, name) if r.article in added)
                        self._copy(cur, table, record, rows)
                    self._copy(cur, "rejected", Rejection, batch.rejected)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: write failed ({exc}); the batch was not saved") from exc

    def _add_articles_pg(
        self, cur: psycopg.Cursor[dict[str, Any]], articles: Sequence[Article]
    ) -> list[Article]:
        """Insert the articles not stored yet (returned), update the dates of the others."""
        known = {
            row["id"]: (row["published"], bool(row["published_inferred"]))
            for row in cur.execute(_KNOWN_DATES)
        }
        new = [a for a in dict((a.id, a) for a in articles).values() if a.id not in known]
        self._copy(cur, "articles", Article, new)
        cur.executemany(_UPDATE_DATE.replace("?", "%s"), _redated(articles, known))
        with cur.copy("COPY articles_fts (id, title, body) FROM STDIN") as copy:
            for a in new:
                copy.write_row((a.id, a.title or "", a.text))
        return new

    @staticmethod
    def _copy(
        cur: psycopg.Cursor[dict[str, Any]], table: str, record: type[Any], rows: Iterable[Any]
    ) -> None:
        names = [f.name for f in dataclasses.fields(record)]
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, names))
        )
        with cur.copy(statement) as copy:
            for row in rows:
                copy.write_row([_encode(getattr(row, n)) for n in names])

    @staticmethod
    def _copy_entity_articles(cur: psycopg.Cursor[dict[str, Any]], entities: Iterable[Entity]) -> None:
        with cur.copy("COPY entity_articles (entity_id, article_id) FROM STDIN") as copy:
            for pair in entity_articles(entities):
                copy.write_row(pair)

    def _redirect_regrouped_pg(self, cur: psycopg.Cursor[dict[str, Any]], stories: Sequence[Story]) -> None:
        rows = cur.execute("SELECT story_id, article_id FROM story_articles")
        stored = ((row["story_id"], row["article_id"]) for row in rows)
        self._write_redirects_pg(cur, regrouped(stored, stories))

    def add_redirects(self, merges: Iterable[StoryMerge]) -> None:
        """Record merges (old id -> surviving id), e.g. those of a StoryTracker."""
        try:
            with self.pool.connection() as conn, conn.cursor() as cur:
                self._write_redirects_pg(cur, merges)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: write failed ({exc}); no redirect was saved") from exc

    @staticmethod
    def _write_redirects_pg(cur: psycopg.Cursor[dict[str, Any]], merges: Iterable[StoryMerge]) -> None:
        for merge in merges:
            if merge.old_id == merge.new_id:
                continue
            cur.execute(
                "UPDATE story_redirects SET new_id = %s WHERE new_id = %s", (merge.new_id, merge.old_id)
            )
            cur.execute("DELETE FROM story_redirects WHERE old_id = %s", (merge.new_id,))
            cur.execute(
                "INSERT INTO story_redirects (old_id, new_id, article_id, date) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (old_id) DO UPDATE SET new_id = EXCLUDED.new_id, "
                "article_id = EXCLUDED.article_id, date = EXCLUDED.date",
                (merge.old_id, merge.new_id, merge.article_id, merge.date),
            )

    def resolve_story_id(self, story_id: str) -> str:
        row = self._one("SELECT new_id FROM story_redirects WHERE old_id = %s", (story_id,))
        return str(row["new_id"]) if row else story_id

    def redirects(self) -> list[StoryMerge]:
        rows = self._all("SELECT old_id, new_id, article_id, date FROM story_redirects ORDER BY old_id")
        return [StoryMerge(r["old_id"], r["new_id"], r["article_id"], r["date"]) for r in rows]

    # ------------------------------------------------------------------ read

    def load(self, without: Sequence[str] = ()) -> Dossier:
        fields = {name: tuple(self.iter(name)) for name in TABLES if name not in without}
        return Dossier(**fields)

    def of_articles(self, name: str, article_ids: Sequence[str]) -> list[Any]:
        table, record = TABLES[name]
        if name not in ARTICLE_TABLES:
            raise ValueError(f"{name} rows do not belong to one article")
        query = sql.SQL("SELECT * FROM {} WHERE article = ANY(%s) ORDER BY rowid").format(
            sql.Identifier(table)
        )
        found: list[Any] = []
        for start in range(0, len(article_ids), ARTICLES_PER_QUERY):
            rows = self._all(query, (list(article_ids[start : start + ARTICLES_PER_QUERY]),))
            found.extend(_decode(record, typing.cast(Any, row)) for row in rows)
        return sorted(found, key=lambda r: r.article)  # stable: as stored within an article

    def iter(self, name: str, story_id: str | None = None, *, plain: bool = False) -> Iterator[Any]:
        """Records of one dossier field in a stable order, optionally of one story only
        (read through a server-side cursor, never the whole table in memory)."""
        if name == "entities" and story_id is not None:
            yield from (to_dict(e) if plain else e for e in self._story_entities(story_id))
            return
        found = field_query(name, story_id)
        if found is None:  # rejected records belong to no story
            return
        query, params = found[0].replace("?", "%s"), found[1]
        table, record = TABLES[name]
        decode = _plain if plain else _decode
        with self._conn() as conn, conn.cursor(name=f"newsweave_{table}") as cur:
            cur.itersize = 2000
            cur.execute(typing.cast(Any, query), params)
            for row in cur:
                yield decode(record, typing.cast(Any, row))

    def article_ids(self, story_id: str) -> list[str]:
        rows = self._all(
            "SELECT article_id FROM story_articles WHERE story_id = %s ORDER BY article_id", (story_id,)
        )
        return [r["article_id"] for r in rows]

    def story_of_articles(self) -> dict[str, str]:
        return {
            r["article_id"]: r["story_id"]
            for r in self._all("SELECT article_id, story_id FROM story_articles")
        }

    def story(self, story_id: str) -> Story:
        row = self._one("SELECT * FROM stories WHERE id = %s", (self.resolve_story_id(story_id),))
        if row is None:
            raise NotFoundError(
                f"{self.path}: no story {story_id!r}; `newsweave stories` lists the stored stories"
            )
        return typing.cast(Story, _decode(Story, typing.cast(Any, row)))

    def _by_id(self, table: str, record: type[Any], record_id: str, what: str) -> Any:
        row = self._one(sql.SQL("SELECT * FROM {} WHERE id = %s").format(sql.Identifier(table)), (record_id,))
        if row is None:
            raise NotFoundError(f"{self.path}: no {what} {record_id!r}")
        return _decode(record, typing.cast(Any, row))

    def article(self, article_id: str) -> Article:
        return typing.cast(Article, self._by_id("articles", Article, article_id, "article"))

    def entity(self, entity_id: str) -> Entity:
        return typing.cast(Entity, self._by_id("entities", Entity, entity_id, "entity"))

    def claim(self, claim_id: str) -> Claim:
        return typing.cast(Claim, self._by_id("claims", Claim, claim_id, "claim"))

    def of_article(self, name: str, article_id: str) -> Iterator[Any]:
        table, record = TABLES[name]
        if name not in ARTICLE_TABLES:
            raise ValueError(f"{name} rows do not belong to one article")
        query = sql.SQL("SELECT * FROM {} WHERE article = %s ORDER BY rowid").format(sql.Identifier(table))
        for row in self._all(query, (article_id,)):
            yield _decode(record, typing.cast(Any, row))

    def reuse_of(self, article_id: str) -> Iterator[Reuse]:
        for row in self._all("SELECT * FROM reuse WHERE a = %s OR b = %s ORDER BY rowid", (article_id,) * 2):
            yield typing.cast(Reuse, _decode(Reuse, typing.cast(Any, row)))

    def entities_of_article(self, article_id: str) -> Iterator[Entity]:
        for row in self._all(ENTITIES_OF_ARTICLE.replace("?", "%s"), (article_id,)):
            yield from _entity_in_article(row, article_id)

    def entity_names(self) -> Iterator[tuple[str, str, str, tuple[str, ...], int]]:
        query = (
            "SELECT id, name, type, aliases, jsonb_array_length(mentions::jsonb) AS n "
            "FROM entities ORDER BY rowid"
        )
        for r in self._all(query):
            yield r["id"], r["name"], r["type"], _strings(r["aliases"]), int(r["n"] or 0)

    def entity_index(self) -> Iterator[tuple[str, str, str, tuple[str, ...], int]]:
        query = (
            "SELECT e.id, e.type, e.name, e.aliases, (SELECT count(DISTINCT sa.story_id) "
            "FROM jsonb_array_elements(e.mentions::jsonb) m JOIN story_articles sa "
            "ON sa.article_id = m.value->>'article') AS stories "
            "FROM entities e ORDER BY stories DESC, e.type, e.name, e.id"
        )
        for r in self._all(query):
            yield r["id"], r["type"], r["name"], _strings(r["aliases"]), int(r["stories"] or 0)

    def story_source_counts(self) -> dict[str, int]:
        rows = self._all("SELECT story_id, max(independent_sources) AS n FROM claims GROUP BY story_id")
        return {r["story_id"]: int(r["n"] or 0) for r in rows}

    def count(self, name: str) -> int:
        table, _record = TABLES[name]
        row = self._one(sql.SQL("SELECT count(*) AS n FROM {}").format(sql.Identifier(table)))
        return int(row["n"]) if row else 0

    def search(self, query: str, limit: int = 20) -> list[str]:
        """Ids of articles matching an FTS5-style query, best first."""
        tsq, params = _tsquery(query)
        statement = sql.SQL(
            "SELECT f.id FROM articles_fts f, (SELECT {} AS q) AS t WHERE f.tsv @@ t.q "
            "ORDER BY ts_rank(f.tsv, t.q) DESC, f.id LIMIT %s"
        ).format(tsq)
        return [r["id"] for r in self._all(statement, (*params, limit))]

    def stories_page(self, query: StoryQuery) -> tuple[list[StorySummary], int]:
        where, params = _story_filter_pg(query)
        counted = self._one(sql.SQL("SELECT count(*) AS n FROM stories s WHERE {}").format(where), params)
        total = int(counted["n"]) if counted else 0
        statement = sql.SQL(
            "SELECT s.*, (SELECT count(DISTINCT a.outlet) FROM story_articles sa "
            "JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = s.id) AS n_outlets, "
            "(SELECT max(c.independent_sources) FROM claims c WHERE c.story_id = s.id) AS n_sources "
            "FROM stories s WHERE {} "
            "ORDER BY coalesce(s.last_date, s.first_date) DESC NULLS LAST, s.id LIMIT %s OFFSET %s"
        ).format(where)
        rows = self._all(statement, (*params, query.limit, query.offset))
        page = [
            StorySummary(
                _decode(Story, typing.cast(Any, r)), int(r["n_outlets"] or 0), int(r["n_sources"] or 0)
            )
            for r in rows
        ]
        return page, total

    def search_page(self, match: str, limit: int, offset: int = 0) -> tuple[list[SearchHit], int]:
        tsq, params = _tsquery(match)
        counted = self._one(
            sql.SQL("SELECT count(*) AS n FROM articles_fts f WHERE f.tsv @@ {}").format(tsq), params
        )
        total = int(counted["n"]) if counted else 0
        options = f'StartSel="", StopSel="", MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}'
        statement = sql.SQL(
            "SELECT f.id, f.title, f.body, ts_headline({cfg}, f.body, t.q, {opts}) AS snippet, sa.story_id "
            "FROM articles_fts f CROSS JOIN (SELECT {tsq} AS q) AS t LEFT JOIN story_articles sa ON sa.article_id = f.id "
            "WHERE f.tsv @@ t.q ORDER BY ts_rank(f.tsv, t.q) DESC, f.id LIMIT %s OFFSET %s"
        ).format(cfg=sql.Literal(TS_CONFIG), opts=sql.Literal(options), tsq=tsq)
        rows = self._all(statement, (*params, limit, offset))
        hits = [
            SearchHit(r["id"], r["title"] or None, _ellipsis(r["snippet"], r["body"]), r["story_id"])
            for r in rows
        ]
        return hits, total

    def story_of_article(self, article_id: str) -> str | None:
        row = self._one("SELECT story_id FROM story_articles WHERE article_id = %s", (article_id,))
        return None if row is None else str(row["story_id"])

    def entity_story_ids(self, entity_id: str) -> list[str]:
        rows = self._all(
            "SELECT DISTINCT sa.story_id FROM entities e CROSS JOIN jsonb_array_elements(e.mentions::jsonb) m "
            "JOIN story_articles sa ON sa.article_id = m.value->>'article' "
            "WHERE e.id = %s ORDER BY sa.story_id",
            (entity_id,),
        )
        return [r["story_id"] for r in rows]

    def _story_entities(self, story_id: str) -> Iterator[Entity]:
        members = set(self.article_ids(story_id))
        for entity in self.iter("entities"):
            mentions = tuple(m for m in entity.mentions if m.article in members)
            if mentions:
                yield dataclasses.replace(entity, mentions=mentions)


def _strings(value: str | None) -> tuple[str, ...]:
    return tuple(json.loads(value or "[]"))


def _ellipsis(snippet: str, body: str) -> str:
    """'…' where the headline cuts the text, as FTS5's snippet marks it."""
    snippet = snippet.strip()
    if not snippet:
        return snippet
    head = "" if body.lstrip().startswith(snippet[:40]) else "…"
    tail = "" if body.rstrip().endswith(snippet[-40:]) else "…"
    return head + snippet + tail


def _story_filter_pg(query: StoryQuery) -> tuple[sql.Composable, list[Any]]:
    """The WHERE clause (our text only) and its bound values for a story query."""
    clauses: list[sql.Composable] = [sql.SQL("1 = 1")]
    params: list[Any] = []
    if query.date_from is not None:
        clauses.append(sql.SQL("substr(coalesce(s.last_date, s.first_date), 1, 10) >= %s"))
        params.append(query.date_from)
    if query.date_to is not None:
        clauses.append(sql.SQL("substr(coalesce(s.first_date, s.last_date), 1, 10) <= %s"))
        params.append(query.date_to)
    if query.entity is not None:
        clauses.append(
            sql.SQL(
                "s.id IN (SELECT sa.story_id FROM entities e CROSS JOIN jsonb_array_elements(e.mentions::jsonb) m "
                "JOIN story_articles sa ON sa.article_id = m.value->>'article' WHERE e.id = %s)"
            )
        )
        params.append(query.entity)
    if query.match is not None:
        tsq, words = _tsquery(query.match)
        clauses.append(
            sql.SQL(
                "s.id IN (SELECT sa.story_id FROM articles_fts f JOIN story_articles sa "
                "ON sa.article_id = f.id WHERE f.tsv @@ {})"
            ).format(tsq)
        )
        params.extend(words)
    return sql.SQL(" AND ").join(clauses), params


_SHARED: dict[str, PostgresStore] = {}
_SHARED_LOCK = threading.Lock()


def shared_store(url: str) -> PostgresStore:
    """One store (one connection pool) per URL for this process, for the HTTP API's
    requests and caches; closed at exit."""
    with _SHARED_LOCK:
        store = _SHARED.get(url)
        if store is None:
            store = _SHARED[url] = PostgresStore(url)
            atexit.register(store.close)
        return store
