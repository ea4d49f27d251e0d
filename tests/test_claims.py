"""Claims: one claim across outlets, origins collapsed, discrepancies kept with their sources."""

from __future__ import annotations

import dataclasses

from newsweave.claims import Claims, value_range
from newsweave.extract import Extract
from newsweave.model import Article, Claim, Dossier, Relay, Story


def _first_clash(dossier: Dossier) -> Claim:
    dated = [c for c in dossier.claims if c.date == "2024-11-04"]
    return max(dated, key=lambda c: c.article_count)


def test_the_first_clash_is_one_claim_told_by_every_outlet(seed_dossier: Dossier) -> None:
    claim = _first_clash(seed_dossier)
    assert claim.article_count >= 4
    assert 2 <= claim.independent_sources < claim.article_count
    assert "Financial Times" in claim.origins  # three articles relay the FT: one origin
    assert len(claim.support) >= claim.article_count


def test_claim_support_points_into_the_clean_text(seed_dossier: Dossier) -> None:
    texts = {a.id: a.text for a in seed_dossier.articles}
    for claim in seed_dossier.claims:
        assert claim.article_count == len(set(claim.article_ids))
        assert claim.independent_sources == len(claim.origins) >= 1
        assert 0.0 <= claim.checkworthiness <= 1.0
        for s in claim.support:
            assert texts[s.article][s.start : s.end] == s.text


def test_copies_in_a_shared_passage_count_once(
    seed_dossier: Dossier, seed_articles: dict[str, Article]
) -> None:
    both = {seed_articles["000"].id, seed_articles["002"].id}
    copied = [c for c in seed_dossier.claims if set(c.article_ids) == both and "12 000" in c.text]
    assert copied and all(c.independent_sources == 1 for c in copied)


def _without(dossier: Dossier, **fields: tuple[object, ...]) -> Dossier:
    claims = Claims()(dataclasses.replace(dossier, **fields))
    return dataclasses.replace(dossier, claims=claims["claims"], discrepancies=claims["discrepancies"])


def test_without_copies_the_copied_claim_has_two_sources(
    seed_dossier: Dossier, seed_articles: dict[str, Article]
) -> None:
    plain = _without(seed_dossier, reuse=())
    both = {seed_articles["000"].id, seed_articles["002"].id}
    copied = [c for c in plain.claims if set(c.article_ids) == both and "12 000" in c.text]
    assert copied and all(c.independent_sources == 2 for c in copied)


def test_one_outlets_articles_count_once(seed_dossier: Dossier, seed_articles: dict[str, Article]) -> None:
    same = {seed_articles["000"].id, seed_articles["002"].id}
    articles = tuple(
        dataclasses.replace(a, outlet="Babel") if a.id in same else a for a in seed_dossier.articles
    )
    result = _without(seed_dossier, articles=articles, reuse=())
    copied = [c for c in result.claims if set(c.article_ids) == same and "12 000" in c.text]
    assert copied and all(c.origins == ("Babel",) for c in copied)


def test_articles_relaying_one_report_count_as_that_report(seed_dossier: Dossier) -> None:
    claim = _first_clash(seed_dossier)
    no_relays = _without(seed_dossier, relays=())
    again = _first_clash(no_relays)
    assert again.independent_sources > claim.independent_sources


def test_troop_numbers_are_one_discrepancy_with_every_value(seed_dossier: Dossier) -> None:
    (troops,) = [d for d in seed_dossier.discrepancies if "troops" in d.subject]
    values = {(v.qualifier, v.value) for v in troops.values}
    assert {("approximately", 12000.0), ("more than", 10000.0), (None, 11000.0)} <= values
    assert not {v.value for v in troops.values} & {2600.0, 500.0, 3000.0, 20.0}
    assert troops.conflict
    for v in troops.values:
        assert v.article_ids and v.sources and v.claim_id in troops.claim_ids


def test_qualified_values_are_ranges() -> None:
    more_than = value_range(10000, "more than")
    approximately = value_range(12000, "approximately")
    assert more_than[0] <= approximately[1] and approximately[0] <= more_than[1]  # compatible
    assert value_range(10000, None) != value_range(11000, None)  # exact values conflict


def test_no_stories_no_claims(seed_dossier: Dossier) -> None:
    assert _without(seed_dossier, stories=()).claims == ()


def test_a_relay_inside_the_sentence_names_the_origin() -> None:
    text = "According to Reuters, the bridge in Odesa was closed on Monday after a drone strike damaged it."
    article = Article("a1", "a1.txt", None, None, None, "2024-11-05", False, "en", (text,), ())
    extracted = Extract()(Dossier(articles=(article,)))
    relay = Relay("a1", "Reuters", "According to Reuters", 0, 20)
    dossier = Dossier(
        articles=(article,),
        relays=(relay,),
        stories=(Story("s1", "t", ("a1",), None, None),),
        **extracted,
    )
    (claim,) = Claims()(dossier)["claims"]
    assert claim.origins == ("Reuters",) and claim.attributed_to == ("Reuters",)
