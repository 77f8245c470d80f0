from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import DetailView

from ketamine_info import structured_data
from ketamine_info.faqs.models import Question
from ketamine_info.markup import outline
from ketamine_info.pages.meta import PageMeta, PageMetaMixin
from ketamine_info.publishing import Status

from .models import Article, SlugRedirect

# Articles with at least this many sections get an "On this page" list.
TOC_MIN_SECTIONS = 4
RELATED_ARTICLES = 3


def related_articles(article: Article) -> list[Article]:
    """Published articles on the same topic first, then those citing the most of the same
    claims; at most RELATED_ARTICLES."""
    claims = list(article.claims.values_list("pk", flat=True))
    return list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .annotate(
            shared=Count("claims", filter=Q(claims__in=claims)),
            same_topic=Case(
                When(topic=article.topic, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .filter(Q(same_topic=1) | Q(shared__gt=0))
        .order_by("-same_topic", "-shared", "position")
        .only("slug", "title", "summary")[:RELATED_ARTICLES]
    )


class ArticleDetailView(PageMetaMixin, DetailView):
    queryset = Article.objects.published()
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A renamed article: its old address answers for good, in one hop.
            moved = SlugRedirect.objects.filter(
                old_slug=kwargs["slug"], article__status=Status.PUBLISHED
            ).select_related("article")
            for old in moved:
                return redirect(old.article, permanent=True)
            raise

    def get_meta(self):
        return PageMeta(
            title=self.object.title,
            description=self.object.summary,
            breadcrumbs=[(self.object.title, self.object.get_absolute_url())],
            og_type="article",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(Article.objects.published().only("slug", "title", "position"))
        if all(a.pk != self.object.pk for a in articles):  # a draft, seen in preview
            articles = sorted([*articles, self.object], key=lambda a: (a.position, a.title))
        index = next(i for i, a in enumerate(articles) if a.pk == self.object.pk)
        context["previous_article"] = articles[index - 1] if index > 0 else None
        context["next_article"] = articles[index + 1] if index + 1 < len(articles) else None
        context["related_questions"] = Question.objects.published().filter(topic=self.object.topic)
        context["related_articles"] = related_articles(self.object)
        sections = outline(self.object.body_html)
        context["toc"] = sections if len(sections) >= TOC_MIN_SECTIONS else []
        context["page_json_ld"] = structured_data.medical_web_page(self.object)
        return context
