"""Claims stage: the same statement across outlets, its independent sources, and disagreements.

* Candidates are clauses that state a fact: a sentence carrying two facts
  ("X happened on Monday, and Y said Z", two dated events, two figures of different
  things) is split at clause level (:mod:`newsweave.claims.clauses`, by rule, no
  parse), each clause its own claim citing its own characters. A clause states a fact
  when it holds a date, a quantity, or a named entity or event predicate
  (:data:`~newsweave.claims.matcher.PREDICATES`) with a verb. Questions, headings,
  very short or long sentences are not claims, nor is a clause that is mostly a quote
  with no date, number or name inside the quote (a speaker's name alone does not make
  "'We are ready,' he said" a claim).
* Check-worthiness is :func:`newsweave.claims.checkworthy.score` (a logistic score
  over hand-built features and telling words, fitted offline, measured by
  bench/checkworthy.py); clauses under :data:`MIN_CHECKWORTHINESS` (opinion,
  pleasantries, rhetoric) are not claims.
* Within a story, clauses are one claim when the matcher
  (:mod:`newsweave.claims.matcher`) finds most of their terms shared
  (containment of lemmas, predicates folded to their class), their day dates do not disagree and
  their figures do not clash; candidate pairs come from an inverted index of
  content words, not all pairs.
  The claim's text is its most central complete sentence: one that does not
  lean on the sentence before ("Also, ...", "... about this."), states the
  claim's date when it has one, and whose words the rest of the group says most
  (ties: the shortest).
* Independent sources: a claim's supporting articles collapse to origins with
  a union-find. Articles are one origin when one copies the other (duplicate,
  near duplicate, or a shared passage holding the supporting sentence), when
  they come from one outlet, or when their supporting sentences relay the same
  named report ("FT" and "Financial Times" are one report: through the relay's
  resolved entity, else an acronym spelled out by another relay of the corpus),
  or when one relays the report of the other's outlet. Relays are used at the
  *sentence* level, not the article level (an article that cites Reuters once is
  not all Reuters): a supporting sentence relays the reports whose attributing
  phrase overlaps it, or, when it names a report only by reference ("the
  publication is calling...", "according to the report"), the last report relayed
  before it within :data:`REPORT_REFERENCE_WINDOW` characters. An origin is labelled by the report it relays, else its outlet, else its
  earliest article's id. When in doubt articles are *not* independent, so
  ``independent_sources`` is a lower bound.
* Discrepancies: values counting the same thing (one counted-noun class, e.g.
  :data:`PERSONNEL`) about overlapping subjects (the NORP named with the
  number) that differ. Parts ("including 500", "the first unit of 2,600"),
  per-unit values ("each of about 3,000") and values far off the group's scale
  are other measures and stay out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ..model import (
    Claim,
    ClaimQuantity,
    DateMention,
    Dossier,
    Mention,
    Quantity,
    Quote,
    Sentence,
    Support,
    by_article,
    stable_id,
)
from ..stage import Stage
from ..unionfind import UnionFind, pairs_sharing
from . import checkworthy
from .clauses import clause_spans
from .discrepancies import (
    PERSONNEL,
    PERSONNEL_LABEL,
    conflict,
    find_discrepancies,
    measure,
    subject_key,
    value_range,
)
from .matcher import PREDICATES, claim_terms, similarity, value_numbers
from .origins import _Sources, relay_labels, source_label
from .text import SpanIndex, _inside, _overlapping, content_stems, leans_on_context

__all__ = [
    "MIN_CHECKWORTHINESS", "PERSONNEL", "PERSONNEL_LABEL", "Claims", "build_claims", "conflict", "content_stems", "find_candidates",
    "find_discrepancies", "group_candidates", "leans_on_context", "measure", "relay_labels", "source_label",
    "subject_key", "value_range",
]  # fmt: skip

#: Sentences shorter or longer than these (in words) are not claims.
MIN_CLAIM_WORDS = 6
MAX_CLAIM_WORDS = 80
#: A sentence whose characters are at least this share quoted speech is "mostly a quote",
#: and not a claim unless the quote itself holds a date, number or name.
MOSTLY_QUOTE = 0.6
#: Clauses scoring below this check-worthiness (:func:`~newsweave.claims.checkworthy.score`)
#: are not claims: opinion, pleasantries, rhetoric. On ClaimBuster's shared part, scored
#: cross-validated (bench/checkworthy.py, ``filter`` line), 0.2 removes 47.5 % of the
#: non-check-worthy sentences and keeps 96.3 % of the check-worthy ones (0.1: 22.5 % / 99.0 %,
#: 0.3: 65.5 % / 91.1 %); the seeds' claim sentences score 0.76-0.99.
MIN_CHECKWORTHINESS = 0.2
#: Share of the shorter sentence's content stems found in the other for one claim
#: (:func:`~newsweave.claims.matcher.similarity`). 0.6 groups the seeds' first-clash
#: retellings while sentences sharing only the topic's words (North Korean, troops, Kursk)
#: stay apart; on ECB+ train+dev (bench/claims.py) it gives precision 0.909 with the figure
#: rule. Weighting the stems by idf was measured too: no gain on ECB+ at any threshold that
#: kept the seeds' retellings together (rare paraphrase words outweigh the shared facts).
SAME_CLAIM_CONTAINMENT = 0.6
#: A content stem in more than this many sentences of a story is not used to
#: retrieve candidates (it says which story, not which claim).
MAX_POSTING = 200
CENTRALITY_SAMPLE = 50
_VERB_HINT = re.compile(
    r"\b\w+(?:ed|es)\b|\b(?:is|are|was|were|has|have|had|will|would|could|can|may|said|says|told|took|met|sent|began|led)\b",
    re.I,
)


_SENTENCE_END = re.compile(r"[.!\"”’']$")
_NONE = SpanIndex(())


@dataclass(frozen=True)
class _Candidate:
    sentence: Sentence
    story: str
    stems: frozenset[str]
    dates: tuple[DateMention, ...]
    quantities: tuple[Quantity, ...]
    mentions: tuple[Mention, ...]
    score: float
    numbers: frozenset[str]  # the figures among the stems (:func:`~newsweave.claims.matcher.value_numbers`)


class Claims(Stage):
    """Claims per story with independent-source counts; discrepancies between their values."""

    name: ClassVar[str] = "claims"
    requires: ClassVar[tuple[str, ...]] = (
        "articles", "sentences", "mentions", "dates", "quantities", "quotes", "reuse", "relays", "stories", "entities",
    )  # fmt: skip
    provides: ClassVar[tuple[str, ...]] = ("claims", "discrepancies")
    per_story: ClassVar[bool] = True

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        candidates = find_candidates(dossier)
        sources = _Sources(dossier.articles, dossier.reuse, dossier.relays, dossier.quotes, dossier.entities)
        claims = build_claims(group_candidates(candidates), sources)
        return {"claims": tuple(claims), "discrepancies": tuple(find_discrepancies(claims, dossier))}


# ----------------------------------------------------------------- candidates


def _quoted_spans(quotes: Sequence[Quote], sentence: Sentence) -> list[tuple[int, int]]:
    spans = [(max(q.start, sentence.start), min(q.end, sentence.end)) for q in quotes]
    return [(s, e) for s, e in spans if s < e]


def _evidence(records: Sequence[Any], spans: list[tuple[int, int]]) -> tuple[Any, ...]:
    return tuple(r for r in records if any(s <= r.start and r.end <= e for s, e in spans))


def find_candidates(dossier: Dossier) -> list[_Candidate]:
    """The clauses of storied articles' sentences that state a check-worthy fact, with the
    facts inside them (a sentence not split is one clause)."""
    story_of = dossier.story_of()
    dates, quantities, mentions = (
        {a: SpanIndex(rs) for a, rs in by_article(getattr(dossier, n)).items()}
        for n in ("dates", "quantities", "mentions")
    )
    quotes = by_article(dossier.quotes)
    found = []
    for sentence in dossier.sentences:
        story = story_of.get(sentence.article)
        text = sentence.text.strip()
        if story is None or not MIN_CLAIM_WORDS <= len(text.split()) <= MAX_CLAIM_WORDS:
            continue
        if text.endswith("?") or not _SENTENCE_END.search(text):  # questions, headings, fragments
            continue
        span = (sentence.start, sentence.end)
        article = sentence.article
        facts = _Facts(
            tuple(d for d in dates.get(article, _NONE).inside(*span) if d.value),
            quantities.get(article, _NONE).inside(*span),
            mentions.get(article, _NONE).inside(*span),
            _quoted_spans(_overlapping(quotes[sentence.article], *span), sentence),
        )
        clauses = _clauses(sentence, facts)
        for clause in clauses:
            candidate = _candidate(clause, story, facts)
            if candidate is not None:
                found.append(candidate)
    return found


@dataclass(frozen=True)
class _Facts:
    """A sentence's dates (with a value), quantities, mentions and quoted spans."""

    dates: tuple[DateMention, ...]
    quantities: tuple[Quantity, ...]
    mentions: tuple[Mention, ...]
    quoted: list[tuple[int, int]]


def _clauses(sentence: Sentence, facts: _Facts) -> list[Sentence]:
    """The sentence's clauses (:func:`~newsweave.claims.clauses.clause_spans`) as sentence
    records of the same article and index, with their own offsets and text."""
    base = sentence.start
    quoted = [(s - base, e - base) for s, e in facts.quoted]
    spans_of = [(r.start, r.end) for r in facts.dates] + [(r.start, r.end) for r in facts.quantities]
    figures = [(s - base, e - base) for s, e in spans_of]
    spans = clause_spans(sentence.text, quoted, figures)
    if len(spans) == 1:
        return [sentence]
    return [
        Sentence(sentence.article, sentence.index, base + s, base + e, sentence.text[s:e]) for s, e in spans
    ]


def _candidate(clause: Sentence, story: str, facts: _Facts) -> _Candidate | None:
    """The clause as a candidate claim, or None: no fact in it, mostly a quote with nothing
    checkable inside, or a check-worthiness below :data:`MIN_CHECKWORTHINESS`."""
    span = (clause.start, clause.end)
    in_dates, in_quantities, in_mentions = (
        _inside(records, *span) for records in (facts.dates, facts.quantities, facts.mentions)
    )
    terms = claim_terms(clause.text)
    event = any(t in PREDICATES for t in terms)
    if not (in_dates or in_quantities or ((in_mentions or event) and _VERB_HINT.search(clause.text))):
        return None
    quoted = [(max(s, clause.start), min(e, clause.end)) for s, e in facts.quoted]
    quoted = [(s, e) for s, e in quoted if s < e]
    if sum(e - s for s, e in quoted) >= MOSTLY_QUOTE * max(clause.end - clause.start, 1) and not (
        _evidence((*in_dates, *in_quantities, *in_mentions), quoted)
    ):
        return None  # mostly a quote, and nothing checkable inside it
    score = checkworthy.score(clause.text)
    if score < MIN_CHECKWORTHINESS:
        return None
    return _Candidate(clause, story, terms, in_dates, in_quantities, in_mentions, score, value_numbers(terms))


def _day_values(candidate: _Candidate) -> set[str]:
    return {d.value for d in candidate.dates if d.value and d.grain == "day"}


def _same(x: _Candidate, y: _Candidate, days_x: set[str], days_y: set[str]) -> bool:
    """Two sentences of different articles state one claim: most words shared
    (containment), no clash of days (``_day_values``, worked out once per candidate) or of
    figures."""
    if x.sentence.article == y.sentence.article:
        return False
    if days_x and days_y and not days_x & days_y:
        return False
    if x.numbers and y.numbers and not x.numbers & y.numbers:  # two figures (numbers_clash)
        return False
    return similarity(x.stems, y.stems) >= SAME_CLAIM_CONTAINMENT


def group_candidates(candidates: Sequence[_Candidate]) -> list[list[_Candidate]]:
    """Candidates of one story that state the same thing, grouped (union-find)."""
    links = UnionFind(range(len(candidates)))
    postings: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))  # story, stem
    for i, c in enumerate(candidates):
        own = postings[c.story]
        for stem in c.stems:
            own[stem].append(i)
    days = [_day_values(c) for c in candidates]
    lists = (members for story in postings.values() for members in story.values())
    for i, j in pairs_sharing(lists, MAX_POSTING):
        if _same(candidates[i], candidates[j], days[i], days[j]):
            links.union(i, j)
    return [
        sorted((candidates[i] for i in group), key=lambda c: (c.sentence.article, c.sentence.start))
        for group in links.groups()
    ]


# --------------------------------------------------------------------- claims


def _centrality(candidate: _Candidate, group: Sequence[_Candidate]) -> float:
    """How much of a sentence the rest of its group also says (concise retellings score high)."""
    others = [o for o in group[:CENTRALITY_SAMPLE] if o is not candidate]
    if not others or not candidate.stems:
        return 0.0
    return sum(len(candidate.stems & o.stems) for o in others) / (len(others) * len(candidate.stems))


def _ranked(group: Sequence[_Candidate], date: str | None) -> list[_Candidate]:
    """The group's sentences, the one that best tells its claim on its own first
    (see the module docstring)."""
    return sorted(
        group,
        key=lambda c: (
            leans_on_context(c.sentence.text),
            date is not None and all(d.value != date for d in c.dates),
            -_centrality(c, group),
            len(c.sentence.text),
            c.sentence.article,
            c.sentence.start,
        ),
    )


def _claim_date(group: Sequence[_Candidate]) -> str | None:
    """A day when a sentence states one, else a month or year (earliest first)."""
    days = sorted(d.value for c in group for d in c.dates if d.value and d.grain == "day")
    others = sorted(d.value for c in group for d in c.dates if d.value)
    return next(iter(days or others), None)


def build_claims(groups: Sequence[Sequence[_Candidate]], sources: _Sources) -> list[Claim]:
    """One claim per group, no two claims of a story with one text (so ids are unique).

    Bigger groups choose their text first; a group whose every sentence text is taken
    (the same sentence in two articles, set apart by different dates) joins the group
    that took its best text rather than being dropped.
    """
    ordered = sorted(groups, key=lambda g: (-len(g), g[0].sentence.article, g[0].sentence.start))
    chosen: list[tuple[list[_Candidate], _Candidate]] = []
    taken: dict[tuple[str, str], int] = {}
    for group in ordered:
        ranked = _ranked(group, _claim_date(group))
        free = [c for c in ranked if (c.story, c.sentence.text) not in taken]
        if free:
            taken[(free[0].story, free[0].sentence.text)] = len(chosen)
            chosen.append((list(group), free[0]))
        else:
            chosen[taken[(ranked[0].story, ranked[0].sentence.text)]][0].extend(group)
    claims = [_claim(group, central, sources) for group, central in chosen]
    return sorted(claims, key=lambda c: (c.story_id, -c.independent_sources, -c.article_count, c.id))


def _claim(group: list[_Candidate], central: _Candidate, sources: _Sources) -> Claim:
    group = sorted(group, key=lambda c: (c.sentence.article, c.sentence.start))
    support = tuple(
        Support(c.sentence.article, c.sentence.start, c.sentence.end, c.sentence.text) for c in group
    )
    article_ids = tuple(sorted({s.article for s in support}))
    origins = sources.origins(support)
    attributed = {name for s in support for name in (*sources.relayed(s), *sources.speakers(s))}
    quantities = tuple(
        ClaimQuantity(q.value, q.unit, q.counted, q.text, q.qualifier) for c in group for q in c.quantities
    )
    return Claim(
        id=stable_id("c", central.story, central.sentence.text),
        story_id=central.story,
        text=central.sentence.text,
        date=_claim_date(group),
        article_ids=article_ids,
        support=support,
        attributed_to=tuple(sorted(attributed)),
        origins=origins,
        independent_sources=len(origins),
        article_count=len(article_ids),
        checkworthiness=max(c.score for c in group),
        quantities=quantities,
    )
