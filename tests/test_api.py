"""The HTTP API on the seeds: every endpoint, and one JSON error shape for every error."""

from __future__ import annotations

import dataclasses
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newsweave.api import create_app
from newsweave.api.cache import ResponseCache
from newsweave.cli import main
from newsweave.errors import NotFoundError, StoreError
from newsweave.export import validate
from newsweave.model import Dossier, StoryMerge
from newsweave.store import Store

TOKEN = "test-token-4f1c"


@pytest.fixture(scope="module")
def client(seed_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(seed_db, token=TOKEN)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def story_id(seed_dossier: Dossier) -> str:
    return max(seed_dossier.stories, key=lambda s: len(s.article_ids)).id


@pytest.fixture(scope="module")
def story(client: TestClient, seed_dossier: Dossier) -> dict[str, Any]:
    """The detail of the seeds' largest story."""
    largest = max(seed_dossier.stories, key=lambda s: len(s.article_ids))
    response = client.get(f"/api/stories/{largest.id}")
    assert response.status_code == 200
    return dict(response.json())


def assert_error(response: httpx2.Response, status: int, code: str, field: str | None = None) -> str:
    """The response is the one error shape with this status and code; returns its message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"]
    error = body["error"]
    assert set(error) <= {"code", "message", "field"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert error.get("field") == field
    return str(error["message"])


# ---------------------------------------------------------------- the app factory


def test_missing_database_is_a_clear_not_found_error(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"no such database.*newsweave run"):
        create_app(tmp_path / "absent.db")


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        create_app(junk)


def test_app_keeps_the_database_path(seed_db: Path) -> None:
    assert create_app(seed_db).state.db_path == str(seed_db)


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/stories/{story_id}/dossier",
        "/api/articles/{article_id}",
        "/api/articles",
        "/api/claims/{claim_id}",
        "/api/entities",
        "/api/entities/{entity_id}",
        "/api/search",
    ):
        assert path in paths
    assert "post" in paths["/api/articles"]


# ---------------------------------------------------------------------- stories


def test_story_list_has_the_seed_story_with_its_counts(client: TestClient, seed_dossier: Dossier) -> None:
    body = client.get("/api/stories").json()
    assert body["total"] == len(seed_dossier.stories)
    largest = max(seed_dossier.stories, key=lambda s: len(s.article_ids))
    item = next(i for i in body["items"] if i["id"] == largest.id)
    assert item["title"] == largest.title
    assert item["article_count"] == len(largest.article_ids)
    outlets = {a.outlet for a in seed_dossier.articles if a.id in largest.article_ids and a.outlet}
    assert item["outlets"] == len(outlets)
    claims = [c for c in seed_dossier.claims if c.story_id == largest.id]
    assert item["independent_sources"] == max(c.independent_sources for c in claims)


def test_story_list_pages(client: TestClient) -> None:
    first = client.get("/api/stories", params={"limit": 1}).json()
    assert len(first["items"]) == 1 and first["limit"] == 1 and first["offset"] == 0
    assert first["next_offset"] == (1 if first["total"] > 1 else None)
    beyond = client.get("/api/stories", params={"offset": first["total"]}).json()
    assert beyond["items"] == [] and beyond["next_offset"] is None


def test_story_list_filters_by_dates_it_overlaps(client: TestClient, story: dict[str, Any]) -> None:
    first, last = story["story"]["first_date"][:10], story["story"]["last_date"][:10]
    ids = lambda params: {i["id"] for i in client.get("/api/stories", params=params).json()["items"]}  # noqa: E731
    sid = story["story"]["id"]
    assert sid in ids({"from": last, "to": last})
    assert sid in ids({"from": "1990-01-01", "to": first})
    assert sid not in ids({"from": "2099-01-01"})
    assert sid not in ids({"to": "1990-01-01"})
    assert not ids({"from": last, "to": first}) or first == last  # an empty range overlaps nothing


def test_story_list_filters_by_entity_and_words(client: TestClient, story: dict[str, Any]) -> None:
    sid = story["story"]["id"]
    entity = client.get("/api/entities", params={"q": "Umerov"}).json()["items"][0]
    assert [i["id"] for i in client.get("/api/stories", params={"entity": entity["id"]}).json()["items"]] == [
        sid
    ]
    assert sid in {i["id"] for i in client.get("/api/stories", params={"q": "Kursk"}).json()["items"]}
    assert client.get("/api/stories", params={"q": "zzyzxquux"}).json()["total"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 101}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"from": "5 November"}, "from"),
        ({"from": "2024-02-30"}, "from"),
        ({"q": "?!"}, "q"),
        ({"q": ""}, "q"),
    ],
)
def test_bad_story_list_parameters_are_422_naming_the_field(
    client: TestClient, params: dict[str, Any], field: str
) -> None:
    message = assert_error(client.get("/api/stories", params=params), 422, "validation_error", field)
    assert field in message


def test_unknown_entity_filter_is_404(client: TestClient) -> None:
    assert_error(client.get("/api/stories", params={"entity": "e-nobody"}), 404, "not_found")


def test_story_detail_has_brief_timeline_claims_discrepancies_articles(
    story: dict[str, Any], seed_dossier: Dossier
) -> None:
    sid = story["story"]["id"]
    assert story["brief"] and all(b["story_id"] == sid for b in story["brief"])
    assert story["timeline"] and all(t["story_id"] == sid for t in story["timeline"])
    assert story["claims"] and all(c["story_id"] == sid for c in story["claims"])
    assert {c["id"] for c in story["claims"]} == {c.id for c in seed_dossier.claims if c.story_id == sid}
    assert len(story["discrepancies"]) == sum(1 for d in seed_dossier.discrepancies if d.story_id == sid)
    assert {a["id"] for a in story["articles"]} == set(story["story"]["article_ids"])
    relays = {(r.article, r.source) for r in seed_dossier.relays}
    shown = {(a["id"], r["source"]) for a in story["articles"] for r in a["relays"]}
    assert shown == {pair for pair in relays if pair[0] in set(story["story"]["article_ids"])}
    assert "paragraphs" not in story["articles"][0]  # the list is light; the article endpoint has the text


def test_unknown_story_is_404_without_the_server_path(client: TestClient, seed_db: Path) -> None:
    message = assert_error(client.get("/api/stories/s-nothing"), 404, "not_found")
    assert "s-nothing" in message and str(seed_db) not in message


# ------------------------------------------------------------ articles, claims


def test_article_has_text_removed_lines_and_what_was_found(client: TestClient, seed_dossier: Dossier) -> None:
    article = max(seed_dossier.articles, key=lambda a: len(a.removed))
    body = client.get(f"/api/articles/{article.id}").json()
    assert body["text"] == article.text
    assert body["removed"] == list(article.removed) and body["removed"]
    assert body["story_id"] == seed_dossier.story_of()[article.id]
    assert body["mentions"] and all(
        body["text"][m["start"] : m["end"]] == m["text"] for m in body["mentions"]
    )
    assert all(body["text"][q["start"] : q["end"]] == q["text"] for q in body["quotes"])
    assert len(body["quotes"]) == sum(1 for q in seed_dossier.quotes if q.article == article.id)
    reuse = [r for r in seed_dossier.reuse if article.id in (r.a, r.b)]
    assert len(body["reuse"]) == len(reuse)
    assert {e["name"] for e in body["entities"]} >= {"Rustem Umyerov"} or body["entities"]


def test_article_reuse_spans_index_both_texts(client: TestClient, seed_dossier: Dossier) -> None:
    reuse = next(r for r in seed_dossier.reuse if r.kind == "shared_passage" or r.a_end > r.a_start)
    a = client.get(f"/api/articles/{reuse.a}").json()
    spans = [r for r in a["reuse"] if r["a"] == reuse.a and r["b"] == reuse.b]
    assert spans
    assert seed_dossier.article(reuse.a).text[spans[0]["a_start"] : spans[0]["a_end"]]


def test_unknown_article_is_404(client: TestClient) -> None:
    assert_error(client.get("/api/articles/a-nothing"), 404, "not_found")


def test_claim_is_the_stored_claim(client: TestClient, story: dict[str, Any]) -> None:
    claim = story["claims"][0]
    assert client.get(f"/api/claims/{claim['id']}").json() == claim
    assert claim["support"] and claim["independent_sources"] >= 1


def test_unknown_claim_is_404(client: TestClient) -> None:
    assert_error(client.get("/api/claims/c-nothing"), 404, "not_found")


# ----------------------------------------------------------- entities, search


def test_entity_search_finds_both_spellings_as_one_entity(client: TestClient) -> None:
    found = [client.get("/api/entities", params={"q": q}).json()["items"] for q in ("Umyerov", "umerov")]
    assert [e["id"] for e in found[0]] == [e["id"] for e in found[1]]
    assert len(found[0]) == 1 and found[0][0]["type"] == "PERSON"


def test_entity_detail_has_aliases_mentions_and_stories(client: TestClient, story: dict[str, Any]) -> None:
    entity = client.get("/api/entities", params={"q": "Umerov"}).json()["items"][0]
    body = client.get(f"/api/entities/{entity['id']}").json()
    assert body["entity"]["aliases"] == entity["aliases"]
    assert len(body["entity"]["mentions"]) == entity["mention_count"]
    assert body["story_ids"] == [story["story"]["id"]]


def test_entities_need_a_query(client: TestClient) -> None:
    assert_error(client.get("/api/entities"), 422, "validation_error", "q")


def test_unknown_entity_is_404(client: TestClient) -> None:
    assert_error(client.get("/api/entities/e-nothing"), 404, "not_found")


def test_search_finds_every_spelling_of_a_name(client: TestClient, seed_dossier: Dossier) -> None:
    results = [client.get("/api/search", params={"q": q}).json() for q in ("Umyerov", "Umerov")]
    ids = [{a["id"] for a in r["articles"]} for r in results]
    assert ids[0] == ids[1]
    spelled = {
        a.id
        for a in seed_dossier.articles
        if "Umerov" in a.text or "Umyerov" in a.text or "Umerov" in (a.title or "")
    }
    assert ids[0] == spelled
    assert {"Umerov", "Umyerov"} <= {w for t in results[0]["terms"] for w in t.split()}
    assert results[0]["entities"][0]["name"] == results[1]["entities"][0]["name"]


def test_search_snippets_show_the_words(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "Kursk", "limit": 2}).json()
    assert len(body["articles"]) == 2 and body["total"] >= 2
    assert all("Kursk" in a["snippet"] for a in body["articles"])


def test_search_treats_query_syntax_as_words(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": 'Kursk" OR NEAR(('}).json()
    assert "articles" in body  # not a 500 and not an FTS5 syntax error


def test_search_without_words_is_422(client: TestClient) -> None:
    assert_error(client.get("/api/search", params={"q": "()"}), 422, "validation_error", "q")
    assert_error(client.get("/api/search"), 422, "validation_error", "q")


# ---------------------------------------------------------------------- dossier


def test_dossier_json_is_valid_and_of_one_story(client: TestClient, story: dict[str, Any]) -> None:
    response = client.get(f"/api/stories/{story['story']['id']}/dossier")
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    validate(data)
    assert [s["id"] for s in data["stories"]] == [story["story"]["id"]]


@pytest.mark.parametrize(("fmt", "media"), [("md", "text/markdown"), ("html", "text/html")])
def test_dossier_md_and_html(client: TestClient, story: dict[str, Any], fmt: str, media: str) -> None:
    response = client.get(f"/api/stories/{story['story']['id']}/dossier", params={"format": fmt})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert story["brief"][0]["text"][:40] in response.text.replace("\\", "")


def test_dossier_format_is_checked(client: TestClient, story: dict[str, Any]) -> None:
    response = client.get(f"/api/stories/{story['story']['id']}/dossier", params={"format": "pdf"})
    assert_error(response, 422, "validation_error", "format")
    assert_error(client.get("/api/stories/s-nothing/dossier"), 404, "not_found")


# ----------------------------------------------------------------------- writes

ARTICLE = {
    "title": "Umerov meets allies in Brussels",
    "text": (
        "BRUSSELS, November 7 (Newswire) - Ukrainian Defence Minister Rustem Umerov met NATO defence "
        "ministers in Brussels on Thursday to ask for more air defence systems.\n\n"
        "Umerov said Ukraine needed at least 20 more systems before winter, according to two officials "
        "present at the meeting. The ministers did not announce new deliveries."
    ),
    "url": "https://example.org/umerov-brussels",
    "published": "2024-11-07",
    "outlet": "Newswire",
}


@pytest.fixture()
def writable(tmp_path: Path, seed_db: Path) -> Iterator[TestClient]:
    copy = tmp_path / "copy.db"
    shutil.copy(seed_db, copy)
    with TestClient(create_app(copy, token=TOKEN)) as test_client:
        yield test_client


def test_a_merged_story_id_gives_the_story_it_went_into(writable: TestClient, story_id: str) -> None:
    with Store(writable.app.state.db_path) as store:  # type: ignore[attr-defined]
        store.add_redirects([StoryMerge("s-merged-away", story_id, None, None)])
    assert writable.get("/api/stories/s-merged-away").json()["story"]["id"] == story_id
    dossier = writable.get("/api/stories/s-merged-away/dossier").json()
    assert [s["id"] for s in dossier["stories"]] == [story_id]


def test_writes_are_disabled_without_a_token(seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSWEAVE_TOKEN", raising=False)
    with TestClient(create_app(seed_db)) as test_client:
        response = test_client.post("/api/articles", json=ARTICLE, headers={"Authorization": "Bearer x"})
    assert_error(response, 403, "writes_disabled")


def test_token_comes_from_the_environment(seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWEAVE_TOKEN", "from-env")
    assert create_app(seed_db).state.token == "from-env"


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", "Bearer"])
def test_writes_need_the_token(client: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.post("/api/articles", json=ARTICLE, headers=headers)
    assert_error(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"


def test_posted_article_is_ingested_and_readable(writable: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = writable.get("/api/search", params={"q": "Brussels air defence"}).json()["total"]
    response = writable.post("/api/articles", json=ARTICLE, headers=auth)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["received"] == 1 and body["new_articles"] == 1 and len(body["article_ids"]) == 1
    article = writable.get(f"/api/articles/{body['article_ids'][0]}").json()
    assert article["article"]["title"] == ARTICLE["title"] and article["article"]["outlet"] == "Newswire"
    assert article["mentions"] and article["story_id"]
    after = writable.get("/api/search", params={"q": "Brussels air defence"}).json()["total"]
    assert after == before + 1
    again = writable.post("/api/articles", json=[ARTICLE], headers=auth).json()
    assert again["new_articles"] == 0 and again["article_ids"] == body["article_ids"]


def test_a_repeated_get_is_answered_from_the_cache(seed_db: Path, story_id: str) -> None:
    app = create_app(seed_db)
    with TestClient(app) as test_client:
        first = test_client.get(f"/api/stories/{story_id}")
        kept = len(app.state.response_cache)
        again = test_client.get(f"/api/stories/{story_id}")
        test_client.get("/api/stories/s-nothing")  # errors are not kept
        test_client.get(f"/api/stories/{story_id}", headers={"Authorization": "Bearer x"})
    assert kept == 1 and len(app.state.response_cache) == 1
    assert again.content == first.content and again.headers["content-type"] == first.headers["content-type"]


def test_the_cache_is_bounded() -> None:
    cache = ResponseCache("/nonexistent.db", max_entries=2)
    for n in range(3):
        cache.put(("/p", str(n)), (200, [], b"x" * n))
    assert cache.get(("/p", "0")) is None and cache.get(("/p", "2")) is not None
    assert len(cache) == 2


def test_answers_follow_a_write_by_another_process(writable: TestClient, seed_dossier: Dossier) -> None:
    story = max(seed_dossier.stories, key=lambda s: len(s.article_ids))
    before = writable.get(f"/api/stories/{story.id}").json()
    assert writable.get(f"/api/stories/{story.id}").json() == before  # answered again, unchanged
    kept = tuple(
        c for c in seed_dossier.claims if c.story_id != story.id or c.id != before["claims"][0]["id"]
    )
    with Store(writable.app.state.db_path) as store:  # type: ignore[attr-defined]
        store.save(dataclasses.replace(seed_dossier, claims=kept))
    after = writable.get(f"/api/stories/{story.id}").json()
    assert len(after["claims"]) == len(before["claims"]) - 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ([], "body"),
        ({"title": "no text"}, "body.text"),
        ({**ARTICLE, "text": ""}, "body.text"),
        ({**ARTICLE, "colour": "red"}, "body.colour"),
    ],
)
def test_bad_article_bodies_are_422(client: TestClient, payload: Any, field: str) -> None:
    response = client.post("/api/articles", json=payload, headers={"Authorization": f"Bearer {TOKEN}"})
    assert_error(response, 422, "validation_error", field)


# ------------------------------------------------------------------ every error


def test_unknown_api_path_is_a_json_404(client: TestClient) -> None:
    message = assert_error(client.get("/api/no-such-thing"), 404, "not_found")
    assert "/api/no-such-thing" in message


def test_wrong_method_is_405_in_the_same_shape(client: TestClient) -> None:
    assert_error(client.delete("/api/stories"), 405, "method_not_allowed")


def test_unknown_page_is_an_escaped_html_404(client: TestClient) -> None:
    response = client.get("/<script>alert(1)</script>")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>alert(1)" not in response.text and "&lt;script&gt;" in response.text


def test_a_crash_is_a_500_in_the_same_shape_that_hides_the_cause(seed_db: Path) -> None:
    app = create_app(seed_db)

    def crash() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    app.add_api_route("/api/crash", crash)
    app.add_api_route("/crash", crash)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        message = assert_error(test_client.get("/api/crash"), 500, "internal_error")
        page = test_client.get("/crash")
    assert "secret" not in message
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "secret" not in page.text


# ------------------------------------------------------------- newsweave serve


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_on_loopback(seed_db: Path) -> None:
    port = _free_port()
    command = [sys.executable, "-m", "newsweave.cli", "serve", "--db", str(seed_db), "--port", str(port)]
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as server:
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    response = httpx2.get(f"http://127.0.0.1:{port}/api/stories", timeout=2)
                    break
                except httpx2.TransportError:
                    assert server.poll() is None, server.communicate()[1].decode()
                    assert time.monotonic() < deadline, "server did not start in 60 s"
                    time.sleep(0.2)
            assert response.status_code == 200 and response.json()["total"] >= 1
        finally:
            server.terminate()
            server.communicate(timeout=20)


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "absent.db")])
    assert result.exit_code == 1
    assert "no such database" in result.output
