"""Site search: one plain-text ``Document`` per public article, FAQ answer, glossary term and
page.

Signals keep the documents in step with the content (see ``signals.py``); the database's own
full-text search ranks them (``backends.py``): an FTS5 index over this table on SQLite, created by
migration 0001 and kept current by triggers, and ``to_tsvector`` on PostgreSQL.
"""

from django.db import models


class Document(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        QUESTION = "question", "Question"
        TERM = "term", "Glossary term"
        PAGE = "page", "Page"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="The visible text of the page, without markup.")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
