"""Origins: a claim's supporting articles collapsed to the independent sources they rest on
(see the package docstring for the rules)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ..model import Article, Entity, Quote, Relay, Reuse, Support, by_article
from ..unionfind import UnionFind
from .text import _overlapping

#: Share of a sentence inside a copied passage for the sentence to count as copied.
COPIED_SHARE = 0.9
#: A sentence naming a report only by reference ("the publication") relays the last
#: report relayed at most this many characters before it (about two sentences).
REPORT_REFERENCE_WINDOW = 400
#: Group members a claim's central sentence is compared with (bounds the cost of big groups).
_REPORT_REFERENCE = re.compile(
    r"\b(?:the|this|that)\s+(?:publication|newspaper|paper|report|outlet|magazine|broadcaster)\b", re.I
)


def source_label(source: str) -> str:
    """A relay source as written, as an origin label: no leading "the", no trailing "(ACRONYM)"."""
    return re.sub(r"^the\s+|\s*\([A-Z]{2,6}\)$", "", source.strip(), flags=re.I)


def _initials(label: str) -> str:
    return "".join(word[0] for word in label.split() if word[:1].isupper())


def relay_labels(relays: Sequence[Relay], entities: Sequence[Entity]) -> dict[Relay, str]:
    """Each relay's origin label: its resolved entity's name, else the source as written,
    with a bare acronym ("FT") spelled out when another relay of the corpus names a
    source with those initials ("Financial Times")."""
    names = {e.id: e.name for e in entities}
    labels = {r: names.get(r.entity or "", "") or source_label(r.source) for r in relays}
    spelled: dict[str, str] = {}
    for label in sorted(set(labels.values())):
        if len(label.split()) > 1 and len(_initials(label)) > 1:
            spelled.setdefault(_initials(label), label)
    return {r: spelled.get(label, label) if label.isupper() else label for r, label in labels.items()}


class _Sources:
    """Who a claim's sentences cite, and the independent origins its articles collapse to."""

    def __init__(
        self,
        articles: Sequence[Article],
        reuse: Sequence[Reuse],
        relays: Sequence[Relay],
        quotes: Sequence[Quote],
        entities: Sequence[Entity],
    ) -> None:
        self.articles = {a.id: a for a in articles}
        self.copies: dict[str, list[Reuse]] = defaultdict(list)
        for r in reuse:
            self.copies[r.a].append(r)
            self.copies[r.b].append(r)
        self.relays = by_article(relays)
        self.quotes = by_article(quotes)
        self.labels = relay_labels(relays, entities)
        self.entity_names = {e.id: e.name for e in entities}

    def relayed(self, support: Support) -> list[str]:
        """The reports a supporting sentence says it repeats: its own relays, else, when
        it names a report by reference, the last one relayed shortly before it."""
        relays = self.relays.get(support.article, ())
        found = _overlapping(relays, support.start, support.end)
        if not found and _REPORT_REFERENCE.search(support.text):
            earlier = [r for r in relays if support.start - REPORT_REFERENCE_WINDOW <= r.end <= support.start]
            found = (max(earlier, key=lambda r: (r.end, r.start)),) if earlier else ()
        return sorted({self.labels[r] for r in found})

    def speakers(self, support: Support) -> list[str]:
        found = _overlapping(self.quotes.get(support.article, ()), support.start, support.end)
        names = (self.entity_names.get(q.speaker_entity or "", "") or q.speaker for q in found)
        return sorted({name for name in names if name})

    def origins(self, support: Sequence[Support]) -> tuple[str, ...]:
        """The distinct origins of a claim's supporting articles (see the module docstring)."""
        supports_of = by_article(support)
        links = UnionFind(sorted(supports_of))
        relayed = {
            a: sorted({label for s in ss for label in self.relayed(s)}) for a, ss in supports_of.items()
        }
        first: dict[str, str] = {}  # outlet or report key -> first article naming it
        for article, ss in sorted(supports_of.items()):
            outlet = self.articles[article].outlet if article in self.articles else None
            # one namespace: an article relaying "Ukrinform" and one published by it are one origin
            keys = [source_label(label).casefold() for label in relayed[article]]
            keys += [source_label(outlet).casefold()] if outlet else []
            for key in keys:
                links.union(first.setdefault(key, article), article)
            for r in self.copies.get(article, ()):
                other = r.b if r.a == article else r.a
                if other in supports_of and (r.kind != "shared_passage" or any(_holds(r, s) for s in ss)):
                    links.union(article, other)
        return tuple(sorted({self._label(group, relayed) for group in links.groups()}))

    def _label(self, group: list[str], relayed: dict[str, list[str]]) -> str:
        reports = sorted(label for a in group for label in relayed[a])
        if reports:
            return reports[0]
        known = [self.articles[a] for a in group if a in self.articles]
        outlets = sorted(a.outlet for a in known if a.outlet)
        if outlets:
            return outlets[0]
        return min(group, key=lambda a: (self.articles[a].published or "~" if a in self.articles else "~", a))


def _holds(reuse: Reuse, support: Support) -> bool:
    """Whether a copied passage holds the sentence (all but its edges: a passage ends
    at its last shared word, the sentence at its full stop)."""
    start, end = (reuse.a_start, reuse.a_end) if reuse.a == support.article else (reuse.b_start, reuse.b_end)
    overlap = min(end, support.end) - max(start, support.start)
    return overlap >= COPIED_SHARE * (support.end - support.start)
