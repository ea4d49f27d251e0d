"""The page routes: each reads the store through the API's store dependency and renders a template."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..api.entities import EntityIndex
from ..store import Store
from . import svg, views

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"

#: Pages load only their own stylesheet and script; inline scripts, other hosts and
#: plugins are refused, a second line of defence behind escaping.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
#: Longest search query accepted (characters).
MAX_QUERY = 200

_MARK = re.compile(r"^(\d{1,9})-(\d{1,9})$")

environment = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals.update(
    date_range=views.date_range, source_name=views.source_name, article_name=views.article_name
)

router = APIRouter(include_in_schema=False)


def page_store(request: Request) -> Iterator[Store]:
    """The API's store dependency, looked up when a page is asked for (the API imports this package)."""
    from ..api import store_dependency

    yield from store_dependency(request)


StoreDep = Annotated[Store, Depends(page_store)]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = environment.get_template(template).render(request_path=request.url.path, **context)
    return HTMLResponse(
        html, status_code=status_code, headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY}
    )


def render_error(request: Request, status_code: int, message: str) -> Response:
    """The error page for the web paths (the API answers JSON under /api)."""
    return render(
        request, "error.html", status_code=status_code, status=status_code, message=message, query=""
    )


@router.get("/", response_class=HTMLResponse)
def story_list(
    request: Request, store: StoreDep, page: Annotated[int, Query(ge=1, le=100_000)] = 1
) -> Response:
    rows, total = views.story_rows(store, page)
    return render(
        request,
        "index.html",
        rows=rows,
        page=page,
        more=total > page * views.STORIES_PER_PAGE,
        total=total,
        articles=store.count("articles"),
        query="",
    )


def entity_index(request: Request) -> EntityIndex:
    """The app's folded entity names, shared with the API's search (built once per store version)."""
    index: EntityIndex | None = getattr(request.app.state, "entity_index", None)
    if index is None:
        index = request.app.state.entity_index = EntityIndex(request.app.state.db_path)
    return index


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request, store: StoreDep, q: Annotated[str, Query(max_length=MAX_QUERY)] = ""
) -> Response:
    return render(request, "search.html", results=views.search(store, entity_index(request), q), query=q)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: str, store: StoreDep) -> Response:
    view = views.story_page(store, story_id)
    articles = list(view.articles.values())
    return render(
        request,
        "story.html",
        view=view,
        timeline_svg=svg.timeline_svg(view.timeline),
        relay_svg=svg.relay_graph_svg(articles, view.numbers, view.relays),
        query="",
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(
    request: Request,
    article_id: str,
    store: StoreDep,
    mark: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    span = None
    if mark and (m := _MARK.match(mark)):
        span = (int(m.group(1)), int(m.group(2)))
    return render(
        request, "article.html", view=views.article_page(store, article_id, span), mark=span, query=""
    )


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity(request: Request, entity_id: str, store: StoreDep) -> Response:
    return render(request, "entity.html", view=views.entity_page(store, entity_id), query="")
