"""Clause splitting: a sentence that carries two facts becomes two claims.

"Russian forces shelled Kharkiv on Monday, and the mayor said three people died"
states two things that other outlets tell apart (one outlet the shelling, another
the toll); kept whole, the sentence matches neither retelling well and a reader
cannot cite one fact on its own. The split is made by cheap rules, not a parse
(the extract stage does not parse sentences; a dependency parse of every
candidate would cost more than the rest of the stage):

* a split point is a semicolon, or a comma followed by a coordinating or
  contrasting conjunction (``and``, ``but``, ``while``, ``whereas``, ``yet``),
  or — without a comma — ``and``/``but`` when each side holds a fact of its own
  (a date or a quantity: two dated events, two figures of different things);
* the part after it must read as a main clause: it opens with a subject (not a
  verb, "-ing" form, adverb or preposition) and has a finite
  verb within its first :data:`VERB_WINDOW` words and before any comma; each part
  has at least :data:`MIN_CLAUSE_WORDS` words;
* never inside quoted speech (a speaker's sentence is cited whole).

Clauses are character spans of the sentence, so a claim's support points to the
exact characters of the article (``text[start:end]`` is the clause); the
conjunction joining two clauses belongs to neither. ``bench/claims.py --clauses``
measures the rule against spaCy's dependency parse (a verb ``conj`` of the root
with a subject of its own, or a ``while``/``whereas`` clause) on ECB+ sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Each side of a split has at least this many words (shorter pieces are a list's
#: items or an aside, not a statement).
MIN_CLAUSE_WORDS = 3
#: The finite verb of the clause after a split point comes within this many words of
#: its start (its subject comes first; a long noun phrase with no verb is a list item).
VERB_WINDOW = 8

_SPLIT_COMMA = re.compile(r"\s*(?:;|,\s+(?:and|but|while|whereas|yet)\b)\s*", re.I)
_SPLIT_BARE = re.compile(r"\s+(?:and|but)\s+", re.I)
_WORD = re.compile(r"[\w'’-]+")
#: Words that cannot open the subject of a new clause (verbs, "-ing" forms, adverbs and
#: prepositions: "..., and then fired at ...", "..., while retreating ...").
_NOT_SUBJECT = re.compile(
    r"(?:\w+ing|\w+ed|that|which|who|then|also|so|not|to|as|in|on|at|for|with|from|by|of|after|before|later|now|"
    r"even|still|thus|only|instead|again|more|less|said|says|was|were|is|are|has|have|had|will|would)$",
    re.I,
)
_FINITE = re.compile(
    r"(?:is|are|was|were|has|have|had|will|would|could|can|may|might|must|shall|should|did|does|do|"
    r"said|says|told|took|met|sent|began|led|made|gave|came|went|saw|found|left|fell|rose|won|lost|"
    r"hit|put|set|shot|struck|fought|held|kept|ran|spoke|brought|thought|became|beat|threw|underwent|"
    r"drew|grew|knew|flew|wore|stood|sat|paid|meant|felt|heard|wrote|broke|chose|drove|fled|\w+ed)$",
    re.I,
)
_QUOTE_MARK = re.compile(r"[\"“”]")
#: A closing single quote, not an apostrophe ("Ukraine’s"): not followed by a letter.
_CLOSING_SINGLE = re.compile(r"’(?![^\W\d_])")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _has_finite(words: Sequence[str]) -> bool:
    return any(_FINITE.match(w) for w in words)


def _main_clause(text: str) -> bool:
    """Whether a piece after a split point opens like a clause of its own: a subject, then a
    finite verb before any comma (a comma first is an apposition or a list: "Alice, 58, and
    Katie Jenkin, 20, were found")."""
    words = _words(text)
    if len(words) < MIN_CLAUSE_WORDS or _NOT_SUBJECT.match(words[0]):
        return False
    head = _words(text.split(",", 1)[0])
    return _has_finite(head[1 : VERB_WINDOW + 1])


def _inside_quotes(text: str, at: int) -> bool:
    """Whether a position of the sentence falls between quotation marks (an odd count of
    double marks before it, or a ‘ opened before it and closed after it)."""
    if len(_QUOTE_MARK.findall(text, 0, at)) % 2 == 1:
        return True
    opened = text.rfind("‘", 0, at)
    return (
        opened >= 0
        and not _CLOSING_SINGLE.search(text, opened, at)
        and bool(_CLOSING_SINGLE.search(text, at))
    )


def clause_spans(
    text: str, protected: Sequence[tuple[int, int]] = (), facts: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """The clauses of a sentence as ``(start, end)`` offsets into ``text`` (one span, the
    whole stripped sentence, when it is not split).

    ``protected`` are spans no split may fall inside (quoted speech); ``facts`` are the
    spans of the sentence's dates and quantities, which let a bare ``and`` split two facts.
    """
    points = [(m.start(), m.end()) for m in _SPLIT_COMMA.finditer(text)]
    for m in _SPLIT_BARE.finditer(text):
        before = any(e <= m.start() for _s, e in facts)
        after = any(s >= m.end() for s, _e in facts)
        if before and after and not any(s <= m.start() < e or s < m.end() <= e for s, e in facts):
            points.append((m.start(), m.end()))
    start = len(text) - len(text.lstrip())
    spans = []
    for cut, resume in sorted(points):
        if cut <= start or _inside_quotes(text, cut) or any(s <= cut < e for s, e in protected):
            continue
        if len(_words(text[start:cut])) < MIN_CLAUSE_WORDS:
            continue
        if not _main_clause(text[resume:]):
            continue
        spans.append((start, cut))
        start = resume
    spans.append((start, len(text.rstrip())))
    return spans
