"""Ingest: read files and folders into raw documents, one record at a time.

Formats, by file name: plain text (``.txt``, ``.text``, no extension), HTML
(``.html``, ``.htm``) and news-API JSON lines (``.jsonl``), each also gzipped
(``.gz``). A JSON line's fields are mapped from the usual names
(:data:`FIELDS`); a line that is not a JSON object, or has no text, becomes a
record carrying its error, so the run can skip and record it (or stop, with
``--strict``).

Paths are checked before the first record is yielded, so a bad command line
fails before anything is written: a missing path, something that is neither a
file nor a folder, and a folder with no article files are :class:`InputError`.
A file that cannot be read, or holds NUL bytes (not text: a PDF, an image), is
yielded as a record carrying its ``error``; ``clean`` records it as a rejection
(or stops, with ``on_error="raise"``). Bytes that are not UTF-8 are replaced
(U+FFFD), not fatal. A file named outright is read whatever its extension.

Folders recurse in sorted order; hidden files and files of other types are
passed over; a link that leads outside the named folder is never followed.
``source`` is the path as the user named it, normalised (``samples/seeds`` and
``samples/seeds/`` give the same sources).

The network is used only when the user asks: an ``http(s)://`` URL named as
an input is downloaded (an HTML page, a feed, or plain text, by its
Content-Type), and with ``IngestOptions.fetch`` a feed entry's linked page is
downloaded instead of the entry's own content. Every request has a timeout and
a User-Agent and honours the host's robots.txt; a page that cannot be fetched
is a record carrying its error (a feed entry falls back to its own content when
it has some). ``IngestOptions.fields`` overrides the JSON field names
(``--field text=body``); an unknown field or a bad override is an
:class:`InputError` before anything is read.
"""

from __future__ import annotations

import gzip
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import RawDocument

#: File name endings and the format each is read as ("" is a file with no extension).
FORMATS = {
    ".txt": "text",
    ".text": "text",
    "": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "json",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}

#: Record field -> the names news APIs use for it, first found wins.
FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "articleBody", "article", "full_text", "maintext"),
    "title": ("title", "headline"),
    "url": ("url", "link", "canonical_url"),
    "published": (
        "published",
        "publishedAt",
        "published_at",
        "date",
        "pubDate",
        "date_publish",
        "datePublished",
    ),
    "outlet": ("outlet", "source", "publisher", "source_name", "site_name", "domain"),
    "byline": ("byline", "author", "authors", "creator"),
}


#: Seconds to wait for a server to answer (connect or read) before giving the page up.
FETCH_TIMEOUT_S = 20.0
#: A page larger than this is not an article (a video, a dump); its download stops here.
FETCH_MAX_BYTES = 10_000_000
USER_AGENT = "newsweave/0.1 (+https://github.com/newsweave; article reader, honours robots.txt)"


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How inputs are read: JSON field overrides and the opt-in network."""

    fields: tuple[tuple[str, str], ...] = ()
    """(record field, JSON key) pairs that replace :data:`FIELDS`' names: ``("text", "body")``;
    a dotted key (``data.body``) reads a nested object."""
    fetch: bool = False
    """Download each feed entry's linked page instead of using the entry's own content."""
    timeout: float = FETCH_TIMEOUT_S
    user_agent: str = USER_AGENT


def parse_field_overrides(specs: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``["text=body", "published=meta.date"]`` as (field, key) pairs; a bad one is an InputError."""
    pairs = []
    for spec in specs:
        name, sep, key = spec.partition("=")
        name, key = name.strip(), key.strip()
        if not sep or not name or not key:
            raise InputError(f"--field {spec!r}: expected FIELD=KEY, e.g. --field text=body")
        if name not in FIELDS:
            raise InputError(f"--field {spec!r}: unknown field {name!r}; choose one of {', '.join(FIELDS)}")
        pairs.append((name, key))
    return tuple(pairs)


def read_paths(paths: Sequence[str | Path], options: IngestOptions | None = None) -> Iterator[RawDocument]:
    """Raw documents of every article file or URL under ``paths``, in order."""
    options = options or IngestOptions()
    names = _field_names(options.fields)  # checked before anything is read
    inputs: list[Path | str] = []
    for path in paths:
        if isinstance(path, str) and path.lower().startswith(("http://", "https://")):
            inputs.append(_checked_url(path))
        else:
            inputs.extend(_article_files(Path(path)))
    web = Fetcher(options) if options.fetch or any(isinstance(i, str) for i in inputs) else None
    for item in inputs:
        if isinstance(item, str):
            assert web is not None
            yield from _read_url(item, web)
            continue
        kind = _format(item)
        if kind == "json":
            yield from _read_json_lines(item, names)
        elif kind == "warc":
            yield from _read_warc(item)
        elif kind == "feed":
            yield from _read_feed(item, web if options.fetch else None)
        else:
            yield _read_file(item, kind)


def _field_names(overrides: tuple[tuple[str, str], ...]) -> dict[str, tuple[str, ...]]:
    names = dict(FIELDS)
    for name, key in overrides:
        if name not in FIELDS:
            raise InputError(f"field override {name}={key}: unknown field; choose one of {', '.join(FIELDS)}")
        names[name] = (key,)
    return names


def _checked_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname:
        raise InputError(f"{url}: not a URL with a host name; write it as https://host/path")
    return url


def _format(file: Path) -> str | None:
    suffixes = [s.lower() for s in file.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return FORMATS.get(suffixes[-1] if suffixes else "")


def _article_files(path: Path) -> list[Path]:
    """The article files a named path stands for; a file named outright is read whatever its name."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder; check the path")
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputError(f"{path}: not a regular file or folder; name text files or folders of them")
    root = path.resolve()
    found = [
        file
        for file in sorted(path.rglob("*"))
        if file.is_file()
        and not any(part.startswith(".") for part in file.relative_to(path).parts)
        and _format(file) is not None
        and file.resolve().is_relative_to(root)
    ]
    if not found:
        raise InputError(
            f"{path}: folder is empty of articles: no .txt, .text, .html, .jsonl, .warc, .rss, .atom, .xml or extension-less files "
            "(hidden ones are skipped); point newsweave at a folder of articles"
        )
    return found


def _source(file: Path) -> str:
    return os.path.normpath(file).replace(os.sep, "/")


def _read_bytes(file: Path) -> bytes:
    data = file.read_bytes()
    return gzip.decompress(data) if file.suffix.lower() == ".gz" else data


def _read_file(file: Path, kind: str | None) -> RawDocument:
    """One file as a raw document; an unreadable one carries its error instead of stopping the run."""
    source, kind = _source(file), kind or "text"
    try:
        data = _read_bytes(file)
    except OSError as exc:  # gzip.BadGzipFile is an OSError too
        return RawDocument(source, "", kind, error=f"cannot be read ({exc}); check the file")
    if kind == "text" and b"\x00" in data:
        not_text = "holds NUL bytes, so it is not a text article; remove it or convert it to text"
        return RawDocument(source, "", kind, error=not_text)
    return RawDocument(source, data.decode("utf-8", errors="replace"), kind)


def _read_json_lines(file: Path, names: dict[str, tuple[str, ...]] = FIELDS) -> Iterator[RawDocument]:
    try:
        lines = _read_bytes(file).decode("utf-8", errors="replace").splitlines()
    except OSError as exc:
        yield RawDocument(_source(file), "", "json", error=f"cannot be read ({exc}); check the file")
        return
    for number, line in enumerate(lines, 1):
        if line.strip():
            yield json_record(line, f"{_source(file)}#{number}", names)


def _read_warc(file: Path) -> Iterator[RawDocument]:
    """The HTML responses of a WARC (or .warc.gz) file, streamed record by record
    (Common Crawl CC-NEWS); other records (requests, metadata, images) are passed over."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    try:
        with file.open("rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream), 1):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if "html" not in content_type.lower():
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                payload = record.content_stream().read().decode("utf-8", errors="replace")
                yield RawDocument(url or f"{_source(file)}#{number}", payload, "html", url=url)
    except (ArchiveLoadFailed, OSError, ValueError, AttributeError) as exc:  # warcio fails on bad headers so
        where = f"{_source(file)}#{number + 1}"
        yield RawDocument(
            where, "", "warc", error=f"broken WARC record ({exc}); the records before it were read"
        )


def _read_feed(file: Path, web: Fetcher | None = None) -> Iterator[RawDocument]:
    """The entries of an RSS or Atom feed file, with their own content (or summary), or
    with their linked pages when ``web`` is given (``--fetch``)."""
    try:
        data = _read_bytes(file)
    except OSError as exc:
        yield RawDocument(_source(file), "", "feed", error=f"cannot be read ({exc}); check the file")
        return
    yield from feed_entries(data, _source(file), web)


def feed_entries(data: bytes, where: str, web: Fetcher | None = None) -> Iterator[RawDocument]:
    """The entries of the RSS or Atom feed in ``data`` (read from ``where``)."""
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        yield RawDocument(where, "", "feed", error="not an RSS or Atom feed (no entries found)")
        return
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, 1):
        content = entry.get("content")
        text = content[0].get("value", "") if content else entry.get("summary", "")
        link = entry.get("link")
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        document = RawDocument(
            source=link or f"{where}#{number}",
            text=text,
            format="html" if "<" in text else "text",
            title=entry.get("title"),
            outlet=outlet,
            byline=entry.get("author"),
            published=time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp) if stamp else None,
            url=link,
            error=None if text.strip() else "feed entry with no content or summary",
        )
        if web is not None and link:
            document = _with_linked_page(document, link, web)
        yield document


def _with_linked_page(entry: RawDocument, link: str, web: Fetcher) -> RawDocument:
    """The entry with its linked page as text; when the page cannot be had, the entry's own
    content (or, with none, the reason the page could not be fetched)."""
    page = web.get(link)
    if page.error is None and page.text.strip():
        return RawDocument(
            source=entry.source,
            text=page.text,
            format=page.format,
            title=entry.title,
            outlet=entry.outlet,
            byline=entry.byline,
            published=entry.published,
            url=page.url or link,
        )
    if entry.error is None:
        return entry
    return RawDocument(entry.source, "", "feed", url=link, error=f"linked page {page.error}")


def json_record(line: str, where: str, names: dict[str, tuple[str, ...]] = FIELDS) -> RawDocument:
    """One news-API JSON line as a raw document; an unreadable line carries its error."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return RawDocument(
            source=where, text="", format="json", error=f"not JSON ({exc.msg} at column {exc.colno})"
        )
    if not isinstance(record, dict):
        return RawDocument(source=where, text="", format="json", error="not a JSON object")
    found = {name: _field(record, keys) for name, keys in names.items()}
    text = found["text"] or ""
    return RawDocument(
        source=found["url"] or where,
        text=text,
        format="html" if text.lstrip().startswith("<") else "text",
        title=found["title"],
        outlet=found["outlet"],
        byline=found["byline"],
        published=found["published"],
        url=found["url"],
        error=None
        if text.strip()
        else f"no text field ({', '.join(names['text'])}); name the field with --field text=KEY",
    )


def _field(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    """The first of ``names`` with a value, as text (a {"name": ...} object or a list joined)."""
    for name in names:
        value = _lookup(record, name)
        if isinstance(value, dict):
            value = value.get("name") or value.get("title")
        if isinstance(value, list):
            value = ", ".join(str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value)
        if value not in (None, ""):
            return str(value).strip()
    return None


def _lookup(record: dict[str, Any], key: str) -> Any:
    """``record[key]``, or for a dotted key absent as such (``data.body``), the nested value."""
    if key in record or "." not in key:
        return record.get(key)
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


# ------------------------------------------------------------------ network


@dataclass(frozen=True, slots=True)
class Page:
    """A downloaded page, or why it could not be had."""

    url: str
    text: str
    format: str  # html | feed | text
    error: str | None = None
    data: bytes = b""  # the bytes as served (a feed is parsed from them, its own encoding declared)


@dataclass
class Fetcher:
    """Downloads pages for one run: a timeout and a User-Agent on every request, and each
    host's robots.txt read once (per run, not per process) and obeyed."""

    options: IngestOptions
    robots: dict[str, urllib.robotparser.RobotFileParser | str] = field(default_factory=dict)

    def get(self, url: str) -> Page:
        """The page at ``url``; a refusal, a network failure or an HTTP error is ``Page.error``."""
        refusal = self._refusal(url)
        if refusal:
            return Page(url, "", "html", error=refusal)
        try:
            body, headers, final = self._download(url)
        except urllib.error.HTTPError as exc:
            return Page(url, "", "html", error=f"could not be fetched: HTTP {exc.code} {exc.reason}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return Page(
                url, "", "html", error=f"could not be fetched ({reason}); check the URL or the network"
            )
        charset = headers.get_content_charset() or "utf-8"
        try:
            text = body.decode(charset, errors="replace")
        except LookupError:  # an unknown charset name
            text = body.decode("utf-8", errors="replace")
        return Page(final, text, _web_format(headers.get_content_type(), text), data=body)

    def _download(self, url: str) -> tuple[bytes, Message, str]:
        request = urllib.request.Request(url, headers={"User-Agent": self.options.user_agent})
        with urllib.request.urlopen(request, timeout=self.options.timeout) as response:
            body = response.read(FETCH_MAX_BYTES + 1)
            if len(body) > FETCH_MAX_BYTES:
                raise ValueError(f"larger than {FETCH_MAX_BYTES} bytes, not an article")
            return body, response.headers, response.geturl()

    def _refusal(self, url: str) -> str | None:
        """Why robots.txt forbids ``url`` (or could not be read), else None."""
        parts = urllib.parse.urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self.robots:
            self.robots[root] = self._read_robots(root)
        rules = self.robots[root]
        if isinstance(rules, str):
            return rules
        if not rules.can_fetch(self.options.user_agent, url):
            return f"not fetched: {root}/robots.txt disallows it for newsweave"
        return None

    def _read_robots(self, root: str) -> urllib.robotparser.RobotFileParser | str:
        """The host's rules; none (a 404) allows all, a 401/403 forbids all (as
        urllib.robotparser does), and an unreachable robots.txt forbids too."""
        rules = urllib.robotparser.RobotFileParser(f"{root}/robots.txt")
        try:
            body, headers, _final = self._download(f"{root}/robots.txt")
        except urllib.error.HTTPError as exc:
            if exc.code >= 500:
                return f"not fetched: {root}/robots.txt answered HTTP {exc.code}; try again later"
            rules.parse(["User-agent: *", "Disallow: /"] if exc.code in (401, 403) else [])
            return rules
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return f"could not be fetched: {root}/robots.txt unreachable ({reason}); check the URL or the network"
        rules.parse(body.decode(headers.get_content_charset() or "utf-8", errors="replace").splitlines())
        return rules


def _web_format(content_type: str, text: str) -> str:
    head = text.lstrip()[:500].lower()
    if any(kind in content_type for kind in ("rss", "atom")) or (
        "xml" in content_type and ("<rss" in head or "<feed" in head)
    ):
        return "feed"
    if "html" in content_type or head.startswith(("<!doctype html", "<html")):
        return "html"
    return "text"


def _read_url(url: str, web: Fetcher) -> Iterator[RawDocument]:
    """A URL the user named: its page, or a feed's entries (their linked pages with --fetch)."""
    page = web.get(url)
    if page.error:
        yield RawDocument(url, "", "html", url=url, error=page.error)
    elif page.format == "feed":
        yield from feed_entries(page.data, url, web if web.options.fetch else None)
    else:
        yield RawDocument(url, page.text, page.format, url=page.url)
