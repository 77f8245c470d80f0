from django.views.generic import ListView

from ketamine_info.citations.references import build_references

from .models import Term


class TermListView(ListView):
    template_name = "glossary/term_list.html"
    context_object_name = "terms"

    def get_queryset(self):
        return list(Term.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        references = build_references(context["terms"])
        for term in context["terms"]:
            term.references = references[id(term)]
        return context
