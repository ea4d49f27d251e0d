"""Resolve: one entity across spellings; different people kept apart."""

from __future__ import annotations

from newsweave.model import Article, Dossier, Entity, Mention, Story
from newsweave.resolve import fold, resolve


def _entity_of(dossier: Dossier, surface: str) -> Entity:
    (entity,) = [e for e in dossier.entities if surface in e.aliases]
    return entity


def test_transliteration_variants_fold_alike() -> None:
    for x, y in [("Umerov", "Umyerov"), ("Andriy", "Andrii"), ("Zelensky", "Zelenskyy"), ("Kiev", "Kyiv")]:
        assert fold(x) == fold(y), (x, y)
    assert fold("DPRK") == fold("North Korea")
    assert fold("the Financial Times") == fold("FT")


def test_seed_spelling_variants_are_one_entity(seed_dossier: Dossier) -> None:
    # spaCy tags these forms in the seeds; each pair must end in one entity
    for x, y in [
        ("Andriy Sybiha", "Andrii Sybiha"),
        ("Annalena Baerbock", "Annalena Baerbok"),
        ("Andriy Kovalenko", "Andrii Kovalenko"),
        ("Volodymyr Zelenskyy", "Ukraine Volodymyr Zelensky"),
        ("DPRK", "North Korea"),
        ("GUR", "Main Intelligence Directorate"),
    ]:
        assert _entity_of(seed_dossier, x).id == _entity_of(seed_dossier, y).id, (x, y)


def test_different_people_stay_apart(seed_dossier: Dossier) -> None:
    for x, y in [
        ("Kim Jong Un", "Choe Son-hui"),
        ("Umerov", "Budanov"),
        ("Andriy Kovalenko", "Andriy Sybiha"),
    ]:
        assert any(x in e.aliases for e in seed_dossier.entities), x
        assert not any(x in e.aliases and y in e.aliases for e in seed_dossier.entities), (x, y)


def test_entity_mentions_point_into_the_clean_text(seed_dossier: Dossier) -> None:
    texts = {a.id: a.text for a in seed_dossier.articles}
    for entity in seed_dossier.entities:
        assert entity.name in entity.aliases
        for m in entity.mentions:
            assert texts[m.article][m.start : m.end] == m.text


def _mentions(article: Article, *names: str) -> list[Mention]:
    found = []
    for name in names:
        start = article.text.index(name)
        found.append(Mention(article.id, start, start + len(name), name, "PERSON"))
    return found


def test_a_shared_surname_does_not_merge_two_people() -> None:
    text = (
        "Hillary Clinton met donors in Ohio. Bill Clinton spoke at a rally in Iowa the same day. "
        "Clinton later said the campaign would go on."
    )
    article = Article("a1", "a1.txt", None, None, None, None, False, "en", (text,), ())
    mentions = _mentions(article, "Hillary Clinton", "Bill Clinton", "Clinton later")
    mentions[-1] = Mention("a1", mentions[-1].start, mentions[-1].start + 7, "Clinton", "PERSON")
    entities = resolve([article], mentions, [Story("s1", "t", ("a1",), None, None)])
    assert len(entities) == 3  # the lone surname is ambiguous: it joins neither


def test_a_lone_surname_joins_the_one_full_name() -> None:
    text = "Defense Minister Rustem Umerov spoke to KBS. Umerov said more clashes would follow."
    article = Article("a1", "a1.txt", None, None, None, None, False, "en", (text,), ())
    mentions = _mentions(article, "Rustem Umerov")
    second = text.index("Umerov said")
    mentions.append(Mention("a1", second, second + 6, "Umerov", "PERSON"))
    (entity,) = resolve([article], mentions, [Story("s1", "t", ("a1",), None, None)])
    assert entity.name == "Rustem Umerov" and entity.aliases == ("Rustem Umerov", "Umerov")


def test_quote_speakers_point_to_entities(seed_dossier: Dossier) -> None:
    ids = {e.id for e in seed_dossier.entities}
    linked = [q for q in seed_dossier.quotes if q.speaker_entity]
    assert linked and all(q.speaker_entity in ids for q in linked)
    sybiha = _entity_of(seed_dossier, "Andrii Sybiha")
    assert any(q.speaker_entity == sybiha.id and "We urge Europe" in q.text for q in seed_dossier.quotes)
