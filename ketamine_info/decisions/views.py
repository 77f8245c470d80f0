from django.apps import apps
from django.views.generic import DetailView

from ketamine_info import structured_data
from ketamine_info.editorial.previews import object_or_proposed
from ketamine_info.meta import PageMeta, PageMetaMixin

from .models import Comparison

WORKSHEET_SLUG = "what-matters-to-you"


class ComparisonView(PageMetaMixin, DetailView):
    queryset = Comparison.objects.published()
    context_object_name = "comparison"
    template_name = "decisions/comparison.html"

    def get_object(self, queryset=None):
        return object_or_proposed(self, queryset)

    def get_meta(self):
        return PageMeta(
            title=self.object.title,
            description=self.object.summary,
            breadcrumbs=[(self.object.title, self.object.get_absolute_url())],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        grid = self.object.grid()
        options = self.object.option_list
        for row in grid.rows:
            row.pairs = list(zip(options, row.cells, strict=False))
        context["grid"] = grid
        context["options"] = options
        # By label: stand-alone pages are a leaf app that nothing imports.
        Page = apps.get_model("pages", "Page")
        context["worksheet"] = Page.objects.filter(slug=WORKSHEET_SLUG).only("slug").first()
        context["page_json_ld"] = structured_data.medical_web_page(self.object)
        return context
