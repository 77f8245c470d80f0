"""Articles: the site's topic pages, at /learn/<slug>/, written in Markdown with claim markers."""

from django.db import models
from django.urls import reverse

from ketamine_info.citations.models import CitingContent, key_validator
from ketamine_info.topics import Topic

SUMMARY_MAX_LENGTH = 160


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Article(CitingContent):
    slug = models.CharField(
        max_length=100,
        unique=True,
        validators=[key_validator],
        help_text="The last part of the page's address, /learn/<slug>/. Lowercase words joined "
        "by hyphens.",
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
    published = models.BooleanField(
        default=False, help_text="Only published articles are visible to the public."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.slug])
