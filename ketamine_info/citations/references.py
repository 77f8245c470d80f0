"""The numbered list of sources under a page that cites claims, and the page's markers to match.

Pages cite claims; readers follow numbers to sources. The stored HTML numbers its markers by
claim (``markup.render``: [n] is the n-th claim the text cites). When a page is built, the
markers are numbered again by *source*, in order of first use: a source that backs several
claims has one number and one entry, with the claims it supports listed under it, and a marker
citing two claims from the same source shows that number once. This is done when the page is
built, never stored, because staff change a claim's sources without saving the pages that cite
it. It costs one regular-expression pass over the stored HTML and one ``format_html`` per entry
(no template, one ``reverse()`` per source); the page cache keeps the result.

The list is folded (``<details>``) on screen: a reader who follows a number to ``#ref-N`` gets it
opened and scrolled to by the browser, without JavaScript. It prints open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .models import Citation, CitingContent, Source

# A marker group, and one link in it, exactly as markup.render writes them (after bleach, which
# orders attributes). Nothing a writer types can produce <sup class="claim-refs">.
SUP_RE = re.compile(r'<sup class="claim-refs">(.*?)</sup>', re.S)
LINK_RE = re.compile(r'<a [^>]*href="#[^"]*?ref-(\d+)"[^>]*>\[\d+\]</a>')


@dataclass
class SupportedClaim:
    """One claim under a source: what the page says, where in the source, where on the page."""

    statement: str
    locators: list[str] = field(default_factory=list)
    backlinks: list[str] = field(default_factory=list)


@dataclass
class Entry:
    number: int
    anchor: str
    # None for a claim that cites no source yet (a draft in preview; check_citations refuses it).
    source: Source | None
    claims: dict[str, SupportedClaim] = field(default_factory=dict)


@dataclass
class References:
    entries: list[Entry]
    # The item's HTML with its markers numbered by source.
    body_html: str
    prefix: str

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def render(self, heading: str = "References", level: int = 2) -> SafeString:
        if not self.entries:
            return SafeString("")
        count = len(self.entries)
        # "References (12 sources)", but "Sources for this answer (3)".
        label = f"{count}" if "source" in heading.lower() else f"{count} source{'s' * (count != 1)}"
        pattern = _source_url_pattern()  # one reverse() for the whole list
        items = format_html_join("\n", "{}", ((_entry_html(e, pattern),) for e in self.entries))
        return format_html(
            '<details class="references">\n<summary><h{level} class="references-title" '
            'id="{prefix}references">{heading} <span class="references-count">({label})</span>'
            '</h{level}></summary>\n<ol class="reference-list">\n{items}\n</ol>\n</details>',
            level=level,
            prefix=self.prefix,
            heading=heading,
            label=label,
            items=items,
        )


# Source keys are slugs: the address of one is the address of any other with the key swapped.
KEY_SLOT = "source-key-slot"


def _source_url_pattern() -> str:
    return reverse("citations:source", args=[KEY_SLOT])


def _entry_html(entry: Entry, url_pattern: str) -> SafeString:
    source = entry.source
    if source is None:
        about = mark_safe('<p class="reference-source">No source is recorded for this yet.</p>')
    else:
        year = f", {source.year}" if source.year else ""
        original = ""
        if source.original_url:
            original = format_html(
                ' <a class="original" href="{}" rel="noopener">Read the original'
                '<span class="visually-hidden">: {}</span></a>',
                source.original_url,
                source.title,
            )
        about = format_html(
            '<p class="reference-source"><a href="{url}">{title}</a>. {publisher}{year}. '
            '<span class="kind kind-{kind}">{kind_label}</span>{original}</p>',
            url=url_pattern.replace(KEY_SLOT, source.key),
            title=source.title,
            publisher=source.publisher,
            year=year,
            kind=source.kind,
            kind_label=source.get_kind_display(),
            original=original,
        )
    claims = format_html_join(
        "\n", "<li>{}</li>", ((_claim_html(entry, claim),) for claim in entry.claims.values())
    )
    return format_html(
        '<li id="{}">{}\n<ul class="reference-claims">\n{}\n</ul></li>', entry.anchor, about, claims
    )


def _claim_html(entry: Entry, claim: SupportedClaim) -> SafeString:
    where = format_html_join(
        "", ' <span class="locator">{}.</span>', ((loc.rstrip("."),) for loc in claim.locators)
    )
    several = len(claim.backlinks) > 1
    back = format_html_join(
        "",
        ' <a class="backlink" href="#{}"><span aria-hidden="true">↩</span><span '
        'class="visually-hidden">Back to where source {} is cited{}</span></a>',
        (
            (anchor, entry.number, f", place {place}" if several else "")
            for place, anchor in enumerate(claim.backlinks, start=1)
        ),
    )
    return format_html("{}{}{}", claim.statement, where, back)


def _number_by_source(
    item: CitingContent, by_key: dict[str, list[Citation]]
) -> tuple[list[Entry], str]:
    prefix = item.marker_id_prefix()
    entries: dict[object, Entry] = {}
    uses: dict[int, int] = {}

    def entry_for(identity: object, source: Source | None) -> Entry:
        if identity not in entries:
            number = len(entries) + 1
            entries[identity] = Entry(number, f"{prefix}ref-{number}", source)
        return entries[identity]

    def renumber(group: re.Match) -> str:
        # The entries this marker group points to, each once, with the claims that led there.
        targets: dict[int, tuple[Entry, list[str]]] = {}
        for claim_number in LINK_RE.findall(group.group(1)):
            index = int(claim_number) - 1
            if index >= len(item.claim_keys):
                continue
            key = item.claim_keys[index]
            citations = by_key.get(key, [])
            for citation in citations or [None]:
                if citation is None:
                    entry = entry_for(("claim", key), None)
                    statement, locator = key, ""
                else:
                    entry = entry_for(citation.source_id, citation.source)
                    statement, locator = citation.claim.statement, citation.locator
                claim = entry.claims.setdefault(key, SupportedClaim(statement))
                if locator and locator not in claim.locators:
                    claim.locators.append(locator)
                targets.setdefault(entry.number, (entry, []))[1].append(key)
        links = []
        for number, (entry, keys) in sorted(targets.items()):
            uses[number] = uses.get(number, 0) + 1
            anchor = f"{prefix}cite-{number}-{uses[number]}"
            for key in dict.fromkeys(keys):
                entry.claims[key].backlinks.append(anchor)
            links.append(
                f'<a aria-label="Source [{number}]" class="claim-ref" href="#{entry.anchor}" '
                f'id="{anchor}">[{number}]</a>'
            )
        # A word joiner (U+2060) keeps the numbers on the line of the word they follow.
        return f'\u2060<sup class="claim-refs">{"".join(links)}</sup>' if links else ""

    body = SUP_RE.sub(renumber, item.body_html)
    return list(entries.values()), body


def build_references(items: list[CitingContent]) -> dict[int, References]:
    """References for each item, keyed by ``id(item)``, fetched with one query for all items."""
    keys = {key for item in items for key in item.claim_keys}
    citations = (
        Citation.objects.filter(claim__key__in=keys)
        .select_related("claim", "source")
        .order_by("claim__key", "position", "id")
    )
    by_key: dict[str, list[Citation]] = {}
    for citation in citations:
        by_key.setdefault(citation.claim.key, []).append(citation)
    result = {}
    for item in items:
        entries, body = _number_by_source(item, by_key)
        result[id(item)] = References(entries, body, item.marker_id_prefix())
    return result


def references_for(item: CitingContent) -> References:
    """The item's references: those a view built for many items at once (``item.references``),
    or built now, with a query of their own."""
    refs = getattr(item, "references", None)
    if refs is None:
        refs = item.references = build_references([item])[id(item)]
    return refs
