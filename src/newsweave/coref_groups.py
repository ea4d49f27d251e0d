"""A topic's documents grouped by event, for cross-document coreference (:mod:`.coref`).

Two similar events of one topic (two earthquakes, two actresses in rehab) share
their kind of entities ("the actress", "Friday") but not the entities, so common
nouns, times and events may only meet within one event's documents.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping

#: Average cosine of TF-IDF word vectors two groups of a topic's documents need to be
#: one group (one event); tuned on the train topics' subtopics.
SAME_EVENT_COSINE = 0.05
#: A document left alone joins the nearest group of several documents when its average
#: cosine to it reaches this (half the joining bar): a report the bar missed, since one
#: event is rarely told by one document of a topic (ECB+ train topics: B³ F1 of the
#: groups against the gold subtopics 0.878 -> 0.904; dev 0.903 -> 0.922).
LONE_DOCUMENT_COSINE = SAME_EVENT_COSINE / 2
#: How many times a capitalised word counts in a document's term frequencies: names
#: tell one event from a similar one ("Lohan" vs "Reid" checking into rehab) better
#: than the shared vocabulary of the topic does (groups' B³ F1, train 0.904 -> 0.941,
#: dev 0.922 -> 0.946).
NAME_WEIGHT = 2
#: The fewest documents TF-IDF can split into events (every ECB+ topic has more).
MIN_DOCUMENTS_TO_GROUP = 3
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "and",
        "on",
        "for",
        "at",
        "by",
        "with",
        "from",
        "is",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "that",
        "this",
        "it",
        "its",
        "he",
        "she",
        "they",
        "his",
        "her",
        "their",
        "as",
        "said",
        "says",
        "will",
        "would",
        "not",
        "but",
        "or",
        "are",
        "who",
        "which",
    ]
)


def event_groups(texts: Mapping[str, str]) -> dict[str, int]:
    """Documents of one topic grouped by event: average-link clustering of their
    TF-IDF word vectors (capitalised words weighed ``NAME_WEIGHT`` times), stopping
    below ``SAME_EVENT_COSINE``; then a document left alone joins its nearest group
    (``LONE_DOCUMENT_COSINE``). Two events of one topic share their kind of entities
    ("the actress", "Friday") but not the entities. Fewer than
    ``MIN_DOCUMENTS_TO_GROUP`` documents are one group: with two, every shared word
    has an inverse document frequency of zero, so no pair could meet."""
    ids = sorted(texts)
    if len(ids) < MIN_DOCUMENTS_TO_GROUP:
        return dict.fromkeys(ids, 0)
    vectors = _tfidf_vectors(texts)
    sim = {(a, b): sum(x * vectors[b].get(w, 0.0) for w, x in vectors[a].items()) for a in ids for b in ids}

    def link(x: list[str], y: list[str]) -> float:
        return sum(sim[(a, b)] for a in x for b in y) / (len(x) * len(y))

    groups = [[d] for d in ids]
    while len(groups) > 1:
        best, i, j = max(
            (link(x, y), i, j) for i, x in enumerate(groups) for j, y in enumerate(groups) if i < j
        )
        if best < SAME_EVENT_COSINE:
            break
        groups[i] += groups.pop(j)
    several = [g for g in groups if len(g) > 1]
    for lone in [g for g in groups if len(g) == 1] if several else []:
        nearest = max(several, key=lambda g: link(lone, g))
        if link(lone, nearest) >= LONE_DOCUMENT_COSINE:
            nearest += lone
            groups.remove(lone)
    return {d: n for n, group in enumerate(groups) for d in group}


def _tfidf_vectors(texts: Mapping[str, str]) -> dict[str, dict[str, float]]:
    """Unit TF-IDF vectors of words of three letters or more, stop words off."""
    ids = sorted(texts)
    words: dict[str, list[str]] = {}
    for d in ids:
        found = re.findall(r"[A-Za-z]{3,}", texts[d])
        words[d] = [w.lower() for w in found for _ in range(NAME_WEIGHT if w[:1].isupper() else 1)]
    df = Counter(w for d in ids for w in set(words[d]))
    vectors: dict[str, dict[str, float]] = {}
    for d in ids:
        tf = Counter(w for w in words[d] if w not in _STOP)
        v = {w: (1 + math.log(c)) * math.log(len(ids) / df[w]) for w, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors[d] = {w: x / norm for w, x in v.items() if x}
    return vectors
