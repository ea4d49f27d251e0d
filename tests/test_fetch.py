"""The opt-in network: URLs named as inputs and ``--fetch`` for feeds, against a local server.

Every test serves pages from 127.0.0.1 (http.server in a thread); nothing leaves the machine.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.clean import Clean
from newsweave.cli import main
from newsweave.errors import InputError
from newsweave.ingest import USER_AGENT, IngestOptions, read_paths
from newsweave.stage import Options

ARTICLE = (
    "<html><head><title>Grain corridor reopens</title>"
    '<meta property="article:published_time" content="2024-11-05T09:30:00+02:00"></head><body>'
    "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Grain corridor reopens</h1>"
    "<p>Ships loaded with wheat left the port of Odesa on Tuesday morning after a pause of three days, "
    "the port authority said in a statement published on its website.</p>"
    "<p>The authority said that twelve vessels were waiting to enter the harbour and that inspections "
    "would resume as soon as the weather allowed the pilots to board them safely.</p>"
    "</article><footer>Subscribe to our newsletter</footer></body></html>"
)


@dataclass
class Site:
    """Routes served by the local server, and the requests it saw."""

    pages: dict[str, tuple[int, str, str]] = field(default_factory=dict)  # path -> status, type, body
    seen: list[tuple[str, str]] = field(default_factory=list)  # (path, User-Agent)
    delay: float = 0.0
    url: str = ""


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.seen.append((self.path, self.headers.get("User-Agent", "")))
            if self.path != "/robots.txt" and served.delay:
                time.sleep(served.delay)
            status, kind, body = served.pages.get(self.path, (404, "text/plain", "not found"))
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _feed(site: Site, links: list[str]) -> str:
    items = "".join(
        f"<item><title>Entry {n}</title><link>{site.url}{link}</link>"
        f"<pubDate>Tue, 05 Nov 2024 0{n}:00:00 GMT</pubDate>"
        f"<description>Short summary {n} of the report on the grain corridor.</description></item>"
        for n, link in enumerate(links, 1)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Port News</title>{items}</channel></rss>'


def test_a_named_url_is_fetched_with_a_user_agent_and_cleaned(site: Site) -> None:
    site.pages["/grain.html"] = (200, "text/html; charset=utf-8", ARTICLE)
    (document,) = read_paths([f"{site.url}/grain.html"])
    assert document.format == "html" and document.source == f"{site.url}/grain.html"
    assert [path for path, _agent in site.seen] == ["/robots.txt", "/grain.html"]
    assert all(agent == USER_AGENT for _path, agent in site.seen)
    (article,), _rejected = Clean()([document])
    assert article.title == "Grain corridor reopens"
    assert article.paragraphs[0].startswith("Ships loaded with wheat")
    assert not any("newsletter" in p for p in article.paragraphs)


def test_robots_txt_is_honoured(site: Site) -> None:
    site.pages["/robots.txt"] = (200, "text/plain", "User-agent: *\nDisallow: /private/\n")
    site.pages["/private/grain.html"] = (200, "text/html", ARTICLE)
    (document,) = read_paths([f"{site.url}/private/grain.html"])
    assert document.error and "robots.txt disallows" in document.error
    assert "/private/grain.html" not in [path for path, _agent in site.seen]
    with pytest.raises(InputError, match=r"private/grain\.html: not fetched.*robots\.txt"):
        Clean(Options(on_error="raise"))([document])


def test_a_feed_url_gives_its_entries_and_fetch_downloads_their_pages(site: Site) -> None:
    site.pages["/feed.xml"] = (200, "application/rss+xml", _feed(site, ["/grain.html", "/missing.html"]))
    site.pages["/grain.html"] = (200, "text/html", ARTICLE)
    own = list(read_paths([f"{site.url}/feed.xml"]))
    assert [d.text for d in own] == [
        f"Short summary {n} of the report on the grain corridor." for n in (1, 2)
    ]
    assert "/grain.html" not in [path for path, _agent in site.seen]  # no --fetch: the feed alone

    fetched = list(read_paths([f"{site.url}/feed.xml"], IngestOptions(fetch=True)))
    assert fetched[0].format == "html" and "Ships loaded with wheat" in fetched[0].text
    assert fetched[0].title == "Entry 1" and fetched[0].published == "2024-11-05T01:00:00Z"
    # the second link is a 404: the entry keeps its own summary rather than vanishing
    assert fetched[1].error is None and fetched[1].text.startswith("Short summary 2")


def test_fetch_reads_the_links_of_a_feed_file(site: Site, tmp_path: Path) -> None:
    site.pages["/grain.html"] = (200, "text/html", ARTICLE)
    (tmp_path / "port.rss").write_text(_feed(site, ["/grain.html"]), encoding="utf-8")
    (document,) = read_paths([tmp_path / "port.rss"], IngestOptions(fetch=True))
    assert document.source == f"{site.url}/grain.html" and "Odesa" in document.text


def test_a_slow_server_times_out_as_a_record_error(site: Site) -> None:
    site.pages["/slow.html"] = (200, "text/html", ARTICLE)
    site.delay = 1.0
    started = time.monotonic()
    (document,) = read_paths([f"{site.url}/slow.html"], IngestOptions(timeout=0.2))
    assert time.monotonic() - started < 1.0
    assert document.error and "could not be fetched" in document.error and "timed out" in document.error


def test_an_http_error_names_the_status(site: Site) -> None:
    site.pages["/gone.html"] = (410, "text/html", "gone")
    (document,) = read_paths([f"{site.url}/gone.html"])
    assert document.error == "could not be fetched: HTTP 410 Gone"


def test_an_unreachable_host_is_a_record_error_not_a_crash() -> None:
    (document,) = read_paths(["http://127.0.0.1:9/article.html"], IngestOptions(timeout=1.0))
    assert document.error and "unreachable" in document.error


def test_a_url_without_a_host_fails_before_anything_is_read(seeds_dir: Path) -> None:
    documents = read_paths([seeds_dir, "https:///article.html"])
    with pytest.raises(InputError, match="not a URL with a host name"):
        next(documents)


def test_a_strict_run_stopped_by_a_bad_url_writes_no_store(site: Site, tmp_path: Path) -> None:
    site.pages["/gone.html"] = (410, "text/html", "gone")
    site.pages["/grain.html"] = (200, "text/html", ARTICLE)
    db = tmp_path / "corpus.db"
    result = CliRunner().invoke(
        main, ["run", "--strict", "--db", str(db), f"{site.url}/grain.html", f"{site.url}/gone.html"]
    )
    assert result.exit_code == 1
    assert "gone.html: could not be fetched: HTTP 410 Gone" in result.output
    assert not db.exists()
    result = CliRunner().invoke(
        main, ["run", "--db", str(db), f"{site.url}/grain.html", f"{site.url}/gone.html"]
    )
    assert result.exit_code == 0, result.output
    assert "1 kept, 1 rejected" in result.output
