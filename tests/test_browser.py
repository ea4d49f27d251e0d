"""The web pages in a real browser: Debian's Chromium driven by Playwright against `newsweave serve` on the seeds.

The browser is the distribution's (``scripts/install-browser.sh``, run by ``make
test``), launched from ``/usr/bin/chromium``; Playwright never downloads one.
A screenshot of the story page is saved to ``build/artifacts/story.png``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import newsweave
from newsweave.model import Dossier
from newsweave.store import Store
from test_web import HOSTILE, hostile_dossier

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "build" / "artifacts"
#: Seconds to wait for `newsweave serve` to answer (it loads the store, not spaCy; a loaded
#: 2-core machine took about 3 s).
SERVER_START_TIMEOUT = 60

if not CHROMIUM.is_file():
    pytest.skip(
        f"{CHROMIUM} not found: run scripts/install-browser.sh (apt-get install chromium) for the browser tests",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is a dev extra: pip install -e '.[dev]'"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve_command(db: Path, port: int) -> list[str]:
    script = Path(sys.executable).with_name("newsweave")
    base = [str(script)] if script.is_file() else [sys.executable, "-m", "newsweave.cli"]
    return [*base, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)]


@pytest.fixture(scope="module")
def stored(seed_db: Path) -> Dossier:
    return newsweave.load(seed_db)


@contextlib.contextmanager
def serving(db: Path, log: Path) -> Iterator[str]:
    """`newsweave serve --db DB` on a free loopback port until the block ends; yields its URL."""
    port = _free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            _serve_command(db, port), stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ)
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"newsweave serve exited with {process.returncode}: {log.read_text()}")
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"newsweave serve did not answer on {url} in {SERVER_START_TIMEOUT} s: {log.read_text()}"
                )
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(seed_db, tmp_path_factory.mktemp("serve") / "serve.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records console errors and script errors (a CSP refusal is one)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda message: message.type == "error" and tab.problems.append(message.text))
    tab.on("pageerror", lambda error: tab.problems.append(str(error)))
    try:
        yield tab
    finally:
        context.close()


def test_story_page_shows_the_brief(page: Any, server: str, stored: Dossier) -> None:
    story = stored.stories[0]
    page.goto(server + "/")
    page.get_by_role("link", name=story.title).click()
    page.wait_for_url(f"**/stories/{story.id}")
    expected = [b.text for b in stored.brief if b.story_id == story.id]
    shown = page.locator("#brief .brief-sentence .sentence")
    sync_api.expect(shown).to_have_count(len(expected))
    assert [" ".join(t.split()) for t in shown.all_inner_texts()] == [" ".join(t.split()) for t in expected]
    assert page.problems == []


def test_clicking_a_citation_reveals_its_sentence(page: Any, server: str, stored: Dossier) -> None:
    story = stored.stories[0]
    page.goto(f"{server}/stories/{story.id}")
    first = page.locator("#brief .brief-sentence").first
    marker = first.locator("button.cite").first
    panel = page.locator("#" + marker.get_attribute("aria-controls"))
    sync_api.expect(panel).to_be_hidden()
    marker.click()
    sync_api.expect(panel).to_be_visible()
    sync_api.expect(marker).to_have_attribute("aria-expanded", "true")
    revealed = panel.locator("blockquote.support").first
    sync_api.expect(revealed).to_be_visible()
    sentence = revealed.inner_text().removesuffix("in context").strip()
    texts = {a.id: " ".join(a.text.split()) for a in stored.articles}
    cited = [i for i in stored.brief[0].article_ids if " ".join(sentence.split()) in texts[i]]
    assert cited, sentence  # the revealed sentence is a sentence of a cited article
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "story.png"))
    page.screenshot(path=str(ARTIFACTS / "story-full.png"), full_page=True)
    assert (ARTIFACTS / "story.png").stat().st_size > 10_000
    marker.click()
    sync_api.expect(panel).to_be_hidden()
    assert page.problems == []


def test_the_timeline_svg_is_drawn(page: Any, server: str, stored: Dossier) -> None:
    story = stored.stories[0]
    page.goto(f"{server}/stories/{story.id}")
    picture = page.locator("#timeline svg.timeline-svg")
    sync_api.expect(picture).to_be_visible()
    dated = [t for t in stored.timeline if t.story_id == story.id]
    sync_api.expect(picture.locator("g.entry")).to_have_count(len(dated))
    box = picture.bounding_box()
    assert box and box["width"] > 500 and box["height"] > 20 * len(dated)
    sync_api.expect(page.locator("#articles svg.relay-svg")).to_be_visible()


def test_search_finds_umerov_and_umyerov_as_one_entity(page: Any, server: str) -> None:
    found = []
    for spelling in ("Umerov", "Umyerov"):
        page.goto(server + "/")
        page.get_by_role("searchbox").fill(spelling)
        page.get_by_role("searchbox").press("Enter")
        page.wait_for_url("**/search?q=*")
        people = page.locator("#entity-results li.entity-hit").filter(has=page.locator(".tag.PERSON"))
        sync_api.expect(people).to_have_count(1)
        found.append(people.locator("a").first.get_attribute("href"))
    assert found[0] == found[1]
    page.locator("#entity-results li.entity-hit a").first.click()
    aliases = page.locator("#aliases li.alias").all_inner_texts()
    assert any("Umerov" in a for a in aliases) and any("Umyerov" in a for a in aliases)
    assert page.problems == []


def test_in_context_link_highlights_the_cited_sentence(page: Any, server: str, stored: Dossier) -> None:
    page.goto(f"{server}/stories/{stored.stories[0].id}")
    marker = page.locator("#brief button.cite").first
    marker.click()
    panel = page.locator("#" + marker.get_attribute("aria-controls"))
    sentence = panel.locator("blockquote.support").first.inner_text().removesuffix("in context").strip()
    panel.get_by_role("link", name="in context").first.click()
    page.wait_for_url("**/articles/*")
    target = page.locator(".clean-text .target")
    sync_api.expect(target.first).to_be_in_viewport()
    assert " ".join("".join(target.all_inner_texts()).split()) == " ".join(sentence.split())
    removed = page.locator("details.removed")
    sync_api.expect(removed).not_to_have_attribute("open", "")
    removed.locator("summary").click()
    sync_api.expect(removed).to_have_attribute("open", "")
    assert page.problems == []


def test_hostile_article_text_never_runs(browser: Any, stored: Dossier, tmp_path: Path) -> None:
    """Script, quotes and a closing textarea in every article-derived field stay text in the browser."""
    dossier = hostile_dossier(stored)
    db = tmp_path / "hostile.db"
    with Store(db) as store:
        store.save(dossier)
    context = browser.new_context()
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        with serving(db, tmp_path / "serve.log") as url:
            story, article = dossier.stories[0], dossier.articles[0]
            for path in (
                f"/stories/{story.id}",
                f"/articles/{article.id}",
                "/entities/ehostile",
                "/search?q=Umerov",
            ):
                tab.goto(url + path)
                tab.wait_for_load_state("load")
                assert tab.locator("img[src=x]").count() == 0, path
                sync_api.expect(tab.get_by_text(HOSTILE, exact=True).first).to_be_visible()
            tab.goto(f"{url}/stories/{story.id}")
            tab.locator("#brief button.cite").first.click()
    finally:
        context.close()
    assert dialogs == []
