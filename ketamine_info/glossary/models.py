"""Glossary: plain-words definitions of the terms the pages use, at /glossary/#<slug>.

Every term is public, so a change to one waits for a clinical review (``PendingChange``).
"""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ketamine_info.citations.models import CitingContent, key_validator
from ketamine_info.translations import LanguageQuerySet, Translatable
from ketamine_info.versioning import Versioned


class TermQuerySet(LanguageQuerySet):
    def published(self):
        # Every term is public; the method keeps the interface of other cited content.
        return self.all()

    def link_targets(self) -> dict[str, str]:
        """Every term and alias, mapped to the address of its definition: what
        ``markup.render(terms=…)`` links."""
        targets: dict[str, str] = {}
        for term in self:
            for phrase in [term.term, *term.alias_list]:
                targets.setdefault(phrase, term.get_absolute_url())
        return targets


class Term(CitingContent, Translatable, Versioned):
    slug = models.CharField(
        max_length=100,
        unique=True,
        validators=[key_validator],
        help_text="The term's anchor on the glossary page (/glossary/#slug).",
    )
    term = models.CharField(
        max_length=100, help_text="As it should be shown, e.g. 'NMDA receptor'."
    )
    aliases = models.TextField(
        blank=True,
        help_text="Other forms of the term, one per line, e.g. 'NMDA receptors'. Pages link the "
        "first use of the term or any of these to its definition.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = TermQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=CitingContent.DERIVED_FIELDS)

    class Meta:
        ordering = ["term"]
        verbose_name = "glossary term"

    def __str__(self) -> str:
        return self.term

    def get_absolute_url(self) -> str:
        with self.own_language():
            return reverse("glossary:list") + f"#{self.slug}"

    def marker_id_prefix(self) -> str:
        return f"{self.slug}-"

    def is_live(self) -> bool:
        return True  # every term is public

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]
