from django.urls import reverse
from django.views.generic import ListView

from ketamine_info.citations.references import build_references
from ketamine_info.pages.meta import PageMeta, PageMetaMixin

from .models import Term


class TermListView(PageMetaMixin, ListView):
    template_name = "glossary/term_list.html"
    context_object_name = "terms"

    def get_meta(self):
        return PageMeta(
            title="Glossary",
            description="Plain-words meanings of the terms used about ketamine and depression, "
            "such as NMDA receptor, dissociation and esketamine.",
            breadcrumbs=[("Glossary", reverse("glossary:list"))],
        )

    def get_queryset(self):
        return list(Term.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        references = build_references(context["terms"])
        for term in context["terms"]:
            term.references = references[id(term)]
        return context
