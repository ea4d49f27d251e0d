"""Timeline stage: what happened when, every entry cited.

Entries come from claims that carry a date of occurrence (a day, a month, or an
interval stated in a supporting sentence), never from a publication date
alone. Claims of one story on the same date that share enough content words are
merged into one entry; the entry's text is the shortest of their sentences.
Entries are sorted by story, then date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, ClassVar

from .claims import content_stems, leans_on_context
from .model import Claim, DateMention, Dossier, TimelineEntry
from .stage import Stage

#: Share of the shorter claim's content stems in the other for two same-date claims to be one entry.
MERGE_CONTAINMENT = 0.3
#: An entry's text is a sentence of at least this many words (shorter ones are fragments).
MIN_ENTRY_WORDS = 8


class Timeline(Stage):
    """Dated, cited entries per story."""

    name: ClassVar[str] = "timeline"
    requires: ClassVar[tuple[str, ...]] = ("claims", "dates", "stories")
    provides: ClassVar[tuple[str, ...]] = ("timeline",)
    per_story: ClassVar[bool] = True

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        return {"timeline": build(dossier.claims, dossier.dates)}


def _interval_end(claim: Claim, dates: Sequence[DateMention]) -> str | None:
    """The end of an interval stated in a supporting sentence with the claim's date."""
    for support in claim.support:
        for d in dates:
            if (
                d.article == support.article
                and support.start <= d.start < support.end
                and d.value == claim.date
                and d.end_value
            ):
                return d.end_value
    return None


def _entry_text(entry: Sequence[Claim], date: str, dates: dict[str, list[DateMention]]) -> str:
    """The shortest complete supporting sentence (one that does not lean on the sentence
    before it, of at least MIN_ENTRY_WORDS words) that states the entry's date (else any)."""
    supports = [s for c in entry for s in c.support if len(s.text.split()) >= MIN_ENTRY_WORDS]
    dated = [
        s for s in supports if any(d.value == date and s.start <= d.start < s.end for d in dates[s.article])
    ]
    texts = [s.text for s in dated or supports] or [c.text for c in entry]
    return min(texts, key=lambda t: (leans_on_context(t), len(t), t))


def build(claims: Sequence[Claim], dates: Sequence[DateMention]) -> tuple[TimelineEntry, ...]:
    by_article: dict[str, list[DateMention]] = defaultdict(list)
    for d in dates:
        by_article[d.article].append(d)
    groups: dict[tuple[str, str, str | None], list[list[Claim]]] = defaultdict(list)
    for claim in sorted(claims, key=lambda c: (c.story_id, -c.article_count, c.id)):
        if not claim.date or len(claim.date) < 7:  # a year alone does not place an event
            continue
        end = _interval_end(claim, [d for s in claim.support for d in by_article[s.article]])
        entries = groups[(claim.story_id, claim.date, end)]
        stems = content_stems(claim.text)
        for entry in entries:
            other = content_stems(entry[0].text)
            if len(stems & other) >= MERGE_CONTAINMENT * max(min(len(stems), len(other)), 1):
                entry.append(claim)
                break
        else:
            entries.append([claim])
    timeline = [
        TimelineEntry(
            story_id=story_id,
            date=date,
            end_date=end,
            text=_entry_text(entry, date, by_article),
            claim_ids=tuple(sorted(c.id for c in entry)),
            article_ids=tuple(sorted({a for c in entry for a in c.article_ids})),
        )
        for (story_id, date, end), entries in groups.items()
        for entry in entries
    ]
    return tuple(sorted(timeline, key=lambda e: (e.story_id, e.date, e.text)))
