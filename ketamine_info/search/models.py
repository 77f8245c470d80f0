"""Site search: one plain-text ``Document`` per public article, FAQ answer, glossary term, page
and decision aid; the words patients use for what the pages say (``Synonym``); and pages staff
pin to the top for a query (``BestBet``).

Signals keep the documents in step with the content (see ``signals.py``); the database's own
full-text search ranks them (``backends.py``): an FTS5 index over this table on SQLite, created by
migration 0001 and kept current by triggers, and ``to_tsvector`` on PostgreSQL. Each document
carries its item's language (English for kinds that have none).

Synonyms and best bets decide which pages a patient's search finds and in what order, so a change
to either waits for a clinical reviewer (``ketamine_info/editorial/review.py``), with revision
history like the pages themselves.
"""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ketamine_info.citations.models import key_validator
from ketamine_info.versioning import Versioned

from .query import best_bet_key, phrase_key


class Document(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        QUESTION = "question", "Question"
        TERM = "term", "Glossary term"
        PAGE = "page", "Page"
        COMPARISON = "comparison", "Decision aid"

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        SPANISH = "es", "Spanish"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text="The item's language: a search lists the reader's language first, and each "
        "language is matched with its own stemming (and Spanish without its accents).",
    )
    title = models.CharField(max_length=200)
    headings = models.TextField(
        blank=True,
        help_text="Section headings and other names of the item (a term's aliases): they weigh "
        "more than the body and less than the title.",
    )
    body = models.TextField(help_text="The visible text of the page, without markup.")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


def search_page(words: str) -> tuple[str, str]:
    """A search for ``words``, as (title, address): a page a reviewer previews."""
    return f"Search for “{words}”", f"{reverse('search:results')}?{urlencode({'q': words})}"


class Synonym(Versioned):
    """The words the pages use for something, and the words people type for it."""

    key = models.CharField(
        max_length=100,
        unique=True,
        validators=[key_validator],
        help_text="A short permanent name (lowercase, hyphens), also the file name in "
        "content/synonyms/.",
    )
    term = models.CharField(
        max_length=100,
        help_text="The word or words the pages use, e.g. 'dissociation' or 'blood pressure'. "
        "A search for any of the words below also finds pages with these words.",
    )
    variants = models.TextField(
        help_text="The words people type for it, one per line: slang, lay words, brand or "
        "generic names, common misspellings (e.g. 'k-hole', 'out of body'). Case and "
        "punctuation do not matter.",
    )
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["term", "key"]

    def __str__(self) -> str:
        return self.term

    def is_live(self) -> bool:
        return True  # every search reads every synonym

    def public_pages(self) -> list[tuple[str, str]]:
        """Searches it changes: for its term, and for a few of the words people type."""
        words = [self.term, *self.variant_list][:6]
        return [search_page(w) for w in dict.fromkeys(w for w in words if phrase_key(w))]

    @transaction.atomic
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The lookup table a search reads: one indexed row per phrase, never a scan.
        self.phrases.all().delete()
        keys = dict.fromkeys(k for k in map(phrase_key, self.variant_list) if k)
        SynonymPhrase.objects.bulk_create(
            [SynonymPhrase(synonym=self, phrase=k[:100]) for k in keys]
        )

    def clean(self) -> None:
        if not phrase_key(self.term):
            raise ValidationError({"term": "Type at least one word."})
        if not any(phrase_key(v) for v in self.variant_list):
            raise ValidationError({"variants": "Type at least one word people use for it."})
        too_long = [v for v in self.variant_list if len(phrase_key(v)) > 100]
        if too_long:
            raise ValidationError({"variants": f"Too long (100 characters at most): {too_long[0]}"})

    @property
    def variant_list(self) -> list[str]:
        return [line.strip() for line in self.variants.splitlines() if line.strip()]


class SynonymPhrase(models.Model):
    """One variant of a ``Synonym`` in its compared form; rewritten on every save."""

    synonym = models.ForeignKey(Synonym, on_delete=models.CASCADE, related_name="phrases")
    phrase = models.CharField(max_length=100, db_index=True)

    def __str__(self) -> str:
        return self.phrase


class BestBet(Versioned):
    """A page staff pin to the top of the results for a search."""

    query = models.CharField(
        max_length=200,
        help_text="The search, as people type it (e.g. 'cost'). Case, punctuation and small "
        "words such as 'the' or 'how' do not matter.",
    )
    query_key = models.CharField(max_length=200, editable=False, db_index=True)
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        "faqs.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    term = models.ForeignKey(
        "glossary.Term", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        "pages.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(
        default=1, help_text="Order among the pages pinned for the same search."
    )

    TARGETS = ("article", "question", "term", "page")

    history = HistoricalRecords(excluded_fields=["query_key"])

    class Meta:
        ordering = ["query_key", "position"]
        verbose_name = "best bet"

    def __str__(self) -> str:
        return f"{self.query} → {self.target}"

    def is_live(self) -> bool:
        return True  # a search with its words shows it first

    def public_pages(self) -> list[tuple[str, str]]:
        return [search_page(self.query)] if self.query else []

    def save(self, *args, **kwargs):
        self.query_key = best_bet_key(self.query)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        chosen = [name for name in self.TARGETS if getattr(self, name + "_id")]
        if len(chosen) != 1:
            raise ValidationError(
                "Choose exactly one page: an article, a question, a term or a page."
            )
        if not best_bet_key(self.query):
            raise ValidationError({"query": "Type the words of the search."})

    @property
    def target(self):
        return next(
            (getattr(self, name) for name in self.TARGETS if getattr(self, name + "_id")), None
        )


class MissedSearch(models.Model):
    """How many searches for some words found nothing or little, one row per words and day.

    Counts only: no address, no cookie, no user agent, no time of day, nothing that could tell
    one visitor from another. The report shows a search's words only once at least
    ``report.SHOWN_FROM`` searches used them, and rows older than ``report.KEPT_DAYS`` days are
    deleted as new ones are written (``report.record``).
    """

    words = models.CharField(
        max_length=200, help_text="The search's words as compared (lowercase, one space apart)."
    )
    day = models.DateField()
    searches = models.PositiveIntegerField(default=0)
    found_nothing = models.PositiveIntegerField(
        default=0, help_text="Of these, how many found no page at all."
    )

    class Meta:
        verbose_name = "search that found little"
        verbose_name_plural = "searches that found little"
        ordering = ["-day", "words"]
        constraints = [
            models.UniqueConstraint(fields=["words", "day"], name="search_missed_words_day")
        ]
        indexes = [models.Index(fields=["day"], name="search_missed_day")]

    def __str__(self) -> str:
        return f"{self.words} ({self.day})"
