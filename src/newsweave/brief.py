"""Brief stage: a short brief per story whose every sentence cites, and is checked against, its articles.

Sentences in order of importance:

1. the best-sourced claim: the most independent sources (ties: more articles,
   an earlier date, then the id);
2. one sentence per discrepancy, from :data:`DISCREPANCY_TEMPLATE`, listing every
   value as its source wrote it ("approximately 12 000") with the sources named
   in the cited articles;
3. further claims in the same order as background, skipping sentences that repeat one already in the brief,
   up to :data:`MAX_SENTENCES`.

Claim sentences are extractive; the only words the brief adds are the
template's, listed in :data:`TEMPLATE_WORDS`.

Verification (:func:`verify_sentence`, also for ``newsweave verify``): every
number, every month-and-day date, every capitalised name and every quoted string
of a brief sentence must appear in one of its cited articles, and most of its
content words must too. ``BriefSentence.verified`` records the result.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, ClassVar

from .claims import PERSONNEL_LABEL, content_stems
from .model import BriefSentence, Claim, ClaimQuantity, Discrepancy, DiscrepancyValue, Dossier
from .stage import Stage

#: Brief length in sentences (the issue asks for 5–10 where the story has that many facts).
MAX_SENTENCES = 8
#: Share of a sentence's content stems that must be found in its cited articles. Hand-set:
#: names, numbers, dates and quotes are checked one by one; this catches reworded content.
MIN_COVERED = 0.8
#: A claim whose content stems are this much contained in an earlier brief sentence repeats it.
REPEAT_CONTAINMENT = 0.6
#: The sentence built for a discrepancy.
DISCREPANCY_TEMPLATE = "Sources give different figures for {subject}: {values}."
#: Stems of the words the templates add (and of the personnel measure class's name): they need no support.
TEMPLATE_WORDS = content_stems(DISCREPANCY_TEMPLATE.format(subject="", values="") + " " + PERSONNEL_LABEL)
#: Sentence-initial words that are capitalised only because they open the sentence.
_OPENERS = frozenset(
    [
        "a", "an", "the", "this", "that", "these", "those", "it", "its", "on", "in", "at", "for", "from",
        "by", "with", "as", "after", "before", "during", "and", "but", "also", "however", "meanwhile",
        "later", "earlier", "there", "he", "she", "they", "we", "i"
    ]
)  # fmt: skip

_NUMBER = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?!\d)|\d+(?:\.\d+)?)")
_QUOTED = re.compile(r"[\"“‘]([^\"”’]{3,}?)[\"”’](?!\w)")
_NAME = re.compile(r"(?<![\w'’])[A-Z][\w'’-]*")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")  # fmt: skip
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_MONTH_DAY = re.compile(
    rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?!\d)|\b(?P<day2>\d{{1,2}})\s+{_MONTH.replace('month', 'month2')}\b",
    re.I,
)
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "ʼ": "'"})


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return " ".join(text.split())


def numbers(text: str) -> set[str]:
    """The numbers of a text, digit groups joined: "12 000", "12,000" and "12000" are all "12000"."""
    return {re.sub(r"[,\u00a0\u202f ]", "", n) for n in _NUMBER.findall(unicodedata.normalize("NFKC", text))}


def month_days(text: str) -> set[tuple[int, int]]:
    """The (month, day) pairs a text names: "October 24" and "24 Oct." are both (10, 24)."""
    found = set()
    for m in _MONTH_DAY.finditer(text):
        month = (m.group("month") or m.group("month2")).casefold()
        day = int(m.group("day") or m.group("day2"))
        index = next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(month[:3]))
        found.add((index, day))
    return found


def _names(text: str) -> set[str]:
    """Capitalised tokens, but not an opening word capitalised only by position, nor a template word."""
    names = set()
    for m in _NAME.finditer(text):
        word = m.group(0)
        opening = not text[: m.start()].strip(" \"“‘'([")
        stems = content_stems(word)
        if (opening and word.casefold() in _OPENERS) or (stems and stems <= TEMPLATE_WORDS):
            continue
        names.add(_normal(word))
    return names


def _has_word(phrase: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def verify_sentence(text: str, cited_texts: Sequence[str]) -> bool:
    """Whether ``text`` is supported by the cited articles' texts.

    Every number (digit groups normalised), month-and-day date, capitalised name
    and quoted string must appear in at least one cited text (case-insensitive,
    quotes and dashes folded), and :data:`MIN_COVERED` of its content words must.
    Template words (:data:`TEMPLATE_WORDS`) need no support. No cited text: False.
    """
    if not cited_texts:
        return False
    joined = "\n".join(_normal(t) for t in cited_texts)
    if not numbers(text) <= numbers(joined) or not month_days(text) <= month_days(joined):
        return False
    if not all(_has_word(name, joined) for name in _names(text)):
        return False
    if not all(_normal(q) in joined for q in _QUOTED.findall(text)):
        return False
    stems = {s for s in content_stems(text) if s not in TEMPLATE_WORDS and not s[0].isdigit()}
    return len(stems & content_stems(joined)) >= MIN_COVERED * len(stems)


class Brief(Stage):
    """Cited, verified brief sentences per story."""

    name: ClassVar[str] = "brief"
    requires: ClassVar[tuple[str, ...]] = (
        "articles", "sentences", "entities", "claims", "discrepancies", "timeline",
    )  # fmt: skip
    provides: ClassVar[tuple[str, ...]] = ("brief",)

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        texts = {a.id: a.text for a in dossier.articles}
        claims: dict[str, list[Claim]] = defaultdict(list)
        for claim in dossier.claims:
            claims[claim.story_id].append(claim)
        discrepancies: dict[str, list[Discrepancy]] = defaultdict(list)
        for discrepancy in dossier.discrepancies:
            discrepancies[discrepancy.story_id].append(discrepancy)
        brief: list[BriefSentence] = []
        for story in dossier.stories:
            brief.extend(story_brief(story.id, claims[story.id], discrepancies[story.id], texts))
        return {"brief": tuple(brief)}


def importance(claim: Claim) -> tuple[int, int, str, str]:
    """Sort key, most important first: independent sources, articles, an earlier date
    (undated last), the id."""
    return (-claim.independent_sources, -claim.article_count, claim.date or "9999", claim.id)


def story_brief(
    story_id: str, claims: Sequence[Claim], discrepancies: Sequence[Discrepancy], texts: dict[str, str]
) -> list[BriefSentence]:
    """A story's brief sentences, most important first, each verified against its cited articles."""
    ranked = sorted(claims, key=importance)
    by_id = {c.id: c for c in claims}
    lines: list[tuple[str, tuple[str, ...]]] = []
    said: list[frozenset[str]] = []

    def add(text: str, article_ids: tuple[str, ...]) -> None:
        stems = content_stems(text) - TEMPLATE_WORDS
        if len(lines) >= MAX_SENTENCES or any(
            len(stems & s) >= REPEAT_CONTAINMENT * max(len(stems), 1) for s in said
        ):
            return
        said.append(stems)
        lines.append((text, article_ids))

    if ranked:
        add(ranked[0].text, ranked[0].article_ids)
    for discrepancy in discrepancies:
        cited = tuple(sorted({a for v in discrepancy.values for a in v.article_ids}))
        add(discrepancy_sentence(discrepancy, by_id, [texts.get(a, "") for a in cited]), cited)
    for claim in ranked:
        add(claim.text, claim.article_ids)
    return [
        BriefSentence(story_id, text, ids, verify_sentence(text, [texts[i] for i in ids if i in texts]))
        for text, ids in lines
    ]


def _figure(value: DiscrepancyValue, claim: Claim | None) -> str:
    """A value as its source wrote it ("approximately 12 000"), from the claim's quantity."""
    quantities: Sequence[ClaimQuantity] = claim.quantities if claim else ()
    for q in quantities:
        if q.value == value.value and q.qualifier == value.qualifier:
            figure = q.text[: -len(q.unit)] if q.unit and q.text.endswith(q.unit) else q.text
            if q.qualifier and figure.casefold().startswith(q.qualifier.casefold()):
                figure = q.qualifier + figure[len(q.qualifier) :]  # "More than" mid-sentence
            return figure.strip()
    number = f"{value.value:,.0f}" if float(value.value).is_integer() else f"{value.value:,}"
    return f"{value.qualifier} {number}" if value.qualifier else number


def discrepancy_sentence(
    discrepancy: Discrepancy, claims: dict[str, Claim], cited_texts: Sequence[str]
) -> str:
    """Every value of a discrepancy in one sentence, each with who says it (its claim's
    speakers and relayed reports, then its origins) as far as the cited articles name
    them: an origin known only from metadata, an outlet or an article id, is left out
    of the text (it stays in the discrepancy record)."""
    cited = "\n".join(_normal(t) for t in cited_texts)
    parts = []
    for v in discrepancy.values:
        claim = claims.get(v.claim_id)
        who = dict.fromkeys((*(claim.attributed_to if claim else ()), *v.sources))
        named = [s for s in who if _has_word(_normal(s), cited)]
        figure = _figure(v, claim)
        parts.append(f"{figure} ({', '.join(named)})" if named else figure)
    return DISCREPANCY_TEMPLATE.format(subject=discrepancy.subject, values="; ".join(dict.fromkeys(parts)))
