from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import DetailView, ListView

from ketamine_info.meta import PageMeta, PageMetaMixin
from ketamine_info.translations import ENGLISH, Translatable, current_language

from .models import Citation, Claim, Source, citing_models


class SourceListView(PageMetaMixin, ListView):
    template_name = "citations/source_list.html"
    context_object_name = "sources"

    def get_meta(self):
        return PageMeta(
            title=pgettext("heading of the sources page", "Sources"),
            description=_(
                "Every document this site relies on, grouped by the kind of evidence "
                "it is, with the number of statements that cite it."
            ),
            breadcrumbs=[
                (pgettext("heading of the sources page", "Sources"), reverse("citations:list"))
            ],
        )

    def get_queryset(self):
        return Source.objects.annotate(
            claim_count=Count("citations__claim", distinct=True)
        ).order_by("title")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = []
        for kind in Source.Kind:
            members = [s for s in context["sources"] if s.kind == kind.value]
            if members:
                groups.append({"kind": kind, "sources": members})
        context["groups"] = groups
        return context


class SourceDetailView(PageMetaMixin, DetailView):
    """A source, the claims that cite it and the public pages that state each claim: one
    query for each, and one for each kind of page, however many there are."""

    model = Source
    slug_field = slug_url_kwarg = "key"
    context_object_name = "source"

    def get_meta(self):
        source = self.object
        year = f", {source.year}" if source.year else ""
        return PageMeta(
            title=source.title,
            description=f"{source.get_kind_display()}: {source.title} ({source.publisher}{year})."[
                :300
            ],
            breadcrumbs=[
                (pgettext("heading of the sources page", "Sources"), reverse("citations:list")),
                (source.title, source.get_absolute_url()),
            ],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.object
        # As Claim.used_on(public_only=True) lists the pages, one query per kind of page.
        pages = [
            Prefetch(
                rel.get_accessor_name(),
                queryset=in_reader_language(rel.related_model.objects.published()).only(
                    *page_fields(rel.related_model)
                ),
                to_attr=f"pages_{rel.related_model._meta.model_name}",
            )
            for rel in citing_relations()
        ]
        claims = (
            Claim.objects.filter(citations__source=source)
            .distinct()
            .order_by("key")
            .prefetch_related(
                Prefetch(
                    "citations",
                    queryset=Citation.objects.filter(source=source).order_by("position", "id"),
                    to_attr="citations_here",
                ),
                *pages,
            )
        )
        language = current_language()
        # The registry's sources are English documents: marked so on a page in another
        # language, for screen readers.
        context["in_english"] = format_html(' lang="{}"', ENGLISH) if language != ENGLISH else ""
        context["claims"] = [
            {
                "claim": claim,
                **dict(
                    zip(
                        ("statement", "statement_language"),
                        claim.statement_in(language),
                        strict=True,
                    )
                ),
                "citations": claim.citations_here,
                "pages": [
                    page
                    for rel in citing_relations()
                    for page in getattr(claim, f"pages_{rel.related_model._meta.model_name}")
                ],
            }
            for claim in claims
        ]
        return context


def citing_relations():
    """The relations from a claim to the pages that cite it, one for each kind of page."""
    by_model = {rel.related_model: rel for rel in Claim._meta.related_objects if rel.many_to_many}
    return [by_model[model] for model in citing_models() if model in by_model]


def in_reader_language(pages):
    """The pages written in the reader's language, for kinds that have translations."""
    return pages.in_language() if issubclass(pages.model, Translatable) else pages


def page_fields(model) -> list[str]:
    """What a link to a page needs: its key or slug, and what its ``str()`` and ordering
    read (its title among them)."""
    names = {f.name for f in model._meta.fields}
    key = "slug" if "slug" in names else "key"
    label = [name for name in ("title", "question", "term") if name in names]
    ordering = [name.lstrip("-") for name in model._meta.ordering]
    # A page's address is built in its own language.
    language = ["language"] if "language" in names else []
    return list(dict.fromkeys([key, *ordering, *label, *language]))
