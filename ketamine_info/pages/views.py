from django.conf import settings
from django.views.generic import DetailView

from ketamine_info import structured_data
from ketamine_info.editorial.previews import object_or_proposed
from ketamine_info.meta import PageMeta, PageMetaMixin

from .models import Page

# The "About this site" page: it also says who publishes the site (from settings).
ABOUT_SLUG = "about"


class PageDetailView(PageMetaMixin, DetailView):
    queryset = Page.objects.published()
    context_object_name = "page"

    def get_queryset(self):
        return super().get_queryset().in_language()

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
        if self.object.english_slug == ABOUT_SLUG:
            # Facts about the publisher come from settings, never from shipped content.
            context["publisher"] = {
                "name": settings.SITE_PUBLISHER,
                "url": settings.SITE_PUBLISHER_URL,
                "funding": settings.SITE_FUNDING,
                "email": settings.SITE_CONTACT_EMAIL,
            }
        context["page_json_ld"] = structured_data.medical_web_page(self.object)
        return context
