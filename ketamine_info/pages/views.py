from django.views.generic import TemplateView

from ketamine_info.articles.models import Article


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = list(Article.objects.published())
        return context
