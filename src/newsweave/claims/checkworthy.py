"""Check-worthiness: how much a sentence states a checkable fact that matters.

A logistic score over hand-built features (numbers, percentages, money, years,
names, cue verbs of policy and change, comparatives, hedges, questions, first
person opinion, length) and the sentence's most telling words and word pairs.
The weights ship with the package (``checkworthy.json``); they were fitted
offline by :func:`fit` on the shared *training* parts of ClaimBuster (70 %,
stratified) and CLEF-2019 CheckThat! task 1 (its official training debates),
never on their held-out parts: ``bench/checkworthy.py --fit`` rebuilds the
file, and the bench measures the score by refitting inside cross-validation
(ClaimBuster 4-fold, CheckThat leave-one-debate-out) so that no sentence is
scored by weights that saw it. Nothing is downloaded; scoring is a dictionary
look-up per feature, deterministic.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from itertools import chain, pairwise
from typing import Any

from ..errors import NewsweaveError

#: Weights file inside this package.
MODEL_FILE = "checkworthy.json"
#: A word or word pair must occur in at least this many training sentences to get a weight,
#: and the L2 penalty of the fit (on the class-balanced mean loss). bench/checkworthy.py
#: cross-validated (CFS F1 / CheckThat MAP): 5 and 1e-4 gave 0.711 / 0.215, 10 and 1e-3
#: 0.730 / 0.229, 10 and 3e-3 0.724 / 0.231.
MIN_FEATURE_COUNT = 10
L2 = 1e-3
#: Clauses whose shipped score is kept (copies and retellings repeat them); only saves time.
SCORE_MEMO = 1 << 14
#: Full-batch gradient steps and step size (the loss is flat after about 300 steps at 0.5).
STEPS = 400
STEP_SIZE = 0.5

_TOKEN = re.compile(r"\$?\d[\d,.]*%?|[a-z]+(?:'[a-z]+)?")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")
_NUMBER = re.compile(r"\d")
_PERCENT = re.compile(r"\d\s?%|\bper ?cent\b|\bpercent(?:age)?\b", re.I)
_MONEY = re.compile(
    r"\$\s?\d|\b\d[\d,.]*\s*(?:dollars?|euros?|pounds?)\b|\b(?:billion|million|trillion)\b", re.I
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_CUE = re.compile(
    r"\b(?:voted?|passed|signed|cut|raised?|increased?|decreased?|reduced?|doubled|tripled|lost|created|"
    r"killed|deployed|arrested|banned|taxe?s?|jobs?|unemployment|debt|deficit|budget|spent|spending|"
    r"funded|record|percent|rate|highest|lowest|largest|fewer|more than|less than|since|times)\b",
    re.I,
)
_COMPARATIVE = re.compile(
    r"\b\w+er than\b|\b(?:most|least|highest|lowest|biggest|largest|worst|best)\b", re.I
)
_HEDGE = re.compile(r"\b(?:maybe|perhaps|probably|might|i think|i believe|i feel|i hope|i want|we will|we're going to|i'm going to|should)\b", re.I)  # fmt: skip
_OPINION = re.compile(r"\b(?:i|we)\s+(?:think|believe|feel|hope|want|love|like|know|agree|disagree)\b", re.I)
_THANKS = re.compile(
    r"\b(?:thank|thanks|applause|laughter|crosstalk|welcome|good evening|good night)\b", re.I
)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; numbers folded to classes (``<num>``, ``<pct>``, ``<money>``, ``<year>``)."""
    out = []
    for t in _TOKEN.findall(text.casefold().replace("’", "'")):
        if t[0] == "$":
            out.append("<money>")
        elif t[0].isdigit():
            digits = t.rstrip("%.,")
            out.append(
                "<pct>"
                if t.endswith("%")
                else "<year>"
                if re.fullmatch(r"(?:19|20)\d\d", digits)
                else "<num>"
            )
        else:
            out.append(t)
    return out


def features(text: str) -> dict[str, float]:
    """The sentence's features: ``f:`` hand-built ones, ``w:`` words and ``b:`` word pairs (binary)."""
    words = tokens(text)
    found = _built(text, words)
    for w in set(words):
        found["w:" + w] = 1.0
    for a, b in set(pairwise(words)):
        found["b:" + a + "_" + b] = 1.0
    return found


def _built(text: str, words: Sequence[str]) -> dict[str, float]:
    """The hand-built ``f:`` features, in the order :func:`features` lists them."""
    n = len(words)
    low = text.lower()
    return {
        "f:number": float(bool(_NUMBER.search(text))),
        "f:percent": float(_holds(low, text, _PERCENT)),
        "f:money": float(_holds(low, text, _MONEY)),
        "f:year": float(_holds(low, text, _YEAR)),
        "f:names": min(len(_CAPITALISED.findall(text.strip())), 4) / 4,
        "f:cue": min(len(_CUE.findall(text)), 3) / 3,
        "f:comparative": float(bool(_COMPARATIVE.search(text))),
        "f:hedge": float(bool(_HEDGE.search(text))),
        "f:opinion": float(bool(_OPINION.search(text))),
        "f:question": float(text.rstrip().endswith("?")),
        "f:thanks": float(_holds(low, text, _THANKS)),
        "f:short": float(n < 6),
        "f:long": float(n > 25),
        "f:length": min(n, 50) / 50,
    }


#: Per pattern, strings one of which every match holds (in the lower-cased text): a text
#: holding none is not searched. No letter i, s or k: case-insensitive patterns match
#: those to non-ASCII letters too (ı, İ, ſ, the Kelvin sign), the others only to ASCII.
_NEEDS: dict[re.Pattern[str], tuple[str, ...]] = {
    _PERCENT: ("%", "cent"),
    _MONEY: ("$", "dollar", "euro", "pound", "llion"),
    _YEAR: ("19", "20"),
    _THANKS: ("than", "pplau", "laughter", "cro", "welcome", "good"),
}


def _holds(low: str, text: str, pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` matches ``text`` (``low``: its lower case), not searched when
    ``low`` holds none of what every match needs."""
    return any(need in low for need in _NEEDS[pattern]) and pattern.search(text) is not None


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


@cache
def model() -> dict[str, Any]:
    """The shipped weights: ``{"bias", "threshold", "weights": {feature: weight}}``."""
    try:
        data: dict[str, Any] = json.loads(
            resources.files(__package__).joinpath(MODEL_FILE).read_text("utf-8")
        )
    except (OSError, ValueError) as err:
        raise NewsweaveError(
            f"{MODEL_FILE}: cannot read the check-worthiness weights ({err}); reinstall newsweave "
            "or rebuild them with `python bench/checkworthy.py --fit`"
        ) from err
    return data


def score(text: str, weights: dict[str, Any] | None = None) -> float:
    """Check-worthiness in [0, 1] (the logistic model's probability, rounded to 3 places)."""
    if weights is None:
        return _shipped_score(text)
    w = weights["weights"]
    total = weights["bias"] + sum(w.get(f, 0.0) * v for f, v in features(text).items())
    return round(_sigmoid(total), 3)


@lru_cache(maxsize=SCORE_MEMO)
def _shipped_score(text: str) -> float:
    """:func:`score` with the shipped weights, summed in the same order over the features
    that have a weight (a missing one adds 0.0, which changes no sum), found by word and
    word pair without building the feature names."""
    m = model()
    w = m["weights"]
    by_word, by_pair = _word_weights()
    words = tokens(text)
    hand = (w.get(f, 0.0) * v for f, v in _built(text, words).items())
    single = (by_word[t] for t in set(words) if t in by_word)
    pairs = (by_pair[p] for p in set(pairwise(words)) if p in by_pair)
    total = m["bias"] + sum(chain(hand, single, pairs))
    return round(_sigmoid(total), 3)


@cache
def _word_weights() -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """The shipped weights of words and of word pairs, keyed by the word and the pair
    (a token holds no "_", so a pair's name splits at its first one)."""
    weights = model()["weights"]
    by_word = {f[2:]: v for f, v in weights.items() if f.startswith("w:")}
    by_pair: dict[tuple[str, str], float] = {}
    for f, v in weights.items():
        if f.startswith("b:"):
            a, b = f[2:].split("_", 1)
            by_pair[(a, b)] = v
    return by_word, by_pair


def is_checkworthy(text: str) -> bool:
    """Whether the score reaches the shipped operating threshold (best CFS F1 in ClaimBuster CV)."""
    return score(text) >= float(model()["threshold"])


def fit(samples: Sequence[tuple[str, int]], threshold: float = 0.5) -> dict[str, Any]:
    """Logistic regression weights for ``(sentence, label)`` samples (numpy, full batch, deterministic).

    Classes are weighted to balance; features are those of :func:`features`, word
    features only when seen in :data:`MIN_FEATURE_COUNT` sentences.
    """
    import numpy as np

    rows = [features(text) for text, _ in samples]
    counts = Counter(f for row in rows for f in row)
    names = sorted(f for f, c in counts.items() if f.startswith("f:") or c >= MIN_FEATURE_COUNT)
    index = {f: i for i, f in enumerate(names)}
    cols, vals, row_of = [], [], []
    for r, row in enumerate(rows):
        for f, v in row.items():
            if f in index:
                cols.append(index[f])
                vals.append(v)
                row_of.append(r)
    col = np.array(cols, dtype=np.int64)
    val = np.array(vals, dtype=np.float64)
    rid = np.array(row_of, dtype=np.int64)
    y = np.array([label for _, label in samples], dtype=np.float64)
    pos = max(y.sum(), 1.0)
    neg = max(len(y) - y.sum(), 1.0)
    sample_weight = np.where(y > 0, len(y) / (2 * pos), len(y) / (2 * neg)) / len(y)
    w = np.zeros(len(names))
    bias = 0.0
    m_w, v_w, m_b, v_b = np.zeros(len(names)), np.zeros(len(names)), 0.0, 0.0
    for step in range(
        1, STEPS + 1
    ):  # Adam: a fixed sequence of steps, so the same data gives the same weights
        margin = bias + np.bincount(rid, weights=val * w[col], minlength=len(y))
        residual = (1 / (1 + np.exp(-margin)) - y) * sample_weight
        grad = np.bincount(col, weights=val * residual[rid], minlength=len(names)) + L2 * w
        grad_b = float(residual.sum())
        m_w = 0.9 * m_w + 0.1 * grad
        v_w = 0.999 * v_w + 0.001 * grad**2
        m_b = 0.9 * m_b + 0.1 * grad_b
        v_b = 0.999 * v_b + 0.001 * grad_b**2
        lr = STEP_SIZE * 0.1 * math.sqrt(1 - 0.999**step) / (1 - 0.9**step)
        w -= lr * m_w / (np.sqrt(v_w) + 1e-8)
        bias -= lr * m_b / (math.sqrt(v_b) + 1e-8)
    weights = {f: round(float(x), 4) for f, x in zip(names, w, strict=True) if abs(x) >= 1e-3}
    return {"bias": round(bias, 4), "threshold": threshold, "weights": weights}
