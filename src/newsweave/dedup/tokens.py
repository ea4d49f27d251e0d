"""Words as integers: a whole batch of texts tokenised and hashed with numpy.

Python's regex tokeniser costs about 200 µs for a 4,600-character article
(PolNeAR), more than the whole near-duplicate budget. Here a batch of texts is
joined, read as UTF-32 code points (one array element per ``str`` index, so
offsets are the clean text's own), and words are found and hashed with array
operations only: each word once, as a 64-bit integer, with its character span.

A word is a run of Python's ``[\\w]`` (letters and digits of any script, ``_``;
every code point beyond the Basic Multilingual Plane counts as one letter),
with inner apostrophes kept ("don't", "Ukraine’s"). Case
is folded one code point for one (ASCII, Latin-1, Greek, Cyrillic), so offsets
hold; curly and straight apostrophes hash alike.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_U64 = np.uint64
#: splitmix64's finaliser constants (Steele et al. 2014): a cheap, well-mixed 64-bit hash.
_MIX1, _MIX2 = _U64(0xBF58476D1CE4E5B9), _U64(0x94D049BB133111EB)
#: Base of the polynomial hash of a word's code points (odd, so no low-bit collapse).
_BASE = 0x100000001B3
_APOSTROPHES = (0x27, 0x2019, 0x2BC)
#: Power tables cover at least 2**22 code points (32 MB each): one table serves every
#: ordinary batch instead of one per batch size (a bigger batch makes a bigger one).
_MIN_TABLE_BITS = 22


def mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, element-wise on a uint64 array (wrapping arithmetic)."""
    x = np.asarray(x, dtype=np.uint64)
    x = x ^ (x >> _U64(30))
    x = x * _MIX1
    x = x ^ (x >> _U64(27))
    x = x * _MIX2
    mixed: np.ndarray = x ^ (x >> _U64(31))
    return mixed


def _power_table(base: int, size: int) -> np.ndarray:
    """``base**i`` modulo 2**64 for i < size, as a block table times a step table."""
    block = 4096
    low = np.full(block, base, dtype=np.uint64)
    low[0] = 1
    low = np.cumprod(low, dtype=np.uint64)
    high = np.full(-(-size // block), pow(base, block, 1 << 64), dtype=np.uint64)
    high[0] = 1
    high = np.cumprod(high, dtype=np.uint64)
    table: np.ndarray = (high[:, None] * low[None, :]).ravel()[:size]
    return table


@functools.cache
def _powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """``BASE**i`` and ``BASE**-i`` modulo 2**64 for i < size (size a power of two)."""
    return _power_table(_BASE, size), _power_table(pow(_BASE, -1, 1 << 64), size)


@functools.cache
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """Per code point of the Basic Multilingual Plane: its class (0 other, 1 word
    character, 2 apostrophe) and its case-folded value."""
    points = np.arange(0x10000, dtype=np.uint32)
    # exactly Python's \w: letters and digits of every script, and "_"
    kind = np.fromiter((chr(c).isalnum() or c == 0x5F for c in range(0x10000)), dtype=np.uint8, count=0x10000)
    kind[list(_APOSTROPHES)] = 2
    kind[0xFFFF] = 1  # stands for every code point beyond the BMP (emoji, rare scripts)
    folded = points.copy()
    for low, high, shift in (
        (0x41, 0x5A, 32),
        (0xC0, 0xDE, 32),
        (0x391, 0x3A9, 32),
        (0x410, 0x42F, 32),
        (0x400, 0x40F, 80),
    ):
        folded[low : high + 1] += shift
    folded[0xD7] = 0xD7
    folded[list(_APOSTROPHES)] = 0x27
    return kind, folded.astype(np.uint64)


@dataclass(frozen=True)
class Tokens:
    """The words of a batch of texts: ``hashes[bounds[d]:bounds[d + 1]]`` are text d's."""

    hashes: np.ndarray  # uint64, one per word
    starts: np.ndarray  # int64 character offset of each word in its own text
    ends: np.ndarray  # int64, exclusive
    bounds: np.ndarray  # int64, len(texts) + 1 word indexes

    def doc(self, d: int) -> slice:
        return slice(int(self.bounds[d]), int(self.bounds[d + 1]))

    def doc_of_words(self) -> np.ndarray:
        """The text index of every word."""
        return np.repeat(np.arange(len(self.bounds) - 1), np.diff(self.bounds))


def tokenize(texts: Sequence[str]) -> Tokens:
    """Every word of every text, hashed, with its span; texts may hold any characters."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths + 1, out=offsets[1:])  # one separator between texts
    points = np.frombuffer("\x00".join(texts).encode("utf-32-le"), dtype="<u4")
    kind_table, fold_table = _tables()
    bmp = np.minimum(points, 0xFFFF)
    kind = kind_table[bmp]
    word = kind == 1
    apostrophe = np.flatnonzero(kind[1:-1] == 2) + 1
    word[apostrophe[word[apostrophe - 1] & word[apostrophe + 1]]] = True  # "don't": one word
    edges = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    # A word's hash is the polynomial sum(c_k * BASE**(k - start)) of its folded code points,
    # read off prefix sums of the whole batch: (P[end] - P[start]) * BASE**-start.
    powers, inverses = _powers(1 << max(len(points).bit_length(), _MIN_TABLE_BITS))
    prefix = np.zeros(len(points) + 1, dtype=np.uint64)
    np.cumsum(fold_table[bmp] * powers[: len(points)], out=prefix[1:])
    hashes = mix((prefix[ends] - prefix[starts]) * inverses[starts])
    docs = np.searchsorted(offsets, starts, side="right") - 1
    bounds = np.searchsorted(docs, np.arange(len(texts) + 1), side="left").astype(np.int64)
    return Tokens(hashes, starts - offsets[docs], ends - offsets[docs], bounds)


def grams(tokens: Tokens, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every run of ``size`` words inside one text, and the first word's index."""
    n = len(tokens.hashes)
    if n < size:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    combined = np.zeros(n - size + 1, dtype=np.uint64)
    for k in range(size):
        combined = mix(combined ^ tokens.hashes[k : n - size + 1 + k])
    first = np.arange(n - size + 1, dtype=np.int64)
    docs = tokens.doc_of_words()
    inside = docs[first] == docs[first + size - 1]
    return combined[inside], first[inside]
