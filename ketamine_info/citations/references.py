"""Builds the numbered References section for pages that cite claims."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .models import Citation, CitingContent


@dataclass
class Reference:
    number: int
    key: str
    anchor: str
    backlinks: list[str]
    statement: str = ""
    citations: list[Citation] = field(default_factory=list)


def build_references(items: list[CitingContent]) -> dict[int, list[Reference]]:
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

    result: dict[int, list[Reference]] = {}
    for item in items:
        prefix = item.marker_id_prefix()
        refs = []
        for number, key in enumerate(item.claim_keys, start=1):
            # Only ids inside a tag count: text can contain the same characters, escaped "<" aside.
            uses = len(re.findall(f'<a [^>]*id="{re.escape(prefix)}cite-{number}-', item.body_html))
            found = by_key.get(key, [])
            refs.append(
                Reference(
                    number=number,
                    key=key,
                    anchor=f"{prefix}ref-{number}",
                    backlinks=[f"{prefix}cite-{number}-{i}" for i in range(1, uses + 1)],
                    statement=found[0].claim.statement if found else "",
                    citations=found,
                )
            )
        result[id(item)] = refs
    return result
