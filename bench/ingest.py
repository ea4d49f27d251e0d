"""Ingest + clean throughput for HTML files and a Common-Crawl-style WARC, and peak memory.

    python bench/ingest.py [--data DIR] [--records 10000] [--clean-records 300]

DIR is a folder laid out as ../shared/data/article-extraction (``gold.jsonl``
naming gzipped pages). In a temporary folder the script writes every page as an
``.html`` file, and a gzipped WARC of ``--records`` HTTP response records (the
pages in turn, each under its own URL, with a request record before each
response as CC-NEWS has), written with warcio. It then times, in one process:

* HTML: ``read_paths`` + ``Clean`` over the folder of pages (articles/s);
* WARC read: ``read_paths`` streaming every record of the WARC (records/s);
* WARC ingest + clean: the first ``--clean-records`` records of the same stream
  through ``Clean`` in batches (articles/s). Cleaning all 10,000 costs about as
  many seconds per page as the HTML figure says (an hour on a shared 2-core
  machine), so by default a prefix is cleaned; ``--clean-records 10000`` does all.

Peak memory is the process's peak RSS after all of it (the WARC is streamed, so it
stays flat whatever the number of records). Last line:
``RESULT html_articles_per_s=... warc_articles_per_s=... warc_read_records_per_s=... peak_rss_mb=... records=...``.
"""

from __future__ import annotations

import argparse
import gzip
import io
import resource
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from _data import read_pages
from newsweave.clean import Clean
from newsweave.ingest import read_paths
from newsweave.model import RawDocument
from newsweave.stage import Options

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "article-extraction"
#: Documents per Clean call, as the engine batches them (Options.batch_size).
BATCH = Options().batch_size


#: gzip level of each WARC record: warcio writes level 9, which made writing 10,000
#: records take minutes here; level 1 writes the same valid .warc.gz (one gzip member per
#: record, as Common Crawl does) several times faster.
WARC_GZIP_LEVEL = 1


def write_warc(path: Path, pages: list[tuple[str, str]], records: int) -> None:
    """A gzipped WARC of ``records`` responses cycling through ``pages`` (url, html), each
    after its request record, one gzip member per record."""
    with path.open("wb") as out:
        for number in range(records):
            url, html = pages[number % len(pages)]
            target = f"{url}{'&' if '?' in url else '?'}nw={number}"
            buffer = io.BytesIO()
            writer = WARCWriter(buffer, gzip=False)
            request_headers = StatusAndHeaders(
                "GET / HTTP/1.1", [("User-Agent", "bench")], is_http_request=True
            )
            writer.write_record(
                writer.create_warc_record(
                    target, "request", payload=io.BytesIO(b""), http_headers=request_headers
                )
            )
            out.write(gzip.compress(buffer.getvalue(), WARC_GZIP_LEVEL))
            buffer = io.BytesIO()
            writer = WARCWriter(buffer, gzip=False)
            body = html.encode("utf-8")
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            writer.write_record(
                writer.create_warc_record(
                    target, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
                )
            )
            out.write(gzip.compress(buffer.getvalue(), WARC_GZIP_LEVEL))


def clean_all(documents: Iterable[RawDocument]) -> tuple[int, int]:
    """(articles kept, documents read), cleaning batch by batch and keeping nothing."""
    clean = Clean(Options(on_error="skip"))
    kept = read = 0
    iterator: Iterator[RawDocument] = iter(documents)
    while batch := list(islice(iterator, BATCH)):
        articles, _rejected = clean(batch)
        kept += len(articles)
        read += len(batch)
    return kept, read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with gold.jsonl and html/")
    parser.add_argument("--records", type=int, default=10_000, help="response records in the WARC")
    parser.add_argument("--clean-records", type=int, default=300, help="WARC records ingested and cleaned")
    args = parser.parse_args()
    pages = [
        (record.get("url") or f"https://bench.invalid/{record['id']}", html)
        for record, html in read_pages(args.data, "bench/ingest.py")
    ]
    with tempfile.TemporaryDirectory(prefix="newsweave-bench-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for number, (_url, html) in enumerate(pages):
            (folder / f"{number:05d}.html").write_text(html, encoding="utf-8")
        warc = Path(tmp) / "news.warc.gz"
        started = time.perf_counter()
        write_warc(warc, pages, args.records)
        print(
            f"wrote {args.records} records ({warc.stat().st_size / 1e6:.0f} MB gzipped) in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )

        clean_all(
            read_paths([folder / "00000.html"])
        )  # load trafilatura's, htmldate's and py3langid's data once
        started = time.perf_counter()
        html_kept, html_read = clean_all(read_paths([folder]))
        html_rate = html_kept / (time.perf_counter() - started)
        print(f"html: {html_read} pages read, {html_kept} kept, {html_rate:.2f} articles/s")

        started = time.perf_counter()
        records = sum(1 for document in read_paths([warc]) if document.error is None)
        read_rate = records / (time.perf_counter() - started)
        print(f"warc read: {records} records, {read_rate:.0f} records/s")

        started = time.perf_counter()
        warc_kept, warc_read = clean_all(islice(read_paths([warc]), args.clean_records))
        warc_rate = warc_kept / (time.perf_counter() - started)
        print(f"warc ingest+clean: {warc_read} records read, {warc_kept} kept, {warc_rate:.2f} articles/s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"RESULT html_articles_per_s={html_rate:.2f} warc_articles_per_s={warc_rate:.2f} "
        f"warc_read_records_per_s={read_rate:.0f} peak_rss_mb={peak_mb:.0f} records={records}"
    )


if __name__ == "__main__":
    main()
