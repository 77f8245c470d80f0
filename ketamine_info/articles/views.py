import json

from django.db.models import Exists, F, OuterRef, Value
from django.db.models.functions import Concat
from django.db.models.lookups import Contains
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import DetailView

from ketamine_info import structured_data
from ketamine_info.citations.references import build_references
from ketamine_info.faqs.models import Question
from ketamine_info.figures.models import Figure
from ketamine_info.markup import outline
from ketamine_info.meta import PageMeta, PageMetaMixin
from ketamine_info.publishing import Status
from ketamine_info.sql import json_rows

from .models import Article, SlugRedirect

# Articles with at least this many sections get an "On this page" list.
TOC_MIN_SECTIONS = 4
RELATED_ARTICLES = 3
# "Common questions" at the end of an article: the first few of its topic, then a link to the
# rest, so that a topic with many answers does not lengthen every article on a phone.
RELATED_QUESTIONS = 4


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
                # The drawings the article places with [[figure key]], in the same query.
                figure_rows=json_rows(
                    Figure.objects.annotate(
                        marker=Concat(Value("[[figure "), "key", Value("]]"))
                    ).filter(Contains(OuterRef("body"), F("marker"))),
                    id="id",
                    key="key",
                    title="title",
                    body_html="body_html",
                    claim_keys="claim_keys",
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

    def figures(self) -> dict[str, Figure]:
        rows = getattr(self.object, "figure_rows", None)
        if rows is None:  # an article fetched some other way (a preview): the tag fetches them
            return {}
        figures = {}
        for row in rows:
            keys = row["claim_keys"]
            if isinstance(keys, str):  # SQLite nests JSON as text
                keys = json.loads(keys)
            figures[row["key"]] = Figure(
                pk=row["id"],
                key=row["key"],
                title=row["title"],
                body_html=row["body_html"],
                claim_keys=keys,
            )
        return figures

    def related_questions(self) -> list[Question]:
        rows = getattr(self.object, "question_rows", False)
        if rows is False:  # an article fetched some other way (a preview)
            return list(Question.objects.published().filter(topic=self.object.topic))
        rows = sorted(rows or [], key=lambda row: (row["position"], row["question"]))
        return [Question(slug=row["slug"], question=row["question"]) for row in rows]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = getattr(self, "articles", None)
        if articles is None:  # a preview: fetched some other way
            articles = list(Article.objects.published().defer("body"))
        if all(a.pk != self.object.pk for a in articles):  # a draft, seen in preview
            articles = sorted([*articles, self.object], key=lambda a: (a.position, a.title))
        index = next(i for i, a in enumerate(articles) if a.pk == self.object.pk)
        context["previous_article"] = articles[index - 1] if index > 0 else None
        context["next_article"] = articles[index + 1] if index + 1 < len(articles) else None
        questions = self.related_questions()
        context["related_questions"] = questions[:RELATED_QUESTIONS]
        context["more_questions"] = len(questions) > RELATED_QUESTIONS
        # One query for the references of the article and of its drawings.
        figures = self.figures()
        references = build_references([self.object, *figures.values()])
        for item in [self.object, *figures.values()]:
            item.references = references[id(item)]
        context["figures"] = figures
        published = [a for a in articles if a.status == Status.PUBLISHED]
        context["related_articles"] = related_articles(self.object, published)
        sections = outline(self.object.body_html)
        context["toc"] = sections if len(sections) >= TOC_MIN_SECTIONS else []
        context["page_json_ld"] = structured_data.medical_web_page(self.object)
        return context
