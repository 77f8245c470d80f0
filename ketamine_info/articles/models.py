"""Articles: the site's topic pages, at /learn/<slug>/, written in Markdown with claim markers."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ketamine_info.citations.models import CitingContent, key_validator
from ketamine_info.publishing import Publishable, PublishedQuerySet
from ketamine_info.topics import Topic
from ketamine_info.translations import Translatable
from ketamine_info.versioning import Versioned

SUMMARY_MAX_LENGTH = 160


class Article(CitingContent, Publishable, Translatable, Versioned):
    slug = models.CharField(
        max_length=100,
        unique=True,
        validators=[key_validator],
        help_text="The last part of the page's address, e.g. how-ketamine-works in "
        "/learn/how-ketamine-works/. Lowercase words joined by hyphens.",
    )
    title = models.CharField(max_length=200, help_text="The page's heading and browser title.")
    summary = models.CharField(
        max_length=SUMMARY_MAX_LENGTH,
        help_text=f"One or two plain sentences, at most {SUMMARY_MAX_LENGTH} characters. Search "
        "engines show it under the title.",
    )
    topic = models.CharField(
        max_length=20,
        choices=Topic.choices,
        help_text="The FAQ questions of this topic are listed at the end of the article.",
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Order in the site's navigation: 1 comes first."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    REVIEWED_TEXT_FIELDS = ("title", "summary", "body")

    objects = PublishedQuerySet.as_manager()
    # Every save is a revision; the rendered HTML is derived, so it is not stored twice.
    history = HistoricalRecords(excluded_fields=CitingContent.DERIVED_FIELDS)
    links_glossary_terms = True

    class Meta(Publishable.Meta):
        ordering = ["position", "title"]
        permissions = [
            ("publish_article", "Can publish and unpublish articles"),
            ("review_article", "Can record a clinical review of an article"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        previous = (
            Article.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
            if self.pk
            else None
        )
        super().save(*args, **kwargs)
        # The current address is never a redirect (an article renamed back takes it over) …
        SlugRedirect.objects.filter(old_slug=self.slug).delete()
        # … and the address it just left now leads here.
        if previous and previous != self.slug:
            SlugRedirect.objects.update_or_create(old_slug=previous, defaults={"article": self})

    def get_absolute_url(self) -> str:
        with self.own_language():
            return reverse("articles:detail", args=[self.slug])

    def get_preview_url(self) -> str:
        """The page as patients would see it, whatever its status (staff only)."""
        with self.own_language():
            return reverse("article_preview", args=[self.slug])


class SlugRedirect(models.Model):
    """An address an article used to have. It points at the article, not at another slug, so
    however often the article is renamed, every old address is one 301 away from it."""

    old_slug = models.CharField(max_length=100, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]

    def __str__(self) -> str:
        return f"/learn/{self.old_slug}/ → {self.article.get_absolute_url()}"
