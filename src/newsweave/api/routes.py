"""The read endpoints under /api: stories, articles, claims, entities, search, dossiers.

Each reads the store through :func:`~newsweave.api.app.store_dependency` and
answers with records as the dossier JSON has them; nothing runs the pipeline.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from .. import export
from ..errors import StoreError
from ..model import Claim, to_dict
from ..store import Store, StoryQuery, StorySummary
from .app import store_dependency
from .entities import EntityIndex, EntityName
from .errors import ApiError, error_responses
from .schemas import (
    MAX_LIMIT,
    MAX_OFFSET,
    ArticleDetail,
    EntityDetail,
    EntityPage,
    SearchResult,
    StoryDetail,
    StoryPage,
)

router = APIRouter(prefix="/api", tags=["read"])

StoreDep = Annotated[Store, Depends(store_dependency)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size, at most {MAX_LIMIT}")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")]
RecordId = Annotated[str, Path(min_length=1, max_length=200)]
Words = Annotated[
    str, Query(min_length=1, max_length=500, pattern=r"\w", description="words to find (all of them)")
]
Text = Annotated[str, Query(min_length=1, max_length=500, description="part of a name")]
Day = Annotated[dt.date | None, Query(description="ISO day, YYYY-MM-DD")]

#: A word of a text query; FTS5 operators and quotes in user input are not syntax.
_WORD = re.compile(r"\w+")
#: Entities listed with a search result.
SEARCH_ENTITIES = 10


def _page(total: int, limit: int, offset: int) -> dict[str, Any]:
    following = offset + limit
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "next_offset": following if following < total else None,
    }


def _words(text: str, field: str) -> list[str]:
    words = _WORD.findall(text)
    if not words:
        raise ApiError(422, f"{field}: {text!r} has no word to search for", field=field)
    return words


def _match(*spellings: str) -> str:
    """An FTS5 expression matching any of the spellings (each one's words, all of them)."""
    groups = []
    for spelling in spellings:
        words = _WORD.findall(spelling)
        if words:
            groups.append("(" + " ".join('"' + w + '"' for w in words) + ")")
    return " OR ".join(dict.fromkeys(groups))


def _entity_index(request: Request) -> EntityIndex:
    index: EntityIndex = request.app.state.entity_index
    return index


def _spellings(request: Request, store: Store, text: str) -> tuple[list[str], list[EntityName]]:
    """The query and, when it names an entity, every spelling of that entity."""
    entities = _entity_index(request).exact(store, text)
    spellings = [text] + [s for e in entities for s in (e.name, *e.aliases)]
    return list(dict.fromkeys(spellings)), entities


def _entity_item(entity: EntityName) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "mention_count": entity.mention_count,
    }


@router.get("/stories", response_model=StoryPage, responses=error_responses(404, 422))
def list_stories(
    request: Request,
    store: StoreDep,
    limit: Limit = 20,
    offset: Offset = 0,
    date_from: Annotated[Day, Query(alias="from")] = None,
    date_to: Annotated[Day, Query(alias="to")] = None,
    entity: Annotated[str | None, Query(min_length=1, max_length=200, description="entity id")] = None,
    q: Annotated[
        str | None, Query(min_length=1, max_length=500, pattern=r"\w", description="words in its articles")
    ] = None,
) -> Response:
    """Stories, latest first, filtered by the days they overlap (``from`` to ``to``,
    inclusive), an entity, or words in their articles."""
    if entity is not None:
        store.entity(entity)  # unknown id: 404 rather than an empty page that looks like an answer
    match = None
    if q is not None:
        _words(q, "q")
        match = _match(*_spellings(request, store, q)[0])
    days = [d.isoformat() if d else None for d in (date_from, date_to)]
    query = StoryQuery(limit, offset, days[0], days[1], entity, match)
    return JSONResponse(_stories_body(store, query))


def _stories_body(store: Store, query: StoryQuery) -> dict[str, Any]:
    page: list[StorySummary] = []
    total = 0  # an empty range (from after to) overlaps no story
    if not (query.date_from and query.date_to and query.date_from > query.date_to):
        page, total = store.stories_page(query)
    items = [
        {
            "id": s.story.id,
            "title": s.story.title,
            "first_date": s.story.first_date,
            "last_date": s.story.last_date,
            "article_count": len(s.story.article_ids),
            "outlets": s.outlets,
            "independent_sources": s.independent_sources,
        }
        for s in page
    ]
    return {"items": items, **_page(total, query.limit, query.offset)}


@router.get("/stories/{story_id}", response_model=StoryDetail, responses=error_responses(404, 422))
def get_story(request: Request, story_id: RecordId, store: StoreDep) -> Response:
    """One story: brief, timeline, claims, discrepancies, its articles (with relays) and reuse."""
    return JSONResponse(_story_body(store, story_id))


def _story_body(store: Store, story_id: str) -> dict[str, Any]:
    story = store.story(story_id)
    relays: dict[str, list[Any]] = {}
    for relay in store.iter("relays", story.id, plain=True):
        relays.setdefault(relay["article"], []).append(relay)
    articles = []
    for article in store.iter("articles", story.id, plain=True):
        del article["paragraphs"], article["removed"]  # the article endpoint has the text
        articles.append(article | {"relays": relays.get(article["id"], [])})
    body = {"story": to_dict(story)}
    for name in ("brief", "timeline", "claims", "discrepancies"):
        body[name] = list(store.iter(name, story.id, plain=True))
    body["articles"] = articles
    body["reuse"] = list(store.iter("reuse", story.id, plain=True))
    return body


@router.get(
    "/stories/{story_id}/dossier",
    responses={
        200: {
            "content": {"application/json": {}, "text/markdown": {}, "text/html": {}},
            "description": "the story's dossier in the format asked for",
        },
        **error_responses(404, 422),
    },
)
def get_dossier(
    story_id: RecordId,
    store: StoreDep,
    format: Annotated[Literal["json", "md", "html"], Query(description="json | md | html")] = "json",
) -> Response:
    """One story's dossier, as ``newsweave export`` writes it."""
    story_id = store.story(story_id).id  # a merged story's old id gives the story it went into
    out = io.StringIO()
    export.write(store, out, format, story_id)
    media = {
        "json": "application/json",
        "md": "text/markdown; charset=utf-8",
        "html": "text/html; charset=utf-8",
    }
    return Response(out.getvalue(), media_type=media[format])


@router.get("/articles/{article_id}", response_model=ArticleDetail, responses=error_responses(404, 422))
def get_article(article_id: RecordId, store: StoreDep) -> Response:
    """One article: clean text, removed lines, and everything found in it."""
    article = store.article(article_id)
    entities = [{"id": e.id, "name": e.name, "type": e.type} for e in store.entities_of_article(article_id)]
    body: dict[str, Any] = {
        "article": to_dict(article),
        "text": article.text,
        "story_id": store.story_of_article(article_id),
        "removed": list(article.removed),
        "reuse": to_dict(tuple(store.reuse_of(article_id))),
        "entities": entities,
    }
    for name in ("sentences", "mentions", "dates", "quantities", "quotes", "relays"):
        body[name] = to_dict(tuple(store.of_article(name, article_id)))
    return JSONResponse(body)


@router.get("/claims/{claim_id}", response_model=Claim, responses=error_responses(404, 422))
def get_claim(claim_id: RecordId, store: StoreDep) -> Response:
    """One claim: its text, supporting sentences, origins and independent-source count."""
    return JSONResponse(to_dict(store.claim(claim_id)))


@router.get("/entities", response_model=EntityPage, responses=error_responses(422))
def list_entities(
    request: Request, store: StoreDep, q: Text, limit: Limit = 20, offset: Offset = 0
) -> Response:
    """Entities named by ``q``: each of its words starts a word of one of their spellings
    (case and transliteration folded: "umy" and "umer" both find Rustem Umyerov)."""
    found = _entity_index(request).starting(store, q)
    items = [_entity_item(e) for e in found[offset : offset + limit]]
    return JSONResponse({"items": items, **_page(len(found), limit, offset)})


@router.get("/entities/{entity_id}", response_model=EntityDetail, responses=error_responses(404, 422))
def get_entity(entity_id: RecordId, store: StoreDep) -> Response:
    """One entity: its aliases, every mention, and the stories mentioning it."""
    entity = store.entity(entity_id)
    return JSONResponse({"entity": to_dict(entity), "story_ids": store.entity_story_ids(entity_id)})


@router.get("/search", response_model=SearchResult, responses=error_responses(422))
def search(request: Request, store: StoreDep, q: Words, limit: Limit = 20, offset: Offset = 0) -> Response:
    """Articles whose title or text has every word of ``q``, best first; a name finds every
    spelling of its entity ("Umyerov" finds "Umerov" too)."""
    return JSONResponse(_search_body(request, store, q, limit, offset))


def _search_body(request: Request, store: Store, q: str, limit: int, offset: int) -> dict[str, Any]:
    _words(q, "q")
    spellings, entities = _spellings(request, store, q)
    try:
        hits, total = store.search_page(_match(*spellings), limit, offset)
    except StoreError as exc:  # cannot happen with quoted words, but never a 500 for a query
        raise ApiError(422, str(exc), field="q") from exc
    if not entities:
        entities = _entity_index(request).starting(store, q)
    body = {
        "query": q,
        "terms": spellings,
        "articles": [
            {"id": h.article_id, "title": h.title, "snippet": h.snippet, "story_id": h.story_id} for h in hits
        ],
        "entities": [_entity_item(e) for e in entities[:SEARCH_ENTITIES]],
        **_page(total, limit, offset),
    }
    return body
