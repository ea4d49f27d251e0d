"""Discrepancies: values that measure the same thing about the same subject and differ
(see the package docstring for what is and is not the same measure)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ..model import Claim, Discrepancy, DiscrepancyValue, Dossier, Mention, Quantity, by_article
from .text import _inside, _overlapping, stem

#: "approximately N" spans N ± this share when ranges are compared.
APPROXIMATE_SHARE = 0.1
#: Values further than this factor from the median are another measure of the same noun.
SAME_SCALE_RATIO = 3.0
#: A bare number after "number" ("increase their number to 15,000") counts what the
#: nearest earlier quantity within this many characters of its article counts.
ANAPHOR_WINDOW = 300
#: Words naming the same measured thing: people under arms. One class, so that
#: "12 000 military personnel" and "10,000 soldiers" are one measure.
PERSONNEL = frozenset(
    {"soldier", "troop", "personnel", "infantryman", "infantrymen", "serviceman", "servicemen", "fighter", "military"}
)  # fmt: skip
#: The name of the :data:`PERSONNEL` class in discrepancy subjects.
PERSONNEL_LABEL = "troops"
#: Units of length and area: never what "their number" refers to.
DISTANCE_UNITS = frozenset(
    {"kilometer", "kilometre", "km", "mile", "meter", "metre", "m", "foot", "feet", "yard", "hectare"}
)

_PART_BEFORE = re.compile(
    r"\b(?:including|of them|among them|each|per|of which|unit of|batch of|group of)\s+(?:\w+\s+){0,2}$", re.I
)
_EACH_BEFORE = re.compile(r"\beach\b[^.]{0,40}$", re.I)
_NUMBER_ANAPHOR = re.compile(r"\bnumbers?\b[^.]{0,30}$", re.I)
#: Openings and endings of a sentence that lean on the one before it.


def _counted(quantity: Quantity, earlier: Sequence[Quantity], text: str) -> str:
    """What a quantity counts; a bare number after "number" counts what the nearest
    earlier quantity (not a distance) counts: "their number to 15,000"."""
    counted = quantity.counted.casefold() or (quantity.unit.casefold().split() or [""])[-1]
    if counted or not _NUMBER_ANAPHOR.search(text[max(0, quantity.start - 40) : quantity.start]):
        return counted
    for q in sorted(earlier, key=lambda q: -q.start):
        noun = q.counted.casefold()
        if quantity.start - ANAPHOR_WINDOW <= q.end <= quantity.start and noun and noun not in DISTANCE_UNITS:
            return noun
    return ""


def measure(quantity: Quantity, article_quantities: Sequence[Quantity], text: str) -> str | None:
    """The thing a quantity measures (a noun class), or None for parts and per-unit values.

    ``text`` is the article's clean text, which the quantity's offsets index.
    """
    before = text[max(0, quantity.start - 40) : quantity.start]
    if _PART_BEFORE.search(before) or _EACH_BEFORE.search(before):
        return None
    counted = _counted(quantity, article_quantities, text)
    if counted in PERSONNEL or stem(counted) in PERSONNEL:
        return PERSONNEL_LABEL
    return counted or None


def _subject(quantity: Quantity, norps: Sequence[Mention]) -> str | None:
    """Whom a quantity is about: the NORP inside it ("10,000 North Korean soldiers"),
    else the first NORP of its sentence, else unknown."""
    own = _overlapping(norps, quantity.start, quantity.end)
    chosen = own[0] if own else (norps[0] if norps else None)
    return chosen.text if chosen else None


def subject_key(subject: str) -> str:
    """Spellings of one subject as one key: "the North Koreans" and "North Korean" agree."""
    words = [w for w in subject.casefold().split() if w != "the"]
    return " ".join(stem(w) for w in words)


def find_discrepancies(claims: Sequence[Claim], dossier: Dossier) -> list[Discrepancy]:
    """Within each story: the values of one measure about one subject, when they differ."""
    texts = {a.id: a.text for a in dossier.articles}
    quantities = by_article(dossier.quantities)
    mentions = by_article(m for m in dossier.mentions if m.type == "NORP")
    found: dict[tuple[str, str], dict[str | None, list[DiscrepancyValue]]] = defaultdict(
        lambda: defaultdict(list)
    )
    shown: dict[str, str] = {}  # subject key -> its first spelling in sorted order
    for claim in claims:
        for s in claim.support:
            norps = sorted(_inside(mentions[s.article], s.start, s.end), key=lambda m: m.start)
            for q in _inside(quantities[s.article], s.start, s.end):
                what = measure(q, quantities[s.article], texts.get(s.article, ""))
                if what is None:
                    continue
                value = DiscrepancyValue(
                    q.value, q.qualifier, claim.id, (s.article,), claim.origins, claim.date
                )
                subject = _subject(q, norps)
                key = subject_key(subject) if subject else None
                if subject and key:
                    shown[key] = min(shown.get(key, subject), subject)
                found[(claim.story_id, what)][key].append(value)
    discrepancies = []
    for (story_id, what), by_subject in sorted(found.items()):
        for subject, items in _join_unknown_subjects(by_subject):
            values = _same_scale(_merge_values(items))
            if len({v.value for v in values}) < 2:
                continue
            discrepancies.append(
                Discrepancy(
                    story_id=story_id,
                    subject=f"{shown[subject]} {what}" if subject else what,
                    claim_ids=tuple(sorted({v.claim_id for v in values})),
                    conflict=conflict(values),
                    values=tuple(values),
                )
            )
    return sorted(discrepancies, key=lambda d: (d.story_id, d.subject))


def _join_unknown_subjects(
    by_subject: dict[str | None, list[DiscrepancyValue]],
) -> list[tuple[str | None, list[DiscrepancyValue]]]:
    """Values whose subject is unknown join the measure's one named subject; with several
    named subjects they cannot be placed and stay apart."""
    named = sorted((s, v) for s, v in by_subject.items() if s is not None)
    unknown = by_subject.get(None, [])
    if len(named) == 1:
        return [(named[0][0], named[0][1] + unknown)]
    return named + ([(None, unknown)] if unknown else [])


def _merge_values(items: Sequence[DiscrepancyValue]) -> list[DiscrepancyValue]:
    """One value per (value, qualifier, claim), its articles joined."""
    merged: dict[tuple[float, str | None, str], DiscrepancyValue] = {}
    for v in items:
        key = (v.value, v.qualifier, v.claim_id)
        if key in merged:
            old = merged[key]
            v = DiscrepancyValue(
                v.value,
                v.qualifier,
                v.claim_id,
                tuple(sorted({*old.article_ids, *v.article_ids})),
                v.sources,
                v.date,
            )
        merged[key] = v
    return sorted(merged.values(), key=lambda v: (v.value, v.qualifier or "", v.claim_id))


def _same_scale(values: list[DiscrepancyValue]) -> list[DiscrepancyValue]:
    """The values within SAME_SCALE_RATIO of the median: reports of one measure rarely
    differ more; casualties and sub-units counted in the same noun do (20 killed
    beside 12,000 deployed)."""
    if not values:
        return values
    median = sorted(v.value for v in values)[len(values) // 2]
    return [v for v in values if median / SAME_SCALE_RATIO <= v.value <= median * SAME_SCALE_RATIO]


def value_range(value: float, qualifier: str | None) -> tuple[float, float]:
    """The interval a qualified value allows ("more than 10,000" is [10000, inf))."""
    q = (qualifier or "").casefold()
    if q in ("more than", "over", "at least", "upwards of", "above"):
        return (value, float("inf"))
    if q in ("up to", "less than", "fewer than", "under", "at most", "below"):
        return (0.0, value)
    if q in ("nearly", "almost", "just under"):
        return (value * (1 - APPROXIMATE_SHARE), value)
    if q in ("approximately", "about", "around", "some", "roughly", "estimated", "an estimated"):
        return (value * (1 - APPROXIMATE_SHARE), value * (1 + APPROXIMATE_SHARE))
    return (value, value)


def conflict(values: Sequence[DiscrepancyValue]) -> bool:
    """True unless every pair of values can hold together as ranges."""
    ranges = [value_range(v.value, v.qualifier) for v in values]
    return any(x[1] < y[0] or y[1] < x[0] for i, x in enumerate(ranges) for y in ranges[i + 1 :])
