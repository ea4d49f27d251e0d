"""Entity look-up for search: names and aliases folded once per store version.

Matching a query against every alias would cost a pass over the entity table
per request; the folded names are kept in memory, with a sorted list of their
words for prefix look-ups by bisection, and rebuilt only when the database
files change (a write by this app or by ``newsweave run``).
"""

from __future__ import annotations

import bisect
import os
import re
import threading
from dataclasses import dataclass

from ..resolve import fold
from ..store import Store, is_server_url


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
    if is_server_url(path):
        from ..store_postgres import shared_store

        return shared_store(path).data_version()
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
        self._words: list[tuple[str, int]] = []  # (word of a key, position in _names), sorted

    def _refresh(self, store: Store) -> None:
        version = store_version(self.path)
        with self._lock:
            if version == self._version:
                return
            names: list[EntityName] = []
            exact: dict[str, list[EntityName]] = {}
            folded: dict[str, str] = {}  # names repeat across entities; fold each once
            for entity_id, name, kind, aliases, count in store.entity_names():
                forms = {name, *aliases}
                for form in forms:
                    if form not in folded:
                        folded[form] = fold(form)
                keys = tuple(sorted({f.casefold() for f in forms} | {folded[f] for f in forms}))
                entry = EntityName(entity_id, name, kind, aliases, count, keys)
                names.append(entry)
                for key in keys:
                    exact.setdefault(key, []).append(entry)
            names.sort(key=lambda e: (-e.mention_count, e.name, e.id))
            words = sorted(
                {(w, i) for i, e in enumerate(names) for key in e.keys for w in _WORD.findall(key)}
            )
            self._names, self._exact, self._words, self._version = names, exact, words, version

    def exact(self, store: Store, text: str) -> list[EntityName]:
        """Entities one of whose spellings is ``text`` (up to case and transliteration)."""
        self._refresh(store)
        found = {e.id: e for key in {text.casefold(), fold(text)} for e in self._exact.get(key, [])}
        return sorted(found.values(), key=lambda e: (-e.mention_count, e.name, e.id))

    def starting(self, store: Store, text: str) -> list[EntityName]:
        """Entities with, for every word of ``text``, a word of a spelling starting with it
        (case and transliteration folded), most mentioned first."""
        self._refresh(store)
        found: set[int] = set()
        for query in dict.fromkeys((text.casefold(), fold(text))):
            found |= self._all_words_start(_WORD.findall(query))
        return [self._names[i] for i in sorted(found)]

    def _all_words_start(self, words: list[str]) -> set[int]:
        """Positions of the entities having, for each of ``words``, a word starting with it."""
        found: set[int] | None = None
        for word in words:
            start = bisect.bisect_left(self._words, (word, -1))
            hits = set()
            for other, position in self._words[start:]:
                if not other.startswith(word):
                    break
                hits.add(position)
            found = hits if found is None else found & hits
        return found or set()


_WORD = re.compile(r"\w+")
