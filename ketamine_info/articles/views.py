from django.views.generic import DetailView

from ketamine_info.faqs.models import Question

from .models import Article


class ArticleDetailView(DetailView):
    queryset = Article.objects.published()
    context_object_name = "article"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(Article.objects.published().only("slug", "title", "position"))
        index = next(i for i, a in enumerate(articles) if a.pk == self.object.pk)
        context["previous_article"] = articles[index - 1] if index > 0 else None
        context["next_article"] = articles[index + 1] if index + 1 < len(articles) else None
        context["related_questions"] = Question.objects.published().filter(
            topic=self.object.topic
        )
        return context
