"""The web pages on the real seeds (TestClient over the API's app), and hostile article text escaped everywhere."""

from __future__ import annotations

import dataclasses
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

import newsweave
from newsweave.api import create_app
from newsweave.model import Article, Dossier, Entity, Mention, Relay, TimelineEntry
from newsweave.resolve import fold
from newsweave.store import Store
from newsweave.web import STATIC_DIR, TEMPLATES_DIR, svg, views

#: Article text that would run script, break out of an attribute or a textarea if not escaped.
HOSTILE = '<script>alert("pwned")</script> it\'s "quoted" </textarea><img src=x onerror=alert(1)>'
#: What must never reach a page raw.
RAW_MARKERS = ("<script>alert", "</textarea><img", "<img src=x", '"quoted" </textarea>')


@pytest.fixture(scope="module")
def client(seed_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(seed_db)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def stored(seed_db: Path) -> Dossier:
    return newsweave.load(seed_db)


def text_of(page: str) -> str:
    """A page's visible text, tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def e(text: str) -> str:
    """Text as the templates write it."""
    return str(escape(text))


# ------------------------------------------------------------------ pages


def test_story_list_shows_each_story_with_counts(client: TestClient, stored: Dossier) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'name="q"' in page.text  # the search box
    for story in stored.stories:
        assert f'href="/stories/{story.id}"' in page.text
        best = max(c.independent_sources for c in stored.claims if c.story_id == story.id)
        row = text_of(page.text.split(f'href="/stories/{story.id}"')[1].split("</tr>")[0])
        assert story.title in row
        assert views.date_range(story.first_date, story.last_date) in row
        outlets = {a.outlet for a in stored.articles if a.id in story.article_ids and a.outlet}
        assert row.endswith(f"{len(story.article_ids)} {len(outlets)} {best}")


def test_story_page_shows_brief_with_citations_and_their_sentences(
    client: TestClient, stored: Dossier
) -> None:
    story = stored.stories[0]
    page = client.get(f"/stories/{story.id}").text
    brief = [b for b in stored.brief if b.story_id == story.id]
    assert brief
    texts = {a.id: a.text for a in stored.articles}
    for b in brief:
        assert e(b.text) in page
    first = page.split('<li class="brief-sentence')[1].split("</li>")[0]
    buttons = re.findall(
        r'<button type="button" class="cite" aria-expanded="false" aria-controls="(ev-1-\d+)"', first
    )
    assert len(buttons) == len(set(brief[0].article_ids))
    for panel_id in buttons:
        panel = first.split(f'id="{panel_id}"')[1].split("</div>")[0]
        assert panel.startswith(" hidden>")
        article_id = re.search(r'href="/articles/(\w+)\?mark=', panel)
        assert article_id, panel
        sentences = re.findall(r'<blockquote class="support">(.*?) <a class="jump"', panel)
        assert sentences
        for sentence in sentences:
            assert html.unescape(sentence) in texts[article_id.group(1)]


def test_story_page_has_timeline_svg_claims_discrepancies_and_relays(
    client: TestClient, stored: Dossier
) -> None:
    story = stored.stories[0]
    page = client.get(f"/stories/{story.id}").text
    dated = [t for t in stored.timeline if t.story_id == story.id]
    timeline = page.split('<section id="timeline">')[1].split("</section>")[0]
    assert timeline.count('<g class="entry">') == len(dated)
    ET.fromstring(re.search(r"<svg.*?</svg>", timeline, re.S).group(0))  # type: ignore[union-attr]
    claims = [c for c in stored.claims if c.story_id == story.id]
    assert page.count('<tr id="claim-') == len(claims)
    best = max(claims, key=lambda c: c.independent_sources)
    row = page.split(f'<tr id="claim-{best.id}">')[1].split("</tr>")[0]
    assert f">{best.independent_sources}</span>" in row
    members = [a for a in stored.articles if a.id in story.article_ids]
    number = {a.id: n for n, a in enumerate(members, 1)}
    for claim in claims:  # an article standing as its own origin shows as its citation label
        row = page.split(f'<tr id="claim-{claim.id}">')[1].split("</tr>")[0]
        for origin in claim.origins:
            n = number.get(origin)
            label = f"[{n}] {views.article_label(members[n - 1])}" if n else origin
            assert f'<span class="origin">{e(label)}</span>' in row
    section = text_of(page.split('<section id="discrepancies">')[1].split("</section>")[0])
    for d in (d for d in stored.discrepancies if d.story_id == story.id):
        assert d.subject in section
        for v in d.values:
            assert views.figure(v.value, v.qualifier) in section
    articles = text_of(page.split('<section id="articles">')[1].split("</section>")[0])
    relayed = {r.source for r in stored.relays}
    assert "Financial Times" in " ".join(relayed)
    assert re.search(r"relays Financial Times", articles)
    assert 'class="relay-svg"' in page


def test_article_page_highlights_entities_dates_quotes_and_copies(
    client: TestClient, stored: Dossier
) -> None:
    copied = {r.a for r in stored.reuse} | {r.b for r in stored.reuse}
    article = next(a for a in stored.articles if a.id in copied)
    page = client.get(f"/articles/{article.id}").text
    body = page.split('<article class="clean-text">')[1].split("</article>")[0]
    assert html.unescape(re.sub(r"<[^>]+>", "", body)) == article.text  # offsets index this text
    names = [m for ent in stored.entities for m in ent.mentions if m.article == article.id]
    assert names
    for m in names:  # each mention starts a piece drawn as an entity
        assert re.search(rf'<span id="at-{m.start}"></span><span class="[^"]*\bentity\b', body), m
    dates = [d for d in stored.dates if d.article == article.id and d.value]
    assert dates and f'title="date: {dates[0].value}' in body
    assert 'class="copied' in body or " copied" in body
    if any(q.article == article.id for q in stored.quotes):
        assert "quote" in body
    assert f"Removed chrome ({len(article.removed)} lines)" in page
    for line in article.removed:
        assert f"<li>{e(line)}</li>" in page


def test_article_page_marks_a_cited_sentence(client: TestClient, stored: Dossier) -> None:
    claim = stored.claims[0]
    support = claim.support[0]
    page = client.get(f"/articles/{support.article}?mark={support.start}-{support.end}").text
    marked = re.findall(r'<span class="[^"]*\btarget\b[^"]*"[^>]*>(.*?)</span>', page)
    assert html.unescape("".join(re.sub(r"<[^>]+>", "", m) for m in marked)) == support.text


def test_entity_page_lists_aliases_stories_and_mentions(client: TestClient, stored: Dossier) -> None:
    entity = max(stored.entities, key=lambda x: (len(x.aliases), len(x.mentions)))
    page = client.get(f"/entities/{entity.id}").text
    for alias in entity.aliases:
        assert f'<li class="alias">{e(alias)}</li>' in page
    assert f'href="/stories/{stored.stories[0].id}"' in page
    assert page.count("<mark>") == len(entity.mentions)


@pytest.mark.parametrize("spelling", ["Umerov", "Umyerov"])
def test_search_finds_both_spellings_as_one_entity(
    client: TestClient, stored: Dossier, spelling: str
) -> None:
    wanted = [
        x for x in stored.entities if x.type == "PERSON" and any("umerov" in fold(a) for a in x.aliases)
    ]
    assert len(wanted) == 1  # the resolve stage made the variants one entity
    page = client.get("/search", params={"q": spelling}).text
    hits = page.split('id="entity-results"')[1].split("</section>")[0]
    people = re.findall(
        r'<li class="entity-hit"><a href="/entities/(\w+)">.*?</a> <span class="tag PERSON">', hits
    )
    assert people == [wanted[0].id]
    assert f'href="/stories/{stored.stories[0].id}"' in page


def test_search_finds_articles_by_words_and_shrugs_at_fts_syntax(client: TestClient, stored: Dossier) -> None:
    page = client.get("/search", params={"q": "Buryat battalion"}).text
    found = re.findall(r'href="/articles/(\w+)"', page.split('id="article-results"')[1])
    assert found and all(
        "Buryat battalion" in next(a.text for a in stored.articles if a.id == i) for i in found
    )
    assert client.get("/search", params={"q": 'NEAR( "unbalanced * OR'}).status_code == 200


def test_unknown_ids_and_bad_parameters_give_escaped_html_errors(client: TestClient) -> None:
    for path in ("/stories/nope", "/articles/nope", "/entities/nope"):
        page = client.get(path)
        assert page.status_code == 404 and "text/html" in page.headers["content-type"]
        assert "nope" in page.text
    page = client.get("/stories/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert page.status_code == 404 and "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    assert client.get("/?page=0").status_code == 422


def test_pages_load_nothing_from_elsewhere(client: TestClient, stored: Dossier) -> None:
    pages = ["/", f"/stories/{stored.stories[0].id}", f"/articles/{stored.articles[0].id}", "/search?q=Kursk"]
    for path in pages:
        response = client.get(path)
        assert "default-src 'none'" in response.headers["content-security-policy"]
        for url in re.findall(r'(?:src|href|action)="([^"]*)"', response.text):
            assert url.startswith(("/", "#")), (path, url)
    for asset in ("/static/style.css", "/static/app.js"):
        response = client.get(asset)
        assert response.status_code == 200 and "http" not in response.text
    files = [*TEMPLATES_DIR.glob("*.html"), *STATIC_DIR.iterdir()]
    svg_namespace = "http://www.w3.org/2000/svg"  # a name, never fetched
    assert not [
        f for f in files if re.search(r"https?://", f.read_text(encoding="utf-8").replace(svg_namespace, ""))
    ]
    assert not [f for f in TEMPLATES_DIR.glob("*.html") if "|safe" in f.read_text(encoding="utf-8")]


# ------------------------------------------------------------ hostile text


def hostile_dossier(dossier: Dossier) -> Dossier:
    """The seed dossier with hostile text in every article-derived field the pages show."""
    first = dossier.articles[0]
    body = (*first.paragraphs, HOSTILE)
    start = len(first.text) + 2
    article = dataclasses.replace(
        first, title=HOSTILE, outlet=HOSTILE, byline=HOSTILE, paragraphs=body, removed=(HOSTILE,)
    )
    mention = Mention(first.id, start, start + len(HOSTILE), HOSTILE, "PERSON")
    entity = Entity("ehostile", HOSTILE, "PERSON", (HOSTILE, "Umerov"), (mention,))
    story = dataclasses.replace(dossier.stories[0], title=HOSTILE)
    claim = dataclasses.replace(dossier.claims[0], text=HOSTILE, origins=(HOSTILE,), attributed_to=(HOSTILE,))
    entry = TimelineEntry(story.id, "2024-11-04", None, HOSTILE, (claim.id,), (first.id,))
    brief = dataclasses.replace(dossier.brief[0], text=HOSTILE)
    relay = Relay(first.id, HOSTILE, HOSTILE, start, start + 5, None)
    discrepancy = dossier.discrepancies[0]
    value = dataclasses.replace(discrepancy.values[0], sources=(HOSTILE,))
    discrepancy = dataclasses.replace(discrepancy, subject=HOSTILE, values=(value, *discrepancy.values[1:]))
    return dataclasses.replace(
        dossier,
        articles=(article, *dossier.articles[1:]),
        entities=(*dossier.entities, entity),
        stories=(story, *dossier.stories[1:]),
        claims=(claim, *dossier.claims[1:]),
        timeline=(entry, *dossier.timeline),
        brief=(brief, *dossier.brief[1:]),
        relays=(relay, *dossier.relays),
        discrepancies=(discrepancy, *dossier.discrepancies[1:]),
    )


@pytest.fixture(scope="module")
def hostile(
    tmp_path_factory: pytest.TempPathFactory, stored: Dossier
) -> Iterator[tuple[TestClient, Dossier]]:
    dossier = hostile_dossier(stored)
    db = tmp_path_factory.mktemp("hostile") / "hostile.db"
    with Store(db) as store:
        store.save(dossier)
    with TestClient(create_app(db)) as test_client:
        yield test_client, dossier


def test_hostile_text_is_escaped_on_every_page(hostile: tuple[TestClient, Dossier]) -> None:
    client, dossier = hostile
    story, article = dossier.stories[0], dossier.articles[0]
    pages = {
        "list": "/",
        "story": f"/stories/{story.id}",
        "article": f"/articles/{article.id}",
        "entity": "/entities/ehostile",
        "search": "/search?q=" + HOSTILE.replace("&", "%26").replace("#", "%23"),
        "search-alias": "/search?q=Umerov",
    }
    for name, path in pages.items():
        page = client.get(path)
        assert page.status_code == 200, name
        for marker in RAW_MARKERS:
            assert marker not in page.text, (name, marker)
        assert e(HOSTILE) in page.text or name == "search", name
        assert "&lt;script&gt;alert(" in page.text, name
    story_page = client.get(pages["story"]).text
    for section in ("brief", "timeline", "claims", "discrepancies", "articles"):
        part = story_page.split(f'<section id="{section}">')[1].split("</section>")[0]
        assert "&lt;script&gt;" in part, section
        assert "<script>" not in part, section
    for picture in re.findall(r"<svg.*?</svg>", story_page, re.S):
        ET.fromstring(picture)  # hostile names keep the SVG well formed


# ----------------------------------------------------------------- pieces


def test_segments_cut_nested_and_crossing_spans_without_losing_text() -> None:
    text = 'Umerov said "the clash was localized" on Tuesday.'
    quote, copied, day = text.index('"the'), text.index("localized"), text.index("Tuesday")
    spans = [
        views._Span(0, 6, "entity PERSON", "PERSON: Rustem Umerov", "/entities/e1"),
        views._Span(quote, copied + len("localized"), "quote", "quote: Umerov"),
        views._Span(copied, len(text) - 1, "copied", "shared passage"),
        views._Span(day, day + len("Tuesday"), "date", "date: 2024-11-05"),
        views._Span(day, 99, "date", "out of range"),
    ]
    pieces = views.segments(text, spans)
    assert "".join(p.text for p in pieces) == text
    by_text = {p.text: p for p in pieces}
    assert by_text["Umerov"].href == "/entities/e1"
    assert by_text["localized"].classes.split() == ["copied", "quote"]
    assert by_text["Tuesday"].classes.split() == ["copied", "date"]
    assert not any("out of range" in p.title for p in pieces)


def test_parse_extent_covers_each_grain() -> None:
    assert svg.parse_extent("2024") == (svg.dt.date(2024, 1, 1), svg.dt.date(2024, 12, 31))
    assert svg.parse_extent("2024-02") == (svg.dt.date(2024, 2, 1), svg.dt.date(2024, 2, 29))
    assert svg.parse_extent("2024-12") == (svg.dt.date(2024, 12, 1), svg.dt.date(2024, 12, 31))
    assert svg.parse_extent("2024-11-05T18:39") == (svg.dt.date(2024, 11, 5),) * 2
    assert svg.parse_extent("soon") is None


def test_timeline_svg_draws_intervals_as_bars_and_escapes_text() -> None:
    entries = [
        TimelineEntry("s", "2024-10-08", "2024-10-13", "Ships <b>sailed</b> & docked", (), ()),
        TimelineEntry("s", "2024-11-04", None, HOSTILE, (), ()),
        TimelineEntry("s", "not a date", None, "dropped", (), ()),
    ]
    picture = str(svg.timeline_svg(entries))
    root = ET.fromstring(picture)
    assert len(root.findall("{http://www.w3.org/2000/svg}g")) == 2
    assert picture.count('<rect class="span"') == 1 and picture.count('<circle class="point"') == 1
    assert "2024-10-08 – 13" in picture and "dropped" not in picture
    assert "<b>" not in picture and "&lt;script&gt;" in picture
    assert str(svg.timeline_svg([])) == ""


def test_relay_graph_joins_spellings_of_one_source() -> None:
    a = Article("a1", "x.txt", "Kyiv Independent", None, None, None, False, "en", ("t",), ())
    b = Article("a2", "y.txt", None, "Second", None, None, False, "en", ("t",), ())
    relays = [
        Relay("a1", "Financial Times", "citing the Financial Times", 0, 1, "eft"),
        Relay("a2", "FT", "told the FT", 0, 1, "eft"),
        Relay("a2", "sources", "sources said", 0, 1, None),
    ]
    picture = str(svg.relay_graph_svg([a, b], {"a1": 1, "a2": 2}, relays))
    ET.fromstring(picture)
    assert picture.count('class="node source"') == 2
    assert picture.count('class="edge"') == 3
    assert "Financial Times (2)" in picture and 'href="/entities/eft"' in picture
    assert str(svg.relay_graph_svg([a], {"a1": 1}, [])) == ""


def test_fts_query_quotes_every_word() -> None:
    assert views.fts_query('Kursk "region" OR') == '"Kursk" """region""" "OR"'
    assert views.fts_query('  " ') == ""


def test_a_bare_story_renders_with_empty_sections(tmp_path: Path) -> None:
    """A story with one article and nothing derived yet (no claims, brief, timeline, entities)."""
    article = Article("abare", "bare.txt", None, None, None, None, False, None, ("One line.",), ())
    story = newsweave.Story("sbare", "One line.", ("abare",), None, None)
    db = tmp_path / "bare.db"
    with Store(db) as store:
        store.save(Dossier(articles=(article,), stories=(story,)))
    with TestClient(create_app(db)) as client:
        page = client.get("/stories/sbare")
        assert page.status_code == 200
        assert "No brief for this story." in page.text and "No dated events." in page.text
        assert "<svg" not in page.text.split('<section id="articles">')[1]  # no relays, no graph
        assert text_of(client.get("/").text).count("undated") == 1
        article_page = client.get("/articles/abare")
        assert article_page.status_code == 200 and "Nothing was removed." in article_page.text
