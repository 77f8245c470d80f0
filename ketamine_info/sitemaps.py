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
from django.utils import translation

from ketamine_info import registry
from ketamine_info.translations import ENGLISH, Translatable


class SiteSitemap(sitemaps.Sitemap):
    """Absolute URLs built from SITE_URL, not from whatever Host a request carried."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def alternates_of(self, item) -> dict[str, str]:
        """{language code: path} of the page in each language it exists in."""
        return {}

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        root = f"{protocol}://{domain}"
        for url in urls:
            found = self.alternates_of(url["item"])
            if len(found) > 1:
                url["alternates"] = [
                    {"lang_code": code, "location": root + path} for code, path in found.items()
                ]
                if ENGLISH in found:
                    url["alternates"].append(
                        {"lang_code": "x-default", "location": root + found[ENGLISH]}
                    )
        return urls


def latest(*querysets):
    stamps = [qs.aggregate(latest=Max("updated"))["latest"] for qs in querysets]
    return max((s for s in stamps if s), default=None)


class SectionSitemap(SiteSitemap):
    """The pages that list content: their lastmod is the newest change to what they list."""

    def items(self):
        names = [name for kind in registry.kinds() for name in kind.listed_on]
        # The home page first, as a reader meets them; each page in every language.
        names = sorted(dict.fromkeys(names), key=lambda name: name != "home")
        return [(name, code) for name in names for code, _ in settings.LANGUAGES]

    def location(self, item):
        name, code = item
        with translation.override(code):
            return reverse(name)

    def alternates_of(self, item):
        name, _ = item
        return {code: self.location((name, code)) for code, _ in settings.LANGUAGES}

    def lastmod(self, item):
        name, _ = item
        return latest(*(kind.public() for kind in registry.kinds() if name in kind.listed_on))


class KindSitemap(SiteSitemap):
    """One entry for each public item of a kind that has pages of its own."""

    def __init__(self, kind):
        self.kind = kind

    def items(self):
        items = self.kind.public()
        if issubclass(self.kind.model, Translatable):
            items = items.select_related("translation_of").prefetch_related("translations")
        return items

    def alternates_of(self, item):
        if not isinstance(item, Translatable):
            return {}
        found = {}
        for code, _ in settings.LANGUAGES:
            other = item.in_language(code)
            if other is not None:
                found[code] = other.get_absolute_url()
        return found

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
