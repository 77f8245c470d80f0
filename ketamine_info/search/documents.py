"""What the search index holds for each kind of content, and keeping it current.

Only what the public may see is indexed (each model's ``.published()``); results are checked
against ``.published()`` again when they are shown, so nothing private can leak through an index
that fell behind (a bulk ``QuerySet.update()`` sends no signals: run ``rebuild_search_index``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection, models, transaction

from ketamine_info import registry
from ketamine_info.articles.models import Article
from ketamine_info.decisions.models import Comparison
from ketamine_info.glossary.models import Term
from ketamine_info.markup import html_to_text
from ketamine_info.pages.models import Page

from .models import Document

# Control characters never belong in indexed text; two of them mark matches in snippets.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Markdown headings, e.g. "## Bladder and urinary problems".
_HEADING_RE = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


@dataclass(frozen=True)
class Indexed:
    kind: str
    model: type[models.Model]
    title_field: str

    def title(self, obj) -> str:
        return getattr(obj, self.title_field)

    def headings(self, obj) -> str:
        """What weighs more than the body: a page's section headings, a term's other names."""
        if isinstance(obj, Term):
            return "\n".join(obj.alias_list)
        if isinstance(obj, Comparison):
            # The options compared and the questions they are compared on.
            return "\n".join(dict.fromkeys([*obj.option_list, *_HEADING_RE.findall(obj.body)]))
        if isinstance(obj, Article | Page):
            return "\n".join(m.strip(" #") for m in _HEADING_RE.findall(obj.body))
        return ""

    def body(self, obj) -> str:
        parts = []
        if isinstance(obj, Article | Page | Comparison):
            parts.append(obj.summary)
        parts.append(html_to_text(obj.body_html))
        return " ".join(part for part in parts if part)

    def language(self, obj) -> str:
        """The item's language; a kind that has none is English."""
        return getattr(obj, "language", "") or Document.Language.ENGLISH

    def fields(self, obj) -> dict:
        return {
            "language": self.language(obj),
            "title": plain(self.title(obj))[:200],
            "headings": plain(self.headings(obj)),
            "body": plain(self.body(obj)),
        }

    def public(self):
        return self.model._default_manager.published()


# What each kind declares in its content.py (``ContentKind.search_kind``, ``search_title``).
INDEXED = tuple(
    Indexed(kind.search_kind, kind.model, kind.search_title)
    for kind in registry.kinds()
    if kind.search_kind
)
BY_MODEL = {entry.model: entry for entry in INDEXED}
BY_KIND = {entry.kind: entry for entry in INDEXED}


def plain(text: str) -> str:
    return _CONTROL_RE.sub(" ", text)


def index(obj) -> None:
    """Add, refresh or remove one item's document, according to whether the public sees it."""
    entry = BY_MODEL[type(obj)]
    lookup = {"kind": entry.kind, "object_id": obj.pk}
    if not entry.public().filter(pk=obj.pk).exists():
        Document.objects.filter(**lookup).delete()
        return
    Document.objects.update_or_create(**lookup, defaults=entry.fields(obj))


def unindex(obj) -> None:
    Document.objects.filter(kind=BY_MODEL[type(obj)].kind, object_id=obj.pk).delete()


@transaction.atomic
def rebuild() -> int:
    """Index everything public from scratch; returns the number of documents."""
    Document.objects.all().delete()
    if connection.vendor == "postgresql":
        # The vocabulary only grows as documents change; start it again from what is indexed.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_word")
    documents = [
        Document(kind=entry.kind, object_id=obj.pk, **entry.fields(obj))
        for entry in INDEXED
        for obj in entry.public()
    ]
    # On SQLite the triggers from migration 0001 copy every inserted row into the FTS5 index.
    Document.objects.bulk_create(documents)
    return len(documents)
