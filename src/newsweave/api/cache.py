"""A cache of encoded JSON answers, valid while the store is unchanged.

The store changes only through a write (``POST /api/articles`` or a
``newsweave run`` on the same file), so an answer can be kept until then: the
key holds the store's version (the database and WAL files' modification time
and size, read with one ``stat`` each per request) and a write through the app
clears the cache. Bounded in entries and bytes, least recently used out first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from .entities import store_version

#: Answers kept: the bench's working set (200 stories x 3 requests) fits with room.
MAX_ENTRIES = 2048
#: Bytes of answers kept; the largest story of the 10,000-article bench store is about 0.5 MB.
MAX_BYTES = 128 * 1024 * 1024


class ResponseCache:
    def __init__(self, path: str, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.path = path
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._bytes = 0

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def get_or_build(self, key: tuple[Any, ...], build: Callable[[], Any]) -> bytes:
        key = (*key, store_version(self.path))
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        body = JSONResponse(build()).body  # built outside the lock: readers do not queue behind it
        with self._lock:
            if key not in self._entries and len(body) <= self.max_bytes // 4:
                self._entries[key] = bytes(body)
                self._bytes += len(body)
                while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                    _old, dropped = self._entries.popitem(last=False)
                    self._bytes -= len(dropped)
        return bytes(body)


def cached_json(request: Request, build: Callable[[], Any]) -> Response:
    """The JSON answer for this request's path and query, from the cache or ``build()``."""
    cache: ResponseCache = request.app.state.response_cache
    key = (request.url.path, tuple(sorted(request.query_params.multi_items())))
    return Response(cache.get_or_build(key, build), media_type="application/json")
