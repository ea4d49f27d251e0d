"""spaCy's entity recogniser per paragraph with a memo (extract/paragraphs.py), on real articles."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.tokens import Doc

from newsweave.extract import Extract, load_pipeline
from newsweave.extract.paragraphs import LEFT_CONTEXT, RIGHT_CONTEXT, ParagraphRecogniser, paragraphs_of
from newsweave.model import PARAGRAPH_SEPARATOR, Dossier
from newsweave.stage import Options
from test_extract import seed_article


@pytest.fixture(scope="module")
def nlp() -> Any:
    options = Options()
    return load_pipeline(options.spacy_model, options.tagger)


def fresh(nlp: Any, max_paragraphs: int = 1000) -> ParagraphRecogniser:
    """A recogniser with an empty memo around the pipeline's own spaCy ``ner``."""
    recogniser = ParagraphRecogniser("ner", nlp.tokenizer, max_paragraphs)
    recogniser.copy_from(nlp.get_pipe("ner").ner)
    return recogniser


def entities(nlp: Any, recogniser: ParagraphRecogniser, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """Each text's entities (characters and label) through the pipeline with ``recogniser``
    in place of its ``ner``."""
    docs = list(nlp.pipe(texts, disable=["ner"]))
    recogniser.set_entities(docs)
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]


def seed_texts_of(seed_texts: dict[str, str]) -> list[str]:
    return [seed_article(name, raw).text for name, raw in sorted(seed_texts.items())]


def test_paragraphs_are_cut_at_paragraph_breaks_only(nlp: Any, seed_texts: dict[str, str]) -> None:
    text = seed_texts_of(seed_texts)[0]
    doc = nlp.make_doc(text)
    paragraphs = paragraphs_of(doc)
    assert [doc[p.start : p.end].text for p in paragraphs] == [p.text for p in paragraphs]
    assert [p.text for p in paragraphs] == text.split(PARAGRAPH_SEPARATOR)
    assert [(p.first, p.last) for p in paragraphs[:2]] == [(True, False), (False, False)]
    assert paragraphs[-1].last
    assert [t.text for t in nlp.make_doc(LEFT_CONTEXT + "Then" + RIGHT_CONTEXT)] == [
        ".",
        "\n\n",
        "Then",
        "\n\n",
    ]


def test_a_paragraph_the_tokenizer_cuts_otherwise_alone_keeps_the_article_s_tokens(nlp: Any) -> None:
    """Where a paragraph tokenized alone would not give the article's tokens (here the
    article doc was not made by its tokenizer: "Berlin." is one token), the article's
    tokens go to NER."""
    words = ["Intro.", "\n\n", "Angela", "Merkel", "met", "Joe", "Biden", "in", "Berlin."]
    merged = Doc(nlp.vocab, words=words, spaces=[False, False, *[True] * 6, False])
    assert len(nlp.make_doc(merged[2:].text)) > len(merged[2:])
    recogniser = fresh(nlp)
    recogniser.set_entities([merged])
    assert recogniser.recognised == 2
    people = [e.text for e in merged.ents if e.label_ == "PERSON"]
    assert people == ["Angela Merkel", "Joe Biden"]


def test_memo_hits_give_the_entities_recognising_each_paragraph_alone_gives(
    nlp: Any, seed_texts: dict[str, str]
) -> None:
    """On the real multi-paragraph seeds: a fresh memo (all misses), the same memo again (all
    hits) and spaCy's ``ner`` run on each paragraph as its own text (after ". " and a break
    unless it is the first, before a break unless it is the last) give the same entities."""
    texts = seed_texts_of(seed_texts)
    assert all(text.count(PARAGRAPH_SEPARATOR) >= 5 for text in texts)
    recogniser = fresh(nlp)
    missed = entities(nlp, recogniser, texts)
    recognised = recogniser.recognised
    placed = set()
    for text in texts:
        paragraphs = text.split(PARAGRAPH_SEPARATOR)
        placed |= {(p, n == 0, n == len(paragraphs) - 1) for n, p in enumerate(paragraphs)}
    assert recognised == len(placed) < sum(map(len, (t.split(PARAGRAPH_SEPARATOR) for t in texts)))
    hit = entities(nlp, recogniser, texts)
    assert recogniser.recognised == recognised  # no paragraph went through NER again
    assert hit == missed
    assert sum(map(len, missed)) > 50
    ner = nlp.get_pipe("ner").ner
    for text, found in zip(texts, missed, strict=True):
        alone, offset = [], 0
        paragraphs = text.split(PARAGRAPH_SEPARATOR)
        for n, paragraph in enumerate(paragraphs):
            left = "" if n == 0 else "." + PARAGRAPH_SEPARATOR
            right = "" if n == len(paragraphs) - 1 else PARAGRAPH_SEPARATOR
            doc = ner(nlp.make_doc(left + paragraph + right))
            alone += [
                (offset + e.start_char - len(left), offset + e.end_char - len(left), e.label_)
                for e in doc.ents
                if len(left) <= e.start_char and e.end_char <= len(left) + len(paragraph)
            ]
            offset += len(paragraph) + len(PARAGRAPH_SEPARATOR)
        assert found == alone


def test_a_paragraph_repeated_across_articles_is_recognised_once(
    nlp: Any, seed_texts: dict[str, str]
) -> None:
    """A near copy (new headline, one paragraph dropped, a footer added) costs NER only on
    the paragraphs it does not share in the same place (first, last, or between), in the
    same batch or a later one, and its shared paragraphs get the original's entities."""
    original = seed_texts_of(seed_texts)[1].split(PARAGRAPH_SEPARATOR)
    footer = "Copyright 2024 The Daily Example. All rights reserved."
    copy = ["Breaking: soldiers meet in Kursk", *original[1:3], *original[4:], footer]
    texts = [PARAGRAPH_SEPARATOR.join(original), PARAGRAPH_SEPARATOR.join(copy)]
    for together in (True, False):
        recogniser = fresh(nlp)
        if together:
            found = entities(nlp, recogniser, texts)
        else:
            found = [entities(nlp, recogniser, [text])[0] for text in texts]
        # new: the copy's headline and footer, and the original's last paragraph, no longer last
        assert recogniser.recognised == len(set(original)) + 3 == len(original) + 3
        shared = original[1]
        start = texts[0].index(shared)
        moved = texts[1].index(shared) - start
        in_original = [
            (s + moved, e + moved, label) for s, e, label in found[0] if start <= s < start + len(shared)
        ]
        assert in_original
        assert set(in_original) <= set(found[1])


def test_the_memo_is_bounded_and_its_size_does_not_change_entities(
    nlp: Any, seed_texts: dict[str, str]
) -> None:
    texts = seed_texts_of(seed_texts)
    unbounded = entities(nlp, fresh(nlp), texts)
    small = fresh(nlp, max_paragraphs=3)
    assert entities(nlp, small, texts) == unbounded
    assert len(small.memo) == 3
    assert [entities(nlp, small, [text])[0] for text in texts] == unbounded
    assert len(small.memo) == 3


def test_the_stage_gives_the_same_records_whatever_the_memo_holds(seed_texts: dict[str, str]) -> None:
    """The extract stage with the process's memo already holding these paragraphs, and
    with it cleared, gives the same records (the Dask engine's workers hold other memos)."""
    articles = tuple(seed_article(name, raw) for name, raw in sorted(seed_texts.items()))
    options = Options()
    recogniser = load_pipeline(options.spacy_model, options.tagger).get_pipe("ner")
    assert isinstance(recogniser, ParagraphRecogniser)
    first = Extract(options)(Dossier(articles=articles))
    again = Extract(options)(Dossier(articles=articles))
    recogniser.memo.clear()
    cleared = Extract(options)(Dossier(articles=articles[::-1]))
    assert first == again == cleared
    assert len(first["mentions"]) > 50


def test_the_lexical_tagger_s_memo_gives_the_tags_it_gives_without(seed_texts: dict[str, str]) -> None:
    """extract/lexical.py remembers each (word, previous tag)'s tag across documents: the
    seeds tagged in turn with one memo, a memo already full of them, and none, agree."""
    from newsweave.extract.lexical import load_table, tag_words

    table = load_table()
    texts = seed_texts_of(seed_texts)
    nlp = load_pipeline(Options().spacy_model, "lexical")
    words = [[t.text for t in nlp.make_doc(text)] for text in texts]
    memo: dict[tuple[str, str], str] = {}
    first = [tag_words(w, table, memo) for w in words]
    assert len(memo) > 1000
    again = [tag_words(w, table, memo) for w in reversed(words)][::-1]
    assert first == again == [tag_words(w, table) for w in words]
    assert sum(len(set(tags)) for tags in first) > 100
