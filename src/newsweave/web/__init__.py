"""Web pages (server-rendered with Jinja2) over the store; mounted by :func:`newsweave.api.create_app`.

Pages: the story list and search (``/``, ``/search``), a story (``/stories/{id}``),
an article (``/articles/{id}``) and an entity (``/entities/{id}``). Templates
autoescape every value, so article text, titles and names are always escaped;
the SVG pictures of :mod:`newsweave.web.svg` escape their own text. The static
folder holds one stylesheet and one small script: nothing is fetched from
elsewhere, the pages work offline.
"""

from __future__ import annotations

from .pages import STATIC_DIR, TEMPLATES_DIR, render_error, router

__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "render_error", "router"]
