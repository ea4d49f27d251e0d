"""A small pool of open read stores, one request at a time per connection.

SQLite connections are cheap to keep and dear to open (``Store`` sets WAL and
checks migrations on open), so the app keeps connections open and hands each
request one that no other request is using. Connections are opened with
``check_same_thread=False`` because FastAPI may run a dependency and its endpoint
on different worker threads; the pool guarantees one user at a time.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..store import Store, is_server_url

#: Connections kept open when idle; more are opened under load and closed after.
#: Starlette's thread pool runs up to 40 sync endpoints at once; 8 idle
#: connections covered the bench's 16 concurrent clients on 2 cores without churn.
IDLE_CONNECTIONS = 8


class StorePool:
    """``with pool.store() as store:`` gives an open Store used by this caller only."""

    def __init__(self, path: str | Path, idle: int = IDLE_CONNECTIONS) -> None:
        self.path = str(path)
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue(maxsize=idle)

    @contextmanager
    def store(self) -> Iterator[Store]:
        if is_server_url(self.path):  # PostgreSQL: one thread-safe store with its own pool
            from ..store_postgres import shared_store

            yield shared_store(self.path)
            return
        try:
            store = self._idle.get_nowait()
        except queue.Empty:
            store = Store(self.path, check_same_thread=False)
        try:
            yield store
        finally:
            try:
                self._idle.put_nowait(store)
            except queue.Full:
                store.close()

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
