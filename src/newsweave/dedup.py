"""Dedup stage: who copied whom.

* exact duplicates: the same normalised words (case, quotes, dashes folded);
* near duplicates: MinHash over word 5-shingles with LSH banding, candidates
  verified by their real Jaccard similarity (no all-pairs comparison);
* shared passages: runs of at least ``PASSAGE_MIN_WORDS`` identical words
  between two otherwise different articles, found from an index of word
  8-grams, with character offsets in both articles' clean text;
* relays: the reports an article says it repeats ("according to the FT",
  "The New York Times writes", "X, citing Y" gives both X and Y).

Direction: the article published on the earlier day is the origin; on the same
day or without dates no direction is claimed.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, ClassVar

import numpy as np

from .model import Article, Dossier, Relay, Reuse
from .stage import Stage

#: Words per shingle for near duplicates (the customary 5 for news text).
SHINGLE_WORDS = 5
#: MinHash permutations and LSH bands: 32 bands of 4 rows find pairs of
#: Jaccard 0.8 with probability 1 - (1 - 0.8^4)^32 > 0.9999.
PERMUTATIONS = 128
BANDS = 32
#: Seed of the MinHash hash functions: fixed, so signatures are the same on every run.
MINHASH_SEED = 20241105
#: Verified Jaccard of shingle sets at or above which two articles are near duplicates.
NEAR_DUPLICATE_JACCARD = 0.8
#: Words per fingerprint for shared passages.
PASSAGE_GRAM = 8
#: A shared passage has at least this many words: longer than the stock phrases
#: outlets share without copying ("the largest land war in Europe since World War II" is 11).
PASSAGE_MIN_WORDS = 25
#: An 8-gram found in more than this many articles is boilerplate, not a copy.
PASSAGE_MAX_ARTICLES = 20
_MERSENNE = np.uint64((1 << 61) - 1)

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "ʼ": "'"})


@dataclass(frozen=True)
class _Words:
    """An article's normalised words and where each stands in its clean text."""

    article: Article
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]


def _words(article: Article) -> _Words:
    text = article.text.translate(_FOLD)  # one character for one: offsets hold
    matches = list(_WORD.finditer(text))
    return _Words(article, tuple(m.group(0).casefold() for m in matches), tuple(m.span() for m in matches))


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def _day(article: Article) -> str | None:
    return article.published[:10] if article.published else None


def _ordered(a: Article, b: Article) -> tuple[Article, Article, str | None]:
    """(first, second, origin): the earlier-published article first when dates differ."""
    day_a, day_b = _day(a), _day(b)
    if day_a and day_b and day_a != day_b:
        return (a, b, a.id) if day_a < day_b else (b, a, b.id)
    return (a, b, None) if a.id < b.id else (b, a, None)


class Dedup(Stage):
    """Duplicates, near duplicates and shared passages between articles; relays within each."""

    name: ClassVar[str] = "dedup"
    requires: ClassVar[tuple[str, ...]] = ("articles",)
    provides: ClassVar[tuple[str, ...]] = ("reuse", "relays")

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        docs = [_words(a) for a in dossier.articles]
        reuse = find_copies(docs)
        copied = {(r.a, r.b) for r in reuse}
        reuse += [r for r in find_passages(docs) if (r.a, r.b) not in copied]
        relays = [relay for article in dossier.articles for relay in find_relays(article)]
        return {
            "reuse": tuple(sorted(reuse, key=lambda r: (r.a, r.b, r.a_start, r.b_start))),
            "relays": tuple(sorted(relays, key=lambda r: (r.article, r.start, r.end, r.source))),
        }


# ------------------------------------------------------ exact and near copies


def _shingles(words: Sequence[str]) -> set[int]:
    if len(words) < SHINGLE_WORDS:
        return {_hash(" ".join(words))} if words else set()
    return {_hash(" ".join(words[i : i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1)}


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The seeded (a, b) of the PERMUTATIONS hash functions ``(a * x + b) mod p``."""
    rng = np.random.default_rng(MINHASH_SEED)
    a = rng.integers(1, int(_MERSENNE), PERMUTATIONS, dtype=np.uint64)
    b = rng.integers(0, int(_MERSENNE), PERMUTATIONS, dtype=np.uint64)
    return a, b


def _minhash(shingles: set[int]) -> np.ndarray:
    """A seeded MinHash signature (universal hashing modulo a Mersenne prime)."""
    a, b = _permutations()
    values = np.fromiter(shingles, dtype=np.uint64, count=len(shingles)) % _MERSENNE
    hashed = (np.outer(values, a) + b) % _MERSENNE  # wraps mod 2^64 first: fine for hashing
    signature: np.ndarray = hashed.min(axis=0)
    return signature


def find_copies(docs: Sequence[_Words]) -> list[Reuse]:
    """Exact and near duplicates among the articles."""
    reuse: list[Reuse] = []
    by_text: dict[tuple[str, ...], list[_Words]] = defaultdict(list)
    for doc in docs:
        if doc.words:
            by_text[doc.words].append(doc)
    exact: set[tuple[str, str]] = set()
    for group in by_text.values():
        for x, y in combinations(group, 2):
            reuse.append(_whole(x, y, "duplicate"))
            exact.add(tuple(sorted((x.article.id, y.article.id))))  # type: ignore[arg-type]
    shingles = [_shingles(doc.words) for doc in docs]
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    rows = PERMUTATIONS // BANDS
    for index, doc_shingles in enumerate(shingles):
        if not doc_shingles:
            continue
        signature = _minhash(doc_shingles)
        for band in range(BANDS):
            buckets[(band, signature[band * rows : (band + 1) * rows].tobytes())].append(index)
    candidates = {pair for members in buckets.values() for pair in combinations(sorted(members), 2)}
    for i, j in sorted(candidates):
        pair = tuple(sorted((docs[i].article.id, docs[j].article.id)))
        if pair in exact:
            continue
        jaccard = len(shingles[i] & shingles[j]) / len(shingles[i] | shingles[j])
        if jaccard >= NEAR_DUPLICATE_JACCARD:
            reuse.append(_whole(docs[i], docs[j], "near_duplicate"))
    return reuse


def _whole(x: _Words, y: _Words, kind: str) -> Reuse:
    first, second, origin = _ordered(x.article, y.article)
    first_text, second_text = first.text, second.text
    return Reuse(first.id, second.id, kind, first_text, 0, len(first_text), 0, len(second_text), origin)


# ------------------------------------------------------------ shared passages


def find_passages(docs: Sequence[_Words]) -> list[Reuse]:
    """Maximal runs of at least PASSAGE_MIN_WORDS identical words shared by two articles."""
    index: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for d, doc in enumerate(docs):
        for position in range(len(doc.words) - PASSAGE_GRAM + 1):
            index[_hash(" ".join(doc.words[position : position + PASSAGE_GRAM]))].append((d, position))
    seeds: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for places in index.values():
        if len({d for d, _ in places}) > PASSAGE_MAX_ARTICLES:
            continue  # boilerplate shared by too many articles to be a copy
        for (d1, p1), (d2, p2) in combinations(places, 2):
            if d1 != d2:
                (d1, p1), (d2, p2) = sorted(((d1, p1), (d2, p2)))
                seeds[(d1, d2)].append((p1, p2))
    passages: list[Reuse] = []
    for (d1, d2), starts in sorted(seeds.items()):
        passages.extend(_runs(docs[d1], docs[d2], sorted(set(starts))))
    return passages


def _runs(x: _Words, y: _Words, starts: Iterable[tuple[int, int]]) -> list[Reuse]:
    """Extend each shared 8-gram to its maximal run of equal words; keep the long runs."""
    found: list[Reuse] = []
    covered: set[tuple[int, int]] = set()
    for p1, p2 in starts:
        if (p1, p2) in covered:
            continue
        while p1 > 0 and p2 > 0 and x.words[p1 - 1] == y.words[p2 - 1]:
            p1, p2 = p1 - 1, p2 - 1
        length = 0
        while (
            p1 + length < len(x.words)
            and p2 + length < len(y.words)
            and x.words[p1 + length] == y.words[p2 + length]
        ):
            covered.add((p1 + length, p2 + length))
            length += 1
        if length >= PASSAGE_MIN_WORDS:
            found.append(_passage(x, y, p1, p2, length))
    return found


def _passage(x: _Words, y: _Words, p1: int, p2: int, length: int) -> Reuse:
    spans = {x.article.id: (x.spans[p1][0], x.spans[p1 + length - 1][1])}
    spans[y.article.id] = (y.spans[p2][0], y.spans[p2 + length - 1][1])
    first, second, origin = _ordered(x.article, y.article)
    (a_start, a_end), (b_start, b_end) = spans[first.id], spans[second.id]
    return Reuse(
        first.id,
        second.id,
        "shared_passage",
        first.text[a_start:a_end],
        a_start,
        a_end,
        b_start,
        b_end,
        origin,
    )


# --------------------------------------------------------------------- relays

#: A named source: capitalised words (with "of", "for" inside), an optional "the"
#: before, an optional "(ACRONYM)" and role word after. Lowercase nouns ("the
#: agreement", "the report") are not sources.
_CAP = r"[A-Z](?:[\w'’-]|\.(?=\w))*"  # a capitalised word; a dot only inside ("U.S")
_NAME = (
    rf"(?:[Tt]he[ \t]+)?(?P<src>{_CAP}(?:[ \t]+(?:of[ \t]+|for[ \t]+)?{_CAP}){{0,5}}"
    r"(?:[ \t]+\([A-Z]{2,6}\))?"
    r"(?:[ \t]+(?:intelligence|officials?|media|military|government|ministry|agency|police|army|newspaper))?)"
)
_NAME2 = _NAME.replace("?P<src>", "?P<src2>")
_RELAY_PATTERNS = (
    # according to X, citing X, via X, reported by X, told X, ...
    re.compile(
        rf"\b(?:[Aa]ccording\s+to|[Cc]iting|[Vv]ia|[Rr]eported\s+by|[Ww]ith\s+reference\s+to|[Ii]nformed|[Tt]old|[Ii]n\s+an\s+interview\s+with)\s+{_NAME}"
    ),
    # X reported / writes; X, citing Y, wrote (both links); X, citing its own sources, reports
    re.compile(
        rf"\b{_NAME}(?:,\s+citing\s+(?:{_NAME2}|(?:its|their)\s+own\s+sources),?)?\s+(?:reported|reports|writes|wrote)\b"
    ),
    # writes X (inverted: "..., writes the FT")
    re.compile(rf"\b(?:writes|wrote|reports|reported)\s+{_NAME}"),
    # a syndication tag: "(MENAFN- UkrinForm)"
    re.compile(r"\(MENAFN-\s*(?P<src>[^)]+?)\s*\)"),
)
#: Capitalised words that open a sentence or clause before a name ("Yesterday
#: Reuters reported", "This Reuters ..."): cut from the front of a source, and a
#: source made only of them ("They reported", "Meanwhile reports") is no source.
# fmt: off
_OPENERS = frozenset([
    "a", "after", "also", "an", "and", "another", "as", "at", "but", "earlier", "for", "he", "her",
    "his", "i", "in", "it", "its", "last", "later", "meanwhile", "moreover", "my", "next", "now",
    "on", "our", "she", "since", "so", "that", "their", "then", "there", "these", "they", "this",
    "those", "thus", "today", "tonight", "we", "yesterday", "you", "your", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday",
])
# fmt: on
#: A nationality word ("according to Ukrainian sources", "with reference to Ukrainian
#: and American officials") is a modifier, not a source, when a lowercase word follows.
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ian|ean|can|ese|ish)")
_LOWERCASE_NEXT = re.compile(r"[ \t]+[a-z]")


def find_relays(article: Article) -> list[Relay]:
    """The named reports an article repeats, with the attributing phrase's span."""
    text = article.text
    relays: dict[tuple[int, int, str], Relay] = {}
    for pattern in _RELAY_PATTERNS:
        for match in pattern.finditer(text):
            start = match.start()
            for group in ("src", "src2"):
                if match.groupdict().get(group) is None:
                    continue
                source, source_start = _without_openers(match.group(group), match.start(group))
                if source is None:
                    continue
                if _DEMONYM.fullmatch(source) and _LOWERCASE_NEXT.match(text, match.end(group)):
                    continue
                if source_start > match.start(group) and match.start(group) - start <= len("the "):
                    start = source_start  # openers cut from the phrase's front: start at the source
                relay = Relay(article.id, source, text[start : match.end()], start, match.end())
                relays.setdefault((relay.start, relay.end, source), relay)
    return _tightest(relays.values())


def _tightest(relays: Iterable[Relay]) -> list[Relay]:
    """One relay per mention of a source: of overlapping phrases naming the same source
    ("Ukrayinska Pravda, citing the FT, wrote" and "citing the FT"), the shortest."""
    kept: list[Relay] = []
    for relay in sorted(relays, key=lambda r: (r.end - r.start, r.start, r.source)):
        if not any(k.source == relay.source and k.start < relay.end and relay.start < k.end for k in kept):
            kept.append(relay)
    return kept


def _without_openers(source: str, start: int) -> tuple[str | None, int]:
    """The source with its leading opener words cut off, and where it now starts."""
    for word in re.finditer(r"\S+", source):
        if word.group(0).casefold().strip(",") not in _OPENERS:
            return source[word.start() :].strip(" ,."), start + word.start()
    return None, start
