from django.urls import reverse
from django.views.generic import TemplateView

from ketamine_info.pages.meta import PageMeta, PageMetaMixin

from .backends import MAX_QUERY_LENGTH, search


class SearchView(PageMetaMixin, TemplateView):
    """``/search/?q=…``: ranked results across articles, FAQ answers and the glossary.

    Every query has the same canonical address, /search/, so search engines index the page
    once, not once per query (the canonical link leaves the query string out).
    """

    template_name = "search/results.html"

    def get(self, request, *args, **kwargs):
        self.results = search(request.GET.get("q"))
        return super().get(request, *args, **kwargs)

    def get_meta(self):
        query = self.results.query
        return PageMeta(
            title=f"Search: {query}" if query else "Search",
            description="Search the articles, questions and answers, and glossary of this site "
            "about ketamine treatment for depression.",
            breadcrumbs=[("Search", reverse("search:results"))],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["results"] = self.results
        context["max_query_length"] = MAX_QUERY_LENGTH
        return context
