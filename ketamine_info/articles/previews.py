from django.utils import translation
from django.views.generic import DetailView

from ketamine_info.editorial.previews import StaffPreviewMixin

from .models import Article
from .views import ArticleDetailView


class ArticlePreviewView(StaffPreviewMixin, ArticleDetailView):
    """The article page exactly as patients would see it, whatever its status."""

    model = Article
    queryset = Article.objects.all()

    def get(self, request, *args, **kwargs):
        # A translation is previewed in its own language (the preview's address has none).
        found = Article.objects.filter(slug=kwargs["slug"]).values_list("language", flat=True)
        with translation.override(found.first() or "en"):
            response = DetailView.get(self, request, *args, **kwargs)  # no redirects
            return response.render()

    def get_object(self, queryset=None):
        return DetailView.get_object(self, queryset)  # whatever its status

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = self.preview_of(self.object)
        return context
