"""Brief: every sentence cites articles and passes the verifier; the verifier catches changes.

The stage tests give it claims and a discrepancy built by hand from real seed
sentences; the verifier tests check real seed sentences, and changed copies of
them, against the seed files; the last test runs the whole pipeline.
"""

from __future__ import annotations

import dataclasses

import pytest

from newsweave.brief import Brief, discrepancy_sentence, month_days, numbers, verify_sentence
from newsweave.model import (
    Article,
    BriefSentence,
    Claim,
    ClaimQuantity,
    Discrepancy,
    DiscrepancyValue,
    Dossier,
    Story,
    Support,
    stable_id,
)

STORY = "s1"
CLASH_000 = "The Ukrainian military encountered soldiers from the DPRK for the first time in combat on November 4 in the Kursk region of Russia."
CLASH_002 = "For the first time, it became known about the combat clash between Ukrainian soldiers and soldiers from the DPRK on November 4."
ARRIVED_002 = "On October 24, Ukrainian intelligence reported that the first soldiers from the DPRK had already arrived at the front — in the Kursk region."
TROOPS_000 = "There are approximately 12 000 military personnel, including 500 officers and three generals."
TROOPS_10000 = "“More than 10,000 North Korean soldiers are currently in Russia, and we assess that a significant portion of them are deployed to front-line areas, including Kursk,” spokesman for South Korea’s defense ministry, Jeon Ha-kyou, told a briefing."
TROOPS_11000 = "Kyrylo Budanov, head of Ukraine’s Military Intelligence, later reported that 11,000 North Korean infantrymen are training in eastern Russia, preparing for deployment to Ukraine."
PUTIN_001 = "On Monday, Russian President Vladimir Putin met with North Korean Foreign Minister Choe Son-hui at the Kremlin."
PLAN_003 = "At an October 17 press conference in Brussels, Ukrainian President Volodymyr Zelenskyy revealed Russia's plan to train 10,000 North Korean soldiers for combat in Ukraine."
CLASH_004 = "“Ukrainian officials said on Monday that their forces had fired at North Korean soldiers in combat for the first time since their deployment by Russia to its western Kursk region,” FT writes of the new development."

SENTENCES = {
    "A000": [CLASH_000, TROOPS_000],
    "A001": [PUTIN_001],
    "A002": [CLASH_002, ARRIVED_002, TROOPS_000],
    "A003": [TROOPS_11000, PLAN_003],
    "A004": [TROOPS_10000, CLASH_004],
}


@pytest.fixture
def articles(seed_texts: dict[str, str]) -> dict[str, Article]:
    """Articles of real seed sentences (each checked against its seed file)."""
    made = {}
    for aid, sentences in SENTENCES.items():
        raw = next(text for name, text in seed_texts.items() if name.startswith(aid[1:]))
        assert all(s in raw for s in sentences)
        made[aid] = Article(
            aid, f"{aid}.txt", None, None, None, "2024-11-05", False, "en", tuple(sentences), ()
        )
    return made


def _claim(
    text: str,
    article_ids: tuple[str, ...],
    sources: int,
    articles: dict[str, Article],
    date: str | None = None,
    quantities: tuple[ClaimQuantity, ...] = (),
    attributed_to: tuple[str, ...] = (),
) -> Claim:
    support = []
    for aid in article_ids:
        start = articles[aid].text.index(text) if text in articles[aid].text else 0
        support.append(Support(aid, start, start + len(text), text))
    return Claim(
        stable_id("c", STORY, text), STORY, text, date, article_ids, tuple(support), attributed_to,
        article_ids[:sources], sources, len(article_ids), 0.5, quantities,
    )  # fmt: skip


@pytest.fixture
def dossier(articles: dict[str, Article]) -> Dossier:
    twelve = ClaimQuantity(12000, "military personnel", "personnel", "approximately 12 000 military personnel", "approximately")  # fmt: skip
    ten = ClaimQuantity(10000, "North Korean soldiers", "soldier", "More than 10,000 North Korean soldiers", "more than")  # fmt: skip
    eleven = ClaimQuantity(
        11000, "North Korean infantrymen", "infantryman", "11,000 North Korean infantrymen"
    )
    claims = (
        _claim(CLASH_000, ("A000", "A002", "A004"), 2, articles, "2024-11-04"),
        _claim(CLASH_002, ("A002",), 1, articles, "2024-11-04"),  # repeats the first: left out
        _claim(ARRIVED_002, ("A002",), 1, articles, "2024-10-24"),
        _claim(TROOPS_000, ("A000", "A002"), 1, articles, None, (twelve,)),
        _claim(TROOPS_10000, ("A004",), 1, articles, None, (ten,), ("Jeon Ha-kyou",)),
        _claim(TROOPS_11000, ("A003",), 1, articles, None, (eleven,), ("Kyrylo Budanov",)),
        _claim(PUTIN_001, ("A001",), 1, articles, "2024-11-04"),
    )
    by_text = {c.text: c for c in claims}

    def value(text: str, number: float, qualifier: str | None) -> DiscrepancyValue:
        claim = by_text[text]
        return DiscrepancyValue(number, qualifier, claim.id, claim.article_ids, claim.origins, None)

    values = (
        value(TROOPS_000, 12000, "approximately"),
        value(TROOPS_10000, 10000, "more than"),
        value(TROOPS_11000, 11000, None),
    )
    discrepancy = Discrepancy(
        STORY, "North Korean troops", tuple(sorted(v.claim_id for v in values)), True, values
    )
    story = Story(STORY, "First clash", tuple(articles), None, None)
    return Dossier(
        articles=tuple(articles.values()), stories=(story,), claims=claims, discrepancies=(discrepancy,)
    )


def _brief(dossier: Dossier) -> tuple[BriefSentence, ...]:
    (brief,) = Brief()(dossier).values()
    return brief


def test_every_brief_sentence_cites_its_articles_and_is_verified(dossier: Dossier) -> None:
    brief = _brief(dossier)
    assert 5 <= len(brief) <= 10
    for sentence in brief:
        assert sentence.story_id == STORY and sentence.article_ids
        assert set(sentence.article_ids) <= {a.id for a in dossier.articles}
        assert sentence.verified, sentence.text


def test_the_main_event_comes_first_then_the_discrepancy(dossier: Dossier) -> None:
    first, second, *_ = _brief(dossier)
    assert (first.text, first.article_ids) == (CLASH_000, ("A000", "A002", "A004"))
    assert second.text == (
        "Sources give different figures for North Korean troops: approximately 12 000; "
        "more than 10,000 (Jeon Ha-kyou); 11,000 (Kyrylo Budanov)."
    )
    assert second.article_ids == ("A000", "A002", "A003", "A004")


def test_the_claim_with_most_independent_sources_leads(dossier: Dossier) -> None:
    """More independent sources beat more articles: three origins on one article lead."""
    claims = tuple(
        dataclasses.replace(c, independent_sources=3, origins=("x", "y", "z")) if c.text == PUTIN_001 else c
        for c in dossier.claims
    )
    first, *_ = _brief(dataclasses.replace(dossier, claims=claims))
    assert (first.text, first.article_ids) == (PUTIN_001, ("A001",))


def test_claims_follow_by_sources_then_articles_then_date(dossier: Dossier) -> None:
    texts = [s.text for s in _brief(dossier)]
    assert texts.index(TROOPS_000) < texts.index(ARRIVED_002) < texts.index(PUTIN_001)


def test_a_near_duplicate_of_a_brief_sentence_is_left_out(dossier: Dossier) -> None:
    assert CLASH_002 not in {s.text for s in _brief(dossier)}


def test_a_changed_value_in_the_discrepancy_is_caught(dossier: Dossier) -> None:
    (discrepancy,) = dossier.discrepancies
    texts = [a.text for a in dossier.articles]
    claims = {c.id: c for c in dossier.claims}
    assert verify_sentence(discrepancy_sentence(discrepancy, claims, texts), texts)
    changed = dataclasses.replace(discrepancy.values[2], value=13000)
    wrong = dataclasses.replace(discrepancy, values=(*discrepancy.values[:2], changed))
    assert not verify_sentence(discrepancy_sentence(wrong, claims, texts), texts)


def test_no_claims_no_brief(dossier: Dossier) -> None:
    assert _brief(dataclasses.replace(dossier, claims=(), discrepancies=())) == ()
    assert _brief(Dossier()) == ()


# ------------------------------------------------------------------- verifier


def _seed(seed_texts: dict[str, str], number: str) -> str:
    return next(text for name, text in seed_texts.items() if name.startswith(number))


def test_numbers_are_normalised() -> None:
    assert numbers("12 000, 12,000 and 12000 on October 24, 2024") == {"12000", "24", "2024"}
    assert month_days("On October 24 and on 5 Nov. 2024") == {(10, 24), (11, 5)}


@pytest.mark.parametrize(
    ("sentence", "seed"),
    [
        (ARRIVED_002, "002"),
        (PLAN_003, "003"),
        (TROOPS_000.replace("12 000", "12,000"), "000"),  # digit groups written another way
        (CLASH_004, "004"),
    ],
)
def test_the_verifier_passes_true_sentences(sentence: str, seed: str, seed_texts: dict[str, str]) -> None:
    assert verify_sentence(sentence, [_seed(seed_texts, seed)])


@pytest.mark.parametrize(
    ("changed", "seed"),
    [
        (TROOPS_000.replace("12 000", "14 000"), "000"),  # a changed number
        (ARRIVED_002.replace("DPRK", "Belarus"), "002"),  # a swapped name
        (PLAN_003.replace("Zelenskyy", "Shoigu"), "003"),
        (CLASH_000.replace("The Ukrainian", "Belarusian"), "000"),  # a swapped name at the start
        (ARRIVED_002.replace("October 24", "October 26"), "002"),  # a shifted date
        (PLAN_003.replace("an October 17", "a November 17"), "003"),  # shifted, numbers all in the text
        (CLASH_004.replace("fired at", "captured"), "004"),  # a changed quote
        (PUTIN_001.replace("the Kremlin", "the UK"), "001"),  # a two-letter name counts too
    ],
)
def test_the_verifier_catches_a_changed_sentence(changed: str, seed: str, seed_texts: dict[str, str]) -> None:
    assert not verify_sentence(changed, [_seed(seed_texts, seed)])


def test_a_sentence_is_checked_against_its_cited_articles_only(seed_texts: dict[str, str]) -> None:
    assert not verify_sentence(PLAN_003, [_seed(seed_texts, "002")])
    assert not verify_sentence(ARRIVED_002, [])


# ---------------------------------------------------------- the real pipeline


def test_on_the_seeds_the_brief_is_cited_verified_and_names_the_troop_discrepancy(
    seed_dossier: Dossier,
) -> None:
    assert 5 <= len(seed_dossier.brief) <= 10
    texts = {a.id: a.text for a in seed_dossier.articles}
    for sentence in seed_dossier.brief:
        assert sentence.article_ids and set(sentence.article_ids) <= set(texts)
        assert sentence.verified, sentence.text
        assert verify_sentence(sentence.text, [texts[i] for i in sentence.article_ids])
    assert any(s.text.startswith("Sources give different figures") for s in seed_dossier.brief)
