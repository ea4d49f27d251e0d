"""What the stories stage compares: one sparse, weighted term vector per article.

An article's features are its content words, the numbers it states (a magnitude,
a death toll, a year tell two similar events apart), the names of the entities
it mentions and the days its events happened on (from ``extract``), each kind a
term of its own ("word", "#6.1", "@kyiv", "%2024-11-04") and the names and
dates weighted up, so that two earthquakes on two islands part ways even when
their words are the same. Weights are TF-IDF (sublinear tf, smoothed idf) and a
vector is unit length, so a dot product is a cosine.
"""

from __future__ import annotations

import math
import re
import sys
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress, islice, repeat
from operator import add, ge, mul

import numpy

from ..model import Article, DateMention, Mention

Vector = dict[str, float]

#: Evidence terms start with "#", "%" or "@", which sort before every letter (a word's
#: first character), so a sorted list of terms holds the evidence first, then the words.
WORDS_FROM = "A"

#: Mention types whose shared names count as evidence of one event.
ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
#: Weights within the evidence part of a vector (names, numbers, event days; normalised
#: apart from the words): a name counts twice a number, an event day one and a half.
#: Set by hand; on the ECB+ train topics names at 1.0, 2.0 and 3.0 were within 0.02.
ENTITY_BOOST = 2.0
#: Weight of a stated number ("6.1", "2009", "15,000") relative to a word's.
NUMBER_BOOST = 1.0
#: Weight of a day an event happened on (an extract date of day grain).
EVENT_DAY_BOOST = 1.5

#: Words and evidence terms kept per article vector (the heaviest). A long article's tail
#: of rare words costs time in every comparison and says little about its event; on
#: ECB+ (articles of about 100 words) nothing is cut, and with LEAD_CHARS read an article
#: of the throughput stream has about 123 distinct terms (so the cut seldom bites).
ARTICLE_WORDS = 150
#: Only an article's first this many characters are read: news tells its event first
#: (and pages end in chrome); Timeline17 articles average 11,000 characters of crawl text.
#: 2,000 rather than 3,000: an article then has about 123 distinct terms instead of 161 (the
#: throughput stream), and a tracker adds 10-14 % more articles per CPU second (8k stream,
#: alternated); ECB+ batch B-cubed F1 0.938 -> 0.940, stream 0.929 -> 0.923, article-
#: similarity Pearson 0.600 either way.
LEAD_CHARS = 2_000
ARTICLE_EVIDENCE = 50
#: The headline and the article's first LEAD_WORDS_CHARS characters tell its event; their
#: words count LEAD_WEIGHT times more (as if said again). ECB+ train topics, batch B-cubed
#: F1 with the size-dependent cohesion rule: lead weight 0: 0.913, 1: 0.924, 2: 0.926
#: (300 characters; 150 and 500 were within 0.01, the dev topics only scored).
LEAD_WORDS_CHARS = 300
LEAD_WEIGHT = 2

_WORD = re.compile(r"[^\W\d_]{3,}")
#: A number of two or more digits, or with a decimal part: "2009", "6.1", "15,000".
#: (The lookbehind comes after the first digit, so the engine scans for a digit first:
#: twice as fast as the same rule with the lookbehind leading, the same matches.)
_NUMBER = re.compile(r"\d(?<![\w.,]\d)[\d,]*(?:\.\d+)?(?![\w])")
#: The same two rules for a text that is all ASCII (most news; ``str.isascii`` is a flag
#: lookup): there Unicode letters, digits and word characters are ASCII ones, so the
#: matches are the same, and the engine tests a character class of ranges, not Unicode's
#: tables (on the throughput stream words 1.8 times and numbers 1.5 times as fast).
_ASCII_WORD = re.compile(r"[a-zA-Z]{3,}")
_ASCII_NUMBER = re.compile(_NUMBER.pattern, re.ASCII)
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "that",
        "with",
        "from",
        "this",
        "was",
        "were",
        "are",
        "has",
        "have",
        "had",
        "been",
        "not",
        "but",
        "they",
        "their",
        "them",
        "its",
        "his",
        "her",
        "she",
        "him",
        "who",
        "which",
        "what",
        "when",
        "where",
        "will",
        "would",
        "could",
        "should",
        "can",
        "may",
        "might",
        "also",
        "said",
        "says",
        "after",
        "before",
        "into",
        "over",
        "than",
        "then",
        "there",
        "these",
        "those",
        "about",
        "more",
        "most",
        "other",
        "some",
        "such",
        "only",
        "very",
        "just",
        "being",
        "because",
        "while",
        "during",
        "against",
        "between",
        "under",
        "again",
        "further",
        "once",
        "here",
        "both",
        "each",
        "few",
        "own",
        "same",
        "too",
        "out",
        "our",
        "your",
        "all",
        "any",
        "how",
        "why",
        "you",
        "one",
        "two",
        "new",
        "first",
        "last",
        "year",
        "years",
        "day",
        "days",
        "time",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "week",
        "according",
        "told",
        "reported",
        "reports",
        "report",
        "news",
        "people",
    ]
)


@dataclass(frozen=True, slots=True)
class Features:
    """The raw (unweighted) features of one article."""

    article_id: str
    day: date | None  # publication day
    counts: Counter[str]  # term -> occurrences, every kind prefixed as above
    words: int  # the first this many terms of counts are words, the rest evidence


def publication_day(article: Article) -> date | None:
    try:
        return date.fromisoformat(article.published[:10]) if article.published else None
    except ValueError:
        return None


def _number(text: str) -> str | None:
    value = text.replace(",", "")
    if len(value) < 2 and "." not in value:
        return None  # "3 people": too common to tell events apart
    return "#" + value


def _word(text: str) -> re.Pattern[str]:
    """The word rule for ``text``: the ASCII one when it is all ASCII (the same matches)."""
    return _ASCII_WORD if text.isascii() else _WORD


def _words(text: str) -> list[str]:
    return _word(text).findall(text)


def features(
    article: Article, mentions: Sequence[Mention] = (), dates: Sequence[DateMention] = ()
) -> Features:
    """Features of ``article`` with its own mentions and dates (those of other articles ignored)."""
    text = article.text[:LEAD_CHARS]
    folded = text.casefold()
    word = _word(folded)
    counts: Counter[str] = Counter(word.findall(folded))
    title = _words(article.title.casefold()) if article.title else []
    # the headline's words and the text's first LEAD_WORDS_CHARS characters' (endpos: as
    # if the text ended there), each counted LEAD_WEIGHT times more
    lead = title + word.findall(folded, 0, LEAD_WORDS_CHARS)
    for _ in range(LEAD_WEIGHT):
        counts.update(lead)
    counts.update(title)  # the headline is not in the text
    list(map(counts.pop, _STOP.intersection(counts)))  # dict.pop, in C
    words = len(counts)  # every term so far is a word; the evidence follows
    number = _ASCII_NUMBER if text.isascii() else _NUMBER
    counts.update(n for n in map(_number, number.findall(text)) if n)
    counts.update("@" + m.text.casefold().removeprefix("the ") for m in mentions if m.type in ENTITY_TYPES)
    counts.update("%" + d.value for d in dates if d.value and d.grain == "day")
    return Features(article.id, publication_day(article), counts, words)


def _boost(term: str) -> float:
    kind = term[0]
    if kind == "@":
        return ENTITY_BOOST
    if kind == "#":
        return NUMBER_BOOST
    if kind == "%":
        return EVENT_DAY_BOOST
    return 1.0


def idf(document_frequency: int, documents: int) -> float:
    """Smoothed IDF (as scikit-learn's): a term in every article still counts a little."""
    return math.log((1 + documents) / (1 + document_frequency)) + 1.0


class _Table:
    """``f(k)`` for k = 0, 1, 2, ... as a numpy array, grown on demand: the logs of counts
    and document frequencies are few distinct integers, so :func:`weigh` gathers them
    (each value computed once with :mod:`math`, the same floats as a call per term)."""

    def __init__(self, f: Callable[[int], float]) -> None:
        self.f = f
        self.values = numpy.zeros(0)

    def __getitem__(self, ks: numpy.ndarray) -> numpy.ndarray:
        top = int(ks.max()) if len(ks) else -1
        if top >= len(self.values):
            size = max(2 * len(self.values), top + 1, 1024)
            self.values = numpy.array([self.f(k) for k in range(size)])
        gathered: numpy.ndarray = self.values[ks]
        return gathered


#: log(1 + df) and a count's sublinear tf (1 + log tf), as :func:`idf` computes them.
_LOG1P = _Table(lambda k: math.log(1 + k))
_SUBLINEAR_TF = _Table(lambda k: 1 + math.log(k) if k > 1 else 1.0)


def vector(counts: Mapping[str, int], df: Mapping[str, int], documents: int) -> Vector:
    """TF-IDF vector of one article's counts, its words and its evidence (names, numbers,
    event days) each of unit length, so that :class:`Group` can weigh the two apart; only
    the ARTICLE_WORDS heaviest words and ARTICLE_EVIDENCE heaviest evidence terms are kept."""
    terms, weights, _cut = weighted(counts, df, documents)
    return dict(zip(terms, weights, strict=True))


def weighted(
    counts: Mapping[str, int], df: Mapping[str, int], documents: int, words: int | None = None
) -> tuple[list[str], list[float], int]:
    """:func:`vector` as its terms and weights in order, words first, and the number of
    words (a tracker compares and keeps an article in this form, without the dict).
    ``words``: when the counts hold their words first (as :func:`features` gives them,
    :attr:`Features.words`), how many; else each term is looked at."""
    return weighted_terms(list(counts), counts.values(), df, documents, words)


def weighted_terms(
    terms: Sequence[str],
    counts: Iterable[int],
    df: Mapping[str, int],
    documents: int,
    words: int | None = None,
) -> tuple[list[str], list[float], int]:
    """:func:`weighted` of an article's ``terms`` and their ``counts`` given apart."""
    frequencies = numpy.fromiter(map(df.get, terms, repeat(0)), numpy.intp, len(terms))
    kept, weights, cut = weigh(terms, frequencies, counts, documents, words)
    return list(map(sys.intern, map(terms.__getitem__, kept))), weights, cut


def weigh(
    terms: Sequence[str],
    frequencies: numpy.ndarray,
    counts: Iterable[int],
    documents: int,
    words: int | None = None,
) -> tuple[list[int], list[float], int]:
    """The weighting of :func:`weighted` on arrays: ``terms``' document ``frequencies`` and
    their ``counts`` in one article. Returns the positions in ``terms`` kept (words first,
    each part heaviest first), their weights, and the number of words kept. Numpy does
    the arithmetic in the order :func:`idf` gives it, so the floats are those of a loop
    term by term (the squares are summed in Python, left to right, as ``sum`` did)."""
    tf = numpy.fromiter(counts, numpy.intp, len(terms))
    weights = ((math.log(1 + documents) - _LOG1P[frequencies]) + 1.0) * _SUBLINEAR_TF[tf]
    if words is None:
        is_word = numpy.fromiter(map(ge, terms, repeat(WORDS_FROM)), bool, len(terms))
        word_at, evidence_at = numpy.flatnonzero(is_word), numpy.flatnonzero(~is_word)
    else:
        word_at, evidence_at = numpy.arange(words), numpy.arange(words, len(terms))
    boosts = numpy.fromiter(
        map(_boost, map(terms.__getitem__, evidence_at.tolist())), float, len(evidence_at)
    )
    out_at: list[int] = []
    out_weights: list[float] = []
    cut = 0  # the number of words, set after the first (words) pass
    for first, (at, ws, keep) in enumerate(
        (
            (word_at, weights[word_at], ARTICLE_WORDS),
            (evidence_at, weights[evidence_at] * boosts, ARTICLE_EVIDENCE),
        )
    ):
        if len(at) > keep:
            # heaviest first; ties in the order the text gave them (a stable sort)
            order = numpy.argsort(-ws, kind="stable")[:keep]
            at, ws = at[order], ws[order]
        norm = math.sqrt(sum((ws * ws).tolist())) or 1.0
        out_at += at.tolist()
        out_weights += (ws / norm).tolist()
        if first == 0:
            cut = len(out_at)
    return out_at, out_weights, cut


def has_evidence(v: dict[str, float]) -> bool:
    # from the end: :func:`vector` puts the evidence after the words
    return any(t < WORDS_FROM for t in reversed(v))


def has_words(v: dict[str, float]) -> bool:
    # :func:`vector` puts the words first
    return bool(v) and next(iter(v)) >= WORDS_FROM


def is_evidence(term: str) -> bool:
    """Whether a term is a name, a number or an event day rather than a word."""
    return term < WORDS_FROM


def dot(x: Mapping[str, float], y: Mapping[str, float]) -> float:
    if len(x) > len(y):
        x, y = y, x
    # in C: the same products, summed in the same order, as a loop over x
    products: Iterable[float] = map(mul, x.values(), map(y.get, x, repeat(0.0)))
    return sum(products)


def salient(v: Mapping[str, float], n: int) -> list[str]:
    """The ``n`` heaviest terms of a vector (ties by term, so the choice is deterministic)."""
    terms: Iterable[str] = v
    if len(v) > n:
        # only the terms at least as heavy as the n-th heaviest can be chosen (ties at it
        # included): sorting floats, then a few strings, instead of every term's string
        floor = sorted(v.values(), reverse=True)[n - 1]
        terms = compress(v, map(ge, v.values(), repeat(floor)))
    # by term, then (a stable sort, reversed stably) by weight: no Python key function
    return sorted(sorted(terms), key=v.__getitem__, reverse=True)[:n]


def add_into(total: dict[str, float], v: Mapping[str, float]) -> None:
    """Add ``v`` into ``total`` term by term (in C: the same floats as a loop of
    ``total[t] = total.get(t, 0.0) + w``)."""
    add_terms(total, list(v), v.values())


def add_terms(total: dict[str, float], terms: Sequence[str], weights: Iterable[float]) -> None:
    """:func:`add_into` for a vector given as its terms and weights (each term once)."""
    total.update(zip(terms, map(add, map(total.get, terms, repeat(0.0)), weights), strict=False))


def gap_days(a: tuple[date, date] | None, b: tuple[date, date] | None) -> int:
    """Days between two date spans (0 when they overlap or one is unknown)."""
    if a is None or b is None:
        return 0
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def span(a: tuple[date, date] | None, b: tuple[date, date] | None) -> tuple[date, date] | None:
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), max(a[1], b[1]))


# ------------------------------------------------------------------ linking rule
# One rule for batch and stream: two groups of articles are one story when the mean
# cosine over all their cross pairs (average link, computed exactly from the groups'
# summed vectors) reaches LINK_SIMILARITY, raised when their dates lie apart.

#: Mean cross-pair cosine of words at or above which two groups (or an article and a
#: story) are one story. Tuned on the ECB+ train topics (B-cubed F1 of sub-topics, batch,
#: with the other rules): 0.12 gave 0.930, 0.14 0.926, 0.16 0.920 (with the former flat
#: cohesion ratio 0.14 was best); the dev topics (2, 5, 12, 18, 21, 23, 34, 35) were only scored.
LINK_SIMILARITY = 0.12
#: Groups whose publication dates are at most this many days apart need no more evidence.
SAME_EVENT_DAYS = 7
#: Extra mean cosine needed per 30 days beyond SAME_EVENT_DAYS (a month apart: 0.16 -> 0.26),
#: capped at MAX_TIME_PENALTY; set so that an update a month later still joins when it
#: repeats the story's names and numbers, checked on the Timeline17 stream (no tuning there).
TIME_PENALTY_PER_MONTH = 0.10
MAX_TIME_PENALTY = 0.25
#: Mean cosine of names, numbers and event days two groups need besides their words
#: (when both have any): two earthquakes told in the same words part on their places,
#: magnitudes and dates. Tuned with LINK_SIMILARITY on the ECB+ train topics (grid 0-0.2:
#: 0 gave 0.860, 0.05 0.870, 0.10 0.864, 0.20 0.855).
EVIDENCE_SIMILARITY = 0.05
#: Two groups of two or more articles join only when their mean cross cosine is at least
#: a share of the lesser of their own mean cosines: two events of one kind (two
#: earthquakes) form two tight groups closer to themselves than to each other. The share
#: grows with the smaller group's size n, COHESION_RATIO_LARGE - (LARGE - PAIR) * 2 / n,
#: since a group's own mean is a surer yardstick the more articles it averages: on random
#: subsets of the ECB+ sub-topics the cross/own ratio of one event is >= 0.98 (10th
#: percentile) for groups of 3 to 8 and of two events <= 0.93 (90th), but for pairs the two
#: overlap (0.92 / 1.03). Tuned on the ECB+ train topics (batch B-cubed F1): a flat 0.7
#: 0.897, PAIR 0.6 / LARGE 0.8 0.926, 0.6 / 0.85 0.926, 0.5 / 0.85 0.926, 0.7 / 0.8 0.915.
#: A single article joining a story is not held to it (0.4 of the story's own mean lost
#: 0.004, 0.6 lost 0.03: one article's cosines are noisy).
COHESION_RATIO_PAIR = 0.6
COHESION_RATIO_LARGE = 0.85


def cohesion_ratio(smaller: int) -> float:
    """The share of their own mean cosine two groups (the smaller of ``smaller`` articles,
    at least 2) need between them."""
    return COHESION_RATIO_LARGE - (COHESION_RATIO_LARGE - COHESION_RATIO_PAIR) * 2 / smaller


#: Weight of evidence against words in :func:`similarity` (one score per pair: the order in
#: which batch takes candidate pairs, the story a streamed article joins first). On the
#: article-similarity pairs (Pearson, en-en / same-language): 0 0.734 / 0.575, 0.1 0.722 /
#: 0.584, 0.5 0.619 / 0.559 (numbers alone are a noisy signal); ECB+ train F1 moved < 0.002.
EVIDENCE_WEIGHT = 0.1


def required_similarity(gap: int) -> float:
    """The mean cosine of words two groups ``gap`` days apart need to be one story."""
    late = max(0, gap - SAME_EVENT_DAYS) / 30.0
    return LINK_SIMILARITY + min(MAX_TIME_PENALTY, TIME_PENALTY_PER_MONTH * late)


def link(sum_a: Mapping[str, float], sum_b: Mapping[str, float]) -> tuple[float, float]:
    """Dot products of two summed vectors: of their words, and of their evidence."""
    common = sorted(sum_a.keys() & sum_b.keys())  # walks the smaller, in C
    if not common:
        return 0.0, 0.0
    cut = bisect_left(common, WORDS_FROM)  # evidence first, then words
    products = list(map(mul, map(sum_a.__getitem__, common), map(sum_b.__getitem__, common)))
    return sum(products[cut:]), sum(products[:cut]) if cut else 0.0


def link_terms(
    terms: Sequence[str], weights: Sequence[float], cut: int, other: Mapping[str, float]
) -> tuple[float, float]:
    """:func:`link` of a vector given as its terms and weights, words first (the first
    ``cut``, as :func:`weighted` orders them), and a vector ``other``: one lookup per term,
    in C, with no set of common terms built or sorted (the sums in this vector's order)."""
    get = other.get
    # map stops with the shorter input: the words' products, summed as they come
    words = sum(map(mul, weights, map(get, islice(terms, cut), repeat(0.0))))
    return words, sum(map(mul, weights[cut:], map(get, terms[cut:], repeat(0.0))))


def similarity(x: dict[str, float], y: dict[str, float], both_have_evidence: bool | None = None) -> float:
    """One score in [0, 1] for two article vectors: the cosine of their words, and of their
    evidence where both have some, weighted EVIDENCE_WEIGHT to 1."""
    words, evidence = link(x, y)
    if both_have_evidence is None:
        both_have_evidence = has_evidence(x) and has_evidence(y)
    if not both_have_evidence:
        return words
    return (words + EVIDENCE_WEIGHT * evidence) / (1 + EVIDENCE_WEIGHT)


class Group:
    """Articles taken together: their summed vectors, size, date span, and the summed
    vectors' dot products with themselves (which give the group's own cohesion)."""

    __slots__ = ("evidence", "owned", "self_evidence", "self_words", "size", "span", "total")

    def __init__(
        self, v: Vector, day: date | None, words: bool | None = None, evidence: bool | None = None
    ) -> None:
        """One article's group; with ``words`` and ``evidence`` (whether it has any of each)
        given, ``v`` may be left empty: a group compared only by cross dot products given
        to :meth:`linked` (:func:`.batch.cluster_dots`) needs no summed vector. ``v`` is
        not copied until the group takes another in (a corpus's groups are mostly single
        articles: a copy each was half the batch grouping's memory beside the vectors)."""
        self.total: Vector = v
        self.owned = False  # whether total is this group's own (else the article's vector)
        self.size = 1
        self.span = (day, day) if day else None
        self.evidence = has_evidence(v) if evidence is None else evidence
        # an article's words and its evidence are each of unit length (or empty)
        self.self_words = 1.0 if (has_words(v) if words is None else words) else 0.0
        self.self_evidence = 1.0 if self.evidence else 0.0

    def cohesion(self) -> float | None:
        """Mean cosine of words over the group's own pairs (None for one article)."""
        if self.size < 2:
            return None
        return (self.self_words - self.size) / (self.size * (self.size - 1))

    def linked(
        self, other: Group, cohesive: bool = True, cross: tuple[float, float] | None = None
    ) -> tuple[bool, tuple[float, float]]:
        """The linking rule, and the cross dot products (for :meth:`absorb`; given as
        ``cross`` when known, else from the summed vectors). With ``cohesive=False`` the
        cohesion ratio is left out (a bridging article checks it)."""
        if cross is None:
            cross = link(self.total, other.total)
        pairs = self.size * other.size
        words, evidence = cross[0] / pairs, cross[1] / pairs
        if words < required_similarity(gap_days(self.span, other.span)):
            return False, cross
        if self.evidence and other.evidence and evidence < EVIDENCE_SIMILARITY:
            return False, cross
        own = [c for c in (self.cohesion(), other.cohesion()) if c is not None]
        smaller = min(self.size, other.size)
        if cohesive and len(own) == 2 and words < cohesion_ratio(smaller) * min(own):
            return False, cross  # two tight groups closer to themselves than to each other
        return True, cross

    def fits(self, words: float, ratio: float) -> bool:
        """Whether an article whose mean cosine of words to this group is ``words`` is as
        close to it as its own articles are to each other (within ``ratio``)."""
        own = self.cohesion()
        return own is None or words >= ratio * own

    def absorb(self, other: Group, cross: tuple[float, float]) -> None:
        if not self.owned:
            self.total, self.owned = dict(self.total), True
        if other.total:  # groups of :func:`.batch.cluster_dots` have none
            add_into(self.total, other.total)
        self.self_words += other.self_words + 2 * cross[0]
        self.self_evidence += other.self_evidence + 2 * cross[1]
        self.size += other.size
        self.span = span(self.span, other.span)
        self.evidence = self.evidence or other.evidence
