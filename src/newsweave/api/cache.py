"""A cache of whole GET answers (API JSON and web pages), valid while the store is unchanged.

The store changes only through a write (``POST /api/articles`` or a
``newsweave run`` on the same file), so an answer can be kept until then: the
key holds the request's path and query and the store's version (the database
and WAL files' modification time and size, one ``stat`` each per request), and
a write through the app clears the cache. Only 200 answers to requests without
credentials or cookies are kept, bounded in entries and bytes, least recently
used out first. A hit is answered by this middleware alone: no routing, no
thread, no database.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .entities import store_version

#: Answers kept: the bench's working set (200 stories x 3 requests) fits with room.
MAX_ENTRIES = 4096
#: Bytes of answers kept; the largest story answer of the 10,000-article bench store is about 0.5 MB.
MAX_BYTES = 256 * 1024 * 1024
#: Paths never cached: files (served with their own validators) and the interactive docs.
UNCACHED_PREFIXES = ("/static/", "/docs", "/redoc")

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


class ResponseCache:
    def __init__(self, path: str, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.path = path
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[Any, ...], Answer] = OrderedDict()
        self._bytes = 0

    def key(self, scope: Scope) -> tuple[Any, ...]:
        return (scope["path"], scope.get("query_string", b""), store_version(self.path))

    def get(self, key: tuple[Any, ...]) -> Answer | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], answer: Answer) -> None:
        size = len(answer[2])
        if size > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = answer
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _old, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped[2])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


def _cacheable(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    if scope["path"].startswith(UNCACHED_PREFIXES):
        return False
    return not any(name in (b"authorization", b"cookie") for name, _value in scope["headers"])


class CacheMiddleware:
    """Answers a GET from the cache when it can, and keeps the 200 answers it could not."""

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _cacheable(scope):
            await self.app(scope, receive, send)
            return
        key = self.cache.key(scope)  # the version before building: a write meanwhile makes it stale
        found = self.cache.get(key)
        if found is not None:
            status, headers, body = found
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        if start.get("status") == 200:
            self.cache.put(key, (200, list(start.get("headers", [])), b"".join(chunks)))
