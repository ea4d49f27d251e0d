"""Publication dates of HTML pages: newsweave's clean stage against htmldate alone, same pages, same run.

    python bench/dates.py [--data DIR]

DIR holds ``gold.jsonl`` (lines ``{"id", "url", "published", "html"}``, ``html`` a
gzipped page relative to DIR), as ../shared/data/date-extraction. A page is
right when the predicted day (``YYYY-MM-DD``) equals the gold day; accuracy is
right pages over all pages (that folder's README). htmldate runs as its
evaluation does: ``extensive_search=True, original_date=True``. newsweave's date is
the one ``clean_document`` gives the page, also when the stage would then reject the
page for too short a body (a recipe, an index page): the date is found either way.
Last line: ``RESULT accuracy=... htmldate_accuracy=... pages=...``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import htmldate

from _data import read_pages
from newsweave.clean import clean_document
from newsweave.model import RawDocument

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "date-extraction"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with gold.jsonl and html/")
    args = parser.parse_args()
    pages = read_pages(args.data, "bench/dates.py")
    ours = theirs = 0
    for record, html in pages:
        url = record.get("url")
        document = RawDocument(source=url or record["id"], text=html, format="html", url=url)
        predicted = clean_document(document).published
        ours += bool(predicted) and predicted[:10] == record["published"]
        baseline = htmldate.find_date(html, url=url, extensive_search=True, original_date=True)
        theirs += baseline == record["published"]
    print(f"newsweave: {ours}/{len(pages)} right; htmldate: {theirs}/{len(pages)}")
    print(
        f"RESULT accuracy={ours / len(pages):.3f} htmldate_accuracy={theirs / len(pages):.3f} pages={len(pages)}"
    )


if __name__ == "__main__":
    main()
