"""Dedup: copies, shared passages and relays on the real seeds, and what is not a copy."""

from __future__ import annotations

import re

from _seed_articles import seed_articles, seed_dossier
from newsweave.dedup import Dedup, find_relays
from newsweave.model import Article, Dossier


def _article(article_id: str, text: str, published: str | None = None) -> Article:
    return Article(
        article_id,
        f"{article_id}.txt",
        None,
        None,
        None,
        published,
        False,
        "en",
        tuple(text.split("\n\n")),
        (),
    )


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def test_the_background_block_of_000_and_002_is_a_shared_passage() -> None:
    a, b = seed_articles()["000"], seed_articles()["002"]
    passages = [r for r in seed_dossier().reuse if {r.a, r.b} == {a.id, b.id}]
    assert passages and all(r.kind == "shared_passage" for r in passages)
    for r in passages:
        assert r.a == a.id and r.origin == a.id  # 000 was published a day earlier
        assert _words(a.text[r.a_start : r.a_end]) == _words(b.text[r.b_start : r.b_end])
        assert len(_words(r.text)) >= 25
    copied = " ".join(r.text for r in passages)
    assert "approximately 12 000 military personnel" in copied
    assert "The American newspaper The Wall Street Journal wrote" in copied


def test_articles_on_one_event_in_other_words_are_not_copies() -> None:
    seeds = seed_articles()
    pairs = {frozenset((r.a, r.b)) for r in seed_dossier().reuse}
    assert pairs == {frozenset((seeds["000"].id, seeds["002"].id))}
    assert all(r.kind == "shared_passage" for r in seed_dossier().reuse)


def test_a_common_phrase_is_not_a_shared_passage() -> None:
    phrase = "the largest land war in Europe since World War II"
    one = _article(
        "x", f"Officials in Kyiv said on Monday that the attack marked {phrase} and asked for help."
    )
    two = _article("y", f"Analysts in Berlin wrote that the fighting remains {phrase}, with no end in sight.")
    assert Dedup()(Dossier(articles=(one, two)))["reuse"] == ()


def test_exact_and_near_copies_are_found_with_their_origin() -> None:
    text = " ".join(
        f"Sentence {i} of a wire report about the harbour fire and its damage." for i in range(30)
    )
    near = text.replace("Sentence 3 of", "Line 3 of")
    original = _article("a1", text, "2024-11-04")
    reprint = _article("a2", text.upper(), "2024-11-05")
    edited = _article("a3", near, "2024-11-06")
    reuse = Dedup()(Dossier(articles=(original, reprint, edited)))["reuse"]
    kinds = {(r.a, r.b): (r.kind, r.origin) for r in reuse}
    assert kinds[("a1", "a2")] == ("duplicate", "a1")
    assert kinds[("a1", "a3")] == ("near_duplicate", "a1")


def test_no_direction_without_dates() -> None:
    block = " ".join(f"word{i}" for i in range(40))
    reuse = Dedup()(
        Dossier(articles=(_article("p", f"Intro one. {block}"), _article("q", f"Other intro. {block}")))
    )["reuse"]
    assert reuse and all(r.origin is None for r in reuse)


def test_relays_of_the_financial_times_and_the_new_york_times() -> None:
    seeds = seed_articles()
    sources: dict[str, set[str]] = {}
    for relay in seed_dossier().relays:
        sources.setdefault(relay.article, set()).add(relay.source)
    for seed in ("000", "001", "004"):
        assert sources[seeds[seed].id] & {"FT", "Financial Times", "Financial Times (FT)"}, seed
    assert "New York Times" in sources[seeds["002"].id]
    assert {"Ukrayinska Pravda", "Financial Times", "Suspilne media", "KBS"} <= sources[seeds["003"].id]


def test_relay_spans_index_the_clean_text() -> None:
    texts = {a.id: a.text for a in seed_dossier().articles}
    for relay in seed_dossier().relays:
        assert texts[relay.article][relay.start : relay.end] == relay.text
        assert relay.source in relay.text


def test_a_lowercase_noun_is_not_a_relay_source() -> None:
    article = _article(
        "r", "According to the agreement, troops may be sent. According to Reuters, talks failed."
    )
    assert [r.source for r in find_relays(article)] == ["Reuters"]


def test_relay_phrasings() -> None:
    text = (
        "The talks failed, the BBC reported. It was first reported by Suspilne media. "
        "Kyiv Post, citing Ukrainian intelligence, wrote that troops moved. "
        "He told Reuters the plan was ready. She said it in an interview with KBS. "
        "The data came via Ukrinform. We spoke with reference to the Wall Street Journal. "
        "They reported the news, and according to the agreement nothing changes. "
        "Bloomberg, citing its own sources, reported a delay. Yesterday Politico wrote more. "
        "It was reported by the Guardian. According to Ukrainian sources, it was calm."
    )
    sources = {r.source for r in find_relays(_article("t", text))}
    assert sources == {
        "BBC",
        "Suspilne media",
        "Kyiv Post",
        "Ukrainian intelligence",
        "Reuters",
        "KBS",
        "Ukrinform",
        "Wall Street Journal",
        "Bloomberg",
        "Politico",
        "Guardian",  # shaped like a nationality word, but a name: no lowercase noun follows
        "Ukrainian sources",  # unnamed, but sources: what the article repeats
    }


def test_an_opening_word_is_not_part_of_the_source() -> None:
    (relay,) = find_relays(_article("o", "Meanwhile, officials met. Yesterday Reuters reported a deal."))
    assert (relay.source, relay.text) == ("Reuters", "Reuters reported")


def test_x_citing_y_gives_both_sources_once() -> None:
    text = "Ukrayinska Pravda, citing the Financial Times, wrote that troops moved."
    relays = find_relays(_article("c", text))
    assert sorted((r.source, r.text) for r in relays) == [
        ("Financial Times", "citing the Financial Times"),
        ("Ukrayinska Pravda", "Ukrayinska Pravda, citing the Financial Times, wrote"),
    ]


def test_outputs_are_deterministic() -> None:
    articles = tuple(seed_articles().values())
    first = Dedup()(Dossier(articles=articles))
    second = Dedup()(Dossier(articles=tuple(reversed(articles))))
    assert first == second
