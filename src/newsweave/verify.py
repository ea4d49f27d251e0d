"""The verifier: is a brief sentence said by the articles it cites?

Used by the ``brief`` stage on every sentence it writes and by
``newsweave verify DOSSIER.json`` on any dossier (one edited by hand too).

The cited articles are split into sentences. The sentence is checked clause by
clause (clauses end at ";" or ":", so each figure of a discrepancy sentence is
checked against its own source). The sentences that support a clause are those
sharing at least :data:`SUPPORT_RATIO` of the content words the best one shares
with it: the sentence it was taken from, and near copies. Numbers and dates may
also come from the sentence just before a supporting one (its *window*: "their
number to 15,000" is read with the sentence that says whose number). Then:

* every **number** (digit groups normalised: "12 000" = "12,000"), every
  **month-and-day date** ("October 24" = "24 Oct.") must be found in a
  supporting window and every capitalised **name** in a supporting sentence, so a
  figure, date or name the article gives elsewhere, for something else, does not
  count; every **quoted** string must be in a cited article.
  A name also passes through entity resolution: when it is one spelling of an
  entity (``aliases``), another spelling of that entity will do (Umerov = Umyerov);
* **negation** must agree with the best-supporting sentence: a "not", "no",
  "never" the source does not have fails, and so does dropping the source's
  negation from a sentence that otherwise copies it;
* :data:`MIN_COVERED` of the sentence's **content words** must be in the cited articles.

Words a template adds (``template_words``) need no support. Deterministic, offline.

:func:`support` grades instead of checking (for text nobody wrote sentence by sentence from
its sources, such as a machine summary against its article; ``bench/faithfulness.py``): the
share of the sentence's content the texts hold at all, the share its best sentence holds, how
much of it that sentence gives in the same order, and the numbers and negations they lack.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .claims.text import content_stems, content_terms, stem

#: Share of a sentence's content stems that must be found in its cited articles. Hand-set:
#: names, numbers, dates and quotes are checked one by one; this catches reworded content.
MIN_COVERED = 0.8
#: A sentence (or window) supports a clause when it shares at least this share of the content
#: stems the best one shares with it. bench/verify.py on 60 PolNeAR articles: caught 0.890 /
#: 0.955 / 0.962 at 0.5 / 0.7 / 0.8, true sentences passed 1.000 at all three.
SUPPORT_RATIO = 0.8
#: A sentence covering this share of its best source sentence's stems copies it; then it
#: must keep that sentence's negation.
NEAR_COPY = 0.9

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
#: _FOLD as (character, replacement) pairs: one ``str.replace`` each is faster than
#: ``translate``, and the same since no replacement is another pair's character.
_FOLD_PAIRS = tuple((chr(k), str(v)) for k, v in _FOLD.items())
#: Clauses are checked one by one: a sentence joining several sources' figures with ";"
#: finds each figure in its own source's passage.
_CLAUSE = re.compile(r"[;:]\s+")
_NEGATION = re.compile(r"\b(?:not|no|never|nobody|none|nothing|neither|nor|without|cannot)\b|n't\b", re.I)
#: Sentence ends: a full stop, ! or ? (and closing quotes) before a space and a capital,
#: a digit or an opening quote, and paragraph breaks.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n?")
_ABBREVIATION = re.compile(
    r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sgt|Rep|Sen|Gov|Jr|Sr|No|vs|U\.S|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.$"
)
#: Sentence-initial words that are capitalised only because they open the sentence.
_OPENERS = frozenset(
    [
        "a", "an", "the", "this", "that", "these", "those", "it", "its", "on", "in", "at", "for", "from",
        "by", "with", "as", "after", "before", "during", "and", "but", "also", "however", "meanwhile",
        "later", "earlier", "there", "he", "she", "they", "we", "i", "his", "her", "their", "our", "when",
        "while", "if", "since", "according", "some", "many", "most", "one", "two", "three", "more",
    ]
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a sentence fails: what kind of element (number, date, name, quote, negation,
    coverage, citation) and which one."""

    kind: str
    value: str

    def __str__(self) -> str:
        return f"{self.kind} {self.value!r} not supported by the cited articles"


#: Memo sizes for the pure text functions the verifier calls on every cited sentence of
#: every candidate brief sentence: a story's texts are checked against many candidates, so
#: each is analysed once (150 PolNeAR articles: the brief stage 53 s -> 1.6 s).
#: The memos only save time; results never depend on what was seen before.
TEXT_MEMO = 1 << 14


@lru_cache(maxsize=TEXT_MEMO)
def normal(text: str) -> str:
    """Case, quotes, dashes and white space folded."""
    if not text.isascii():  # ASCII is its own NFKC form and holds none of _FOLD's characters
        text = unicodedata.normalize("NFKC", text)
        for char, folded in _FOLD_PAIRS:
            if char in text:
                text = text.replace(char, folded)
    return " ".join(text.casefold().split())


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


def names(text: str, template_words: frozenset[str] = frozenset()) -> set[str]:
    """Capitalised tokens (folded), but not an opening word capitalised only by position, nor a template word."""
    found = set()
    for m in _NAME.finditer(text):
        word = m.group(0)
        opening = not text[: m.start()].strip(" \"“‘'([") or text[: m.start()].rstrip(" \"“‘'([").endswith(
            (".", ":", ";")
        )
        stems = content_stems(word)
        if (opening and word.casefold() in _OPENERS) or (stems and stems <= template_words):
            continue
        found.add(re.sub(r"'s?$", "", normal(word)))
    return found


def negations(text: str) -> Counter[str]:
    """The negation words of a text, counted ("not ... not" is two)."""
    return Counter(m.group(0).casefold() for m in _NEGATION.finditer(text.replace("’", "'")))


def _supporting(stems: Sequence[frozenset[str]], wanted: frozenset[str]) -> list[int]:
    """The indexes of the sentences sharing at least SUPPORT_RATIO of the content stems
    the best sentence shares with ``wanted``."""
    cover = [len(wanted & s) for s in stems]
    best = max(cover, default=0)
    return [i for i, c in enumerate(cover) if c and c >= SUPPORT_RATIO * best]


def split_sentences(text: str) -> list[str]:
    """A text's sentences (a rule-based split: full stops before a capital, not after an
    initial or a common abbreviation; paragraph breaks)."""
    return list(_sentences(text))


@lru_cache(maxsize=TEXT_MEMO)
def _sentences(text: str) -> tuple[str, ...]:
    pieces: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[start : m.start()] + text[m.start() : m.end()].rstrip()
        if _ABBREVIATION.search(text[start : m.start()].rstrip("\"”’')]")) and "\n" not in m.group(0):
            continue
        pieces.append(piece.strip())
        start = m.end()
    pieces.append(text[start:].strip())
    return tuple(p for p in pieces if p)


def has_word(phrase: str, text: str) -> bool:
    """Whether ``phrase`` is in ``text`` as whole words: an occurrence with no word
    character (``\\w``: alphanumeric or "_") on either side. A scan with ``str.find``
    rather than a pattern compiled per phrase (a brief's names are mostly new phrases)."""
    size = len(phrase)
    at = text.find(phrase)
    while at >= 0:
        end = at + size
        if (at == 0 or not _is_word(text[at - 1])) and (end == len(text) or not _is_word(text[end])):
            return True
        at = text.find(phrase, at + 1)
    return False


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what re's \w matches in a str pattern


_has_word = has_word


def alias_map(entities: Iterable[tuple[str, Sequence[str]]]) -> dict[str, frozenset[str]]:
    """Name token -> every spelling of the entities it belongs to (folded), from
    ``(name, aliases)`` pairs: what lets "Umyerov" stand for "Umerov"."""
    found: dict[str, set[str]] = {}
    for name, aliases in entities:
        forms = {normal(f) for f in (name, *aliases) if f}
        for form in forms:
            for token in form.split():
                found.setdefault(token, set()).update(forms)
    return {k: frozenset(v) for k, v in found.items()}


#: Cited texts whose analysis (:class:`_Cited`) is kept: the brief checks every candidate
#: sentence of a story against sets of that story's articles (300 PolNeAR articles: 2,171
#: checks), each text's part is worked out once. The memo only saves time.
CITED_MEMO = 2048


@dataclass(frozen=True, slots=True)
class _Cited:
    """What :func:`check` reads from cited texts: their sentences in order, each with its
    content stems and normal form, and its window's normal form (the sentence after the
    one before it in its text); the normal texts, and all their content stems."""

    sentences: tuple[str, ...]
    stems: tuple[frozenset[str], ...]
    normal_sentences: tuple[str, ...]
    normal_windows: tuple[str, ...]
    normal_texts: tuple[str, ...]
    all_stems: frozenset[str]

    def holds(self, phrase: str) -> bool:
        """Whether a normal text holds ``phrase`` (normal: on one line, so as in the texts
        joined one a line)."""
        return any(phrase in t for t in self.normal_texts)


@lru_cache(maxsize=CITED_MEMO)
def _cited_text(text: str) -> _Cited:
    sentences = split_sentences(text)
    windows = [s if i == 0 else sentences[i - 1] + " " + s for i, s in enumerate(sentences)]
    folded = normal(text)
    return _Cited(
        tuple(sentences),
        tuple(content_stems(s) for s in sentences),
        tuple(normal(s) for s in sentences),
        tuple(normal(w) for w in windows),
        (folded,),
        content_terms(folded, stem),  # not content_stems: one big text, asked for once
    )


def _cited(cited_texts: Sequence[str]) -> _Cited:
    """The texts' parts one after another (no word spans two texts' lines, so the stems of
    the joined texts are the union of each text's)."""
    parts = [_cited_text(t) for t in cited_texts]
    if len(parts) == 1:
        return parts[0]
    return _Cited(
        tuple(s for p in parts for s in p.sentences),
        tuple(s for p in parts for s in p.stems),
        tuple(s for p in parts for s in p.normal_sentences),
        tuple(s for p in parts for s in p.normal_windows),
        tuple(t for p in parts for t in p.normal_texts),
        frozenset().union(*(p.all_stems for p in parts)),
    )


def check(
    text: str,
    cited_texts: Sequence[str],
    template_words: frozenset[str] = frozenset(),
    aliases: Mapping[str, frozenset[str]] | None = None,
) -> list[Failure]:
    """Every way ``text`` is not supported by the cited articles' texts (none: verified)."""
    if not cited_texts:
        return [Failure("citation", "no cited article")]
    cited = _cited(cited_texts)
    sentences = cited.sentences
    wanted = content_stems(text) - template_words
    wanted_words = {s for s in wanted if not s[0].isdigit()}
    failures: list[Failure] = []
    for clause in _CLAUSE.split(text):
        clause_stems = content_stems(clause) - template_words
        chosen = _supporting(cited.stems, clause_stems)
        in_sentences = "\n".join(cited.normal_sentences[i] for i in chosen)
        in_windows = "\n".join(cited.normal_windows[i] for i in chosen)
        failures += [Failure("number", n) for n in sorted(numbers(clause) - numbers(in_windows))]
        failures += [
            Failure("date", f"{m:02d}-{d:02d}")
            for m, d in sorted(month_days(clause) - month_days(in_windows))
        ]
        for name in sorted(names(clause, template_words)):
            forms = (aliases or {}).get(name, frozenset())
            if not _has_word(name, in_sentences) and not any(_has_word(f, in_sentences) for f in forms):
                failures.append(Failure("name", name))
    failures += [Failure("quote", q) for q in _QUOTED.findall(text) if not cited.holds(normal(q))]
    if sentences:
        sentence_cover = [len(wanted & s) / max(len(wanted), 1) for s in cited.stems]
        top = max(range(len(sentences)), key=lambda i: (sentence_cover[i], -i))
        source = sentences[top]
        added = negations(text) - negations(source)
        if added:
            failures.append(Failure("negation", sorted(added.elements())[0]))
        elif not negations(text) and negations(source) and sentence_cover[top] >= NEAR_COPY:
            own = cited.stems[top]
            if len(own & wanted) >= NEAR_COPY * len(own - template_words):
                failures.append(Failure("negation", "dropped " + sorted(negations(source).elements())[0]))
    covered = len(wanted_words & cited.all_stems)
    if covered < MIN_COVERED * len(wanted_words):
        failures.append(Failure("coverage", f"{covered}/{len(wanted_words)} content words"))
    return failures


def verify_sentence(
    text: str,
    cited_texts: Sequence[str],
    template_words: frozenset[str] = frozenset(),
    aliases: Mapping[str, frozenset[str]] | None = None,
) -> bool:
    """Whether ``text`` is supported by the cited articles' texts (see the module docstring)."""
    return not check(text, cited_texts, template_words, aliases)


@dataclass(frozen=True, slots=True)
class SentenceReport:
    """One brief sentence of a dossier, re-checked."""

    index: int  # position in the dossier's ``brief`` list
    story_id: str
    text: str
    article_ids: tuple[str, ...]
    failures: tuple[Failure, ...]


def recheck(
    brief: Sequence[Mapping[str, object]],
    article_text: Callable[[str], str | None],
    template_words: frozenset[str] = frozenset(),
    aliases: Mapping[str, frozenset[str]] | None = None,
) -> list[SentenceReport]:
    """Every sentence of a dossier's ``brief`` list checked against the articles it cites
    (``article_text`` gives an article's clean text, None when the article is unknown)."""
    reports = []
    for i, entry in enumerate(brief):
        text = str(entry.get("text", ""))
        raw_ids = entry.get("article_ids")
        ids = tuple(str(a) for a in raw_ids) if isinstance(raw_ids, list | tuple) else ()
        texts, missing = [], []
        for aid in ids:
            found = article_text(aid)
            if found is None:
                missing.append(aid)
            else:
                texts.append(found)
        failures = [Failure("citation", f"unknown article {aid}") for aid in missing]
        failures += check(text, texts, template_words, aliases)
        reports.append(SentenceReport(i, str(entry.get("story_id", "")), text, ids, tuple(failures)))
    return reports


#: :func:`support` weights, chosen on FRANK's validation split (bench/faithfulness.py, the
#: figure reported; the test split is held out). Summaries scored by their mean sentence,
#: Pearson / Spearman: anywhere 0.190 / 0.204, best sentence 0.281 / 0.297, order 0.311 / 0.282
#: alone, their product 0.354 / 0.319; then x0.5 per number the cited texts never give
#: (x0.7: 0.358, x0.5: 0.360, x0.3: 0.361) and x0.7 per negation the best sentence lacks
#: (0.361 / 0.328). The sentence-level checks of :func:`check` (a name or number the
#: *supporting* sentence lacks) lowered it (x0.7 per name: 0.348 -> 0.321): abstractive
#: summaries take names from other sentences, and lower-cased system output hides them.
MISSING_NUMBER_FACTOR = 0.5
ADDED_NEGATION_FACTOR = 0.7
#: A full stop glued to the next sentence ("on the site.Videos will be"), as in texts whose
#: paragraphs were joined without a space: a lower-case letter or digit, the stop, a capital
#: and a lower-case letter (so "U.S.A" and "e.g." stay whole).
_GLUED = re.compile(r"(?<=[a-z0-9%][.!?])(?=[\"“‘]?[A-Z][a-z])")
_TOKEN = re.compile(r"[^\W_]+")


@lru_cache(maxsize=TEXT_MEMO)
def _stems(text: str) -> frozenset[str]:
    return content_stems(text)


@lru_cache(maxsize=TEXT_MEMO)
def _tokens(text: str) -> tuple[str, ...]:
    """Folded word tokens, contractions and possessives split alike ("don't" = "do n't" = "do not")."""
    return tuple(_TOKEN.findall(normal(text).replace("n't", " not").replace("'s", " s")))


@lru_cache(maxsize=TEXT_MEMO)
def _units(text: str) -> tuple[str, ...]:
    """The sentences :func:`support` aligns with: the verifier's split, glued stops split too."""
    return tuple(p for s in _sentences(text) for p in _GLUED.split(s) if p.strip())


def _common_subsequence(a: Sequence[str], b: Sequence[str]) -> int:
    """The length of the longest common subsequence of two token sequences."""
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


@dataclass(frozen=True, slots=True)
class Support:
    """How well the cited texts support one sentence, graded (for scoring text nobody cited
    sentence by sentence, like a machine summary against its article).

    ``anywhere``: share of its content stems (words, names, numbers) the cited texts hold at all
    (what is missing is out of the article); ``best``: share its single best sentence holds (a
    sentence fused from words spread over the article scores low); ``order``: share of its word
    tokens, in order, that best sentence gives (the words kept, their relations changed: "A beat
    B" from "B beat A"); ``missing_numbers``: numbers the cited texts never give;
    ``added_negations``: negations the best sentence does not have."""

    anywhere: float
    best: float
    order: float
    missing_numbers: int
    added_negations: int

    @property
    def score(self) -> float:
        """The product of the three shares, times a factor per missing number and added negation."""
        return float(
            self.anywhere
            * self.best
            * self.order
            * MISSING_NUMBER_FACTOR**self.missing_numbers
            * ADDED_NEGATION_FACTOR**self.added_negations
        )


def support(text: str, cited_texts: Sequence[str], template_words: frozenset[str] = frozenset()) -> Support:
    """The graded :class:`Support` of ``text`` by the cited texts (template words need none)."""
    wanted = content_stems(text) - template_words
    units = [u for t in cited_texts for u in _units(t)]
    if not units:
        return Support(0.0, 0.0, 0.0, len(numbers(text)), 0)
    shared = [len(wanted & _stems(u)) for u in units]
    top = max(range(len(units)), key=lambda i: (shared[i], -i))
    tokens = _tokens(text)
    anywhere = len(wanted & frozenset().union(*map(_stems, units)))
    return Support(
        anywhere=anywhere / len(wanted) if wanted else 1.0,
        best=shared[top] / len(wanted) if wanted else 1.0,
        order=_common_subsequence(tokens, _tokens(units[top])) / len(tokens) if tokens else 1.0,
        missing_numbers=len(numbers(text) - set().union(*(numbers(t) for t in cited_texts))),
        added_negations=sum((negations(text) - negations(units[top])).values()),
    )


def support_share(
    text: str, cited_texts: Sequence[str], template_words: frozenset[str] = frozenset()
) -> float:
    """The share of ``text``'s content stems that its single best supporting sentence of the
    cited texts holds (:attr:`Support.best`)."""
    return support(text, cited_texts, template_words).best


def support_score(
    text: str, cited_texts: Sequence[str], template_words: frozenset[str] = frozenset()
) -> float:
    """A graded support score in [0, 1] (1: one cited sentence says it all, in its order, and
    every number is in the cited texts): :attr:`Support.score`."""
    return support(text, cited_texts, template_words).score
