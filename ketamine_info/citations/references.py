"""The numbered list of sources under a page that cites claims, and the page's markers to match.

Pages cite claims; readers follow numbers to sources. The stored HTML numbers its markers by
claim (``markup.render``: [n] is the n-th claim the text cites). For the page, the markers are
numbered again by *source*, in order of first use: a source that backs several claims has one
number and one entry, with the claims it supports listed under it, and a marker citing two
claims from the same source shows that number once.

That numbering and the entries' HTML are stored with the item (``cited_html``,
``references_html``), not worked out per request: when the item is saved, and again, for every
item citing it, whenever a claim, citation or source is saved or deleted (``connect``), since
staff change a claim's sources without saving the pages that cite it. A page then costs no
query and no rendering for its references beyond the heading around the stored entries.

The list is folded (``<details>``) on screen: a reader who follows a number to ``#ref-N`` gets it
opened and scrolled to by the browser, without JavaScript. It prints open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models.signals import post_delete, post_save, pre_delete
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .models import Citation, CitingContent, Claim, Source, citing_models

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
    """An item's stored reference list, ready to show under a heading of the page's choosing."""

    entries_html: str
    count: int
    prefix: str

    def __bool__(self) -> bool:
        return bool(self.count)

    def __len__(self) -> int:
        return self.count

    def render(self, heading: str = "References", level: int = 2) -> SafeString:
        if not self.count:
            return SafeString("")
        count = self.count
        # "References (12 sources)", but "Sources for this answer (3)".
        label = f"{count}" if "source" in heading.lower() else f"{count} source{'s' * (count != 1)}"
        level, prefix, heading = (conditional_escape(v) for v in (level, self.prefix, heading))
        # An f-string rather than format_html: a page of answers shows dozens of these lists.
        return SafeString(
            f'<details class="references">\n<summary><h{level} class="references-title" '
            f'id="{prefix}references">{heading} <span class="references-count">({label})</span>'
            f'</h{level}></summary>\n<ol class="reference-list">\n{self.entries_html}\n</ol>\n'
            "</details>"
        )


def _entry_html(entry: Entry) -> SafeString:
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
            url=reverse("citations:source", args=[source.key]),
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


def citations_by_claim_key(keys) -> dict[str, list[Citation]]:
    """The citations of the claims with these keys, each claim's in order, in one query."""
    by_key: dict[str, list[Citation]] = {}
    if not keys:
        return by_key
    citations = (
        Citation.objects.filter(claim__key__in=set(keys))
        .select_related("claim", "source")
        .order_by("claim__key", "position", "id")
    )
    for citation in citations:
        by_key.setdefault(citation.claim.key, []).append(citation)
    return by_key


NUMBERED_FIELDS = ("cited_html", "references_html", "reference_count")


def number_by_source(
    items: list[CitingContent], by_key: dict[str, list[Citation]] | None = None
) -> list[CitingContent]:
    """Set each item's ``cited_html``, ``references_html`` and ``reference_count`` from its
    stored ``body_html`` and the registry as it is now (one query for all the items, unless
    ``by_key`` is given); returns the items whose values changed."""
    if by_key is None:
        by_key = citations_by_claim_key({key for item in items for key in item.claim_keys})
    changed = []
    for item in items:
        entries, body = _number_by_source(item, by_key)
        values = {
            "cited_html": body,
            "references_html": "\n".join(_entry_html(entry) for entry in entries),
            "reference_count": len(entries),
        }
        if any(getattr(item, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(item, name, value)
            changed.append(item)
    return changed


def references_for(item: CitingContent) -> References:
    """The item's reference list as stored with it."""
    return References(item.references_html, item.reference_count, item.marker_id_prefix())


# --- Keeping the stored numbering in step with the registry ---------------------------------


def refresh(items: list[CitingContent]) -> int:
    """Number ``items`` again and write those that changed (``update()``: the item's text is
    the same, so no revision, no new "updated" time, no save signal); returns how many."""
    changed = number_by_source(items)
    for item in changed:
        type(item)._base_manager.filter(pk=item.pk).update(
            **{name: getattr(item, name) for name in NUMBERED_FIELDS}
        )
    return len(changed)


def refresh_citing(claim_ids) -> int:
    """Number again every item (drafts included) that cites one of these claims."""
    items = items_citing(claim_ids)
    return refresh(items) if items else 0


def items_citing(claim_ids) -> list[CitingContent]:
    """Every item (drafts included) that cites one of these claims, each once."""
    claim_ids = set(claim_ids)
    if not claim_ids:
        return []
    items = {
        (model, item.pk): item
        for model in citing_models()
        for item in model._base_manager.filter(claims__in=claim_ids).defer("body")
    }
    return list(items.values())


def _claim_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # loaddata brings the stored numbering with the rows
        refresh_citing([instance.pk])


def _citation_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        refresh_citing([instance.claim_id])


def _source_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        refresh_citing(Citation.objects.filter(source=instance).values_list("claim", flat=True))


def _claim_deleting(sender, instance, **kwargs) -> None:
    # Once the claim is gone, so is the relation that says which items cite it.
    instance._citing_items = items_citing([instance.pk])


def _claim_deleted(sender, instance, **kwargs) -> None:
    items = getattr(instance, "_citing_items", [])
    if items:
        refresh(items)


def connect() -> None:
    for signal, receiver, sender in (
        (post_save, _claim_saved, Claim),
        (pre_delete, _claim_deleting, Claim),
        (post_delete, _claim_deleted, Claim),
        (post_save, _citation_changed, Citation),
        (post_delete, _citation_changed, Citation),
        (post_save, _source_saved, Source),
    ):
        signal.connect(receiver, sender=sender, dispatch_uid=f"references-{receiver.__name__}")
