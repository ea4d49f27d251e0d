"""``POST /api/articles``: ingest one article or a batch, running the pipeline incrementally.

Guarded by a bearer token (``NEWSWEAVE_TOKEN``): without a configured token the
endpoint is disabled (403), with one a request must carry it (401 otherwise).
One write runs at a time; the engine (and its spaCy model) is built on the
first write and kept for the app's life.
"""

from __future__ import annotations

import hmac
import json
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..engine import Engine
from ..ingest import json_record
from ..model import RawDocument, stable_id
from ..store import open_store_url
from .errors import ApiError, error_responses
from .schemas import MAX_BATCH, ArticleIn, IngestResult

router = APIRouter(prefix="/api", tags=["write"])


#: Reads the bearer token and documents the scheme in OpenAPI; our own check answers.
bearer = HTTPBearer(auto_error=False, description="the server's NEWSWEAVE_TOKEN")


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    """Refuse a write unless it carries the configured bearer token."""
    expected: str | None = request.app.state.token
    if not expected:
        raise ApiError(403, "writes are disabled: start the server with NEWSWEAVE_TOKEN set to enable them")
    given = credentials.credentials if credentials is not None else ""
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(
            401,
            "missing or wrong token: send `Authorization: Bearer <NEWSWEAVE_TOKEN>`",
            headers={"WWW-Authenticate": "Bearer"},
        )


def _documents(items: list[ArticleIn]) -> list[RawDocument]:
    documents = []
    for item in items:
        where = item.url or stable_id("api:", item.text)
        documents.append(json_record(json.dumps(item.model_dump(exclude_none=True)), where))
    return documents


def _engine(request: Request) -> Engine:
    engine: Engine | None = request.app.state.engine
    if engine is None:
        engine = request.app.state.engine = Engine()
    return engine


@router.post(
    "/articles",
    status_code=201,
    response_model=IngestResult,
    responses=error_responses(401, 403, 422),
    dependencies=[Depends(require_token)],
)
def post_articles(
    request: Request,
    articles: Annotated[
        ArticleIn | list[ArticleIn],
        Body(description=f"one article or a list of at most {MAX_BATCH}"),
    ],
) -> Response:
    """Ingest articles: clean them, add the new ones, re-run the corpus stages, save."""
    items = articles if isinstance(articles, list) else [articles]
    if not items or len(items) > MAX_BATCH:
        raise ApiError(422, f"body: send 1 to {MAX_BATCH} articles, not {len(items)}", field="body")
    documents = _documents(items)
    sources = {d.source for d in documents}
    db = request.app.state.db_path
    with request.app.state.write_lock, open_store_url(db) as store, store.writer():
        result = _engine(request).run(documents, store.load())
        store.save(result.dossier)
        request.app.state.response_cache.clear()
    dossier = result.dossier
    body = {
        "received": len(items),
        "new_articles": result.new,
        "article_ids": sorted({a.id for a in dossier.articles if a.source in sources}),
        "rejected": [f"{r.source}: {r.reason}" for r in dossier.rejected if r.source in sources],
        "articles": len(dossier.articles),
        "stories": len(dossier.stories),
    }
    return JSONResponse(body, status_code=201)
