from django.db.models import Count, OuterRef
from django.urls import reverse
from django.views.generic import DetailView, ListView

from ketamine_info.meta import PageMeta, PageMetaMixin
from ketamine_info.sql import json_rows

from .integrity import citing_models
from .models import Citation, Source


class SourceListView(PageMetaMixin, ListView):
    template_name = "citations/source_list.html"
    context_object_name = "sources"

    def get_meta(self):
        return PageMeta(
            title="Sources",
            description="Every document this site relies on, grouped by the kind of evidence "
            "it is, with the number of statements that cite it.",
            breadcrumbs=[("Sources", reverse("citations:list"))],
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
    """A source, the claims that cite it and the public pages that state each claim. Not in
    the page cache, it costs three queries: the source's citations with their claims and
    pages, the source itself only when nothing cites it, and the contact blocks."""

    model = Source
    slug_field = slug_url_kwarg = "key"
    context_object_name = "source"

    def get_object(self, queryset=None):
        pages = {
            f"pages_{model._meta.model_name}": json_rows(
                model.objects.published().filter(claims=OuterRef("claim_id")),
                **{name: name for name in page_fields(model)},
            )
            for model in linkable_models()
        }
        self.citations = list(
            Citation.objects.filter(source__key=self.kwargs["key"])
            .select_related("claim", "source")
            .annotate(**pages)
            .order_by("claim__key", "position", "id")
        )
        if self.citations:
            return self.citations[0].source
        return super().get_object(queryset)

    def get_meta(self):
        source = self.object
        year = f", {source.year}" if source.year else ""
        return PageMeta(
            title=source.title,
            description=f"{source.get_kind_display()}: {source.title} ({source.publisher}{year})."[
                :300
            ],
            breadcrumbs=[
                ("Sources", reverse("citations:list")),
                (source.title, source.get_absolute_url()),
            ],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claims: dict[int, dict] = {}
        for citation in self.citations:
            entry = claims.get(citation.claim_id)
            if entry is None:
                entry = claims[citation.claim_id] = {
                    "claim": citation.claim,
                    "citations": [],
                    # As Claim.used_on(public_only=True) lists them, without its queries.
                    "pages": [
                        page
                        for model in linkable_models()
                        for page in pages_from_rows(
                            model, getattr(citation, f"pages_{model._meta.model_name}")
                        )
                    ],
                }
            entry["citations"].append(citation)
        context["claims"] = list(claims.values())
        return context


def linkable_models():
    return citing_models()


def page_fields(model) -> list[str]:
    """What a link to a page needs: its key or slug, and its ordering fields (its title among
    them)."""
    assert not any(name.startswith("-") for name in model._meta.ordering)
    names = {f.name for f in model._meta.fields}
    key = "slug" if "slug" in names else "key"
    # What str() shows, where the ordering does not already fetch it.
    label = [name for name in ("title", "question", "term") if name in names]
    return list(dict.fromkeys([key, *model._meta.ordering, *label]))


def pages_from_rows(model, rows) -> list:
    """Unsaved ``model`` instances enough for a link (``str()`` and ``get_absolute_url()``),
    in the model's order."""
    ordering = model._meta.ordering
    rows = sorted(rows or [], key=lambda row: [row[name] for name in ordering])
    return [model(**{name: row[name] for name in page_fields(model)}) for row in rows]
