"""The site's sitemap: every public page, with lastmod from the content's real change time.

What is listed comes from the registry of content kinds (``ketamine_info/registry.py``): a
kind with pages of its own gives one entry per public item, and every page a kind is listed
on gives one entry whose lastmod is the newest change to what it shows.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import sitemaps
from django.db.models import Max
from django.urls import reverse

from ketamine_info import registry


class SiteSitemap(sitemaps.Sitemap):
    """Absolute URLs built from SITE_URL, not from whatever Host a request carried."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme


def latest(*querysets):
    stamps = [qs.aggregate(latest=Max("updated"))["latest"] for qs in querysets]
    return max((s for s in stamps if s), default=None)


class SectionSitemap(SiteSitemap):
    """The pages that list content: their lastmod is the newest change to what they list."""

    def items(self):
        names = [name for kind in registry.kinds() for name in kind.listed_on]
        # The home page first, as a reader meets them.
        return sorted(dict.fromkeys(names), key=lambda name: name != "home")

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return latest(*(kind.public() for kind in registry.kinds() if item in kind.listed_on))


class KindSitemap(SiteSitemap):
    """One entry for each public item of a kind that has pages of its own."""

    def __init__(self, kind):
        self.kind = kind

    def items(self):
        return self.kind.public()

    def lastmod(self, item):
        return item.updated


SITEMAPS = {
    "sections": SectionSitemap,
    **{
        kind.name or kind.model._meta.model_name: KindSitemap(kind)
        for kind in registry.kinds()
        if kind.own_page
    },
}
