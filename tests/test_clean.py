"""Clean: page chrome out (kept in `removed`), article text in, metadata found, on the real seeds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.clean import RECURRING_MIN_DOCUMENTS, Clean, clean_document, is_prose
from newsweave.errors import StageError
from newsweave.ingest import read_paths
from newsweave.model import Article, RawDocument
from newsweave.stage import Options


def test_leading_date_marker_is_metadata_not_text(seed_articles: dict[str, Article]) -> None:
    first = seed_articles["000"]
    assert first.published == "2024-11-05"
    assert first.paragraphs[0].startswith("The Ukrainian military encountered soldiers")
    assert seed_articles["002"].published == "2024-11-06"


def test_dateline_and_time_give_the_publication_time(seed_articles: dict[str, Article]) -> None:
    assert seed_articles["003"].published == "2024-11-05T18:39"
    assert "5 November, 2024 Tuesday" in seed_articles["003"].removed


def test_an_article_with_no_stated_date_has_none_until_its_story_dates_it(
    seed_articles: dict[str, Article], seeds_dir: Path
) -> None:
    (raw,) = (d for d in read_paths([seeds_dir]) if Path(d.source).name.startswith("004"))
    assert clean_document(raw).published is None
    assert seed_articles["004"].published_inferred is True  # from the story's dated articles
    assert all(not seed_articles[n].published_inferred for n in ("000", "001", "002", "003"))


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
        "003": ["client/title.list_title", "Tags:", "Read also:", "More news", "21:15", "2024, Friday",
                "Ukraine advances near Velyka Novosilka, Russia lacks strategy in Syria. Serhiy Zgurets' column",
                "Budapest Memorandum has not worked: Zelenskyy calls for effective security guarantees for Ukraine",
                "Russian strike on Ukraine's Zaporizhzhia leaves nine dead, children injured",
                "Can Washington deliver “avalanche” of aid to Ukraine before Trump's inauguration?"],
        "004": ["Checkout", "Cart: $0.00 - (0 items )", "Loading…", "Write a Reply or Comment:", "Back to top",
                "We don’t spam! Read our privacy policy for more info.", "Getty Images"],
        "002": ["For more news and in-depth stories from Ukraine please follow us on X."],
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
                "expressed concern about reports of North Korean troops",
                "In Kyiv, Foreign Minister Andrii Sybiha discussed",
                "\"We'll soon find out how capable they are in combat,\" one official noted."],
        "002": ["President of Ukraine Volodymyr Zelensky said in his evening address",
                "The participation of the military of North Korea in the war in Ukraine",
                "which Vladimir Putin and Kim Jong Un signed in June",
                "The American newspaper The Wall Street Journal wrote"],
        "003": ["Military cooperation between Russia and the DPRK", "He said this in an interview with KBS.",
                "‘We are recording contacts with North Korean forces",
                "During the Ukraine-Northern Europe summit, President Volodymyr Zelenskyy said"],
        "004": ["President Zelensky has meanwhile been using the issue", "The Pentagon has said the same",
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


def test_removed_lines_keep_page_order_and_paragraphs_are_whole_lines(
    seed_texts: dict[str, str], seed_articles: dict[str, Article]
) -> None:
    for name, raw in seed_texts.items():
        article = seed_articles[name[:3]]
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        at = 0
        for removed in article.removed:  # each found at or after the line of the one before
            at = next(i for i in range(at, len(lines)) if removed in lines[i])
        assert all(p == p.strip() and p for p in article.paragraphs)


def test_seed_paragraph_counts_match_the_article_bodies(seed_articles: dict[str, Article]) -> None:
    counts = {seed: len(a.paragraphs) for seed, a in seed_articles.items()}
    assert counts == {"000": 11, "001": 14, "002": 11, "003": 24, "004": 12}


def test_seed_byline_absent_where_not_stated(seed_articles: dict[str, Article]) -> None:
    assert seed_articles["000"].byline is None and seed_articles["004"].byline is None
    assert seed_articles["000"].outlet is None


def test_headings_inside_the_body_stay_and_fragments_go() -> None:
    body = "Officials in the capital said on Monday that the bridge would reopen next week after repairs."
    text = "\n".join([body, "Repairs to the bridge over the river", body.replace("Monday", "Friday"),
                      "xq'z", body.replace("bridge", "road"), "Back to top"])  # fmt: skip
    article = clean_document(RawDocument("h.txt", text))
    assert "Repairs to the bridge over the river" in article.paragraphs
    assert article.removed == ("xq'z", "Back to top")


def test_a_short_closing_sentence_is_kept_but_a_label_after_it_is_not() -> None:
    body = "Officials in the capital said on Monday that the bridge would reopen next week after repairs."
    text = f"{body}\n{body}\n“We will see,” he said.\nUpdated\nShare this article"
    article = clean_document(RawDocument("c.txt", text))
    assert article.paragraphs[-1] == "“We will see,” he said."
    assert article.removed == ("Updated", "Share this article")


def test_dateline_with_time_on_one_line_and_a_by_line() -> None:
    body = "Officials in the capital said on Monday that the bridge would reopen next week after repairs."
    text = f"Bridge to reopen after long repairs\nBy Jane Roe\nNovember 5, 2024 09:05\n{body}\n{body}"
    article = clean_document(RawDocument("d.txt", text))
    assert (article.title, article.byline, article.published) == (
        "Bridge to reopen after long repairs", "Jane Roe", "2024-11-05T09:05"
    )  # fmt: skip
    assert article.paragraphs == (body, body)


def test_impossible_dates_are_not_metadata_and_do_not_crash() -> None:
    body = "Officials in the capital said on Monday that the bridge would reopen next week after repairs."
    one = clean_document(RawDocument("x.txt", f"31 February, 2024\n25:99\n{body}"))
    two = clean_document(RawDocument("y.txt", f" date 2024-13-45 {body}"))
    assert one.published is None and two.published is None


def test_language_is_none_for_very_short_text() -> None:
    article = clean_document(RawDocument("s.txt", "Officials said on Monday that the bridge would reopen."))
    assert article.language is None


def test_a_line_recurring_across_one_outlets_articles_is_chrome() -> None:
    promo = "Support independent journalism in Ukraine by becoming a member of our community today."
    bodies = [
        f"The council voted on {day} to extend the curfew in the city for another two weeks at least."
        for day in ("Monday", "Tuesday", "Wednesday", "Thursday")
    ]
    docs = [
        RawDocument(f"{i}.txt", f"{b}\n{b}\n{promo}", outlet="Example News") for i, b in enumerate(bodies)
    ]
    articles, _ = Clean()(docs[:RECURRING_MIN_DOCUMENTS])
    assert all(promo in a.removed and promo not in a.paragraphs for a in articles)
    two, _ = Clean()(docs[:2])  # shared by two articles only: a pasted passage, still text
    assert all(promo in a.paragraphs for a in two)
    other = [RawDocument(d.source, d.text) for d in docs]  # no known outlet: never pooled
    assert all(promo in a.paragraphs for a in Clean()(other)[0])


def test_on_error_raise_and_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(document: RawDocument, boilerplate: frozenset[str] = frozenset()) -> Article:
        raise RuntimeError("boom")

    monkeypatch.setattr("newsweave.clean.clean_document", broken)
    with pytest.raises(StageError):
        Clean()([RawDocument("x.txt", "text")])
    articles, rejected = Clean(Options(on_error="skip"))([RawDocument("x.txt", "text")])
    assert articles == [] and rejected[0].source == "x.txt" and "boom" in rejected[0].reason


def test_the_seeds_clean_the_same_from_disk(seeds_dir: Path, seed_articles: dict[str, Article]) -> None:
    from newsweave.ingest import read_paths

    articles, rejected = Clean()(list(read_paths([seeds_dir])))
    assert rejected == []
    assert {Path(a.source).name[:3]: a.id for a in articles} == {k: a.id for k, a in seed_articles.items()}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=60), max_size=25))
def test_clean_never_crashes_and_accounts_for_every_line(lines: list[str]) -> None:
    text = "\n".join(lines)
    article = clean_document(RawDocument("fuzz.txt", text))
    words_in = Counter(word for line in text.splitlines() for word in line.split())
    words_out = Counter(word for line in (*article.paragraphs, *article.removed) for word in line.split())
    assert words_in == words_out


_PAGE_LINES = [
    " date 2024-11-05 Officials said on Monday that the bridge would reopen next week after repairs.",
    "(MENAFN- Example) The council voted on Tuesday to extend the curfew for another two weeks.",
    "5 November, 2024 Tuesday",
    "18:39",
    "Read also:",
    "Cart: $0.00 - (0 items )",
    "client/title.list_title",
    "Sofia Polonska",
    "Military cooperation between Russia and the DPRK",
    "“We will see,” he said.",
    "U.S. attoin",
    "Loading…",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PAGE_LINES) | st.text(max_size=40), max_size=30))
def test_page_like_documents_lose_no_words(lines: list[str]) -> None:
    text = "\n".join(lines)
    articles, rejected = Clean(Options(on_error="raise"))([RawDocument("p.txt", text)])
    for article in articles:
        words_in = Counter(text.split())
        assert words_in == Counter(" ".join((*article.paragraphs, *article.removed)).split())
        assert article.published is None or article.published[:4].isdigit()
    assert len(articles) + len(rejected) == 1


NEWS_PAGE = """<!doctype html><html lang="en"><head>
<title>Harbour fire contained | Example News</title>
<meta property="og:title" content="Harbour fire contained after two days">
<meta property="og:site_name" content="Example News">
<meta name="author" content="Dana Reporter">
<meta property="article:published_time" content="2024-11-04T09:30:00+00:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/cart">Cart: $0.00</a></nav>
<article>
<h1>Harbour fire contained after two days</h1>
<p>Firefighters contained a blaze at the port of Odesa on Monday after two days of work, the regional
governor said, adding that no one had been hurt and that ships would return to the berths this week.</p>
<p>The fire began on Saturday in a warehouse holding grain and spread to two cranes before crews from
three districts brought it under control, according to the emergency service.</p>
<p>Officials said an inquiry into the cause would report within a month, and that damage to the port
was smaller than first feared because the main terminal had been closed for repairs.</p>
</article>
<footer><p>Subscribe to our newsletter</p><p>© 2024 Example News. All rights reserved.</p></footer>
</body></html>"""


def test_an_html_page_gives_its_body_and_metadata() -> None:
    article = clean_document(RawDocument("https://example.org/fire", NEWS_PAGE, format="html"))
    assert article.title == "Harbour fire contained after two days"
    assert article.outlet == "Example News"
    assert article.byline == "Dana Reporter"
    assert article.published is not None and article.published.startswith("2024-11-04")
    assert article.language == "en"
    assert len(article.paragraphs) == 3 and article.paragraphs[0].startswith("Firefighters contained")
    assert not any("newsletter" in p or "Cart" in p for p in article.paragraphs)
    assert any("Subscribe to our newsletter" in line for line in article.removed)
    assert article.title in article.removed or any(article.title in line for line in article.removed)


def test_an_html_page_with_no_article_is_rejected() -> None:
    articles, rejected = Clean()(
        [RawDocument("menu.html", "<html><body><nav>Home</nav></body></html>", "html")]
    )
    assert articles == [] and rejected[0].stage == "clean"


# ------------------------------------------------------- rules beyond the seeds

_BODY = "Officials in the capital said on Monday that the bridge would reopen next week after repairs."


def test_the_id_hashes_the_input_so_the_batch_does_not_change_it() -> None:
    promo = "Support independent journalism in Ukraine by becoming a member of our community today."
    docs = [
        RawDocument(
            f"{day}.txt",
            f"{_BODY.replace('Monday', day)}\n{_BODY.replace('capital', day)}\n{promo}",
            outlet="Example News",
        )
        for day in ("Monday", "Tuesday", "Wednesday")
    ]
    batch, _ = Clean()(docs)
    alone = [Clean()([document])[0][0] for document in docs]
    assert [a.paragraphs for a in batch] != [a.paragraphs for a in alone]  # the promo went in the batch
    assert [a.id for a in batch] == [a.id for a in alone]


def test_the_id_ignores_whitespace_only_differences() -> None:
    spaced = clean_document(RawDocument("w.txt", f"  {_BODY}\r\n\r\n{_BODY}  "))
    assert spaced.id == clean_document(RawDocument("w.txt", f"{_BODY}\n{_BODY}")).id


def test_short_lines_without_function_words_are_fragments_but_headings_stay() -> None:
    text = "\n".join([_BODY, "Kursk region attoin", _BODY, "Reaction from the Kremlin", _BODY])
    article = clean_document(RawDocument("f.txt", text))
    assert article.removed == ("Kursk region attoin",)
    assert "Reaction from the Kremlin" in article.paragraphs


@pytest.mark.parametrize(
    ("dateline", "published"),
    [
        ("Tuesday, Nov. 5, 2024", "2024-11-05"),
        ("Published: 2024-11-05 18:39", "2024-11-05T18:39"),
        ("Updated on 5 Sept 2024 at 9:05", "2024-09-05T09:05"),
        ("5 November, 2024 Tuesday", "2024-11-05"),
    ],
)
def test_dateline_forms(dateline: str, published: str) -> None:
    article = clean_document(
        RawDocument("d.txt", f"Bridge to reopen after long repairs\n{dateline}\n{_BODY}")
    )
    assert article.published == published
    assert dateline in article.removed and article.title == "Bridge to reopen after long repairs"


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("By Jane Roe and John O'Brien", "Jane Roe and John O'Brien"),
        ("Zoë Łukasiewicz", "Zoë Łukasiewicz"),
        ("John F. Kennedy", "John F. Kennedy"),
        ("Written by staff", None),
        ("INVESTING BOOKS", None),
    ],
)
def test_byline_forms(line: str, byline: str | None) -> None:
    article = clean_document(RawDocument("b.txt", f"Bridge to reopen after long repairs\n{line}\n{_BODY}"))
    assert article.byline == byline
    assert line in article.removed and article.title == "Bridge to reopen after long repairs"


def test_a_by_line_without_a_title_is_still_the_byline() -> None:
    article = clean_document(RawDocument("b.txt", f"By Jane Roe\n{_BODY}\n{_BODY}"))
    assert (article.title, article.byline, article.removed) == (None, "Jane Roe", ("By Jane Roe",))


def test_everything_from_003s_tag_line_down_is_chrome(
    seed_texts: dict[str, str], seed_articles: dict[str, Article]
) -> None:
    raw = next(text for name, text in seed_texts.items() if name.startswith("003"))
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    tail = lines[lines.index("Tags:") :]
    article = seed_articles["003"]
    assert len(tail) > 100 and article.removed[-len(tail) :] == tuple(tail)
    assert article.paragraphs[-1].startswith("During the Ukraine-Northern Europe summit")


def test_last_paragraphs_and_quotes_are_kept(seed_articles: dict[str, Article]) -> None:
    assert (
        seed_articles["001"]
        .paragraphs[-1]
        .startswith("As reported by Ukrinform earlier, UN Secretary-General")
    )
    assert seed_articles["002"].paragraphs[-1].startswith("The American newspaper The Wall Street Journal")
    assert seed_articles["004"].paragraphs[-1].startswith("President Zelensky has meanwhile")
    assert "At the same time, according to the sources, ‘there are no major clashes yet’." in (
        seed_articles["003"].paragraphs
    )


def test_a_time_stamped_listing_inside_the_text_is_chrome() -> None:
    listing = ["Latest news", "21:15", "Exclusive", "Ministers meet over grain corridor in Istanbul talks"]
    listing += ["21:00", "Floods close two border crossings with Moldova"]
    listing += ["20:40", "Blackout at the plant: dirty bomb risk for the whole region now?"]
    text = "\n".join([_BODY, *listing, "Reaction from the Kremlin", _BODY.replace("capital", "city")])
    article = clean_document(RawDocument("l.txt", text))
    assert article.removed == tuple(listing)
    assert article.paragraphs == (_BODY, "Reaction from the Kremlin", _BODY.replace("capital", "city"))


def test_a_live_blogs_entries_under_time_stamps_stay() -> None:
    entry = "Officials in the capital said the bridge would reopen next week after repairs to its deck and rails were done."
    text = "\n".join([_BODY, "09:10", entry, "09:40", entry.replace("next", "this"), "10:05", entry.upper()])
    article = clean_document(RawDocument("live.txt", text))
    assert article.removed == ("09:10", "09:40", "10:05")


def test_the_items_of_a_read_also_label_are_chrome() -> None:
    text = "\n".join(
        [
            _BODY,
            "Read also:",
            "Ministers meet over grain corridor in Istanbul talks",
            _BODY.replace("capital", "city"),
        ]
    )
    article = clean_document(RawDocument("r.txt", text))
    assert article.removed == ("Read also:", "Ministers meet over grain corridor in Istanbul talks")
    assert len(article.paragraphs) == 2


def test_copies_of_one_article_are_not_each_others_boilerplate() -> None:
    text = f"{_BODY}\n{_BODY.replace('capital', 'city')}\n{_BODY.replace('Monday', 'Friday')}"
    same = [RawDocument(f"mirror{i}.txt", text, outlet="Example News") for i in range(3)]
    edited = [
        RawDocument(f"e{i}.txt", f"{text}\nUpdated {i} times.", outlet="Example News") for i in range(3)
    ]
    for batch in (same, edited, [same[0]] * 3):
        articles, rejected = Clean()(batch)
        assert rejected == [] and all(len(a.paragraphs) >= 3 for a in articles)
