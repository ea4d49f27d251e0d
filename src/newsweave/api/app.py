"""The app factory: one FastAPI app over one store, API routes plus the web pages."""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from ..errors import NotFoundError
from ..store import Store, is_server_url, open_store_url
from . import errors
from .cache import CacheMiddleware, ResponseCache
from .entities import EntityIndex
from .pool import StorePool

TOKEN_VARIABLE = "NEWSWEAVE_TOKEN"


def create_app(db: str | os.PathLike[str], *, token: str | None = None) -> FastAPI:
    """The API and web pages over the store at ``db`` (which must exist).

    ``token`` guards the write endpoints; it defaults to ``$NEWSWEAVE_TOKEN``.
    With no token at all, writes are disabled (403) and reads stay open.
    """
    path = str(db)  # a SQLite file or a postgresql:// URL (not a Path: that folds the //)
    if not is_server_url(path) and not Path(path).is_file():
        raise NotFoundError(f"{db}: no such database; run `newsweave run PATH --db {db}` first")
    open_store_url(path).close()  # fail now, not on the first request, if it is not a newsweave store
    if token is None:
        token = os.environ.get(TOKEN_VARIABLE) or None
    entity_index = EntityIndex(str(path))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # fold every entity's spellings while the first requests come in, not on the first search
        threading.Thread(target=_warm, args=(app,), name="entity-index", daemon=True).start()
        yield
        app.state.pool.close()

    app = FastAPI(
        title="newsweave",
        summary="Stories, claims, sources and discrepancies of a newsweave store.",
        version="1",
        lifespan=lifespan,
    )
    app.state.db_path = path
    app.state.token = token
    app.state.pool = StorePool(path)
    app.state.response_cache = ResponseCache(path)
    app.state.entity_index = entity_index
    app.state.write_lock = threading.Lock()
    app.state.engine = None  # built on the first write, then kept (one spaCy model per app)
    errors.install(app)
    app.add_middleware(CacheMiddleware, cache=app.state.response_cache)

    from .ingest import router as ingest_router
    from .routes import router as read_router

    app.include_router(read_router)
    app.include_router(ingest_router)

    from .. import web

    static_dir = getattr(web, "STATIC_DIR", None)
    if static_dir is not None:
        app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")
    app.include_router(web.router)
    return app


def _warm(app: FastAPI) -> None:
    pool: StorePool = app.state.pool
    index: EntityIndex = app.state.entity_index
    with pool.store() as store:
        index.exact(store, "")


def store_dependency(request: Request) -> Iterator[Store]:
    """A FastAPI dependency: an open Store, used by this request only, for reads."""
    pool: StorePool = request.app.state.pool
    with pool.store() as store:
        yield store
