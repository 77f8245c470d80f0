"""Figures: the site's drawings, each with words that say the same thing, placed in an article
by a ``[[figure <key>]]`` paragraph.

The drawing is a template made for this site (inline SVG in templates/figures/drawings/, coloured
with the page's CSS so it follows dark mode), marked with numbers 1, 2, 3 … The words are
content (content/figures/<key>.md, or the admin): a caption and a numbered list, one item per
number in the drawing, with claim markers. The list is shown under the drawing, so it is the
drawing's text alternative for everyone, and staff change the facts by editing it.
"""

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ketamine_info.citations.models import CitingContent
from ketamine_info.versioning import Versioned


class Drawing(models.TextChoices):
    COURSE_TIMELINE = "course-timeline", "Timeline of a course of treatment (4 numbered stages)"
    SYNAPSE = "synapse", "How ketamine may act at a synapse (4 numbered parts)"
    ROUTES = "routes", "The ways ketamine is given, side by side (4 numbered ways)"


# How many numbers each drawing shows: its list must have one item for each.
PARTS = {Drawing.COURSE_TIMELINE: 4, Drawing.SYNAPSE: 4, Drawing.ROUTES: 4}

_FIRST_LIST_RE = re.compile(r"<ol>(.*?)</ol>", re.S)


class FigureQuerySet(models.QuerySet):
    def published(self):
        # Figures show wherever an article places them; the article's own rules apply.
        return self.all()


class Figure(CitingContent, Versioned):
    key = models.CharField(
        max_length=40,
        unique=True,
        choices=Drawing.choices,
        help_text="Which drawing. Articles place it with a paragraph of its own, "
        "[[figure key]], e.g. [[figure routes]].",
    )
    title = models.CharField(
        max_length=200, help_text="The caption: what the drawing shows, in a few words."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = FigureQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=CitingContent.DERIVED_FIELDS)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # A stable address that costs nothing to build: it redirects to where the drawing is.
        return reverse("figure", args=[self.key])

    def placed_in(self) -> list:
        """The published articles that place this drawing, in their order."""
        # By label: articles build on drawings, so this app does not import them.
        Article = apps.get_model("articles", "Article")
        articles = Article.objects.published().only("slug", "title", "position", "figure_keys")
        return [article for article in articles if self.key in article.figure_keys]

    def placement_url(self) -> str:
        """The first published article that places this drawing, at the drawing."""
        for article in self.placed_in():
            return article.get_absolute_url() + f"#figure-{self.key}"
        return reverse("home")

    def marker_id_prefix(self) -> str:
        return f"figure-{self.key}-"

    def is_live(self) -> bool:
        return True  # shown wherever an article places it

    @property
    def parts(self) -> int:
        return PARTS[self.key]

    def clean(self) -> None:
        super().clean()
        if self.key not in PARTS:
            return
        found = _FIRST_LIST_RE.search(self.render_body().html)
        items = found.group(1).count("<li>") if found else 0
        if items != self.parts:
            raise ValidationError(
                {
                    "body": f"The drawing shows the numbers 1 to {self.parts}: write a numbered "
                    f"list with {self.parts} items, one for each number (this text has {items})."
                }
            )
