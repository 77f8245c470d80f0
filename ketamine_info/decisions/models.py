"""Decision aids: options side by side, one row per question patients ask, at /compare/<slug>/.

A comparison is one Markdown text, rendered in one pass (so the claim markers are numbered by
source across the whole page, the grid's cells included, and lead to its one References list),
written in a fixed shape:

    Intro paragraphs.

    ## How well does it work?          <- a question: one row
    ### Keep your current plan         <- one cell per option, in the order of ``options``
    Text of the cell.[@claim]
    ### Esketamine nasal spray
    ...

    ## About these numbers             <- a section with no ### headings: prose after the table

``grid()`` cuts the rendered HTML at those headings; ``clean()`` refuses a text whose questions do
not have exactly the listed options, in order, so a cell can never land in the wrong column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ketamine_info.citations.models import CitingContent, key_validator
from ketamine_info.markup import html_to_text
from ketamine_info.publishing import ReviewStamp
from ketamine_info.translations import LanguageQuerySet, Translatable
from ketamine_info.versioning import Versioned

SUMMARY_MAX_LENGTH = 160
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)
_H3 = re.compile(r'<h3 id="[^"]+">(.*?)</h3>', re.S)


@dataclass
class Row:
    anchor: str
    question: str
    cells: list[str] = field(default_factory=list)  # HTML, one per option


@dataclass
class Grid:
    intro: str
    rows: list[Row]
    notes: list[tuple[str, str, str]]  # (anchor, heading, HTML) of the prose sections


class ComparisonQuerySet(LanguageQuerySet):
    def published(self):
        # Every comparison is public, like stand-alone pages.
        return self.all()


class Comparison(CitingContent, ReviewStamp, Translatable, Versioned):
    slug = models.CharField(
        max_length=100,
        unique=True,
        validators=[key_validator],
        help_text="The last part of the address, e.g. depression-not-responding in "
        "/compare/depression-not-responding/. Lowercase words joined by hyphens.",
    )
    title = models.CharField(max_length=200, help_text="The page's heading and browser title.")
    summary = models.CharField(
        max_length=SUMMARY_MAX_LENGTH,
        help_text=f"One or two plain sentences, at most {SUMMARY_MAX_LENGTH} characters.",
    )
    options = models.TextField(
        help_text="The options compared, one per line, in column order. Every question (## …) "
        "must have one ### heading per option, with exactly these names, in this order."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    # Every word and number in the grid is what a clinician reviews.
    REVIEWED_TEXT_FIELDS = ("title", "summary", "options", "body")

    objects = ComparisonQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=CitingContent.DERIVED_FIELDS)
    links_glossary_terms = True

    class Meta(ReviewStamp.Meta):
        ordering = ["title"]

    def is_live(self) -> bool:
        return True

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        with self.own_language():
            return reverse("decisions:comparison", args=[self.slug])

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def grid(self, html: str | None = None) -> Grid:
        html = self.body_html if html is None else html
        parts = _H2.split(html)
        intro, rows, notes = parts[0], [], []
        for i in range(1, len(parts), 3):
            anchor, heading, section = parts[i], parts[i + 1], parts[i + 2]
            pieces = _H3.split(section)
            if len(pieces) == 1:
                notes.append((anchor, heading, section))
                continue
            row = Row(anchor=anchor, question=html_to_text(heading))
            row.cells = [pieces[j + 1].strip() for j in range(1, len(pieces), 2)]
            row.names = [html_to_text(pieces[j]) for j in range(1, len(pieces), 2)]
            row.lead = pieces[0].strip()
            rows.append(row)
        return Grid(intro=intro, rows=rows, notes=notes)

    def structure_problems(self, html: str) -> list[str]:
        options = self.option_list
        problems = []
        if len(options) < 2:
            problems.append("List at least two options, one per line.")
        grid = self.grid(html)
        if not grid.rows:
            problems.append("Add at least one question: a ## heading with one ### per option.")
        for row in grid.rows:
            if row.names != options:
                problems.append(
                    f"Question '{row.question}' has the options {row.names}; it needs exactly "
                    f"{options}, in that order."
                )
            if row.lead and html_to_text(row.lead):
                problems.append(
                    f"Question '{row.question}' has text before its first ### heading: move it "
                    "into a cell."
                )
        return problems

    def clean(self) -> None:
        errors = []
        try:
            super().clean()
        except ValidationError as exc:
            errors.extend(exc.message_dict.get("body", []))
        # The rendering clean() just did (bounded, with the registry), when it got that far.
        checked = getattr(self, "_checked_render", None)
        html = checked[1].html if checked and checked[0] == self.body else self.render_body().html
        errors.extend(self.structure_problems(html))
        if errors:
            raise ValidationError({"body": errors})
