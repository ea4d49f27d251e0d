"""Ingest: files and folders to raw documents; bad paths fail before anything is read."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.clean import Clean
from newsweave.cli import main
from newsweave.errors import InputError
from newsweave.ingest import IngestOptions, parse_field_overrides, read_paths
from newsweave.stage import Options


def test_a_folder_gives_one_document_per_text_file_in_order(seeds_dir: Path) -> None:
    documents = list(read_paths([seeds_dir]))
    assert [Path(d.source).name for d in documents] == sorted(p.name for p in seeds_dir.glob("*.txt"))
    assert all(d.format == "text" and d.text for d in documents)


def test_a_trailing_slash_names_the_same_sources(seeds_dir: Path) -> None:
    plain = [d.source for d in read_paths([seeds_dir])]
    slashed = [d.source for d in read_paths([f"{seeds_dir}/"])]
    assert plain == slashed


def test_folders_recurse_and_skip_hidden_and_other_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "story.txt").write_text("Deep article.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    sources = [d.source for d in read_paths([tmp_path])]
    assert sources == [f"{tmp_path}/a/b/story.txt"]


def test_a_missing_path_fails_before_any_document(tmp_path: Path, seeds_dir: Path) -> None:
    documents = read_paths([seeds_dir, tmp_path / "missing.txt"])
    with pytest.raises(InputError, match=r"missing\.txt: no such file or folder"):
        next(documents)


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        list(read_paths([tmp_path]))


def test_a_link_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("Secret text outside the named folder.", encoding="utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "inside.txt").write_text("An article.", encoding="utf-8")
    (folder / "link.txt").symlink_to(outside)
    assert [Path(d.source).name for d in read_paths([folder])] == ["inside.txt"]


def test_bytes_that_are_not_utf8_are_replaced_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 opens in Kyiv.".encode("latin-1"))
    (document,) = read_paths([tmp_path / "latin.txt"])
    assert document.text.startswith("Caf") and "Kyiv" in document.text


def test_a_binary_file_is_never_read_as_an_article(tmp_path: Path) -> None:
    """NUL bytes mean not text: the record carries the error, clean records it with that reason."""
    (tmp_path / "blob.txt").write_bytes(b"abc\x00def")
    documents = list(read_paths([tmp_path]))
    assert documents[0].error and "NUL" in documents[0].error and documents[0].text == ""
    articles, rejected = Clean(Options(on_error="skip"))(documents)
    assert articles == []
    assert [r.source for r in rejected] == [f"{tmp_path}/blob.txt"] and "NUL" in rejected[0].reason


def test_an_unreadable_record_stops_a_strict_run_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "blob.txt").write_bytes(b"abc\x00def")
    with pytest.raises(InputError, match=r"blob\.txt: holds NUL bytes.*remove it"):
        Clean(Options(on_error="raise"))(list(read_paths([tmp_path])))


def test_something_neither_file_nor_folder_is_an_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(InputError, match="pipe: not a regular file or folder"):
        list(read_paths([tmp_path / "pipe"]))


def test_a_file_named_outright_is_read_whatever_its_extension(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("An article in a Markdown file.", encoding="utf-8")
    assert [d.text for d in read_paths([tmp_path / "notes.md"])] == ["An article in a Markdown file."]
    with pytest.raises(InputError, match="folder is empty of articles"):
        list(read_paths([tmp_path]))  # in a folder, other types are passed over


def test_files_are_read_lazily_one_at_a_time(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("First.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Second.", encoding="utf-8")
    documents = read_paths([tmp_path])
    assert isinstance(documents, Iterator)
    assert next(documents).text == "First."
    (tmp_path / "b.txt").write_text("Second, changed after the first was read.", encoding="utf-8")
    assert next(documents).text == "Second, changed after the first was read."


def test_an_empty_file_is_read_and_left_to_clean(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (document,) = read_paths([tmp_path])
    assert document.text == ""
    assert Clean()([document])[1][0].stage == "clean"


def test_a_named_file_keeps_the_path_as_named_normalised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "story.txt").write_text("An article.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sources = [d.source for d in read_paths(["./sub/../sub/story.txt", "sub/"])]
    assert sources == ["sub/story.txt", "sub/story.txt"]


def test_paths_are_all_checked_before_the_first_document(tmp_path: Path, seeds_dir: Path) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    documents = read_paths([seeds_dir, empty])
    with pytest.raises(InputError, match=r"nothing: folder is empty"):
        next(documents)


def test_files_without_extension_and_text_suffix_are_articles(tmp_path: Path) -> None:
    for name in ("README", "b.text", "c.TXT", "d.pdf"):
        (tmp_path / name).write_text("Words.", encoding="utf-8")
    names = [Path(d.source).name for d in read_paths([tmp_path])]
    assert names == ["README", "b.text", "c.TXT"]


def test_json_lines_map_the_usual_api_fields(tmp_path: Path) -> None:
    lines = [
        '{"headline": "Bridge reopens", "body": "The bridge in Odesa reopened on Monday.", '
        '"link": "https://example.org/b", "publishedAt": "2024-11-04", "source": {"name": "Example News"}, '
        '"authors": ["A. Writer"]}',
        "not json at all",
        '{"title": "No text here"}',
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, broken, empty = read_paths([tmp_path])
    assert (first.source, first.title, first.outlet, first.published, first.byline) == (
        "https://example.org/b", "Bridge reopens", "Example News", "2024-11-04", "A. Writer",
    )  # fmt: skip
    assert first.text.startswith("The bridge") and first.error is None
    assert broken.source.endswith("feed.jsonl#2") and broken.error and "not JSON" in broken.error
    assert empty.error and "no text" in empty.error
    _articles, rejected = Clean(Options(on_error="skip"))([broken, empty])
    assert [r.source for r in rejected] == [broken.source, empty.source]


def test_html_and_gzipped_files_are_read(tmp_path: Path) -> None:
    page = "<html><body><p>Hello</p></body></html>"
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    (tmp_path / "b.htm.gz").write_bytes(gzip.compress(page.encode("utf-8")))
    documents = list(read_paths([tmp_path]))
    assert [(Path(d.source).name, d.format, d.text) for d in documents] == [
        ("a.html", "html", page), ("b.htm.gz", "html", page),
    ]  # fmt: skip


def test_a_corrupt_gzip_is_a_record_with_its_error(tmp_path: Path) -> None:
    (tmp_path / "bad.html.gz").write_bytes(b"this is not gzip")
    (document,) = read_paths([tmp_path])
    assert document.error and "cannot be read" in document.error


def _warc_record(kind: str, url: str, body: bytes, number: int) -> bytes:
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {url}\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012d}>\r\n"
        f"WARC-Date: 2024-11-05T10:00:00Z\r\nContent-Type: application/http; msgtype={kind}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body + b"\r\n\r\n"


def _warc(path: Path, pages: list[tuple[str, str]]) -> None:
    """A WARC file as a crawler writes it: a request and an HTML response per page
    (one gzip member per record for .warc.gz, as Common Crawl does)."""
    records = []
    for n, (url, html) in enumerate(pages):
        response = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html.encode("utf-8")
        records.append(_warc_record("request", url, b"GET / HTTP/1.1\r\n\r\n", 2 * n))
        records.append(_warc_record("response", url, response, 2 * n + 1))
    if path.suffix == ".gz":
        path.write_bytes(b"".join(gzip.compress(r) for r in records))
    else:
        path.write_bytes(b"".join(records))


def test_warc_responses_are_read_record_by_record(tmp_path: Path) -> None:
    pages = [("https://example.org/a", "<html><body><p>First page</p></body></html>"),
             ("https://example.org/b", "<html><body><p>Second page</p></body></html>")]  # fmt: skip
    _warc(tmp_path / "crawl.warc.gz", pages)
    documents = list(read_paths([tmp_path]))
    assert [(d.source, d.format, d.url) for d in documents] == [(u, "html", u) for u, _ in pages]
    assert "Second page" in documents[1].text


def test_a_truncated_warc_keeps_what_came_before(tmp_path: Path) -> None:
    _warc(tmp_path / "crawl.warc", [("https://example.org/a", "<html><body><p>Kept</p></body></html>")])
    with (tmp_path / "crawl.warc").open("ab") as out:
        out.write(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999\r\n\r\ntruncated")
    documents = list(read_paths([tmp_path]))
    assert documents[0].source == "https://example.org/a" and documents[0].error is None
    assert documents[-1].error and "broken WARC record" in documents[-1].error


def test_rss_entries_carry_their_own_metadata(tmp_path: Path) -> None:
    (tmp_path / "news.rss").write_text(
        """<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title>
        <item><title>Bridge reopens</title><link>https://example.org/bridge</link>
        <pubDate>Mon, 04 Nov 2024 09:30:00 GMT</pubDate><author>desk@example.org (A. Writer)</author>
        <description>&lt;p&gt;The bridge in Odesa reopened on Monday after repairs.&lt;/p&gt;</description></item>
        <item><title>Empty</title><link>https://example.org/empty</link></item>
        </channel></rss>""",
        encoding="utf-8",
    )
    bridge, empty = read_paths([tmp_path])
    assert (bridge.source, bridge.title, bridge.outlet, bridge.published, bridge.format) == (
        "https://example.org/bridge", "Bridge reopens", "Example News", "2024-11-04T09:30:00Z", "html",
    )  # fmt: skip
    assert "reopened on Monday" in bridge.text
    assert empty.error and "no content" in empty.error


def test_an_xml_file_that_is_no_feed_is_a_record_with_its_error(tmp_path: Path) -> None:
    (tmp_path / "data.xml").write_text("<root><value>1</value></root>", encoding="utf-8")
    (document,) = read_paths([tmp_path])
    assert document.error and "not an RSS or Atom feed" in document.error


def test_field_overrides_read_other_and_nested_keys(tmp_path: Path) -> None:
    line = (
        '{"summary": "A one-line teaser.", "story": {"full": "The bridge in Odesa reopened on Monday."}, '
        '"text": "Navigation: Home | World", "when": "2024-11-04T08:00:00Z", "title": "Bridge reopens"}'
    )
    (tmp_path / "api.jsonl").write_text(line + "\n", encoding="utf-8")
    overrides = parse_field_overrides(["text=story.full", "published = when"])
    (document,) = read_paths([tmp_path], IngestOptions(fields=overrides))
    assert document.text == "The bridge in Odesa reopened on Monday."
    assert (document.published, document.title) == ("2024-11-04T08:00:00Z", "Bridge reopens")
    (plain,) = read_paths([tmp_path])  # without the override, the usual "text" key wins
    assert plain.text == "Navigation: Home | World"


def test_an_overridden_field_missing_from_a_line_says_how_to_name_it(tmp_path: Path) -> None:
    (tmp_path / "api.jsonl").write_text('{"text": "Some text."}\n', encoding="utf-8")
    (document,) = read_paths([tmp_path], IngestOptions(fields=(("text", "body"),)))
    assert document.source.endswith("api.jsonl#1")
    assert document.error == "no text field (body); name the field with --field text=KEY"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("text", "expected FIELD=KEY"),
        ("=body", "expected FIELD=KEY"),
        ("words=body", "unknown field 'words'"),
    ],
)
def test_a_bad_field_override_is_an_error_naming_it(spec: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_field_overrides([spec])


def test_a_bad_field_override_on_the_command_line_writes_nothing(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "corpus.db"
    result = CliRunner().invoke(main, ["run", "--db", str(db), "--field", "body", str(seeds_dir)])
    assert result.exit_code == 1
    assert "--field 'body': expected FIELD=KEY, e.g. --field text=body" in result.output
    assert not db.exists()


def test_a_strict_run_stopped_by_a_bad_line_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    good = '{"title": "Bridge reopens", "text": "The bridge in Odesa reopened on Monday after repairs that took two months, the city council said on Sunday evening."}'
    (tmp_path / "first.jsonl").write_text(good + "\n", encoding="utf-8")
    db = tmp_path / "corpus.db"
    assert CliRunner().invoke(main, ["run", "--db", str(db), str(tmp_path / "first.jsonl")]).exit_code == 0
    before = db.read_bytes()
    (tmp_path / "second.jsonl").write_text(good.replace("Odesa", "Kherson") + "\n{broken\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "--strict", "--db", str(db), str(tmp_path / "second.jsonl")])
    assert result.exit_code == 1
    assert "second.jsonl#2: not JSON" in result.output
    assert db.read_bytes() == before


def test_atom_entries_use_their_own_content(tmp_path: Path) -> None:
    (tmp_path / "news.atom").write_text(
        """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
        <title>Port News</title><id>urn:port</id><updated>2024-11-05T10:00:00+02:00</updated>
        <entry><title>Grain corridor reopens</title><id>urn:port:1</id>
        <link href="https://example.org/grain"/><published>2024-11-05T10:00:00+02:00</published>
        <author><name>A. Writer</name></author><summary>Teaser only.</summary>
        <content type="html">&lt;p&gt;Ships loaded with wheat left the port of Odesa on Tuesday.&lt;/p&gt;</content>
        </entry></feed>""",
        encoding="utf-8",
    )
    (entry,) = read_paths([tmp_path])
    assert (entry.source, entry.title, entry.outlet, entry.byline) == (
        "https://example.org/grain", "Grain corridor reopens", "Port News", "A. Writer",
    )  # fmt: skip
    assert entry.published == "2024-11-05T08:00:00Z"  # the stated instant, in UTC
    assert "Ships loaded with wheat" in entry.text and "Teaser" not in entry.text


def test_a_warc_written_by_warcio_from_a_real_page_is_ingested_and_cleaned(tmp_path: Path) -> None:
    import io
    import json

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder = Path(__file__).resolve().parents[2] / "shared" / "data" / "article-extraction"
    if not (folder / "gold.jsonl").is_file():
        pytest.skip(f"{folder} is not here (../shared/data is beside the checkout in CI)")
    record = json.loads((folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()[0])
    html = gzip.decompress((folder / record["html"]).read_bytes())
    with (tmp_path / "news.warc.gz").open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        response = writer.create_warc_record(
            record["url"], "response", payload=io.BytesIO(html), length=len(html), http_headers=headers
        )
        metadata = writer.create_warc_record(record["url"], "metadata", payload=io.BytesIO(b"x: 1"), length=4)
        for warc_record in (response, metadata):
            writer.write_record(warc_record)
            warc_record.raw_stream.close()  # warcio may have spooled the payload to a temporary file
    (document,) = read_paths([tmp_path])
    (article,), _rejected = Clean()([document])
    assert article.source == record["url"]
    first_gold_line = next(line for line in record["body"].splitlines() if line.strip())
    assert first_gold_line.split()[:6] == " ".join(article.paragraphs).split()[:6]
