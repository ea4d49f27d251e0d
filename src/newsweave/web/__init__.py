"""Web pages (server-rendered with Jinja2) over the store; mounted by :func:`newsweave.api.create_app`."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
