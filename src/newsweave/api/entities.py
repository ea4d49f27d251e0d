"""Entity look-up for search: names and aliases folded once per store version.

Matching a query against every alias would cost a pass over the entity table
per request; the folded names are kept in memory and rebuilt only when the
database files change (a write by this app or by ``newsweave run``).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from ..resolve import fold
from ..store import Store


@dataclass(frozen=True, slots=True)
class EntityName:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mention_count: int
    keys: tuple[str, ...]  # casefolded and folded forms of the name and aliases


def store_version(path: str) -> tuple[int, ...]:
    """Changes whenever the database or its write-ahead log is written."""
    version: list[int] = []
    for name in (path, path + "-wal"):
        try:
            stat = os.stat(name)
        except FileNotFoundError:
            version += [0, 0]
        else:
            version += [stat.st_mtime_ns, stat.st_size]
    return tuple(version)


class EntityIndex:
    """Every entity's folded names, rebuilt when the store changes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._version: tuple[int, ...] | None = None
        self._names: list[EntityName] = []
        self._exact: dict[str, list[EntityName]] = {}

    def _current(self, store: Store) -> tuple[list[EntityName], dict[str, list[EntityName]]]:
        version = store_version(self.path)
        with self._lock:
            if version != self._version:
                names: list[EntityName] = []
                exact: dict[str, list[EntityName]] = {}
                for entity_id, name, kind, aliases, count in store.entity_names():
                    forms = {name, *aliases}
                    keys = tuple(sorted({f.casefold() for f in forms} | {fold(f) for f in forms}))
                    entry = EntityName(entity_id, name, kind, aliases, count, keys)
                    names.append(entry)
                    for key in keys:
                        exact.setdefault(key, []).append(entry)
                names.sort(key=lambda e: (-e.mention_count, e.name, e.id))
                self._names, self._exact, self._version = names, exact, version
            return self._names, self._exact

    def exact(self, store: Store, text: str) -> list[EntityName]:
        """Entities one of whose spellings is ``text`` (up to case and transliteration)."""
        _names, exact = self._current(store)
        found = {e.id: e for key in {text.casefold(), fold(text)} for e in exact.get(key, [])}
        return sorted(found.values(), key=lambda e: (-e.mention_count, e.name, e.id))

    def containing(self, store: Store, text: str) -> list[EntityName]:
        """Entities one of whose spellings contains ``text``, most mentioned first."""
        names, _exact = self._current(store)
        wanted = {text.casefold(), fold(text)} - {""}
        return [e for e in names if any(w in key for w in wanted for key in e.keys)]
