"""Text helpers shared by the claims modules, the timeline and the brief: crude stems of
content words, and records inside or overlapping a span."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import pairwise
from typing import Any

_DEPENDENT = re.compile(
    r"^(?:also|but|however|and|moreover|meanwhile|he|she|it|they|this|that|these|those|there)\b"
    r"|\b(?:this|that|it|them)[.!]?[\"”’']?$",
    re.I,
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][a-z]+)?|\d[\d,. ]*\d|\d")
_SEPARATORS = re.compile(r"[ ,.]")
_STOP = frozenset(
    [
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "from", "by", "with",
        "as", "that", "this", "these", "those", "it", "its", "is", "are", "was", "were", "be", "been",
        "has", "have", "had", "will", "would", "could", "should", "may", "might", "can", "do", "does",
        "did", "not", "no", "than", "then", "there", "their", "they", "them", "he", "she", "his", "her",
        "him", "we", "our", "you", "your", "i", "also", "which", "who", "whom", "what", "when", "where",
        "while", "about", "after", "before", "into", "over", "under", "more", "most", "some", "such",
        "only", "very", "just", "so", "if", "because", "said", "says", "told", "according"
    ]
)  # fmt: skip


#: Memo size for the word functions (stems, lemmas): a corpus's vocabulary repeats, and
#: every claim, brief and timeline sentence asks again. The memos only save time.
WORD_MEMO = 1 << 16


@lru_cache(maxsize=WORD_MEMO)
def stem(word: str) -> str:
    """A content word's crude stem: folded, one plural, possessive or -ing/-ed ending off."""
    word = word.casefold().replace("’", "'")
    for suffix in ("'s", "ies", "es", "s", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


#: Per ``normal`` function, word -> its term (:func:`content_terms`); emptied past
#: TERM_MEMO words. Every sentence of a story is read by the claims, the brief's verifier
#: and the timeline, and their words repeat. The memo only saves time.
TERM_MEMO = 1 << 18
_TERMS: dict[Callable[[str], str], dict[str, str]] = {}
_NO_TERM = "\x00"  # no word's term: terms are made of word characters


@lru_cache(maxsize=1 << 14)  # pure; the verifier asks again for every candidate sentence
def content_stems(text: str) -> frozenset[str]:
    """The crude stems of a text's content words (numbers kept without separators)."""
    return content_terms(text, stem)


def content_terms(text: str, normal: Callable[[str], str]) -> frozenset[str]:
    """``normal`` of each content word of a text (stop words and words of two letters
    left out), and its numbers without their separators."""
    memo = _TERMS.get(normal)
    if memo is None or len(memo) > TERM_MEMO:
        memo = _TERMS[normal] = {}
    terms = set()
    for word in _WORD.findall(text):
        term = memo.get(word)
        if term is None:
            term = memo[word] = _term(word, normal)
        if term is not _NO_TERM:
            terms.add(term)  # in the words' order, so the set is the one adding each gives
    return frozenset(terms)


def _term(word: str, normal: Callable[[str], str]) -> str:
    """A word's content term, or _NO_TERM for a stop word or a word of two letters."""
    if word[0].isdigit():
        return _SEPARATORS.sub("", word)
    if word.casefold() not in _STOP and len(word) > 2:
        return normal(word)
    return _NO_TERM


def _inside(records: Iterable[Any], start: int, end: int) -> tuple[Any, ...]:
    return tuple(r for r in records if start <= r.start and r.end <= end)


class SpanIndex:
    """One article's records (in their order), found inside a span by binary search when
    they are sorted by start, as the stages give them; by a scan otherwise. A sentence's
    facts are asked for per sentence: a scan of all the article's records each time was
    quadratic in the article's length."""

    def __init__(self, records: Sequence[Any]) -> None:
        self.records = list(records)
        self.starts = [r.start for r in self.records]
        self.sorted = all(a <= b for a, b in pairwise(self.starts)) and all(
            r.start <= r.end for r in self.records
        )

    def inside(self, start: int, end: int) -> tuple[Any, ...]:
        """:func:`_inside` of the records: those from ``start`` to ``end``, in order."""
        if not self.sorted:
            return _inside(self.records, start, end)
        low, high = bisect_left(self.starts, start), bisect_right(self.starts, end)
        return tuple(r for r in self.records[low:high] if r.end <= end)


def _overlapping(records: Iterable[Any], start: int, end: int) -> tuple[Any, ...]:
    return tuple(r for r in records if r.start < end and start < r.end)


def leans_on_context(sentence: str) -> bool:
    """Whether a sentence needs the one before it to be understood."""
    return bool(_DEPENDENT.search(sentence.strip()))
