"""Quantities: numbers with what they count ("approximately 12 000 military personnel").

:func:`parse_number` reads one number as written ("12 000", "2,600", "10.000",
"1.5 million", "five", "a thousand", "twenty-five"); :func:`find_quantities`
finds the numbers of a tagged text and the noun phrase each one counts.

Rules:

* The counted noun phrase (``unit``) is the run of adjectives, nouns and proper
  nouns written right after the number ("North Korean infantrymen"); ``counted``
  is the lemma of its last noun ("infantryman"). A number with a scale word may
  reach it through "of" ("a thousand of its soldiers").
* A number with no noun after it keeps ``unit=""`` and ``counted=""`` ("their
  number to 15,000"), unless it opens a range whose other end has one
  ("10,000 to 12,000 troops"): the sentence's subject is not guessed.
* Not quantities: numbers inside date expressions, ordinals ("11th"), numbers
  in compound modifiers ("60-mm", "15-year-old"), identifiers right after a
  noun ("Article 5", "Resolution 2231"), bare years without a noun, and number
  words with no noun after them ("one of them").
* Vague amounts are kept as the bound they state and nothing more: "several
  hundred" and "hundreds of" are ``value=200, qualifier="more than"`` (several is
  more than two), "tens of thousands" 20000 the same way, "dozens of" 24; the
  words as written stay in ``text``. Vaguer ones ("many", "a few hundred",
  "dozens" without a noun) are skipped rather than given an invented value.
  "approximately a thousand" is 1000 with the qualifier "approximately".
* Per-unit amounts say what each one of: in "five battalions, each of about
  3,000 troops" the 3,000 has ``per="battalion"`` (the counted noun of the
  quantity "each" refers back to, or the noun after "each"); so have "3,000
  troops each", "53 soldiers for every square kilometer" (``per="kilometer"``),
  "$50 per barrel" and "100 drones a day". A product is never computed: only
  a total the text states ("their number to 15,000") is one.
* One dot followed by exactly three digits is a thousands separator ("10.000"):
  counts in news are rarely written to three decimals.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .tokens import DocTokens

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_CURRENCIES = {"$": "dollar", "€": "euro", "£": "pound"}

#: Longest counted noun phrase kept, in tokens ("North Korean special forces
#: soldiers" is 5): longer runs are tagger errors running into the next phrase.
MAX_UNIT_TOKENS = 6

#: Characters between two numbers read as one range ("10,000 to 12,000").
RANGE_GAP_CHARS = 6

_WORD = "|".join(sorted((*_UNITS, *_SCALES, "dozen"), key=len, reverse=True))
_DIGITS = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 2,600 / 1,234.5
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.])"  # 12 000
    r"|\d{1,3}(?:\.\d{3})+(?![\d,.])"  # 10.000
    r"|\d+(?:\.\d+)?"  # 500 / 1.5
)
_NUMBER = re.compile(
    rf"(?<![\w.,:/-])(?P<currency>[$€£])?(?P<number>(?:{_DIGITS})"
    rf"(?:[\s-]+(?:hundred|thousand|million|billion))?"
    rf"|(?i:(?:an?\s+)?(?:{_WORD})(?:(?:\s+|-|\s+and\s+)(?:{_WORD}))*))(?![\w])"
)
_QUALIFIER = re.compile(
    r"\b(?P<q>approximately|about|around|roughly|nearly|almost|some|more\s+than|just\s+over|over|"
    r"up\s+to|at\s+least|at\s+most|less\s+than|fewer\s+than|as\s+many\s+as|close\s+to|"
    r"an\s+estimated|estimated|upwards\s+of|in\s+excess\s+of|under)\s+$",
    re.I,
)
_VAGUE_BEFORE = re.compile(r"\b(?:several|many|few|tens\s+of|hundreds\s+of|thousands\s+of)\s+$", re.I)
#: A vague amount and the lower bound it states: "several hundred" is more than 200.
_VAGUE_AMOUNT = re.compile(
    r"(?<![\w-])(?P<amount>(?i:several\s+(?P<several>hundred|thousand|million|billion)"
    r"|(?P<plural>hundreds|thousands|millions|billions)\s+of"
    r"|tens\s+of\s+(?P<tens>thousands|millions)(?:\s+of)?|dozens\s+of))(?=\s)"
)
VAGUE_QUALIFIER = "more than"
_PERCENT = re.compile(r"\s*(?:%|percent\b|per\s+cent\b)")
_RANGE_JOIN = re.compile(r"\s*(?:to|and|or|-|–)\s*")
_YEAR_LIKE = re.compile(r"(?:1[89]|20)\d\d")


def parse_number(text: str) -> float | None:
    """The value of a number as written, or None if it is not one. Never raises."""
    words = " ".join(text.lower().replace("-", " ").split())
    if not words:
        return None
    match = re.fullmatch(rf"({_DIGITS})(?: (hundred|thousand|million|billion))?", words)
    if match:
        value = _parse_digits(match[1])
        if value is not None and match[2]:
            value *= _SCALES[match[2]]
        return value if value is not None and math.isfinite(value) else None
    return _parse_words(words.split())


def _parse_digits(digits: str) -> float | None:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
        return float(digits.replace(".", ""))
    cleaned = re.sub(r"[ ,\u00a0\u202f]", "", digits)
    try:
        return float(cleaned)
    except ValueError:
        return None


def _parse_words(words: list[str]) -> float | None:
    total, current, seen_count = 0, 0, False
    for i, word in enumerate(words):
        if word in ("a", "an"):
            if i != 0 or len(words) == 1 or words[1] not in (*_SCALES, "dozen"):
                return None
            current, seen_count = 1, True
        elif word == "and" and 0 < i < len(words) - 1:
            continue
        elif word in _UNITS:
            current += _UNITS[word]
            seen_count = True
        elif word == "dozen" and seen_count:
            current *= 12
        elif word == "hundred" and seen_count:
            current *= 100
        elif word in _SCALES and word != "hundred" and seen_count:
            total += current * _SCALES[word]
            current = 0
        else:
            return None
    return float(total + current)


@dataclass(frozen=True, slots=True)
class FoundQuantity:
    start: int
    end: int
    value: float
    qualifier: str | None
    unit: str
    counted: str
    per: str = ""  # what each one of has this many ("battalion"); "" for a total


class _Tokens:
    """Character offsets to spaCy tokens of one doc."""

    def __init__(self, doc: Any) -> None:
        self.tokens = doc if isinstance(doc, (list, DocTokens)) else list(doc)
        self.starts = doc.starts if isinstance(doc, DocTokens) else [t.idx for t in self.tokens]

    def at_or_after(self, char: int) -> int:
        return bisect.bisect_left(self.starts, char)

    def before(self, char: int) -> int:
        return bisect.bisect_left(self.starts, char) - 1


def find_quantities(text: str, doc: Any, excluded: Sequence[tuple[int, int]]) -> list[FoundQuantity]:
    """The quantities of ``text`` (``doc``: its spaCy doc or that doc's token list); ``excluded`` spans are dates."""
    tokens = _Tokens(doc)
    found: list[FoundQuantity] = []
    for match in _NUMBER.finditer(text):
        quantity = _quantity(text, tokens, match, excluded)
        if quantity is not None:
            found.append(quantity)
    found += _vague_amounts(text, tokens, excluded)
    found.sort(key=lambda q: (q.start, q.end))
    return _per_unit(text, tokens, _share_range_units(text, found))


def _quantity(
    text: str, tokens: _Tokens, match: re.Match[str], excluded: Sequence[tuple[int, int]]
) -> FoundQuantity | None:
    start, end = match.span()
    if any(start < e and s < end for s, e in excluded):
        return None
    number = match["number"]
    is_words = not number[0].isdigit()
    if text[end : end + 1] == "-" or _VAGUE_BEFORE.search(text[max(0, start - 16) : start]):
        return None
    value = parse_number(number)
    if value is None:
        return None
    previous = tokens.before(start)
    if previous >= 0 and tokens.tokens[previous].pos_ in ("NOUN", "PROPN") and not match["currency"]:
        return None  # an identifier: "Article 5", "Resolution 2231"
    unit, counted, unit_end = _counted_phrase(text, tokens, end, allow_of=_has_scale(number))
    if match["currency"]:
        unit, counted = match["currency"], _CURRENCIES[match["currency"]]
    elif percent := _PERCENT.match(text, end):
        unit, counted, unit_end = "percent", "percent", percent.end()
    if not counted and (is_words or _YEAR_LIKE.fullmatch(number)):
        return None
    if number.lower() == "one":  # "one official noted": a determiner more than a count
        return None
    qualifier = _QUALIFIER.search(text[max(0, start - 24) : start])
    if qualifier:
        start -= len(qualifier[0])
    return FoundQuantity(
        start=start,
        end=max(end, unit_end),
        value=value,
        qualifier=" ".join(qualifier["q"].lower().split()) if qualifier else None,
        unit=unit,
        counted=counted,
    )


def _has_scale(number: str) -> bool:
    return any(scale in number.lower() for scale in (*_SCALES, "dozen"))


_MODIFIER_POS = ("ADJ", "NOUN", "PROPN")


def _counted_phrase(text: str, tokens: _Tokens, end: int, allow_of: bool) -> tuple[str, str, int]:
    """(unit as written, lemma of its head noun, end offset) of the phrase after a number."""
    i = tokens.at_or_after(end)
    items = tokens.tokens
    if i >= len(items) or text[end : items[i].idx].strip():
        return "", "", end
    if allow_of and items[i].lower_ == "of" and i + 1 < len(items):
        i += 1
        if items[i].pos_ in ("DET", "PRON") and i + 1 < len(items):
            i += 1
    run: list[Any] = []
    while i < len(items) and len(run) < MAX_UNIT_TOKENS:
        token = items[i]
        if "\n" in token.text or token.is_space:
            break
        if token.pos_ in _MODIFIER_POS or (token.text == "-" and run):
            run.append(token)
            i += 1
            continue
        break
    heads = [k for k, t in enumerate(run) if t.pos_ == "NOUN"] or [
        k for k, t in enumerate(run) if t.pos_ == "PROPN"
    ]
    if not heads:
        return "", "", end
    run = run[: heads[-1] + 1]
    first, head = run[0], run[-1]
    return text[first.idx : head.idx + len(head)], head.lemma_.lower(), head.idx + len(head)


def _share_range_units(text: str, found: list[FoundQuantity]) -> list[FoundQuantity]:
    """ "10,000 to 12,000 troops": the first end of a range counts what the second does."""
    shared = list(found)
    for k in range(len(shared) - 1):
        here, after = shared[k], shared[k + 1]
        gap = text[here.end : after.start]
        if not here.counted and after.counted and len(gap) <= RANGE_GAP_CHARS and _RANGE_JOIN.fullmatch(gap):
            shared[k] = dataclasses.replace(here, unit=after.unit, counted=after.counted)
    return shared


def _vague_amounts(text: str, tokens: _Tokens, excluded: Sequence[tuple[int, int]]) -> list[FoundQuantity]:
    """ "several hundred North Korean special forces": more than 200 of them (see the module
    docstring); only with a counted noun after it."""
    found = []
    for match in _VAGUE_AMOUNT.finditer(text):
        start, end = match.span()
        if any(start < e and s < end for s, e in excluded):
            continue
        unit, counted, unit_end = _counted_phrase(
            text, tokens, end, allow_of=not match["amount"].endswith("of")
        )
        if counted:
            found.append(FoundQuantity(start, unit_end, _vague_bound(match), VAGUE_QUALIFIER, unit, counted))
    return found


def _vague_bound(match: re.Match[str]) -> float:
    """The least a vague amount can be: "several hundred" / "hundreds of" > 200, "dozens of" > 24."""
    scale = match["several"] or match["plural"] or match["tens"]
    if scale is None:
        return 24.0
    value = 2.0 * _SCALES[scale.lower().rstrip("s")]
    return value * 10 if match["tens"] else value


#: Characters around "each" within which it ties a per-unit amount to what each one is
#: ("five battalions, each of which will consist of about 3,000 troops": 33 between).
EACH_WINDOW_CHARS = 60

_EACH = re.compile(r"\beach\b", re.I)
_EACH_OF_REFERENT = re.compile(r"\s+of\s+(?:the|its|their|these|those|our|his|her)\s+$", re.I)
_EACH_AFTER = re.compile(r"\s*each\b", re.I)
_PER_AFTER = re.compile(
    r"\s+(?:per|for\s+every|for\s+each|in\s+each|every|(?P<a>an?)(?=\s+(?:day|week|month|year|hour|night)\b))\s+",
    re.I,
)
_SENTENCE_BREAK = re.compile(r"[.!?;]\s|\n")


def _per_unit(text: str, tokens: _Tokens, found: list[FoundQuantity]) -> list[FoundQuantity]:
    """Which quantities count per unit and what the unit is (see the module docstring)."""
    per = [q.per for q in found]
    for each in _EACH.finditer(text):
        _tie_each(text, tokens, found, per, each)
    for k, q in enumerate(found):
        if per[k]:
            continue
        if after := _PER_AFTER.match(text, q.end):
            per[k] = _counted_phrase(text, tokens, after.end(), allow_of=False)[1]
        elif _EACH_AFTER.match(text, q.end):
            referent = _nearest_before(text, found, q.start, exclude=k)
            per[k] = referent.counted if referent else "each"
    return [q if p == q.per else dataclasses.replace(q, per=p) for q, p in zip(found, per, strict=True)]


def _tie_each(
    text: str, tokens: _Tokens, found: list[FoundQuantity], per: list[str], each: re.Match[str]
) -> None:
    """ "each" gives the next quantity of its sentence a unit: the noun after it ("each
    battalion has 3,000 troops"), the quantity it is "each of" ("each of the five brigades
    has 3,000 troops"), else the nearest quantity before it ("five battalions, each of
    about 3,000 troops"); "each" when none is named."""
    following = [
        k
        for k, q in enumerate(found)
        if q.start >= each.end() and _same_sentence(text, each.end(), q.start, EACH_WINDOW_CHARS)
    ]
    if not following:
        return
    first = found[following[0]]
    referent: str | None = None
    if _EACH_OF_REFERENT.fullmatch(text, each.end(), first.start) and first.counted:
        if len(following) < 2:
            return
        referent, target = first.counted, following[1]
    else:
        target = following[0]
        after_each = _counted_phrase(text, tokens, each.end(), allow_of=False)
        if after_each[1] not in ("", "one") and after_each[2] <= first.start:
            referent = after_each[1]
        elif (before := _nearest_before(text, found, each.start(), exclude=target)) is not None:
            referent = before.counted
    if not per[target]:
        per[target] = referent or "each"


def _nearest_before(text: str, found: list[FoundQuantity], at: int, exclude: int) -> FoundQuantity | None:
    """The last quantity with a counted noun ending before ``at`` in the same sentence, near it."""
    for k in range(len(found) - 1, -1, -1):
        q = found[k]
        if k != exclude and q.end <= at and q.counted:
            return q if _same_sentence(text, q.end, at, EACH_WINDOW_CHARS) else None
    return None


def _same_sentence(text: str, start: int, end: int, limit: int) -> bool:
    return end - start <= limit and not _SENTENCE_BREAK.search(text, start, end)
