from django.db.models import Count
from django.views.generic import DetailView, ListView

from .models import Claim, Source


class SourceListView(ListView):
    template_name = "citations/source_list.html"
    context_object_name = "sources"

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


class SourceDetailView(DetailView):
    model = Source
    slug_field = slug_url_kwarg = "key"
    context_object_name = "source"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claims = Claim.objects.filter(citations__source=self.object).distinct()
        context["claims"] = [
            {"claim": claim, "pages": claim.used_on(public_only=True)} for claim in claims
        ]
        return context
