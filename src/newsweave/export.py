"""Export: the dossier as JSON (the contract of DESIGN.md), Markdown or HTML.

Exports read records one at a time from a :class:`RecordSource` (the store, or a
dossier in memory) and write as they read, so a large corpus is never built
whole in memory. JSON keys are sorted and rows come in the store's stable order,
so the same store always gives byte-identical output.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Protocol, TextIO

from .errors import ExportError
from .model import SCHEMA_ID, Article, Dossier, Entity, Story, to_dict

FORMATS = ("json", "md", "html")


class RecordSource(Protocol):
    """Where exports read from: ``iter(field, story_id)`` yields a field's records."""

    def iter(self, name: str, story_id: str | None = None) -> Iterator[Any]: ...

    def story_of_articles(self) -> dict[str, str]: ...


@dataclass(frozen=True)
class DossierSource:
    """A dossier in memory seen as a :class:`RecordSource`."""

    dossier: Dossier

    def story_of_articles(self) -> dict[str, str]:
        return self.dossier.story_of()

    def iter(self, name: str, story_id: str | None = None) -> Iterator[Any]:
        records: Iterable[Any] = getattr(self.dossier, name)
        if story_id is None:
            yield from records
            return
        members = {aid for s in self.dossier.stories if s.id == story_id for aid in s.article_ids}
        for record in records:
            if name == "entities":
                mentions = tuple(m for m in record.mentions if m.article in members)
                if mentions:
                    yield Entity(record.id, record.name, record.type, record.aliases, mentions)
            elif _belongs(name, record, story_id, members):
                yield record


def _belongs(name: str, record: Any, story_id: str, members: set[str]) -> bool:
    """Whether a record is part of one story (whose articles are ``members``)."""
    if name == "articles":
        return record.id in members
    if name == "stories":
        return bool(record.id == story_id)
    if name == "reuse":
        return record.a in members or record.b in members
    if hasattr(record, "story_id"):
        return bool(record.story_id == story_id)
    return hasattr(record, "article") and record.article in members


# ------------------------------------------------------------------- JSON

#: Dossier keys in the order they are written; all but "schema" are lists.
JSON_SECTIONS = (
    "articles",
    "reuse",
    "relays",
    "entities",
    "dates",
    "quotes",
    "stories",
    "claims",
    "discrepancies",
    "timeline",
    "brief",
    "rejected",
)


def _article_json(article: Article, story_of: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = to_dict(article)
    data["story_id"] = story_of.get(article.id)
    return data


def _section_items(
    source: RecordSource, section: str, story_id: str | None, story_of: dict[str, str]
) -> Iterator[dict[str, Any]]:
    for record in source.iter(section, story_id):
        yield _article_json(record, story_of) if section == "articles" else to_dict(record)


def write_json(source: RecordSource, out: TextIO, story_id: str | None = None) -> None:
    """Stream the dossier as one JSON object, item by item."""
    story_of = source.story_of_articles()
    out.write('{"schema": ' + json.dumps(SCHEMA_ID))
    for section in JSON_SECTIONS:
        out.write(f",\n{json.dumps(section)}: [")
        separator = "\n"
        for item in _section_items(source, section, story_id, story_of):
            out.write(separator + json.dumps(item, ensure_ascii=False, sort_keys=True))
            separator = ",\n"
        out.write("]")
    out.write("}\n")


def dossier_json(dossier: Dossier, story_id: str | None = None) -> dict[str, Any]:
    """The dossier as a JSON-ready dict (for the Python API and tests)."""
    source, story_of = DossierSource(dossier), dossier.story_of()
    return {
        "schema": SCHEMA_ID,
        **{s: list(_section_items(source, s, story_id, story_of)) for s in JSON_SECTIONS},
    }


@cache
def schema() -> dict[str, Any]:
    """The dossier's JSON Schema, shipped inside the package."""
    text = resources.files("newsweave").joinpath("schema/dossier-1.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def validate(data: dict[str, Any]) -> None:
    """Raise ExportError naming the first place where ``data`` breaks the dossier schema."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise ExportError(f"dossier breaks the schema at {where}: {error.message}")


# ------------------------------------------------------- per-story views


@dataclass(frozen=True)
class StoryView:
    """One story's records, for the Markdown and HTML pages and `newsweave show`."""

    story: Story
    articles: list[Article]
    relays: list[Any]
    claims: list[Any]
    discrepancies: list[Any]
    timeline: list[Any]
    brief: list[Any]

    def number_of(self) -> dict[str, int]:
        """Article id -> its citation number [1], [2], ... in this story."""
        return {article.id: n for n, article in enumerate(self.articles, 1)}


def story_views(source: RecordSource, story_id: str | None = None) -> Iterator[StoryView]:
    for story in list(source.iter("stories", story_id)):
        yield StoryView(
            story=story,
            **{
                name: list(source.iter(name, story.id))
                for name in ("articles", "relays", "claims", "discrepancies", "timeline", "brief")
            },
        )


def _cites(ids: Iterable[str], numbers: dict[str, int]) -> str:
    return "".join(
        f"[{numbers[i]}]" for i in sorted(set(ids), key=lambda i: numbers.get(i, 0)) if i in numbers
    )


def _fmt_value(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _dates(first: str | None, last: str | None) -> str:
    if not first:
        return "undated"
    return first if not last or last == first else f"{first} – {last}"


# --------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


def md_escape(text: str) -> str:
    """Article text made inert in Markdown (no links, emphasis, HTML or table breaks)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def write_markdown(source: RecordSource, out: TextIO, story_id: str | None = None) -> None:
    out.write("# newsweave dossier\n")
    for view in story_views(source, story_id):
        out.write("\n" + "\n".join(markdown_story(view)) + "\n")


def markdown_story(view: StoryView) -> list[str]:
    num = view.number_of()
    s = view.story
    lines = [
        f"## {md_escape(s.title)}",
        "",
        f"{_dates(s.first_date, s.last_date)} · {len(view.articles)} articles",
        "",
    ]
    lines += ["### Brief", ""]
    lines += [
        f"- {md_escape(b.text)} {_cites(b.article_ids, num)}{'' if b.verified else ' (unverified)'}"
        for b in view.brief
    ] or ["(none)"]
    lines += ["", "### Timeline", ""]
    for t in view.timeline:
        when = t.date if not t.end_date else f"{t.date} – {t.end_date}"
        lines.append(f"- **{when}** {md_escape(t.text)} {_cites(t.article_ids, num)}")
    lines += [
        "",
        "### Claims",
        "",
        "| claim | date | independent sources | articles | origins |",
        "|---|---|---|---|---|",
    ]
    for c in view.claims:
        lines.append(
            f"| {md_escape(c.text)} {_cites(c.article_ids, num)} | {c.date or ''} | {c.independent_sources} "
            f"| {c.article_count} | {md_escape(', '.join(c.origins))} |"
        )
    lines += ["", "### Discrepancies", ""]
    for d in view.discrepancies:
        kind = "conflict" if d.conflict else "compatible"
        lines.append(f"- **{md_escape(d.subject)}** ({kind})")
        for v in d.values:
            qualifier = f"{v.qualifier} " if v.qualifier else ""
            lines.append(
                f"  - {md_escape(qualifier + _fmt_value(v.value))}: {md_escape(', '.join(v.sources))} "
                f"{_cites(v.article_ids, num)}{' · ' + v.date if v.date else ''}"
            )
    lines += ["", "### Articles", ""]
    relays = _relays_by_article(view.relays)
    for a in view.articles:
        meta = " · ".join(x for x in (a.outlet, a.published, a.byline) if x)
        relay = f" · relays {md_escape(', '.join(relays[a.id]))}" if relays.get(a.id) else ""
        lines.append(f"{num[a.id]}. {md_escape(a.title or a.source)} ({md_escape(meta or a.source)}){relay}")
    return lines


def _relays_by_article(relays: Iterable[Any]) -> dict[str, list[str]]:
    by_article: dict[str, list[str]] = {}
    for r in relays:
        names = by_article.setdefault(r.article, [])
        if r.source not in names:
            names.append(r.source)
    return by_article


# ------------------------------------------------------------------- HTML

_CSS = """body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;vertical-align:top}
.unverified{color:#a00}.cite{font-size:.8em;color:#555}section{margin-bottom:3rem}"""


def write_html(source: RecordSource, out: TextIO, story_id: str | None = None) -> None:
    out.write(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>newsweave dossier</title><style>{_CSS}</style></head><body>\n<h1>newsweave dossier</h1>\n"
    )
    for view in story_views(source, story_id):
        out.write(html_story(view) + "\n")
    out.write("</body></html>\n")


def html_story(view: StoryView) -> str:
    e = html.escape
    num = view.number_of()
    s = view.story

    def cites(ids: Iterable[str]) -> str:
        return f'<span class="cite">{e(_cites(ids, num))}</span>'

    parts = [f'<section id="{e(s.id)}"><h2>{e(s.title)}</h2>']
    parts.append(
        f"<p>{e(_dates(s.first_date, s.last_date))} · {len(view.articles)} articles</p><h3>Brief</h3><ul>"
    )
    for b in view.brief:
        css = "" if b.verified else ' class="unverified"'
        parts.append(f"<li{css}>{e(b.text)} {cites(b.article_ids)}</li>")
    parts.append("</ul><h3>Timeline</h3><ul>")
    for t in view.timeline:
        when = t.date if not t.end_date else f"{t.date} – {t.end_date}"
        parts.append(f"<li><b>{e(when)}</b> {e(t.text)} {cites(t.article_ids)}</li>")
    parts.append(
        "</ul><h3>Claims</h3><table><tr><th>claim</th><th>date</th><th>independent sources</th>"
        "<th>articles</th><th>origins</th></tr>"
    )
    for c in view.claims:
        parts.append(
            f"<tr><td>{e(c.text)} {cites(c.article_ids)}</td><td>{e(c.date or '')}</td>"
            f"<td>{c.independent_sources}</td><td>{c.article_count}</td><td>{e(', '.join(c.origins))}</td></tr>"
        )
    parts.append("</table><h3>Discrepancies</h3><ul>")
    for d in view.discrepancies:
        values = "".join(
            f"<li>{e((v.qualifier + ' ') if v.qualifier else '')}{e(_fmt_value(v.value))}: "
            f"{e(', '.join(v.sources))} {cites(v.article_ids)}</li>"
            for v in d.values
        )
        parts.append(
            f"<li><b>{e(d.subject)}</b> ({'conflict' if d.conflict else 'compatible'})<ul>{values}</ul></li>"
        )
    parts.append("</ul><h3>Articles</h3><ol>")
    relays = _relays_by_article(view.relays)
    for a in view.articles:
        meta = " · ".join(x for x in (a.outlet, a.published, a.byline) if x)
        relay = f" · relays {e(', '.join(relays[a.id]))}" if relays.get(a.id) else ""
        parts.append(
            f'<li id="{e(a.id)}">{e(a.title or a.source)} <small>{e(meta or a.source)}{relay}</small></li>'
        )
    parts.append("</ol></section>")
    return "".join(parts)


# ---------------------------------------------------------------- dispatch

WRITERS: dict[str, Callable[[RecordSource, TextIO, str | None], None]] = {
    "json": write_json,
    "md": write_markdown,
    "html": write_html,
}


def write(source: RecordSource, out: TextIO, fmt: str, story_id: str | None = None) -> None:
    """Write the dossier (or one story of it) in ``fmt``: json, md or html."""
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}") from None
    writer(source, out, story_id)
