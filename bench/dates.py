"""Publication dates of HTML pages: newsweave's clean stage against htmldate alone, same pages, same run.

    python bench/dates.py [--data DIR]

DIR holds ``gold.jsonl`` (lines ``{"id", "url", "published", "html"}``, ``html`` a
gzipped page relative to DIR), as ../shared/data/date-extraction. A page is
right when the predicted day (``YYYY-MM-DD``) equals the gold day; accuracy is
right pages over all pages (that folder's README). htmldate runs as its
evaluation does: ``extensive_search=True, original_date=True``.
Last line: ``RESULT accuracy=... htmldate_accuracy=... pages=...``.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import htmldate

from newsweave.clean import Clean
from newsweave.model import RawDocument
from newsweave.stage import Options

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "date-extraction"


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with gold.jsonl and html/")
    args = parser.parse_args()
    gold_file = args.data / "gold.jsonl"
    if not gold_file.is_file():
        raise SystemExit(f"bench/dates.py: no gold.jsonl in {args.data}; pass --data DIR")
    with gold_file.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    clean = Clean(Options(on_error="skip"))
    ours = theirs = 0
    for record in records:
        html = _decode(gzip.decompress((args.data / record["html"]).read_bytes()))
        url = record.get("url")
        articles, _rejected = clean(
            [RawDocument(source=url or record["id"], text=html, format="html", url=url)]
        )
        predicted = articles[0].published if articles else None
        ours += bool(predicted) and predicted[:10] == record["published"]
        baseline = htmldate.find_date(html, url=url, extensive_search=True, original_date=True)
        theirs += baseline == record["published"]
    pages = len(records)
    print(f"newsweave: {ours}/{pages} right; htmldate: {theirs}/{pages}")
    print(f"RESULT accuracy={ours / pages:.3f} htmldate_accuracy={theirs / pages:.3f} pages={pages}")


if __name__ == "__main__":
    main()
