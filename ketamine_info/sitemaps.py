"""The site's sitemap: every public page, with lastmod from the content's real change time."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import sitemaps
from django.db.models import Max
from django.urls import reverse

from ketamine_info.articles.models import Article
from ketamine_info.citations.models import Claim, Source
from ketamine_info.decisions.models import Comparison
from ketamine_info.faqs.models import Question
from ketamine_info.glossary.models import Term
from ketamine_info.pages.models import Page


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
        return ["home", "faqs:list", "glossary:list", "citations:list"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        if item == "home":
            return latest(Article.objects.published())
        if item == "faqs:list":
            return latest(Question.objects.published(), Claim.objects.all(), Source.objects.all())
        if item == "glossary:list":
            return latest(Term.objects.all())
        return latest(Source.objects.all(), Claim.objects.all())


class ArticleSitemap(SiteSitemap):
    def items(self):
        return Article.objects.published()

    def lastmod(self, article):
        return article.updated


class PageSitemap(SiteSitemap):
    def items(self):
        return Page.objects.published()

    def lastmod(self, page):
        return page.updated


class ComparisonSitemap(SiteSitemap):
    def items(self):
        return Comparison.objects.published()

    def lastmod(self, comparison):
        return comparison.updated


class SourceSitemap(SiteSitemap):
    def items(self):
        return Source.objects.all()

    def lastmod(self, source):
        return source.updated


SITEMAPS = {
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "pages": PageSitemap,
    "comparisons": ComparisonSitemap,
    "sources": SourceSitemap,
}
