"""Brief: every sentence cites articles and passes the verifier; the verifier catches changes."""

from __future__ import annotations

import re

import pytest

from newsweave.brief import verify_sentence
from newsweave.model import Article, Dossier

TRUE = "On October 24, the Ukrainian intelligence reported that the first soldiers from the DPRK had already arrived at the front, in the Kursk region."


def test_the_brief_has_five_to_ten_cited_verified_sentences(seed_dossier: Dossier) -> None:
    assert 5 <= len(seed_dossier.brief) <= 10
    texts = {a.id: a.text for a in seed_dossier.articles}
    for sentence in seed_dossier.brief:
        assert sentence.article_ids and set(sentence.article_ids) <= set(texts)
        assert sentence.verified, sentence.text


def test_the_brief_names_the_troop_discrepancy(seed_dossier: Dossier) -> None:
    assert any("differ" in s.text and "12,000" in s.text for s in seed_dossier.brief)


def test_every_number_in_the_brief_is_in_a_cited_article(seed_dossier: Dossier) -> None:
    texts = {a.id: a.text.replace(" ", "").replace(",", "") for a in seed_dossier.articles}
    for sentence in seed_dossier.brief:
        body = re.sub(r"\(\d+ independent sources\)", "", sentence.text)
        for number in re.findall(r"\d[\d,]*", body):
            assert any(number.replace(",", "") in texts[i] for i in sentence.article_ids), number


def test_the_verifier_passes_a_true_sentence(seed_articles: dict[str, Article]) -> None:
    assert verify_sentence(TRUE, [seed_articles["000"].text])


@pytest.mark.parametrize(
    "changed",
    [
        TRUE.replace("October 24", "October 26"),  # a shifted date
        TRUE.replace("DPRK", "Belarus"),  # a swapped name
        "There are approximately 14 000 military personnel, including 500 officers and three generals.",  # a number
        TRUE.replace("the Kursk region", "the Belgorod region"),
    ],
)
def test_the_verifier_catches_a_changed_sentence(changed: str, seed_articles: dict[str, Article]) -> None:
    assert not verify_sentence(changed, [seed_articles["000"].text])


def test_a_sentence_with_no_cited_article_is_unverified() -> None:
    assert not verify_sentence(TRUE, [])
