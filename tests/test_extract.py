"""The extract stage on the real seed articles: sentences, mentions, dates, quantities, quotes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pytest

from newsweave.extract import Extract, load_pipeline
from newsweave.model import PARAGRAPH_SEPARATOR, Article, Dossier
from newsweave.stage import Options

DATE_MARKER = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2})\s*")
PUBLISHED_003 = "2024-11-05T18:39"  # stated in the body of 003, which has no date marker


def seed_article(name: str, raw: str, published: str | None = None) -> Article:
    """An article built straight from a seed file: its non-empty lines as paragraphs."""
    lines = [line.strip() for line in raw.split("\n") if line.strip()]
    marker = DATE_MARKER.match(lines[0])
    if marker:
        published = published or marker[1]
        lines[0] = lines[0][marker.end() :]
    return Article(name[:3], name, None, None, None, published, False, "en", tuple(lines), ())


@pytest.fixture(scope="module")
def articles(seed_texts: dict[str, str]) -> dict[str, Article]:
    built = {}
    for name, raw in seed_texts.items():
        built[name[:3]] = seed_article(name, raw, PUBLISHED_003 if name.startswith("003") else None)
    return built


@pytest.fixture(scope="module")
def extracted(articles: dict[str, Article]) -> dict[str, tuple[Any, ...]]:
    return Extract()(Dossier(articles=tuple(articles.values())))


def of(records: Sequence[Any], article: str) -> list[Any]:
    return [r for r in records if r.article == article]


def test_tagging_tables_give_spacy_s_own_annotations(seed_texts: dict[str, str]) -> None:
    """The attribute ruler and lemmatizer as tables (extract/tagging.py) tag, morph and
    lemmatise every token as spaCy's own components do, multi-token patterns included."""
    import spacy
    from spacy.attrs import LEMMA, MORPH, POS, TAG

    model = Options().spacy_model
    original = spacy.load(model, exclude=["parser", "senter"])
    original.add_pipe("sentencizer")
    tables = load_pipeline(model, "spacy")
    assert type(tables.get_pipe("attribute_ruler")).__name__ == "AttributeTable"
    texts = [*seed_texts.values(), "We're gonna win, ain't we? Let's go, y'all; I got ta see nothin' of it."]
    for text in texts:
        want, got = original(text), tables(text)
        attrs = [TAG, POS, MORPH, LEMMA]
        assert (want.to_array(attrs) == got.to_array(attrs)).all(), text[:60]
        assert [(e.start_char, e.end_char, e.label_) for e in want.ents] == [
            (e.start_char, e.end_char, e.label_) for e in got.ents
        ]


def test_every_field_is_provided(extracted: dict[str, tuple[Any, ...]]) -> None:
    assert set(extracted) == set(Extract.provides)
    assert all(extracted[name] for name in Extract.provides)


def test_offsets_index_the_clean_text(
    articles: dict[str, Article], extracted: dict[str, tuple[Any, ...]]
) -> None:
    for records in extracted.values():
        for record in records:
            assert articles[record.article].text[record.start : record.end] == record.text


def test_speaker_offsets_index_the_clean_text(
    articles: dict[str, Article], extracted: dict[str, tuple[Any, ...]]
) -> None:
    for quote in extracted["quotes"]:
        if quote.speaker is not None:
            assert quote.speaker_start is not None and quote.speaker_end is not None
            assert articles[quote.article].text[quote.speaker_start : quote.speaker_end] == quote.speaker
        assert quote.speaker_entity is None


def test_outputs_are_sorted(extracted: dict[str, tuple[Any, ...]]) -> None:
    for records in extracted.values():
        keys = [(r.article, r.start, r.end) for r in records]
        assert keys == sorted(keys)


def test_runs_are_deterministic(articles: dict[str, Article], extracted: dict[str, tuple[Any, ...]]) -> None:
    assert Extract()(Dossier(articles=tuple(articles.values()))) == extracted


def test_sentences_never_cross_paragraphs(extracted: dict[str, tuple[Any, ...]]) -> None:
    for sentence in extracted["sentences"]:
        assert PARAGRAPH_SEPARATOR not in sentence.text
        assert sentence.text == sentence.text.strip()


def test_sentence_indexes_count_from_zero_per_article(extracted: dict[str, tuple[Any, ...]]) -> None:
    for article in ("000", "003"):
        indexes = [s.index for s in of(extracted["sentences"], article)]
        assert indexes == list(range(len(indexes)))


def test_heading_without_full_stop_is_its_own_sentence(extracted: dict[str, tuple[Any, ...]]) -> None:
    texts = [s.text for s in of(extracted["sentences"], "000")]
    assert "The participation of the military of North Korea in the war in Ukraine" in texts


def test_mentions_keep_named_entities_only(extracted: dict[str, tuple[Any, ...]]) -> None:
    types = {m.type for m in extracted["mentions"]}
    assert types <= {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
    assert ("Andriy Sybiha", "PERSON") in {(m.text, m.type) for m in of(extracted["mentions"], "000")}


def test_mentions_drop_leading_the_and_possessive(extracted: dict[str, tuple[Any, ...]]) -> None:
    texts = {m.text for m in extracted["mentions"]}
    assert "Financial Times" in texts
    assert not any(t.lower().startswith("the ") or t.endswith(("'s", "’s")) for t in texts)


# ---------------------------------------------------------------- dates


def date_of(extracted: dict[str, tuple[Any, ...]], article: str, text: str) -> Any:
    return next(d for d in of(extracted["dates"], article) if d.text == text)


def test_on_monday_is_the_day_before_a_tuesday_article(extracted: dict[str, tuple[Any, ...]]) -> None:
    monday = date_of(extracted, "001", "Monday")
    assert (monday.value, monday.grain, monday.anchor) == ("2024-11-04", "day", "published")


def test_yesterday_is_the_day_before_publication(extracted: dict[str, tuple[Any, ...]]) -> None:
    assert date_of(extracted, "000", "yesterday").value == "2024-11-04"


def test_the_day_before_is_the_day_before_publication(extracted: dict[str, tuple[Any, ...]]) -> None:
    assert date_of(extracted, "000", "The day before").value == "2024-11-04"


def test_day_range_is_an_interval(extracted: dict[str, tuple[Any, ...]]) -> None:
    shipping = date_of(extracted, "000", "October 8-13")
    assert (shipping.value, shipping.end_value, shipping.grain) == ("2024-10-08", "2024-10-13", "day")


def test_stated_date_is_absolute(extracted: dict[str, tuple[Any, ...]]) -> None:
    stated = date_of(extracted, "003", "5 November, 2024")
    assert (stated.value, stated.anchor) == ("2024-11-05", "absolute")


def test_weekday_with_date_uses_the_date(extracted: dict[str, tuple[Any, ...]]) -> None:
    assert date_of(extracted, "003", "Tuesday, November 5").value == "2024-11-05"


def test_durations_have_no_value(extracted: dict[str, tuple[Any, ...]]) -> None:
    month = date_of(extracted, "003", "a month")
    assert (month.value, month.grain) == (None, "duration")
    assert date_of(extracted, "003", "a few weeks").grain == "duration"


def test_bare_year_after_preposition(extracted: dict[str, tuple[Any, ...]]) -> None:
    year = date_of(extracted, "001", "2022")
    assert (year.value, year.grain, year.anchor) == ("2022", "year", "absolute")


def test_undated_article_leaves_relative_dates_unresolved(extracted: dict[str, tuple[Any, ...]]) -> None:
    monday = date_of(extracted, "004", "Monday")
    assert (monday.value, monday.anchor) == (None, "none")
    summer = date_of(extracted, "004", "this past summer")
    assert (summer.value, summer.anchor) == (None, "none")


def test_no_published_date_means_no_value(seed_texts: dict[str, str]) -> None:
    name = "001_faaa21d2e905fca3.txt"
    undated = seed_article(name, DATE_MARKER.sub("", seed_texts[name]), published=None)
    dates = Extract()(Dossier(articles=(undated,)))["dates"]
    monday = next(d for d in dates if d.text == "Monday")
    assert (monday.value, monday.end_value, monday.anchor) == (None, None, "none")


# ---------------------------------------------------------------- quantities


def quantity_of(extracted: dict[str, tuple[Any, ...]], article: str, text: str) -> Any:
    return next(q for q in of(extracted["quantities"], article) if q.text == text)


def test_space_separated_thousands_with_qualifier(extracted: dict[str, tuple[Any, ...]]) -> None:
    troops = quantity_of(extracted, "000", "approximately 12 000 military personnel")
    assert (troops.value, troops.qualifier, troops.unit, troops.counted) == (
        12000,
        "approximately",
        "military personnel",
        "personnel",
    )


def test_number_word_with_proper_adjectives(extracted: dict[str, tuple[Any, ...]]) -> None:
    battalions = quantity_of(extracted, "003", "five North Korean battalions")
    assert (battalions.value, battalions.unit, battalions.counted) == (
        5,
        "North Korean battalions",
        "battalion",
    )


def test_comma_thousands(extracted: dict[str, tuple[Any, ...]]) -> None:
    troops = quantity_of(extracted, "003", "about 3,000 troops")
    assert (troops.value, troops.qualifier, troops.counted) == (3000, "about", "troop")
    assert quantity_of(extracted, "003", "11,000 North Korean infantrymen").counted == "infantryman"


def test_a_thousand_of_its_soldiers(extracted: dict[str, tuple[Any, ...]]) -> None:
    soldiers = quantity_of(extracted, "000", "approximately a thousand of its soldiers")
    assert (soldiers.value, soldiers.qualifier, soldiers.counted) == (1000, "approximately", "soldier")


def test_number_without_a_noun_counts_nothing(extracted: dict[str, tuple[Any, ...]]) -> None:
    total = quantity_of(extracted, "003", "15,000")
    assert (total.value, total.unit, total.counted) == (15000, "", "")


def test_up_to_and_more_than_qualifiers(extracted: dict[str, tuple[Any, ...]]) -> None:
    assert quantity_of(extracted, "003", "up to 10,000 people").qualifier == "up to"
    assert quantity_of(extracted, "004", "More than 10,000 North Korean soldiers").qualifier == "more than"


def test_each_of_which_is_per_battalion_and_no_product_is_invented(
    extracted: dict[str, tuple[Any, ...]],
) -> None:
    """003: "five North Korean battalions, each of which will consist of about 3,000
    troops ... This could increase their number to 15,000": 3,000 per battalion, the
    battalions and the stated 15,000 are totals, and no other 15,000 appears."""
    assert quantity_of(extracted, "003", "about 3,000 troops").per == "battalion"
    assert quantity_of(extracted, "003", "five North Korean battalions").per == ""
    assert quantity_of(extracted, "003", "15,000").per == ""
    assert [q.text for q in of(extracted["quantities"], "003") if q.value == 15000] == ["15,000"]
    assert all(not q.per for q in of(extracted["quantities"], "000"))


def test_several_hundred_is_more_than_two_hundred(extracted: dict[str, tuple[Any, ...]]) -> None:
    forces = quantity_of(extracted, "001", "Several hundred North Korean special forces")
    assert (forces.value, forces.qualifier, forces.counted) == (200, "more than", "force")


@pytest.mark.parametrize(
    ("sentence", "number", "per"),
    [
        (
            "Russia will deploy five battalions, each of about 3,000 troops, along the front.",
            "3,000",
            "battalion",
        ),
        ("Each of the five brigades has 2,000 soldiers.", "2,000", "brigade"),
        ("Each North Korean battalion has about 3,000 troops.", "3,000", "battalion"),
        ("Pyongyang sent five battalions of 3,000 troops each.", "3,000", "battalion"),
        ("Russia loses 53 soldiers for every square kilometer it captures.", "53", "kilometer"),
        ("Brent rose to $80 per barrel on Monday.", "80", "barrel"),
        ("Russia launched 100 drones a day in October.", "100", "day"),
        ("There are approximately 12 000 military personnel, including 500 officers.", "12 000", ""),
        ("There are approximately 12 000 military personnel, including 500 officers.", "500", ""),
        ("Five battalions were sent. Each one brought its 300 vehicles.", "300", "each"),
    ],
)
def test_per_unit_amounts(sentence: str, number: str, per: str) -> None:
    article = Article("x", "x", None, None, None, "2024-11-05", False, "en", (sentence,), ())
    quantities = Extract()(Dossier(articles=(article,)))["quantities"]
    assert next(q.per for q in quantities if number in q.text) == per


def test_dates_ordinals_and_vague_amounts_are_not_quantities(extracted: dict[str, tuple[Any, ...]]) -> None:
    texts = " | ".join(q.text for q in extracted["quantities"])
    for absent in ("24", "2024", "11th", "hundred", "60"):
        assert not any(q.text.split()[0] == absent for q in extracted["quantities"]), texts
    assert not any(q.value in (4, 8, 13, 2022) for q in of(extracted["quantities"], "000"))


# ---------------------------------------------------------------- quotes


def quote_with(extracted: dict[str, tuple[Any, ...]], article: str, words: str) -> Any:
    return next(q for q in of(extracted["quotes"], article) if words in q.text)


def test_quote_then_named_speaker_with_appositive(extracted: dict[str, tuple[Any, ...]]) -> None:
    quote = quote_with(extracted, "001", "The first North Korean troops have already come under fire")
    assert quote.speaker == "Andrii Kovalenko"
    assert quote.cue == "said"


def test_quote_then_surname_speaker(extracted: dict[str, tuple[Any, ...]]) -> None:
    quote = quote_with(extracted, "001", "We urge Europe")
    assert quote.speaker is not None and "Sybiha" in quote.speaker


def test_pronoun_speaker_resolves_to_the_last_person(extracted: dict[str, tuple[Any, ...]]) -> None:
    quote = quote_with(extracted, "003", "We are recording contacts")
    assert (quote.speaker, quote.cue) == ("Umerov", "stressed")


def test_anonymous_speaker_stays_unknown(extracted: dict[str, tuple[Any, ...]]) -> None:
    quote = quote_with(extracted, "001", "We'll soon find out")
    assert (quote.speaker, quote.cue) == (None, "noted")


def test_speaker_before_the_quote(extracted: dict[str, tuple[Any, ...]]) -> None:
    quote = quote_with(extracted, "004", "All indications are")
    assert (quote.speaker, quote.cue) == ("Pat Ryder", "stated")


def test_scare_quotes_are_not_quotes(extracted: dict[str, tuple[Any, ...]]) -> None:
    assert not any(q.text == "shameful protection" for q in extracted["quotes"])
    assert not any(q.text == "counter-disinformation" for q in extracted["quotes"])


def test_apostrophes_are_not_quote_marks(extracted: dict[str, tuple[Any, ...]]) -> None:
    quote = quote_with(extracted, "004", "first military units of the DPRK")
    assert "People’s Republic" in quote.text
    assert quote.speaker == "Andriy Kovalenko"


def test_said_that_is_indirect_speech(extracted: dict[str, tuple[Any, ...]]) -> None:
    quote = quote_with(extracted, "003", "Russia plans to deploy five North Korean battalions")
    assert (quote.speaker, quote.cue) == ("Umerov", "said")
    assert quote.text.startswith("Russia plans")


def test_according_to_is_indirect_speech(extracted: dict[str, tuple[Any, ...]]) -> None:
    quote = quote_with(extracted, "003", "the clash was localized")
    assert (quote.speaker, quote.cue) == ("Umerov", "According to")


def test_according_to_an_unnamed_source_is_not_a_quote(extracted: dict[str, tuple[Any, ...]]) -> None:
    assert not any("DPRK will be able to send" in q.text for q in of(extracted["quotes"], "000"))


def test_lexical_tagger_agrees_with_spacy_s_tagger_on_the_seeds(seed_texts: dict[str, str]) -> None:
    """The table tagger (extract/lexical.py, counted on other articles) gives spaCy's part of
    speech to nine tokens in ten of the seeds, and finds the same speech verbs."""
    from newsweave.extract.quotes import CUE_LEMMAS

    model = Options().spacy_model
    spacy_nlp, lexical = load_pipeline(model, "spacy"), load_pipeline(model, "lexical")
    assert "tok2vec" not in lexical.pipe_names
    same = total = 0
    for text in seed_texts.values():
        want, got = spacy_nlp(text), lexical(text)
        same += sum(a.pos_ == b.pos_ for a, b in zip(want, got, strict=True))
        total += len(want)
        cues = [[t.i for t in doc if t.pos_ == "VERB" and t.lemma_ in CUE_LEMMAS] for doc in (want, got)]
        assert len(set(cues[0]) ^ set(cues[1])) <= max(2, len(cues[0]) // 10), text[
            :60
        ]  # title-case headlines
    assert same / total >= 0.9


@pytest.mark.parametrize(
    ("sentence", "word", "tag"),
    [
        ("Trump said the vote was rigged.", "Trump", "NNP"),  # a name, not the verb "trump"
        ("Ukraine’s defence minister spoke.", "’s", "POS"),  # curly apostrophe as straight
        ("He said he would go to Kyiv.", "said", "VBD"),
        ("Officials confirmed 3,000 troops.", "3,000", "CD"),
    ],
)
def test_lexical_tagger_on_real_sentences(sentence: str, word: str, tag: str) -> None:
    doc = load_pipeline(Options().spacy_model, "lexical")(sentence)
    assert {t.text: t.tag_ for t in doc}[word] == tag


def test_token_texts_are_spacy_s_token_texts(seed_texts: dict[str, str]) -> None:
    """The lexical tagger reads each token's text from the doc's offsets and spaces: the
    same strings as spaCy's Token.text, on the seeds and around runs of odd whitespace."""
    from newsweave.extract.lexical import token_texts

    nlp = load_pipeline(Options().spacy_model)
    odd = "  Two  spaces,\u00a0a no-break space\n\n\tand a tab. \n"
    checked = 0
    for text in [*seed_texts.values(), odd, " "]:
        doc = nlp.make_doc(text)
        assert token_texts(doc) == [t.text for t in doc]
        checked += len(doc)
    assert token_texts(nlp.make_doc("")) == []
    assert checked > 1000
