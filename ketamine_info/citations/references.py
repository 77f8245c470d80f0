"""The numbered list of sources under a page that cites claims.

Pages cite claims; readers follow numbers to sources. The renderer numbers a body's markers by
*source*, in order of first use, and lists the entries they lead to in the same pass
(``markup.render`` with the claim → source map in hand): a source that backs several claims has
one number and one entry, with the claims it supports listed under it. This module only writes
those entries as HTML, from the citations the body was rendered with; it never reads the
rendered text again.

The entries' HTML is stored with the item (``references_html``), not worked out per request:
when the item is saved, and again, for every item citing it, whenever a claim, citation or
source is saved or deleted (``rerender.py``), since staff change a claim's sources without saving
the pages that cite them. A page then costs no query and no rendering for its references beyond
the heading around the stored entries.

The list is folded (``<details>``) on screen: a reader who follows a number to ``#ref-N`` gets it
opened and scrolled to by the browser, without JavaScript. It prints open.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ketamine_info.markup import ReferenceEntry
from ketamine_info.translations import ENGLISH, current_language


@dataclass
class References:
    """An item's stored reference list, ready to show under a heading of the page's choosing."""

    entries_html: str
    count: int
    prefix: str

    def __bool__(self) -> bool:
        return bool(self.count)

    def __len__(self) -> int:
        return self.count

    def cited_in(self, html: str) -> References:
        """The list cut to what a page showing only part of the item cites (one slice of a
        decision aid): the entries its numbers lead to, with back-links to those numbers only.
        Numbers stay the whole item's, so a number and its entry never part."""
        shown = set(_MARKER_ID.findall(html))
        kept = []
        for entry in _ENTRY_START.split(self.entries_html):
            if not entry.strip():
                continue
            entry = _BACKLINK.sub(lambda m: m.group(0) if m.group(1) in shown else "", entry)
            if _BACKLINK.search(entry):
                # The item's own number, which the list would otherwise count afresh.
                entry = _ENTRY_TAG.sub(r'<li id="\1ref-\2" value="\2">', entry, count=1)
                kept.append(entry.rstrip("\n"))
        return replace(self, entries_html="\n".join(kept), count=len(kept))

    def render(self, heading: str | None = None, level: int = 2) -> SafeString:
        """Under ``heading``, or "References" when none is given."""
        if not self.count:
            return SafeString("")
        count = self.count
        # "References (12 sources)", but "Sources for this answer (3)": a heading of the page's
        # choosing already says they are sources.
        if heading is None:
            heading = _("References")
            label = ngettext("%(count)d source", "%(count)d sources", count) % {"count": count}
        else:
            label = f"{count}"
        level, prefix, heading = (conditional_escape(v) for v in (level, self.prefix, heading))
        # An f-string rather than format_html: a page of answers shows dozens of these lists.
        return SafeString(
            f'<details class="references">\n<summary><h{level} class="references-title" '
            f'id="{prefix}references">{heading} <span class="references-count">({label})</span>'
            f'</h{level}></summary>\n<ol class="reference-list">\n{self.entries_html}\n</ol>\n'
            "</details>"
        )


# The renderer's own markup (markup.ReferenceNumberer, _claim_html below), which nothing a writer
# types can produce: a number's id, the start of an entry, one back-link.
_MARKER_ID = re.compile(r'<a [^>]*class="claim-ref"[^>]*\bid="([^"]+)"')
_ENTRY_START = re.compile(r'(?=<li id="[^"]*ref-\d+">)')
_ENTRY_TAG = re.compile(r'<li id="([^"]*)ref-(\d+)">')
_BACKLINK = re.compile(r' <a class="backlink" href="#([^"]+)">.*?</a>', re.S)


def source_ids(by_key: Mapping[str, list]) -> dict[str, list[int]]:
    """What the renderer numbers by: each claim key, mapped to its citations' sources, in order."""
    return {
        key: [citation.source_id for citation in citations] for key, citations in by_key.items()
    }


def entries_html(references: list[ReferenceEntry], by_key: Mapping[str, list]) -> str:
    """The list's entries, as the renderer made them, with each source's and claim's words
    from the citations ``by_key`` (each claim key's, with claim and source fetched)."""
    return "\n".join(_entry_html(entry, by_key) for entry in references)


def _entry_html(entry: ReferenceEntry, by_key: Mapping[str, list]) -> SafeString:
    source = None
    if entry.source is not None:
        source = next(
            citation.source
            for key in entry.claims
            for citation in by_key.get(key, ())
            if citation.source_id == entry.source
        )
    if source is None:
        about = format_html(
            '<p class="reference-source">{}</p>', _("No source is recorded for this yet.")
        )
    else:
        year = f", {source.year}" if source.year else ""
        original = ""
        if source.original_url:
            original = format_html(
                ' <a class="original" href="{}" rel="noopener">{}'
                '<span class="visually-hidden">: {}</span></a>',
                source.original_url,
                _("Read the original"),
                source.title,
            )
        # The registry's sources are English documents: on a page in another language their
        # title and publisher are marked as English, for screen readers.
        english, publisher = "", source.publisher
        if current_language() != ENGLISH:
            english = format_html(' lang="{}"', ENGLISH)
            publisher = format_html('<span lang="{}">{}</span>', ENGLISH, publisher)
        about = format_html(
            '<p class="reference-source"><a href="{url}"{english}>{title}</a>. '
            "{publisher}{year}. "
            '<span class="kind kind-{kind}">{kind_label}</span>{original}</p>',
            url=reverse("citations:source", args=[source.key]),
            english=english,
            title=source.title,
            publisher=publisher,
            year=year,
            kind=source.kind,
            kind_label=source.get_kind_display(),
            original=original,
        )
    claims = format_html_join(
        "\n",
        "<li>{}</li>",
        ((_claim_html(entry, key, backlinks, by_key),) for key, backlinks in entry.claims.items()),
    )
    return format_html(
        '<li id="{}">{}\n<ul class="reference-claims">\n{}\n</ul></li>', entry.anchor, about, claims
    )


def _claim_html(
    entry: ReferenceEntry, key: str, backlinks: list[str], by_key: Mapping[str, list]
) -> SafeString:
    citations = by_key.get(key, [])
    # A claim with no source yet (a draft in preview; check_citations refuses it) shows its key.
    if citations:
        # In the reader's language when the claim has that wording; otherwise the English,
        # marked as English for screen readers.
        language = current_language()
        statement, written_in = citations[0].claim.statement_in(language)
        if written_in != language:
            statement = format_html('<span lang="{}">{}</span>', written_in, statement)
    else:
        statement = key
    locators = dict.fromkeys(
        c.locator.rstrip(".") for c in citations if c.source_id == entry.source and c.locator
    )
    where = format_html_join("", ' <span class="locator">{}.</span>', ((loc,) for loc in locators))
    several = len(backlinks) > 1
    back = format_html_join(
        "",
        ' <a class="backlink" href="#{}"><span aria-hidden="true">↩</span><span '
        'class="visually-hidden">{}</span></a>',
        (
            (anchor, _backlink_text(entry.number, place if several else None))
            for place, anchor in enumerate(backlinks, start=1)
        ),
    )
    return format_html("{}{}{}", statement, where, back)


def _backlink_text(number: int, place: int | None) -> str:
    if place is None:
        return _("Back to where source %(number)s is cited") % {"number": number}
    # Translators: a source cited in several places of one page; "place" counts them from 1.
    return _("Back to where source %(number)s is cited, place %(place)s") % {
        "number": number,
        "place": place,
    }


def references_for(item) -> References:
    """The item's reference list as stored with it."""
    return References(item.references_html, item.reference_count, item.marker_id_prefix())
