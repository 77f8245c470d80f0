from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import DetailView

from ketamine_info import structured_data
from ketamine_info.faqs.models import Question
from ketamine_info.pages.meta import PageMeta, PageMetaMixin
from ketamine_info.sql import json_rows

from .models import Article, SlugRedirect


class ArticleDetailView(PageMetaMixin, DetailView):
    """An article, with the previous and next ones, the FAQ questions of its topic and its
    references. Not in the page cache, it costs three queries: the published articles (this
    one with its questions, and whether the address is an old one), the references and the
    contact blocks."""

    queryset = Article.objects.published()
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A renamed article: its old address answers for good, in one hop.
            for article in self.articles:
                if article.moved_from_here:
                    return redirect(article, permanent=True)
            raise

    def get_object(self, queryset=None):
        slug = self.kwargs["slug"]
        questions = Question.objects.published().filter(topic=OuterRef("topic"))
        self.articles = list(
            self.get_queryset()
            .select_related("reviewed_by")
            .defer("body")
            .annotate(
                question_rows=json_rows(
                    questions, slug="slug", question="question", position="position"
                ),
                moved_from_here=Exists(
                    SlugRedirect.objects.filter(article=OuterRef("pk"), old_slug=slug)
                ),
            )
        )
        for article in self.articles:
            if article.slug == slug:
                return article
        raise Http404("No published article at this address.")

    def get_meta(self):
        return PageMeta(
            title=self.object.title,
            description=self.object.summary,
            breadcrumbs=[(self.object.title, self.object.get_absolute_url())],
            og_type="article",
        )

    def related_questions(self) -> list[Question]:
        rows = getattr(self.object, "question_rows", False)
        if rows is False:  # an article fetched some other way (a preview)
            return list(Question.objects.published().filter(topic=self.object.topic))
        rows = sorted(rows or [], key=lambda row: (row["position"], row["question"]))
        return [Question(slug=row["slug"], question=row["question"]) for row in rows]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = getattr(self, "articles", None)
        if articles is None:
            articles = list(Article.objects.published().only("slug", "title", "position"))
        if all(a.pk != self.object.pk for a in articles):  # a draft, seen in preview
            articles = sorted([*articles, self.object], key=lambda a: (a.position, a.title))
        index = next(i for i, a in enumerate(articles) if a.pk == self.object.pk)
        context["previous_article"] = articles[index - 1] if index > 0 else None
        context["next_article"] = articles[index + 1] if index + 1 < len(articles) else None
        context["related_questions"] = self.related_questions()
        context["page_json_ld"] = structured_data.medical_web_page(self.object)
        return context
