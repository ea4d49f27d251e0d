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
"""

from __future__ import annotations

import gzip
import json
import os
import time
from collections.abc import Iterator, Sequence
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


def read_paths(paths: Sequence[str | Path]) -> Iterator[RawDocument]:
    """Raw documents of every article file under ``paths``, in order."""
    files = [file for path in paths for file in _article_files(Path(path))]
    for file in files:
        kind = _format(file)
        if kind == "json":
            yield from _read_json_lines(file)
        elif kind == "warc":
            yield from _read_warc(file)
        elif kind == "feed":
            yield from _read_feed(file)
        else:
            yield _read_file(file, kind)


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


def _read_json_lines(file: Path) -> Iterator[RawDocument]:
    try:
        lines = _read_bytes(file).decode("utf-8", errors="replace").splitlines()
    except OSError as exc:
        yield RawDocument(_source(file), "", "json", error=f"cannot be read ({exc}); check the file")
        return
    for number, line in enumerate(lines, 1):
        if line.strip():
            yield json_record(line, f"{_source(file)}#{number}")


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


def _read_feed(file: Path) -> Iterator[RawDocument]:
    """The entries of an RSS or Atom feed, with their own content (or summary)."""
    import feedparser

    try:
        feed = feedparser.parse(_read_bytes(file))
    except OSError as exc:
        yield RawDocument(_source(file), "", "feed", error=f"cannot be read ({exc}); check the file")
        return
    if not feed.entries:
        yield RawDocument(_source(file), "", "feed", error="not an RSS or Atom feed (no entries found)")
        return
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, 1):
        content = entry.get("content")
        text = content[0].get("value", "") if content else entry.get("summary", "")
        link = entry.get("link")
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        yield RawDocument(
            source=link or f"{_source(file)}#{number}",
            text=text,
            format="html" if "<" in text else "text",
            title=entry.get("title"),
            outlet=outlet,
            byline=entry.get("author"),
            published=time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp) if stamp else None,
            url=link,
            error=None if text.strip() else "feed entry with no content or summary",
        )


def json_record(line: str, where: str) -> RawDocument:
    """One news-API JSON line as a raw document; an unreadable line carries its error."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return RawDocument(
            source=where, text="", format="json", error=f"not JSON ({exc.msg} at column {exc.colno})"
        )
    if not isinstance(record, dict):
        return RawDocument(source=where, text="", format="json", error="not a JSON object")
    found = {name: _field(record, names) for name, names in FIELDS.items()}
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
        error=None if text.strip() else f"no text field ({', '.join(FIELDS['text'])})",
    )


def _field(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    """The first of ``names`` with a value, as text (a {"name": ...} object or a list joined)."""
    for name in names:
        value = record.get(name)
        if isinstance(value, dict):
            value = value.get("name") or value.get("title")
        if isinstance(value, list):
            value = ", ".join(str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value)
        if value not in (None, ""):
            return str(value).strip()
    return None
