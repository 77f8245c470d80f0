from django.db.models import Count
from django.urls import reverse
from django.views.generic import DetailView, ListView

from ketamine_info.pages.meta import PageMeta, PageMetaMixin

from .models import Claim, Source


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
                ("Sources", reverse("citations:list")),
                (source.title, source.get_absolute_url()),
            ],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claims = Claim.objects.filter(citations__source=self.object).distinct()
        context["claims"] = [
            {"claim": claim, "pages": claim.used_on(public_only=True)} for claim in claims
        ]
        return context
