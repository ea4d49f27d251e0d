"""The lexical claim matcher: is this sentence the same claim as that one?

One matcher serves both uses: grouping a story's sentences across outlets
(:func:`newsweave.claims.group_candidates`) and matching a tweet to the
fact-checked claim it repeats (``bench/claim_match.py``).

* Terms are :func:`claim_terms`: the lemmas of content words (regular inflections
  undone with the final *e* and doubled consonant restored, irregular verb forms
  looked up), numbers without separators ("12 000" = "12000"), and the words of one
  news predicate folded to one term (:data:`PREDICATES`: "came under fire", "were
  fired upon", "engaged in combat" all say ``~combat``).
* Retrieval is BM25 over an inverted index (:class:`Index`): only documents that
  share a term are scored, never all pairs.
* Sameness is :func:`similarity`: the share of the *smaller* side's terms found
  in the other (a short retelling inside a long sentence is the same claim);
  :meth:`Index.similarity` weighs the terms by idf (measured: no better for
  grouping, see ``SAME_CLAIM_CONTAINMENT``). Two sentences whose numbers both
  state values and share none are not the same claim (:func:`numbers_clash`).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .text import WORD_MEMO, content_terms

#: BM25 term-frequency saturation and length normalisation (the usual defaults; 1.2/0.75
#: were within 0.005 MAP@5 of the best of a 0.8–2.0 × 0.3–0.9 grid on CheckThat 2020 dev).
BM25_K1 = 1.2
BM25_B = 0.75


#: Irregular verb forms news tells events with, to their lemma.
IRREGULAR = {
    "shot": "shoot", "struck": "strike", "fought": "fight", "fled": "flee", "slain": "slay", "slew": "slay",
    "stole": "steal", "stolen": "steal", "threw": "throw", "thrown": "throw", "broke": "break",
    "broken": "break", "hit": "hit", "won": "win", "lost": "lose", "left": "leave", "held": "hold",
    "sold": "sell", "bought": "buy", "took": "take", "taken": "take", "gave": "give", "given": "give",
    "began": "begin", "begun": "begin", "sent": "send", "met": "meet", "led": "lead", "fell": "fall",
    "fallen": "fall", "rose": "rise", "risen": "rise", "came": "come", "went": "go", "gone": "go",
    "made": "make", "found": "find", "caught": "catch", "sank": "sink", "sunk": "sink", "hid": "hide",
    "swore": "swear", "sworn": "swear", "spoke": "speak", "spoken": "speak", "chose": "choose",
    "chosen": "choose", "drove": "drive", "driven": "drive", "ran": "run", "wrote": "write",
    "written": "write", "dying": "die", "lying": "lie", "dead": "die", "death": "die", "deaths": "die",
}  # fmt: skip
#: Words of one kind of news event, folded to one term so that retellings in other words
#: match ("came under fire" / "were fired upon" / "engaged in combat"; "arrested" /
#: "detained"). Hand-built from the most frequent event words of ECB+ train+dev mentions
#: (bench/claims.py); only classes whose words name the same happening, not related ones
#: ("killed" and "died" stay apart: who did it is part of the claim). A class is also an
#: event predicate that makes a clause a claim without a named entity ("The quake struck at
#: dawn"). Each class was left out in turn on ECB+ (bench/claims.py, containment 0.6): only a
#: "die" class lowered precision (0.906 -> 0.873: "died" is said of many deaths in a story),
#: so dying is left to the lemma ("died", "dead", "death" -> "die"), not a class.
PREDICATES = {
    "~combat": ("fire", "shoot", "gunfire", "combat", "fight", "clash", "battle", "engage", "skirmish"),
    "~kill": ("kill", "slay", "murder"),
    "~arrest": ("arrest", "detain", "apprehend", "nab"),
    "~attack": ("attack", "assault", "strike", "raid"),
    "~quake": ("earthquake", "quake", "temblor", "tremor"),
    "~injure": ("injure", "wound", "hurt"),
    "~acquire": ("acquire", "acquisition", "buy", "purchase", "takeover"),
    "~charge": ("charge", "indict"),
    "~convict": ("convict", "guilty"),
    "~announce": ("announce", "unveil"),
    "~rehab": ("rehab", "rehabilitation"),
    "~escape": ("escape", "flee"),
    "~sentence": ("sentence", "jail", "imprison"),
    "~win": ("win", "victory", "beat", "defeat"),
    "~destroy": ("destroy", "devastate", "ravage", "raze"),
    "~resign": ("resign", "resignation", "quit"),
    "~hire": ("hire", "appoint", "appointment"),
    "~dismiss": ("dismiss", "sack", "oust"),
    "~crash": ("crash", "collide", "collision"),
    "~explode": ("explode", "explosion", "blast", "bomb", "bombing"),
    "~rescue": ("rescue",),
    "~protest": ("protest", "riot", "demonstration"),
    "~nominate": ("nominate", "nomination", "nominee"),
    "~merge": ("merge", "merger"),
    "~steal": ("steal", "rob", "robbery", "heist", "theft", "burglary"),
    "~investigate": ("investigate", "investigation", "probe"),
    "~release": ("release", "free"),
}  # fmt: skip
_CLASS_OF = {word: name for name, words in PREDICATES.items() for word in words}
_DOUBLED = re.compile(r"([bdfgmnprt])\1$")
#: A stem an "-ed"/"-ing" ending took an "e" from: short consonant-vowel-consonant ("fir",
#: "hop"), or ending like "plac", "caus", "creat", "comput", "injur", "acquir".
_LOST_E = re.compile(
    r"^[^aeiouy]{1,2}[aeiouy][bcdfgklmnprstvz]$|(?<!n)g$|[cvz]$|(?<!s)(?<!cu)s$|u$|[^aeiou]at$|ut$|(?:[^aeiou]|qu)[aiu]r$"
)


def lemma(word: str) -> str:
    """A word's lemma by rule: "fired" -> "fire", "stopped" -> "stop", "dies" -> "die",
    "shot" -> "shoot"; nouns lose their plural ("troops" -> "troop")."""
    w = word.casefold().replace("’", "'").removesuffix("'s")
    if w in IRREGULAR:
        return IRREGULAR[w]
    if len(w) == 4 and w.endswith("ied"):
        return w[:-1]  # died, lied, tied
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            base = w[: -len(suffix)]
            if _DOUBLED.search(base):
                return base[:-1]
            if base.endswith("i") and suffix == "ed":
                return base[:-1] + "y"
            return base + "e" if _LOST_E.search(base) else base
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "ches", "shes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


@lru_cache(maxsize=1 << 15)  # pure; each sentence is asked for once per candidate pair lookup
def claim_terms(text: str) -> frozenset[str]:
    """The matching terms of a text: content-word lemmas, predicate classes, numbers."""
    return content_terms(text, _predicate_class)


@lru_cache(maxsize=WORD_MEMO)  # pure; a story's vocabulary repeats across its sentences
def _predicate_class(word: str) -> str:
    base = lemma(word)
    return _CLASS_OF.get(base, base)


class Index:
    """A BM25 index over term bags (one per document), with idf for :func:`similarity`."""

    def __init__(self, documents: Sequence[Iterable[str]]) -> None:
        self.docs = [Counter(d) for d in documents]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg_length = sum(self.lengths) / max(len(self.docs), 1)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(self.docs):
            for term in sorted(d):
                self.postings[term].append(i)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}
        #: idf of a term never seen in the collection (as rare as can be)
        self.unseen_idf = math.log(1 + (n + 0.5) / 0.5)

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.unseen_idf)

    def search(self, query: Iterable[str], k: int, skip: int | None = None) -> list[tuple[int, float]]:
        """The ``k`` best documents for a query by BM25 (ties: lower index first)."""
        scores: dict[int, float] = defaultdict(float)
        for term, qtf in Counter(query).items():
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i in self.postings[term]:
                if i == skip:
                    continue
                tf = self.docs[i][term]
                norm = BM25_K1 * (1 - BM25_B + BM25_B * self.lengths[i] / max(self.avg_length, 1e-9))
                scores[i] += idf * tf * (BM25_K1 + 1) / (tf + norm) * (1 + math.log(qtf))
        return sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]

    def similarity(self, x: frozenset[str], y: frozenset[str]) -> float:
        """Idf-weighted containment of the smaller term set in the other, in [0, 1]."""
        return similarity(x, y, self.weight)


def similarity(x: frozenset[str], y: frozenset[str], weight: object = None) -> float:
    """Idf-weighted share of the smaller set's terms found in the other (``weight`` maps
    a term to its idf; without it every term weighs 1)."""
    if not x or not y:
        return 0.0
    if not callable(weight):  # the grouping's case, asked for every candidate pair: kept cheap
        return len(x & y) / min(len(x), len(y))
    w = weight
    small, large = (x, y) if sum(w(t) for t in x) <= sum(w(t) for t in y) else (y, x)
    total = sum(w(t) for t in small)
    return sum(w(t) for t in small & large) / total if total else 0.0


def value_numbers(stems: frozenset[str]) -> frozenset[str]:
    """The terms of a stem set that are numbers (not years: a year is a date, checked apart)."""
    return frozenset(t for t in stems if t.isdigit() and not (len(t) == 4 and t[:2] in ("19", "20")))


def numbers_clash(x: frozenset[str], y: frozenset[str]) -> bool:
    """Both state numbers and share none: two different figures, not one claim retold."""
    nx, ny = value_numbers(x), value_numbers(y)
    return bool(nx and ny and not nx & ny)
