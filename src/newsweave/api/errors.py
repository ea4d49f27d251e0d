"""One error shape for the API, an escaped HTML page for the web pages.

Every error under ``/api`` answers ``{"error": {"code", "message", "field"?}}``
with a code from :data:`CODES`; clients branch on the code, never the message.
Elsewhere the web package's ``render_error`` draws the page when it has one,
else a minimal page with the message HTML-escaped.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import NotFoundError

#: HTTP status -> the stable error code sent for it.
CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "writes_disabled",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    500: "internal_error",
}

API_PREFIX = "/api"

log = logging.getLogger("newsweave.api")


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    """The one shape of every API error."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting the error shape for these statuses."""
    return {status: {"model": ErrorBody, "description": CODES.get(status, "error")} for status in statuses}


class ApiError(Exception):
    """An error an endpoint raises on purpose, with its status, code and optional field."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.code = code or CODES.get(status, "error")
        self.headers = headers


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/") or path == "/openapi.json"


def _respond(
    request: Request,
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if _is_api(request):
        detail: dict[str, Any] = {"code": code, "message": message}
        if field is not None:
            detail["field"] = field
        return JSONResponse({"error": detail}, status_code=status, headers=headers)
    return render_html_error(request, status, message)


def render_html_error(request: Request, status: int, message: str) -> Response:
    """The web package's error page if it has one, else a minimal escaped page."""
    from .. import web

    render = getattr(web, "render_error", None)
    if render is not None:
        return render(request, status, message)  # type: ignore[no-any-return]
    text = html.escape(message)
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{status} · newsweave</title>'
        f"</head><body><h1>{status}</h1><p>{text}</p></body></html>"
    )
    return HTMLResponse(page, status_code=status)


def _field_of(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """The parameter a validation error is about: ``limit``, or ``body.0.text`` in a body."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("query", "path", "header", "cookie"):
        parts = parts[1:]
    # a union body ("one article or a list") names its branch: ArticleIn, list[ArticleIn]
    parts = [p for p in parts if not (p[:1].isupper() or "[" in p)]
    return ".".join(parts) or None


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {}
    field = _field_of(first.get("loc", ()))
    message = str(first.get("msg", "invalid request"))
    if field:
        message = f"{field}: {message}"
    return _respond(request, 422, CODES[422], message, field)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    if exc.status_code == 404 and message == "Not Found":
        message = f"no such page: {request.url.path}"
    code = CODES.get(exc.status_code, "error")
    return _respond(request, exc.status_code, code, message, headers=getattr(exc, "headers", None))


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _respond(request, exc.status, exc.code, exc.message, exc.field, exc.headers)


async def _not_found(request: Request, exc: Exception) -> Response:
    message = str(exc)
    prefix = f"{request.app.state.db_path}: "
    if message.startswith(prefix):  # the server's file path is no business of a client's
        message = message[len(prefix) :]
    return _respond(request, 404, CODES[404], message)


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("error answering %s %s", request.method, request.url.path, exc_info=exc)
    return _respond(request, 500, CODES[500], "internal error; the server log has the details")


def install(app: FastAPI) -> None:
    """Route every error class of the app to the one shape."""
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(Exception, _internal_error)
