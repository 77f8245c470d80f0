"""Site pages: stand-alone pages such as "Questions to ask your doctor", at /<slug>/.

A page is Markdown like an article (claim markers, glossary links, References) but stands
outside the article series: no topic, no previous/next, no publishing switch (every page is
public, like glossary terms), so every change to an existing page waits for a clinical review.
Its content lives in content/pages/<slug>.md.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ketamine_info.citations.models import CitingContent, key_validator
from ketamine_info.publishing import ReviewStamp
from ketamine_info.translations import LanguageQuerySet, Translatable
from ketamine_info.versioning import Versioned

SUMMARY_MAX_LENGTH = 160
# First parts of addresses the site already uses: a page there could never be reached.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "compare",
        "faq",
        "figures",
        "glossary",
        "learn",
        "media",
        "preview",
        "search",
        "sources",
        "static",
    }
)


class PageQuerySet(LanguageQuerySet):
    def published(self):
        # Every page is public; the method keeps the interface of other cited content.
        return self.all()


class Page(CitingContent, ReviewStamp, Translatable, Versioned):
    slug = models.CharField(
        max_length=100,
        unique=True,
        validators=[key_validator],
        help_text="The page's address, e.g. about for /about/. Lowercase words joined by hyphens.",
    )
    title = models.CharField(max_length=200, help_text="The page's heading and browser title.")
    summary = models.CharField(
        max_length=SUMMARY_MAX_LENGTH,
        help_text=f"One or two plain sentences, at most {SUMMARY_MAX_LENGTH} characters. Search "
        "engines show it under the title.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    REVIEWED_TEXT_FIELDS = ("title", "summary", "body")

    objects = PageQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=CitingContent.DERIVED_FIELDS)
    links_glossary_terms = True

    class Meta(ReviewStamp.Meta):
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        with self.own_language():
            return reverse("page", args=[self.slug])

    def is_live(self) -> bool:
        return True

    def clean(self) -> None:
        super().clean()
        if self.slug in RESERVED_SLUGS | {settings.ADMIN_URL.split("/")[0]}:
            raise ValidationError(
                {"slug": f"/{self.slug}/ is already a part of the site: choose another address."}
            )
