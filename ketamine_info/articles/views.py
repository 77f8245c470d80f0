from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import DetailView

from ketamine_info import structured_data
from ketamine_info.editorial.previews import proposed
from ketamine_info.faqs.models import Question
from ketamine_info.figures.models import Figure
from ketamine_info.meta import PageMeta, PageMetaMixin
from ketamine_info.publishing import Status

from .models import Article

# Articles with at least this many sections get an "On this page" list.
TOC_MIN_SECTIONS = 4
RELATED_ARTICLES = 3
# "Common questions" at the end of an article: the first few of its topic, then a link to the
# rest, so that a topic with many answers does not lengthen every article on a phone.
RELATED_QUESTIONS = 4
# What the pager and "Related articles" need of every other article.
LISTED_FIELDS = (
    "slug",
    "title",
    "summary",
    "topic",
    "position",
    "claim_keys",
    "status",
    "language",
)


def related_articles(article: Article, candidates: list[Article]) -> list[Article]:
    """Articles on the same topic first, then those citing the most of the same claims; at
    most RELATED_ARTICLES. Worked out from articles already fetched: no query of its own."""
    keys = set(article.claim_keys)
    scored = [
        (other.topic == article.topic, len(keys & set(other.claim_keys)), other)
        for other in candidates
        if other.pk != article.pk
    ]
    scored = [entry for entry in scored if entry[0] or entry[1]]
    scored.sort(key=lambda entry: (not entry[0], -entry[1], entry[2].position))
    return [other for _, _, other in scored[:RELATED_ARTICLES]]


class ArticleDetailView(PageMetaMixin, DetailView):
    """An article, with the previous and next ones, the FAQ questions of its topic, the
    drawings it places and its references. Its body, references and outline were stored when
    it was saved; each of the rest is one plain query, however much content the site has."""

    queryset = Article.objects.published()
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A renamed article: its old address answers for good, in one hop.
            moved = Article.objects.published().filter(old_slugs__old_slug=self.kwargs["slug"])
            article = moved.only("slug").first()
            if article is not None:
                return redirect(article, permanent=True)
            raise

    def get_queryset(self):
        # The page shows the stored HTML, not the Markdown; /es/ shows the Spanish articles.
        return (
            super()
            .get_queryset()
            .in_language()
            .select_related("reviewed_by", "translation_of")
            .defer("body", "body_text")
        )

    def get_object(self, queryset=None):
        # In a reviewer's preview of a change, the article as the change would leave it.
        return proposed(self.request, super().get_object(queryset))

    def get_meta(self):
        return PageMeta(
            title=self.object.title,
            description=self.object.summary,
            breadcrumbs=[(self.object.title, self.object.get_absolute_url())],
            og_type="article",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        articles = list(
            Article.objects.published().in_language(article.language).only(*LISTED_FIELDS)
        )
        if all(a.pk != article.pk for a in articles):  # a draft, seen in preview
            articles = sorted([*articles, article], key=lambda a: (a.position, a.title))
        index = next(i for i, a in enumerate(articles) if a.pk == article.pk)
        context["previous_article"] = articles[index - 1] if index > 0 else None
        context["next_article"] = articles[index + 1] if index + 1 < len(articles) else None
        published = [a for a in articles if a.status == Status.PUBLISHED]
        context["related_articles"] = related_articles(article, published)
        # One more than shown: enough to know whether to link to the rest.
        questions = list(
            Question.objects.published()
            .in_language(article.language)
            .filter(topic=article.topic)
            .only("slug", "question", "topic", "position")[: RELATED_QUESTIONS + 1]
        )
        context["related_questions"] = questions[:RELATED_QUESTIONS]
        context["more_questions"] = len(questions) > RELATED_QUESTIONS
        context["figures"] = (
            {
                figure.key: proposed(self.request, figure)
                for figure in Figure.objects.filter(key__in=article.figure_keys).defer(
                    "body", "body_text"
                )
            }
            if article.figure_keys
            else {}
        )
        sections = article.outline
        context["toc"] = sections if len(sections) >= TOC_MIN_SECTIONS else []
        context["page_json_ld"] = structured_data.medical_web_page(article)
        return context
