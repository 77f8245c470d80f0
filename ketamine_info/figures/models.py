"""Figures: the site's drawings, each with words that say the same thing, placed in an article
by a ``[[figure <key>]]`` paragraph.

The drawing is a template made for this site (inline SVG in templates/figures/drawings/, coloured
with the page's CSS so it follows dark mode), marked with numbers 1, 2, 3 … The words are
content (content/figures/<key>.md, or the admin): a caption and a numbered list, one item per
number in the drawing, with claim markers. The list is shown under the drawing, so it is the
drawing's text alternative for everyone, and staff change the facts by editing it.

A translation of a figure is a figure of its own with its own key (``sinapsis``), its words in
its language and the drawing of the English figure it translates. Articles in every language
place a drawing by its English key (``[[figure synapse]]``, as claim markers name a claim by
its one key): a page shows the figure in its own language, or the English one when there is
no translation yet.
"""

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ketamine_info.citations.models import CitingContent, key_validator
from ketamine_info.translations import ENGLISH, LanguageQuerySet, Translatable
from ketamine_info.versioning import Versioned


class Drawing(models.TextChoices):
    COURSE_TIMELINE = "course-timeline", "Timeline of a course of treatment (4 numbered stages)"
    SYNAPSE = "synapse", "How ketamine may act at a synapse (4 numbered parts)"
    ROUTES = "routes", "The ways ketamine is given, side by side (4 numbered ways)"


# How many numbers each drawing shows: its list must have one item for each.
PARTS = {Drawing.COURSE_TIMELINE: 4, Drawing.SYNAPSE: 4, Drawing.ROUTES: 4}

_FIRST_LIST_RE = re.compile(r"<ol>(.*?)</ol>", re.S)


class FigureQuerySet(LanguageQuerySet):
    def published(self):
        # Figures show wherever an article places them; the article's own rules apply.
        return self.all()

    def for_page(self, drawings, language: str) -> dict[str, "Figure"]:
        """The figures a page in ``language`` shows, by drawing (the English key its
        ``[[figure key]]`` paragraphs name): each in the page's language when it has been
        translated, the English one otherwise. One query."""
        drawings = list(drawings)
        if not drawings:
            return {}
        wanted = models.Q(language=ENGLISH, key__in=drawings)
        if language != ENGLISH:
            wanted |= models.Q(language=language, translation_of__key__in=drawings)
        return shown_in(self.filter(wanted).select_related("translation_of"), language, drawings)


def shown_in(figures, language: str, drawings) -> dict[str, "Figure"]:
    """Of ``figures``, the one a page in ``language`` shows for each of ``drawings``: its own
    language's, else the English."""
    found: dict[str, Figure] = {}
    for figure in figures:
        if figure.drawing not in drawings or figure.language not in (language, ENGLISH):
            continue
        if figure.drawing not in found or figure.language == language:
            found[figure.drawing] = figure
    return found


class Figure(CitingContent, Translatable, Versioned):
    key = models.CharField(
        max_length=40,
        unique=True,
        validators=[key_validator],
        help_text="The English figure's key is its drawing's: "
        + ", ".join(Drawing.values)
        + ". Articles in every language place it by that key, with a paragraph of its own, "
        "[[figure key]], e.g. [[figure routes]]. A translation has a key of its own "
        "(e.g. sinapsis).",
    )
    title = models.CharField(
        max_length=200, help_text="The caption: what the drawing shows, in a few words."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = FigureQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=CitingContent.DERIVED_FIELDS)

    KEY_FIELD = "key"
    # The words a reader sees: a change to them puts the translations out of date.
    REVIEWED_TEXT_FIELDS = ("title", "body")

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # A stable address that costs nothing to build: it redirects to where the drawing is.
        return reverse("figure", args=[self.key])

    @property
    def drawing(self) -> str:
        """The drawing's key (its template's name): the English figure's key."""
        return self.english_key

    def placed_in(self) -> list:
        """The published articles that show this figure, in their order: those in its language
        that place its drawing; for the English figure, also those in a language it has no
        translation into (they show the English)."""
        # By label: articles build on drawings, so this app does not import them.
        Article = apps.get_model("articles", "Article")
        articles = Article.objects.published().only(
            "slug", "title", "position", "figure_keys", "language"
        )
        if self.is_translation:
            languages = {self.language}
        else:
            translated = (
                set(self.translations.values_list("language", flat=True)) if self.pk else set()
            )
            languages = {article.language for article in articles} - translated
            languages.add(ENGLISH)
        shown = [
            article
            for article in articles
            if article.language in languages and self.drawing in article.figure_keys
        ]
        # Its own language's pages first: where its address leads.
        return sorted(shown, key=lambda article: article.language != self.language)

    def placement_url(self) -> str:
        """The first published article that shows this figure, at the drawing."""
        for article in self.placed_in():
            return article.get_absolute_url() + f"#figure-{self.drawing}"
        with self.own_language():
            return reverse("home")

    def marker_id_prefix(self) -> str:
        return f"figure-{self.key}-"

    def is_live(self) -> bool:
        return True  # shown wherever an article places it

    @property
    def parts(self) -> int:
        return PARTS[self.drawing]

    def clean(self) -> None:
        super().clean()
        if self.language == ENGLISH and self.key not in PARTS:
            raise ValidationError({"key": f"Choose a drawing: {', '.join(Drawing.values)}."})
        if self.is_translation and self.key in PARTS:
            # Pages name drawings by these keys: a translation taking one would hide its English.
            raise ValidationError(
                {"key": "A translation has a key of its own, in its language (e.g. sinapsis)."}
            )
        if self.drawing not in PARTS:
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
