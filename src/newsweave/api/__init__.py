"""HTTP API: a FastAPI app over one store, for tools (JSON under /api) and the web pages.

Read endpoints only read the store (never re-run the pipeline); ``POST
/api/articles`` runs the pipeline incrementally on the posted articles and is
refused without ``Authorization: Bearer <NEWSWEAVE_TOKEN>``. Every error under
``/api`` has one JSON shape::

    {"error": {"code": "not_found", "message": "...", "field": "limit"}}

with the stable codes of :data:`newsweave.api.errors.CODES`; errors on other
paths (the web pages) are an HTML page with the message escaped.
"""

from __future__ import annotations

from .app import create_app, store_dependency

__all__ = ["create_app", "store_dependency"]
