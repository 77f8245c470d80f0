"""References checked as patients get them: a whole rendered page, read as HTML.

The stored bodies and the registry can each be right while the page is wrong: a page built from
several parts (the decision aid's cells, an FAQ of many answers) can number its markers one way
and its lists another. So this reads the page a patient is sent and follows every link the way a
reader would: each number to its entry, each entry's source against the claims the number stands
for (the marker names them, ``data-claims``), each "back to where it is cited" link to a number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils import translation

from ketamine_info.translations import ENGLISH

from .integrity import Problem

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"})
VOID |= {"source", "track", "wbr"}


def source_key(href: str) -> str | None:
    """The key of the source page ``href`` leads to, in any language (/es/fuentes/…), or
    None."""
    path = urlsplit(href).path
    with translation.override(translation.get_language_from_path(path) or ENGLISH):
        try:
            match = resolve(path)
        except Resolver404:
            return None
    return match.kwargs.get("key") if match.view_name == "citations:source" else None


NUMBER = re.compile(r"^\[(\d+)\]$")
COUNT = re.compile(r"\((\d+)")


@dataclass
class Marker:
    """One reference number in the text: ``<a class="claim-ref">``."""

    anchor: str
    target: str
    text: str = ""
    claims: list[str] | None = None
    group: int = 0


@dataclass
class Entry:
    """One entry of a reference list: its position, its source, its back-links."""

    anchor: str
    position: int
    source: str | None = None
    backlinks: list[str] = field(default_factory=list)


@dataclass
class ReferenceList:
    shown_count: int | None = None
    entries: list[Entry] = field(default_factory=list)


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, set[str]]] = []
        self.ids: dict[str, int] = {}
        self.markers: list[Marker] = []
        self.lists: list[ReferenceList] = []
        self.entry: Entry | None = None
        self.entry_depth = 0
        self.marker: Marker | None = None
        self.counting: ReferenceList | None = None
        self.count_text = ""
        self.groups = 0

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if attrs.get("id"):
            self.ids[attrs["id"]] = self.ids.get(attrs["id"], 0) + 1
        parent_classes = self.stack[-1][1] if self.stack else set()
        if tag == "sup" and "claim-refs" in classes:
            self.groups += 1
        elif tag == "details" and "references" in classes:
            self.lists.append(ReferenceList())
        elif tag == "span" and "references-count" in classes and self.lists:
            self.counting, self.count_text = self.lists[-1], ""
        elif tag == "li" and "reference-list" in parent_classes and self.lists:
            entries = self.lists[-1].entries
            # As a browser numbers an <ol>: an item's value, else one more than the item before.
            value = attrs.get("value") or ""
            position = (
                int(value) if value.isdigit() else (entries[-1].position + 1 if entries else 1)
            )
            self.entry = Entry(attrs.get("id") or "", position)
            entries.append(self.entry)
            self.entry_depth = len(self.stack) + 1
        elif tag == "a" and "claim-ref" in classes:
            claims = attrs.get("data-claims")
            self.marker = Marker(
                anchor=attrs.get("id") or "",
                target=(attrs.get("href") or "").removeprefix("#"),
                claims=claims.split() if claims is not None else None,
                group=self.groups,
            )
            self.markers.append(self.marker)
        elif tag == "a" and self.entry is not None:
            href = attrs.get("href") or ""
            if "backlink" in classes:
                self.entry.backlinks.append(href.removeprefix("#"))
            elif "reference-source" in parent_classes and self.entry.source is None:
                self.entry.source = source_key(href)
        if tag not in VOID:
            self.stack.append((tag, classes))

    def handle_endtag(self, tag) -> None:
        if tag in VOID:
            return
        while self.stack:
            open_tag, classes = self.stack.pop()
            if open_tag == "a":
                self.marker = None
            if open_tag == "span" and "references-count" in classes and self.counting:
                found = COUNT.search(self.count_text)
                self.counting.shown_count = int(found.group(1)) if found else None
                self.counting = None
            if open_tag == "li" and self.entry is not None and len(self.stack) < self.entry_depth:
                self.entry = None
            if open_tag == tag:
                break

    def handle_data(self, data) -> None:
        if self.marker is not None:
            self.marker.text += data
        if self.counting is not None:
            self.count_text += data


@dataclass
class PageReport:
    """What a page's reference numbers do, counted, and what is wrong with them."""

    numbers: int = 0
    wrong: int = 0
    dangling: int = 0
    backlinks: int = 0
    dangling_backlinks: int = 0
    entries: int = 0
    highest_number: int = 0
    shown_counts: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, kind: str, message: str) -> None:
        self.problems.append(Problem(kind, message))

    def summary(self) -> str:
        return (
            f"{self.numbers} numbers ({self.wrong} to a source not behind the claim, "
            f"{self.dangling} to no entry), {self.backlinks} back-links ({self.dangling_backlinks}"
            f" to no number), highest number {self.highest_number}, {self.entries} entries, "
            f"lists say {sum(self.shown_counts)}"
        )


def check_page(html: str, claim_sources: Mapping[str, set[str]]) -> PageReport:
    """Every reference number and back-link on the page ``html``, followed.

    ``claim_sources``: each claim key, mapped to the keys of the sources its citations name."""
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    report = PageReport(numbers=len(reader.markers))
    entries = {entry.anchor: entry for ref_list in reader.lists for entry in ref_list.entries}
    markers = {marker.anchor: marker for marker in reader.markers}
    for anchor, times in reader.ids.items():
        if times > 1:
            report.add("duplicate id", f"id '{anchor}' is used {times} times")

    reached: dict[str, set[str]] = {}
    by_group: dict[int, list[Marker]] = {}
    for marker in reader.markers:
        by_group.setdefault(marker.group, []).append(marker)
        shown = NUMBER.match(marker.text.strip())
        number = int(shown.group(1)) if shown else 0
        report.highest_number = max(report.highest_number, number)
        entry = entries.get(marker.target)
        if entry is None:
            report.dangling += 1
            report.add("number to nowhere", f"{marker.text} leads to #{marker.target}: no entry")
            continue
        reached.setdefault(entry.anchor, set()).add(marker.anchor)
        if number != entry.position:
            report.add(
                "number not its entry's",
                f"{marker.text} leads to #{entry.anchor}, entry {entry.position} of its list",
            )
        if not marker.claims:
            report.wrong += 1
            report.add("number for no claim", f"{marker.text} (#{marker.anchor}) names no claim")
            continue
        not_behind = [k for k in marker.claims if entry.source not in claim_sources.get(k, ())]
        if not_behind:
            report.wrong += 1
            report.add(
                "number to the wrong source",
                f"{marker.text} stands for {', '.join(not_behind)} but leads to source "
                f"'{entry.source}'",
            )
        if marker.anchor not in entry.backlinks:
            report.add("number without a way back", f"{marker.text} (#{marker.anchor})")

    # A claim with two sources gets two numbers where it is cited: none may be left out.
    for group in by_group.values():
        shown_sources = {entries[m.target].source for m in group if m.target in entries}
        for key in dict.fromkeys(k for m in group for k in m.claims or ()):
            missing = claim_sources.get(key, set()) - shown_sources
            if missing:
                report.add(
                    "source left out",
                    f"where {key} is cited, no number leads to {', '.join(sorted(missing))}",
                )

    for ref_list in reader.lists:
        report.entries += len(ref_list.entries)
        if ref_list.shown_count is not None:
            report.shown_counts.append(ref_list.shown_count)
            if ref_list.shown_count != len(ref_list.entries):
                report.add(
                    "count wrong",
                    f"a list says {ref_list.shown_count} sources and has "
                    f"{len(ref_list.entries)} entries",
                )
        for entry in ref_list.entries:
            if entry.anchor not in reached:
                report.add("entry no number leads to", f"#{entry.anchor} ({entry.source})")
            for back in entry.backlinks:
                report.backlinks += 1
                marker = markers.get(back)
                if marker is None or marker.target != entry.anchor:
                    report.dangling_backlinks += 1
                    report.add(
                        "back-link to nowhere",
                        f"#{entry.anchor} links back to #{back}: no number of this entry",
                    )
    return report


def claim_sources() -> dict[str, set[str]]:
    """Each claim's key, mapped to the keys of the sources its citations name (one query)."""
    from .models import Citation

    found: dict[str, set[str]] = {}
    for claim, source in Citation.objects.values_list("claim__key", "source__key"):
        found.setdefault(claim, set()).add(source)
    return found
