"""Claims: one claim across outlets, origins collapsed, discrepancies kept with their sources.

Most tests build a small dossier by hand from real seed sentences, with the
records the upstream stages would give (offsets found in the real text), so
they test this stage alone; the last ones run the whole pipeline on the seeds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pytest

from newsweave.claims import MIN_CHECKWORTHINESS, Claims, checkworthy, conflict, relay_labels, value_range
from newsweave.claims.clauses import clause_spans
from newsweave.claims.matcher import claim_terms, lemma
from newsweave.model import (
    Article,
    Claim,
    DateMention,
    DiscrepancyValue,
    Dossier,
    Mention,
    Quantity,
    Quote,
    Relay,
    Reuse,
    Sentence,
    Story,
)

STORY = "s1"
# Seed sentences, exactly as the seed files have them (checked against the files below).
CLASH_000 = "The Ukrainian military encountered soldiers from the DPRK for the first time in combat on November 4 in the Kursk region of Russia."
FT_000 = "Ukrainian officials informed the Financial Times (FT) about this."
CLASH_002 = "For the first time, it became known about the combat clash between Ukrainian soldiers and soldiers from the DPRK on November 4."
CLASH_001 = "According to the report, Ukrainian officials announced on Monday that their forces engaged North Korean in combat for the first time since their deployment by Russia to the Kursk region."
CLASH_004 = "“Ukrainian officials said on Monday that their forces had fired at North Korean soldiers in combat for the first time since their deployment by Russia to its western Kursk region,” FT writes of the new development."
ARRIVED_000 = "On October 24, the Ukrainian intelligence reported that the first soldiers from the DPRK had already arrived at the front, in the Kursk region."
ARRIVED = "On October 24, Ukrainian intelligence reported that the first soldiers from the DPRK had already arrived at the front — in the Kursk region."
TROOPS_12000 = "There are approximately 12 000 military personnel, including 500 officers and three generals."
TROOPS_10000 = "“More than 10,000 North Korean soldiers are currently in Russia, and we assess that a significant portion of them are deployed to front-line areas, including Kursk,” spokesman for South Korea’s defense ministry, Jeon Ha-kyou, told a briefing."
BATTALIONS = "Umerov also said that Russia plans to deploy five North Korean battalions, each of which will consist of about 3,000 troops, along a frontline of about 1,500 kilometers."
TROOPS_15000 = "This could increase their number to 15,000 in the Kursk region."
TROOPS_11000 = "Kyrylo Budanov, head of Ukraine’s Military Intelligence, later reported that 11,000 North Korean infantrymen are training in eastern Russia, preparing for deployment to Ukraine."
UNIT_2600 = "He added that the first unit of 2,600 soldiers is en route to Kursk, where Ukraine has established a stronghold."


@dataclasses.dataclass
class Corpus:
    """A hand-built dossier: articles of real seed paragraphs and the records upstream stages give."""

    seed_texts: dict[str, str]
    articles: list[Article] = dataclasses.field(default_factory=list)
    sentences: list[Sentence] = dataclasses.field(default_factory=list)
    records: dict[str, list[object]] = dataclasses.field(default_factory=dict)

    def article(
        self, aid: str, seed: str, paragraphs: Sequence[Sequence[str]], outlet: str | None = None
    ) -> Article:
        """An article of seed ``seed``'s paragraphs, each given as its sentences."""
        raw = next(text for name, text in self.seed_texts.items() if name.startswith(seed))
        joined = [" ".join(sentences) for sentences in paragraphs]
        assert all(p in raw for p in joined), "not a real seed paragraph"
        article = Article(
            aid, f"{seed}.txt", outlet, None, None, "2024-11-05", False, "en", tuple(joined), ()
        )
        offset = 0
        for paragraph in paragraphs:
            for sentence in paragraph:
                start = article.text.index(sentence, offset)
                self.sentences.append(
                    Sentence(aid, len(self.sentences), start, start + len(sentence), sentence)
                )
                offset = start + len(sentence)
        self.articles.append(article)
        return article

    def span(self, aid: str, surface: str, after: str = "") -> tuple[int, int]:
        text = next(a.text for a in self.articles if a.id == aid)
        start = text.index(surface, text.index(after) if after else 0)
        return start, start + len(surface)

    def add(self, field: str, record: object) -> None:
        self.records.setdefault(field, []).append(record)

    def date(self, aid: str, surface: str, value: str, end_value: str | None = None) -> None:
        self.add(
            "dates", DateMention(aid, *self.span(aid, surface), surface, value, end_value, "day", "published")
        )

    def quantity(
        self, aid: str, surface: str, value: float, unit: str, counted: str, qualifier: str | None = None
    ) -> None:
        self.add(
            "quantities", Quantity(aid, *self.span(aid, surface), surface, value, qualifier, unit, counted)
        )

    def mention(self, aid: str, surface: str, type_: str, after: str = "") -> None:
        self.add("mentions", Mention(aid, *self.span(aid, surface, after), surface, type_))

    def relay(self, aid: str, source: str, phrase: str) -> None:
        self.add("relays", Relay(aid, source, phrase, *self.span(aid, phrase)))

    def dossier(self, **changes: object) -> Dossier:
        fields = {name: tuple(records) for name, records in self.records.items()}
        story = Story(STORY, "First clash", tuple(a.id for a in self.articles), None, None)
        base = Dossier(
            articles=tuple(self.articles), sentences=tuple(self.sentences), stories=(story,), **fields
        )
        return dataclasses.replace(base, **changes)


def run(dossier: Dossier) -> Dossier:
    return dataclasses.replace(dossier, **Claims()(dossier))


def claim_with(dossier: Dossier, sentence: str) -> Claim:
    (claim,) = [c for c in dossier.claims if any(s.text == sentence for s in c.support)]
    return claim


@pytest.fixture
def clash(seed_texts: dict[str, str]) -> Corpus:
    """The first clash told by four outlets, and a copied background passage in 000 and 002."""
    corpus = Corpus(seed_texts)
    corpus.article("A000", "000", [[CLASH_000], [FT_000], [ARRIVED_000, TROOPS_12000]])
    corpus.article("A002", "002", [[CLASH_002], [ARRIVED, TROOPS_12000]])
    corpus.article("A001", "001", [[CLASH_001]], outlet="UkrinForm")
    corpus.article("A004", "004", [[CLASH_004]])
    for aid in ("A000", "A002"):
        corpus.date(aid, "November 4", "2024-11-04")
        corpus.date(aid, "October 24", "2024-10-24")
        corpus.mention(aid, "DPRK", "GPE")
        corpus.mention(aid, "Kursk", "GPE", after="On October 24")
        corpus.quantity(aid, "approximately 12 000 military personnel", 12000, "military personnel", "personnel", "approximately")  # fmt: skip
    for aid in ("A001", "A004"):
        corpus.date(aid, "Monday", "2024-11-04")
        corpus.mention(aid, "North Korean", "NORP")
    corpus.relay("A000", "Financial Times (FT)", "informed the Financial Times (FT)")
    corpus.relay("A004", "FT", "FT writes")
    return corpus


def test_the_seed_sentences_are_real(clash: Corpus) -> None:
    for s in clash.sentences:
        assert next(a for a in clash.articles if a.id == s.article).text[s.start : s.end] == s.text


def test_the_first_clash_told_by_four_outlets_is_one_claim(clash: Corpus) -> None:
    dossier = run(clash.dossier())
    claim = claim_with(dossier, CLASH_000)
    assert claim.article_ids == ("A000", "A001", "A002", "A004")
    assert claim.article_count == 4 and claim.date == "2024-11-04"
    assert {s.text for s in claim.support} == {CLASH_000, CLASH_001, CLASH_002, CLASH_004}
    assert claim.text == CLASH_000  # the most central complete sentence, with the date
    assert claim.id.startswith("c") and 0.0 <= claim.checkworthiness <= 1.0
    # 004 relays the FT ("FT" spelled out by 000's "Financial Times (FT)"), 001 is UkrinForm
    assert claim.origins == ("A000", "A002", "Financial Times", "UkrinForm")
    assert claim.attributed_to == ("Financial Times",)


def test_a_different_date_keeps_sentences_apart(clash: Corpus) -> None:
    dossier = clash.dossier()
    moved = tuple(
        dataclasses.replace(d, value="2024-11-03") if d.article == "A002" and d.text == "November 4" else d
        for d in dossier.dates
    )
    claim = claim_with(run(dataclasses.replace(dossier, dates=moved)), CLASH_000)
    assert "A002" not in claim.article_ids


def test_two_articles_of_one_outlet_count_once(clash: Corpus) -> None:
    articles = tuple(
        dataclasses.replace(a, outlet="Babel") if a.id in ("A000", "A002") else a for a in clash.articles
    )
    claim = claim_with(run(clash.dossier(articles=articles)), CLASH_000)
    assert claim.origins == ("Babel", "Financial Times", "UkrinForm")
    assert claim.independent_sources == 3 < claim.article_count == 4


def test_a_shared_passage_copy_counts_once(clash: Corpus) -> None:
    a, b = clash.span("A000", TROOPS_12000), clash.span("A002", TROOPS_12000)
    copied = Reuse("A000", "A002", "shared_passage", TROOPS_12000, *a, *b, origin="A000")
    claim = claim_with(run(clash.dossier(reuse=(copied,))), TROOPS_12000)
    assert claim.article_ids == ("A000", "A002")
    assert claim.origins == ("A000",) and claim.independent_sources == 1 < claim.article_count


def test_without_the_copy_the_two_articles_are_two_sources(clash: Corpus) -> None:
    claim = claim_with(run(clash.dossier()), TROOPS_12000)
    assert claim.independent_sources == 2 == claim.article_count


def test_a_passage_that_does_not_hold_the_sentence_does_not_collapse_it(clash: Corpus) -> None:
    elsewhere = Reuse("A000", "A002", "shared_passage", "DPRK", *clash.span("A000", "DPRK"), *clash.span("A002", "DPRK"), None)  # fmt: skip
    claim = claim_with(run(clash.dossier(reuse=(elsewhere,))), TROOPS_12000)
    assert claim.independent_sources == 2


def test_a_duplicate_counts_once_whatever_the_sentence(clash: Corpus) -> None:
    duplicate = Reuse("A000", "A002", "duplicate", "", 0, 0, 0, 0, "A000")
    claim = claim_with(run(clash.dossier(reuse=(duplicate,))), CLASH_000)
    assert claim.origins == ("A000", "Financial Times", "UkrinForm")


def test_two_outlets_relaying_the_ft_count_as_one_origin(seed_texts: dict[str, str]) -> None:
    """004's FT sentence republished by a second outlet, no copy detected: the relay collapses them."""
    corpus = Corpus(seed_texts)
    for aid, outlet in (("R1", "Outlet One"), ("R2", "Outlet Two")):
        corpus.article(aid, "004", [[CLASH_004]], outlet=outlet)
        corpus.date(aid, "Monday", "2024-11-04")
        corpus.relay(aid, "FT", "FT writes")
    (claim,) = run(corpus.dossier()).claims
    assert claim.origins == ("FT",) and claim.independent_sources == 1 < claim.article_count == 2
    (plain,) = run(corpus.dossier(relays=())).claims
    assert plain.origins == ("Outlet One", "Outlet Two")


def test_ft_and_financial_times_are_one_report(clash: Corpus) -> None:
    relays = clash.dossier().relays
    assert set(relay_labels(relays, ()).values()) == {"Financial Times"}


def test_a_resolved_entity_names_the_report(clash: Corpus) -> None:
    from newsweave.model import Entity

    relays = tuple(dataclasses.replace(r, entity="e1") for r in clash.dossier().relays)
    labels = relay_labels(relays, (Entity("e1", "The Financial Times", "ORG", ("FT",), ()),))
    assert set(labels.values()) == {"The Financial Times"}


# -------------------------------------------------------------- discrepancies


@pytest.fixture
def troops(clash: Corpus) -> Corpus:
    """Troop numbers from four outlets, with the parts and per-unit values that are other measures."""
    clash.article("A004b", "004", [[TROOPS_10000]])
    clash.article("A003", "003", [[BATTALIONS, TROOPS_15000], [TROOPS_11000, UNIT_2600]])
    for aid in ("A000", "A002"):
        clash.quantity(aid, "500 officers", 500, "officers", "officer")
    clash.quantity("A004b", "More than 10,000 North Korean soldiers", 10000, "North Korean soldiers", "soldier", "more than")  # fmt: skip
    clash.quantity("A003", "about 3,000 troops", 3000, "troops", "troop", "about")
    clash.quantity("A003", "about 1,500 kilometers", 1500, "kilometers", "kilometer", "about")
    clash.quantity("A003", "15,000", 15000, "", "")
    clash.quantity(
        "A003", "11,000 North Korean infantrymen", 11000, "North Korean infantrymen", "infantryman"
    )
    clash.quantity("A003", "2,600 soldiers", 2600, "soldiers", "soldier")
    clash.mention("A004b", "North Korean", "NORP")
    clash.mention("A003", "North Korean", "NORP")
    clash.mention("A003", "North Korean", "NORP", after="11,000")
    quoted = TROOPS_10000[1:].split("”")[0]
    start, end = clash.span("A004b", quoted)
    clash.add("quotes", Quote("A004b", start, end, quoted, "Jeon Ha-kyou", None, None, None, "told"))
    return clash


def test_troop_totals_are_one_discrepancy(troops: Corpus) -> None:
    dossier = run(troops.dossier())
    (discrepancy,) = dossier.discrepancies
    assert discrepancy.story_id == STORY and discrepancy.subject == "North Korean troops"
    values = {(v.qualifier, v.value) for v in discrepancy.values}
    assert values == {("approximately", 12000), ("more than", 10000), (None, 11000), (None, 15000)}
    assert discrepancy.conflict  # 11,000 and 15,000 cannot both be the number
    claims = {c.id: c for c in dossier.claims}
    for v in discrepancy.values:
        assert v.claim_id in discrepancy.claim_ids and v.sources == claims[v.claim_id].origins
        assert set(v.article_ids) <= set(claims[v.claim_id].article_ids)


def test_parts_per_unit_values_and_other_nouns_stay_out(troops: Corpus) -> None:
    (discrepancy,) = run(troops.dossier()).discrepancies
    assert not {v.value for v in discrepancy.values} & {2600, 500, 3000, 1500}


def test_a_discrepancy_value_keeps_its_articles(troops: Corpus) -> None:
    (discrepancy,) = run(troops.dossier()).discrepancies
    (approximately,) = [v for v in discrepancy.values if v.value == 12000]
    assert approximately.article_ids == ("A000", "A002")


def test_values_about_another_subject_are_not_compared(troops: Corpus) -> None:
    dossier = troops.dossier()
    mentions = tuple(
        dataclasses.replace(m, text="South Korean") if m.article == "A004b" else m for m in dossier.mentions
    )
    found = run(dataclasses.replace(dossier, mentions=mentions)).discrepancies
    # "South Korean soldiers" share no subject with "North Korean infantrymen"; the values
    # naming no subject cannot be placed between two subjects and are compared only together
    assert [(d.subject, sorted(v.value for v in d.values)) for d in found] == [("troops", [12000, 15000])]


def _value(value: float, qualifier: str | None) -> DiscrepancyValue:
    return DiscrepancyValue(value, qualifier, "c1", ("a1",), ("a1",), None)


def test_more_than_10000_and_approximately_12000_are_compatible() -> None:
    assert not conflict([_value(10000, "more than"), _value(12000, "approximately")])


def test_exact_10000_and_11000_conflict() -> None:
    assert conflict([_value(10000, None), _value(11000, None)])
    assert conflict([_value(10000, "more than"), _value(12000, "approximately"), _value(9000, None)])


def test_qualified_values_are_ranges() -> None:
    assert value_range(10000, "more than") == (10000, float("inf"))
    assert value_range(10000, "up to") == (0, 10000)
    low, high = value_range(12000, "approximately")
    assert low < 12000 < high


# ---------------------------------------------------------------- empty input


def test_no_stories_no_claims(clash: Corpus) -> None:
    assert Claims()(clash.dossier(stories=())) == {"claims": (), "discrepancies": ()}


def test_sentences_without_facts_are_not_claims(clash: Corpus) -> None:
    """Without names, dates or figures only the sentences telling an event (combat) are claims."""
    bare = run(clash.dossier(mentions=(), dates=(), quantities=(), relays=()))
    told = {s.text for c in bare.claims for s in c.support}
    assert {CLASH_000, CLASH_001, CLASH_004} <= told <= {CLASH_000, CLASH_001, CLASH_002, CLASH_004}
    assert not bare.discrepancies


def test_an_empty_dossier_gives_nothing() -> None:
    assert Claims()(Dossier()) == {"claims": (), "discrepancies": ()}


# ---------------------------------------------------------- the real pipeline


def test_on_the_seeds_the_first_clash_is_one_claim_from_several_origins(seed_dossier: Dossier) -> None:
    claim = max((c for c in seed_dossier.claims if c.date == "2024-11-04"), key=lambda c: c.article_count)
    assert claim.article_count >= 4
    assert 2 <= claim.independent_sources < claim.article_count
    assert "Financial Times" in claim.origins  # three articles relay the FT: one origin
    texts = {a.id: a.text for a in seed_dossier.articles}
    for c in seed_dossier.claims:
        assert c.independent_sources == len(c.origins) >= 1
        assert all(texts[s.article][s.start : s.end] == s.text for s in c.support)


def test_on_the_seeds_the_troop_numbers_are_one_discrepancy(seed_dossier: Dossier) -> None:
    (troops,) = [d for d in seed_dossier.discrepancies if d.subject.endswith("troops")]
    values = {(v.qualifier, v.value) for v in troops.values}
    assert {("approximately", 12000.0), ("more than", 10000.0), (None, 11000.0)} <= values
    assert not {v.value for v in troops.values} & {2600.0, 500.0, 3000.0}
    assert troops.conflict


# ------------------------------------------- seed articles through the real extract


@pytest.fixture(scope="module")
def extracted() -> Dossier:
    """The hand-cleaned seeds (``_seed_articles``) with outlets, through the real Extract;
    the story, relays and copied passage that dedup and stories would give made by hand."""
    from _seed_articles import seed_articles
    from newsweave.extract import Extract

    outlets = {"001": "UkrinForm", "003": "Espreso"}  # 000 and 002 state no outlet; 004 none known
    articles = {
        key: dataclasses.replace(a, id=f"A{key}", outlet=outlets.get(key))
        for key, a in seed_articles().items()
    }
    dossier = Dossier(articles=tuple(articles.values()))
    dossier = dataclasses.replace(dossier, **Extract()(dossier))

    def span(aid: str, phrase: str) -> tuple[int, int]:
        start = articles[aid[1:]].text.index(phrase)
        return start, start + len(phrase)

    def relay(aid: str, source: str, phrase: str) -> Relay:
        return Relay(aid, source, phrase, *span(aid, phrase))

    relays = (
        relay("A000", "Financial Times (FT)", "informed the Financial Times (FT)"),
        relay("A004", "FT", "FT writes"),
        relay("A003", "Financial Times", "citing the Financial Times"),
    )
    copied = Reuse("A000", "A002", "shared_passage", TROOPS_12000, *span("A000", TROOPS_12000), *span("A002", TROOPS_12000), "A000")  # fmt: skip
    story = Story("s-seeds", "First clash", tuple(sorted(a.id for a in articles.values())), None, None)
    dossier = dataclasses.replace(dossier, relays=relays, reuse=(copied,), stories=(story,))
    return run(dossier)


def test_with_real_extraction_the_first_clash_is_one_claim_of_several_articles(extracted: Dossier) -> None:
    claim = max((c for c in extracted.claims if c.date == "2024-11-04"), key=lambda c: c.article_count)
    assert claim.article_count >= 3
    assert "Financial Times" in claim.origins  # "FT" and "Financial Times" are one report
    assert claim.independent_sources == len(claim.origins) < claim.article_count


def test_with_real_extraction_the_copied_sentence_counts_once(extracted: Dossier) -> None:
    claim = claim_with(extracted, TROOPS_12000)
    assert claim.article_ids == ("A000", "A002") and claim.independent_sources == 1


def test_with_real_extraction_claims_are_unique_and_point_into_the_text(extracted: Dossier) -> None:
    texts = {a.id: a.text for a in extracted.articles}
    assert len({c.id for c in extracted.claims}) == len(extracted.claims)
    assert len({(c.story_id, c.text) for c in extracted.claims}) == len(extracted.claims)
    for c in extracted.claims:
        assert all(texts[s.article][s.start : s.end] == s.text for s in c.support)
        assert c.article_ids == tuple(sorted({s.article for s in c.support})) and 0 <= c.checkworthiness <= 1
    keys = [(d.story_id, d.subject) for d in extracted.discrepancies]
    assert keys == sorted(set(keys))


def test_with_real_extraction_the_troop_numbers_are_one_discrepancy(extracted: Dossier) -> None:
    (troops,) = [d for d in extracted.discrepancies if d.subject.endswith("troops")]
    values = {(v.qualifier, v.value) for v in troops.values}
    assert {("approximately", 12000.0), ("more than", 10000.0), (None, 11000.0)} <= values
    assert not {v.value for v in troops.values} & {2600.0, 500.0, 3000.0}
    assert troops.conflict


def test_a_sentence_naming_the_report_by_reference_relays_it(seed_texts: dict[str, str]) -> None:
    """004: "FT writes ..." and then "The publication is calling ...": the second relays the FT too."""
    raw = next(text for name, text in seed_texts.items() if name.startswith("004"))
    publication = next(line for line in raw.splitlines() if line.startswith("The publication is calling"))
    corpus = Corpus(seed_texts)
    corpus.article("R1", "004", [[CLASH_004], [publication]], outlet="Outlet One")
    corpus.mention("R1", "Russia", "GPE", after="The publication")
    corpus.relay("R1", "FT", "FT writes")
    claim = claim_with(run(corpus.dossier()), publication)
    assert claim.origins == ("FT",) and claim.attributed_to == ("FT",)


def test_an_article_relaying_an_outlet_and_that_outlet_are_one_origin(seed_texts: dict[str, str]) -> None:
    corpus = Corpus(seed_texts)
    corpus.article("R1", "004", [[CLASH_004]], outlet="Outlet One")
    corpus.article("R2", "004", [[CLASH_004]], outlet="The FT")
    for aid in ("R1", "R2"):
        corpus.date(aid, "Monday", "2024-11-04")
    corpus.relay("R1", "FT", "FT writes")
    (claim,) = run(corpus.dossier()).claims
    assert claim.independent_sources == 1 < claim.article_count == 2


def test_the_same_sentence_on_two_dates_gives_two_claims_with_distinct_texts(clash: Corpus) -> None:
    dossier = clash.dossier()
    moved = tuple(
        dataclasses.replace(d, value="2024-10-21") if d.article == "A004" else d for d in dossier.dates
    )
    # A004b tells the 004 sentence on another Monday: its own group, but never the same text twice
    clash.article("A004b", "004", [[CLASH_004]])
    clash.date("A004b", "Monday", "2024-10-28")
    extra = clash.dossier()
    dates = (*moved, *(d for d in extra.dates if d.article == "A004b"))
    claims = run(dataclasses.replace(extra, dates=dates)).claims
    assert len({c.text for c in claims}) == len(claims)
    assert sum(s.text == CLASH_004 for c in claims for s in c.support) == 2


# ------------------------------------------------------------------ clauses

CASUALTIES = 'The Ukrainian official did not elaborate on the casualties of the parties, and the American official told the newspaper that a "significant number" of North Korean soldiers had died.'
RECORDING = "‘We are recording contacts with North Korean forces, but we believe there will be more clashes in a few weeks, and we will analyse and consider them accordingly,’ he stressed."
LOCALIZED = "According to Umerov, the clash was localized, but it should be regarded as the official start of North Korea's participation in the war against Ukraine."


def _pieces(sentence: str, facts: Sequence[str] = ()) -> list[str]:
    spans = [(sentence.index(f), sentence.index(f) + len(f)) for f in facts]
    return [sentence[s:e] for s, e in clause_spans(sentence, facts=spans)]


def test_the_seed_clause_sentences_are_real(seed_texts: dict[str, str]) -> None:
    for sentence in (CASUALTIES, RECORDING, LOCALIZED):
        assert any(sentence in text for text in seed_texts.values())


def test_two_coordinated_main_clauses_are_two_clauses() -> None:
    assert _pieces(CASUALTIES) == [
        "The Ukrainian official did not elaborate on the casualties of the parties",
        'the American official told the newspaper that a "significant number" of North Korean soldiers had died.',
    ]
    assert _pieces(LOCALIZED)[1].startswith("it should be regarded")


def test_quoted_speech_is_not_split() -> None:
    assert _pieces(RECORDING) == [RECORDING]
    assert _pieces(TROOPS_10000) == [TROOPS_10000]  # ", and we assess" is inside the quote


def test_a_list_of_nouns_is_not_split() -> None:
    # "and three generals" has no verb of its own: one fact with its parts
    assert _pieces(TROOPS_12000, ["approximately 12 000", "500 officers"]) == [TROOPS_12000]
    assert _pieces(BATTALIONS, ["about 3,000 troops", "about 1,500 kilometers"]) == [BATTALIONS]


def test_a_bare_and_splits_only_between_two_facts() -> None:
    sentence = UNIT_2600.replace(", where", " and")  # "... en route to Kursk and Ukraine has ..."
    assert _pieces(sentence) == [sentence]  # no fact on one side: one clause
    assert _pieces(sentence, ["2,600 soldiers", "Ukraine"]) == [
        "He added that the first unit of 2,600 soldiers is en route to Kursk",
        "Ukraine has established a stronghold.",
    ]


def test_each_clause_is_its_own_claim_citing_its_own_characters(seed_texts: dict[str, str]) -> None:
    corpus = Corpus(seed_texts)
    corpus.article("A002", "002", [[CASUALTIES]])
    corpus.mention("A002", "Ukrainian", "NORP")
    corpus.mention("A002", "North Korean", "NORP")
    dossier = run(corpus.dossier())
    text = dossier.articles[0].text
    supports = sorted((s for c in dossier.claims for s in c.support), key=lambda s: s.start)
    assert [s.text for s in supports] == _pieces(CASUALTIES)
    assert all(text[s.start : s.end] == s.text for s in supports)
    assert {c.text for c in dossier.claims} == set(_pieces(CASUALTIES))


# -------------------------------------------------------- check-worthiness


def test_a_sentence_below_the_checkworthiness_floor_is_not_a_claim(seed_texts: dict[str, str]) -> None:
    """002's relay sentence names an outlet but states no fact of its own: it scores under the floor."""
    raw = next(text for name, text in seed_texts.items() if name.startswith("002"))
    relay = next(s for s in raw.split("\n") if s.startswith("The New York Times writes about this"))
    corpus = Corpus(seed_texts)
    corpus.article("A002", "002", [[relay], [CLASH_002]])
    corpus.mention("A002", "The New York Times", "ORG")
    corpus.date("A002", "November 4", "2024-11-04")
    assert checkworthy.score(relay) < MIN_CHECKWORTHINESS <= checkworthy.score(CLASH_002)
    assert [c.text for c in run(corpus.dossier()).claims] == [CLASH_002]


def test_retellings_in_other_words_share_the_predicate() -> None:
    terms = [claim_terms(t) for t in ("came under fire", "were fired upon", "engaged in combat")]
    assert all("~combat" in t for t in terms)
    assert lemma("fired") == lemma("firing") == "fire" and lemma("shot") == "shoot" and lemma("died") == "die"
