"""Clean: page chrome out (kept in `removed`), article text in, metadata found, on the real seeds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.clean import Clean, clean_document, is_prose
from newsweave.model import Article, RawDocument


def test_leading_date_marker_is_metadata_not_text(seed_articles: dict[str, Article]) -> None:
    first = seed_articles["000"]
    assert first.published == "2024-11-05"
    assert first.paragraphs[0].startswith("The Ukrainian military encountered soldiers")
    assert seed_articles["002"].published == "2024-11-06"


def test_dateline_and_time_give_the_publication_time(seed_articles: dict[str, Article]) -> None:
    assert seed_articles["003"].published == "2024-11-05T18:39"
    assert "5 November, 2024 Tuesday" in seed_articles["003"].removed


def test_an_article_with_no_stated_date_has_none(seed_articles: dict[str, Article]) -> None:
    assert seed_articles["004"].published is None
    assert seed_articles["004"].published_inferred is False


def test_titles_are_found_only_where_stated(seed_articles: dict[str, Article]) -> None:
    assert seed_articles["003"].title == (
        "First clashes occur between Ukrainian army and DPRK military in Kursk region, "
        "Ukrainian Defense Minister confirms"
    )
    assert seed_articles["004"].title == "Ukraine Announces First Direct Clashes With North Korean Troops"
    assert seed_articles["000"].title is None


def test_byline_and_outlet_lines_become_metadata(seed_articles: dict[str, Article]) -> None:
    assert seed_articles["003"].byline == "Sofia Polonska"
    assert seed_articles["003"].outlet == "Espreso. Global"
    assert seed_articles["001"].outlet == "UkrinForm"
    assert not seed_articles["001"].paragraphs[0].startswith("(MENAFN")


def test_chrome_lines_are_removed_and_kept_for_audit(seed_articles: dict[str, Article]) -> None:
    chrome = {
        "001": ["ofto's", "U.S. attoin"],
        "003": ["client/title.list_title", "Tags:", "Read also:", "More news", "21:15",
                "Russian strike on Ukraine's Zaporizhzhia leaves nine dead, children injured",
                "Can Washington deliver “avalanche” of aid to Ukraine before Trump's inauguration?"],
        "004": ["Checkout", "Cart: $0.00 - (0 items )", "Loading…", "Write a Reply or Comment:", "Back to top",
                "We don’t spam! Read our privacy policy for more info."],
    }  # fmt: skip
    for seed, lines in chrome.items():
        article = seed_articles[seed]
        for line in lines:
            assert line in article.removed, (seed, line)
            assert all(line not in p for p in article.paragraphs), (seed, line)


def test_article_lines_are_kept(seed_articles: dict[str, Article]) -> None:
    kept = {
        "000": ["The participation of the military of North Korea in the war in Ukraine",
                "Another Ukrainian official told the FT that the Kremlin"],
        "001": ["As reported by Ukrinform earlier, UN Secretary-General",
                "\"We'll soon find out how capable they are in combat,\" one official noted."],
        "002": ["President of Ukraine Volodymyr Zelensky said in his evening address",
                "The American newspaper The Wall Street Journal wrote"],
        "003": ["Military cooperation between Russia and the DPRK", "He said this in an interview with KBS.",
                "During the Ukraine-Northern Europe summit, President Volodymyr Zelenskyy said"],
        "004": ["President Zelensky has meanwhile been using the issue",
                "“We urge Europe to realize that the DPRK troops"],
    }  # fmt: skip
    for seed, starts in kept.items():
        paragraphs = seed_articles[seed].paragraphs
        for start in starts:
            assert any(start in p for p in paragraphs), (seed, start)


def test_every_seed_is_english(seed_articles: dict[str, Article]) -> None:
    assert {a.language for a in seed_articles.values()} == {"en"}


def test_ids_are_stable_and_depend_on_source_and_content() -> None:
    text = "Officials said on Monday that the bridge would reopen next week after repairs to its deck."
    one = clean_document(RawDocument("a.txt", text))
    assert one.id == clean_document(RawDocument("a.txt", text)).id
    assert one.id != clean_document(RawDocument("b.txt", text)).id
    assert one.id != clean_document(RawDocument("a.txt", text.replace("Monday", "Tuesday"))).id


def test_a_document_without_article_text_is_rejected_with_a_reason() -> None:
    articles, rejected = Clean()(
        [RawDocument("empty.txt", ""), RawDocument("menu.txt", "Home\nCart: $0.00\nLog in")]
    )
    assert articles == []
    assert [r.source for r in rejected] == ["empty.txt", "menu.txt"]
    assert all(r.stage == "clean" and "no article text" in r.reason for r in rejected)


def test_stated_metadata_wins_over_the_text() -> None:
    text = " date 2024-11-05 Officials said on Monday that the bridge would reopen next week after repairs."
    article = clean_document(RawDocument("x.txt", text, published="2024-11-07", outlet="Example News"))
    assert article.published == "2024-11-07" and article.outlet == "Example News"


def test_prose_and_headlines_are_told_apart() -> None:
    assert is_prose("He said this in an interview with the broadcaster on Tuesday evening.")
    assert not is_prose("Russia plans to fine residents of occupied territories for Ukrainian")
    assert not is_prose("Read our privacy policy for more information about cookies here.")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=60), max_size=25))
def test_clean_never_crashes_and_accounts_for_every_line(lines: list[str]) -> None:
    text = "\n".join(lines)
    article = clean_document(RawDocument("fuzz.txt", text))
    accounted = " ".join((*article.paragraphs, *article.removed))
    for line in text.splitlines():
        for word in line.split():
            assert word in accounted
