from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.views.generic import TemplateView

from ketamine_info.articles.models import Article
from ketamine_info.decisions.models import Comparison
from ketamine_info.meta import PageMeta, PageMetaMixin
from ketamine_info.pages.models import Page
from ketamine_info.topics import Topic
from ketamine_info.translations import current_language

from . import report
from .backends import MAX_QUERY_LENGTH, search

# Where a search that found nothing sends a reader next: the series' first articles, the
# decision aid and the questions to ask, by slug or place (plain queries, no search).
START_ARTICLES = 3
START_PAGES = ("questions-to-ask", "what-matters-to-you")


class SearchView(PageMetaMixin, TemplateView):
    """``/search/?q=…``: ranked results across articles, FAQ answers and the glossary.

    ``&literal=1`` searches the words as typed, without correcting their spelling (the "search
    instead for" link). Every query has the same canonical address, /search/, so search engines
    index the page once, not once per query (the canonical link leaves the query string out).
    """

    template_name = "search/results.html"

    def get(self, request, *args, **kwargs):
        self.results = search(request.GET.get("q"), literal=request.GET.get("literal") == "1")
        if report.found_little(self.results):
            # Counted when the page is built: a search the page cache answers again is not
            # counted again, so the counts err low, never on the side of showing words.
            report.record(self.results)
        return super().get(request, *args, **kwargs)

    def get_meta(self):
        query = self.results.query
        return PageMeta(
            title=f"Search: {query}" if query else "Search",
            description="Search the articles, questions and answers, and glossary of this site "
            "about ketamine treatment for depression.",
            # When the words suggest a crisis, nothing comes before the crisis help, not even
            # the breadcrumbs.
            breadcrumbs=[] if self.results.crisis else [("Search", reverse("search:results"))],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["results"] = self.results
        context["max_query_length"] = MAX_QUERY_LENGTH
        # The page has its own search box, with a visible label: the header's is left out.
        context["hide_header_search"] = True
        if self.results.query and not self.results.hits:
            context["start_pages"] = [
                *Article.objects.published().in_language().order_by("position")[:START_ARTICLES],
                *Comparison.objects.published().in_language().order_by("title")[:1],
                *Page.objects.published()
                .filter(language=current_language())
                .filter(Q(slug__in=START_PAGES) | Q(translation_of__slug__in=START_PAGES))
                .order_by("slug"),
            ]
            context["faq_topics"] = list(Topic)
        if self.results.corrected:
            literal = urlencode({"q": self.results.query, "literal": "1"})
            context["literal_url"] = f"{reverse('search:results')}?{literal}"
            context["corrected_url"] = (
                f"{reverse('search:results')}?{urlencode({'q': self.results.corrected})}"
            )
        return context
