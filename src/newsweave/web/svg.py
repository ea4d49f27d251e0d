"""Pictures drawn on the server as SVG: a story's timeline and its "who relays whom" graph.

Both return :class:`markupsafe.Markup` built only from escaped strings: every
article-derived text (entry texts, outlet and source names) goes through
:func:`markupsafe.escape`, so the pictures can be put into a page as they are.
Nothing is fetched: no fonts, no scripts, plain SVG 1.1 that works offline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..model import Article, Relay, TimelineEntry

#: Timeline geometry in px. The axis is a third of the width so that the entry texts,
#: the part people read, get the rest; 24 px rows fit 13 px text with air between lines.
TIMELINE_WIDTH = 960
AXIS_LEFT = 16
AXIS_RIGHT = 300
TEXT_LEFT = 320
ROW_HEIGHT = 24
HEADER_HEIGHT = 30
#: Average advance of a 13 px system sans-serif character, measured on the screenshots
#: of the seed story in Chromium (about 6.6 px); rounded up so truncated text never spills.
CHAR_WIDTH = 7.0
#: At most this many tick labels on the axis.
MAX_TICKS = 8

#: Relay graph geometry in px.
GRAPH_WIDTH = 760
NODE_WIDTH = 250
NODE_HEIGHT = 26
NODE_GAP = 10

_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _shorten(text: str, width_px: float) -> str:
    """Text cut to fit ``width_px`` at :data:`CHAR_WIDTH`, with an ellipsis when cut."""
    room = max(int(width_px / CHAR_WIDTH), 4)
    text = " ".join(text.split())
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def parse_extent(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day an ISO date of any grain covers: "2024" is the whole year,
    "2024-06" the month, "2024-06-05" (or a datetime) the day. None when not a date."""
    text = value.strip()[:10]
    try:
        if len(text) == 4:
            year = int(text)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            first = dt.date(year, month, 1)
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return first, following - dt.timedelta(days=1)
        day = dt.date.fromisoformat(text)
        return day, day
    except ValueError:
        return None


def _ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    span = (last - first).days
    if span <= 45:
        step = max(1, -(-span // MAX_TICKS))
        days = [first + dt.timedelta(days=d) for d in range(0, span + 1, step)]
        return [(d, f"{_MONTH_NAMES[d.month - 1]} {d.day}") for d in days]
    months = []
    cursor = dt.date(first.year, first.month, 1)
    while cursor <= last:
        if cursor >= first:
            months.append(cursor)
        cursor = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    step = max(1, -(-len(months) // MAX_TICKS))
    chosen = months[::step]
    return [
        (m, f"{_MONTH_NAMES[m.month - 1]} {m.year}" if i == 0 or m.month == 1 else _MONTH_NAMES[m.month - 1])
        for i, m in enumerate(chosen)
    ]


def _when(date: str, end_date: str | None) -> str:
    """An entry's date; an interval keeps only what changes at its end ("2024-10-08 – 10-13")."""
    if not end_date:
        return date
    common = 0
    while common < min(len(date), len(end_date)) and date[common] == end_date[common]:
        common += 1
    cut = date.rfind("-", 0, common + 1) + 1  # shorten at a field boundary only
    return f"{date} – {end_date[cut:]}" if 0 < cut < len(end_date) else f"{date} – {end_date}"


@dataclass(frozen=True, slots=True)
class _Row:
    entry: TimelineEntry
    first: dt.date
    last: dt.date


def timeline_svg(entries: Sequence[TimelineEntry]) -> Markup:
    """A story's dated entries, one row each: a mark on a date axis (a bar for an interval
    or a coarse date such as a month), the date and the entry's text. Empty without dates."""
    rows = []
    for entry in entries:
        start = parse_extent(entry.date)
        end = parse_extent(entry.end_date) if entry.end_date else start
        if start and end:
            rows.append(_Row(entry, start[0], max(end[1], start[0])))
    if not rows:
        return Markup("")
    rows.sort(key=lambda r: (r.first, r.last))
    first = min(r.first for r in rows)
    last = max(r.last for r in rows)
    if first == last:
        first, last = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    scale = (AXIS_RIGHT - AXIS_LEFT) / ((last - first).days + 1)

    def x(day: dt.date, end: bool = False) -> float:
        return round(AXIS_LEFT + ((day - first).days + (1 if end else 0)) * scale, 1)

    height = HEADER_HEIGHT + ROW_HEIGHT * len(rows) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-svg" role="img" '
        f'viewBox="0 0 {TIMELINE_WIDTH} {height}" width="{TIMELINE_WIDTH}" height="{height}" '
        f'aria-label="Timeline of {len(rows)} dated entries">',
        f"<title>Timeline: {len(rows)} dated entries</title>",
    ]
    bottom = height - 4
    for day, label in _ticks(first, last):
        tx = x(day)
        parts.append(f'<line class="tick" x1="{tx}" y1="{HEADER_HEIGHT - 8}" x2="{tx}" y2="{bottom}"/>')
        anchor = ' text-anchor="start"' if tx - AXIS_LEFT < 24 else ""
        parts.append(
            f'<text class="tick-label"{anchor} x="{tx}" y="{HEADER_HEIGHT - 12}">{escape(label)}</text>'
        )
    for i, row in enumerate(rows):
        y = HEADER_HEIGHT + i * ROW_HEIGHT + ROW_HEIGHT / 2
        entry = row.entry
        when = _when(entry.date, entry.end_date)
        x1, x2 = x(row.first), x(row.last, end=True)
        parts.append(f'<g class="entry"><title>{escape(when)}: {escape(entry.text)}</title>')
        parts.append(f'<line class="row" x1="{AXIS_LEFT}" y1="{y}" x2="{AXIS_RIGHT}" y2="{y}"/>')
        if row.last > row.first:  # an interval, or a month or a year: a bar over the days it covers
            parts.append(
                f'<rect class="span" x="{x1}" y="{y - 5}" width="{round(x2 - x1, 1)}" height="10" rx="5"/>'
            )
        else:
            parts.append(f'<circle class="point" cx="{round((x1 + x2) / 2, 1)}" cy="{y}" r="5"/>')
        date_label = _shorten(when, 150)
        parts.append(f'<text class="date" x="{TEXT_LEFT}" y="{y + 4}">{escape(date_label)}</text>')
        text_left = TEXT_LEFT + 160
        parts.append(
            f'<text class="text" x="{text_left}" y="{y + 4}">'
            f"{escape(_shorten(entry.text, TIMELINE_WIDTH - text_left - 8))}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _node_label(article: Article, number: int) -> str:
    name = article.outlet or article.title or article.source.rsplit("/", 1)[-1]
    return f"[{number}] {name}"


def relay_graph_svg(articles: Sequence[Article], numbers: dict[str, int], relays: Sequence[Relay]) -> Markup:
    """Who relays whom: the story's articles on the left, the reports they say they repeat
    on the right ("relays Financial Times"), one arrow per article and relayed source.
    Sources are one node per resolved entity (FT and Financial Times meet), else per name."""
    sources: dict[str, str] = {}  # key -> name shown
    relaying: dict[str, set[str]] = {}  # key -> article ids
    edges: set[tuple[str, str]] = set()
    entity_keys: set[str] = set()
    for r in relays:
        if r.article not in numbers:
            continue
        key = r.entity or r.source.casefold()
        if r.entity:
            entity_keys.add(key)
        if key not in sources or len(r.source) > len(sources[key]):
            sources[key] = r.source
        relaying.setdefault(key, set()).add(r.article)
        edges.add((r.article, key))
    if not edges:
        return Markup("")
    left = sorted({a for a, _ in edges}, key=lambda a: numbers[a])
    right = sorted(sources, key=lambda k: (-len(relaying[k]), sources[k].casefold()))
    by_id = {a.id: a for a in articles}
    pitch = NODE_HEIGHT + NODE_GAP
    height = max(len(left), len(right)) * pitch + NODE_GAP + 24
    right_x = GRAPH_WIDTH - NODE_WIDTH - 4

    def y_of(index: int) -> float:
        return 24 + index * pitch + NODE_HEIGHT / 2

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="relay-svg" role="img" '
        f'viewBox="0 0 {GRAPH_WIDTH} {height}" width="{GRAPH_WIDTH}" height="{height}" '
        f'aria-label="Who relays whom: {len(edges)} relays">',
        "<title>Who relays whom</title>",
        '<defs><marker id="relay-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
        '<text class="col-label" x="4" y="14">article</text>',
        f'<text class="col-label" x="{right_x}" y="14">relays (the report it repeats)</text>',
    ]
    left_index = {a: i for i, a in enumerate(left)}
    right_index = {k: i for i, k in enumerate(right)}
    for article_id, key in sorted(edges, key=lambda e: (left_index[e[0]], right_index[e[1]])):
        y1, y2 = y_of(left_index[article_id]), y_of(right_index[key])
        x1, x2 = 4 + NODE_WIDTH, right_x - 2
        mid = (x1 + x2) / 2
        label = f"{_node_label(by_id[article_id], numbers[article_id]) if article_id in by_id else article_id} relays {sources[key]}"
        parts.append(
            f'<path class="edge" d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" '
            f'marker-end="url(#relay-arrow)"><title>{escape(label)}</title></path>'
        )
    for i, article_id in enumerate(left):
        top = y_of(i) - NODE_HEIGHT / 2
        name = _node_label(by_id[article_id], numbers[article_id]) if article_id in by_id else article_id
        parts.append(
            f'<a href="/articles/{escape(article_id)}"><g class="node article">'
            f'<rect x="4" y="{top}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="4"/>'
            f'<text x="12" y="{top + 17}">{escape(_shorten(name, NODE_WIDTH - 16))}</text></g></a>'
        )
    for i, key in enumerate(right):
        top = y_of(i) - NODE_HEIGHT / 2
        count = len(relaying[key])
        name = f"{sources[key]} ({count})" if count > 1 else sources[key]
        node = (
            f'<g class="node source"><title>{escape(sources[key])}: relayed by {count} article(s)</title>'
            f'<rect x="{right_x}" y="{top}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="4"/>'
            f'<text x="{right_x + 8}" y="{top + 17}">{escape(_shorten(name, NODE_WIDTH - 16))}</text></g>'
        )
        parts.append(f'<a href="/entities/{escape(key)}">{node}</a>' if key in entity_keys else node)
    parts.append("</svg>")
    return Markup("".join(parts))
