"""FAQs: the questions patients ask, each answered in Markdown with claim markers, on /faq/."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ketamine_info.citations.models import CitingContent, key_validator
from ketamine_info.publishing import Publishable, PublishedQuerySet
from ketamine_info.topics import Topic
from ketamine_info.translations import Translatable
from ketamine_info.versioning import Versioned


class Question(CitingContent, Publishable, Translatable, Versioned):
    slug = models.CharField(
        max_length=100,
        unique=True,
        validators=[key_validator],
        help_text="The question's anchor on the FAQ page (/faq/#slug), used when people share "
        "a link to it. Do not change it once published.",
    )
    question = models.CharField(max_length=200, help_text="Asked the way a patient would ask it.")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    position = models.PositiveIntegerField(
        default=0, help_text="Order within its topic: 1 comes first."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    REVIEWED_TEXT_FIELDS = ("question", "body")

    objects = PublishedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=CitingContent.DERIVED_FIELDS)
    links_glossary_terms = True

    class Meta(Publishable.Meta):
        ordering = ["topic", "position", "question"]
        verbose_name = "FAQ question"
        permissions = [
            ("publish_question", "Can publish and unpublish FAQ questions"),
            ("review_question", "Can record a clinical review of an FAQ answer"),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        with self.own_language():
            return reverse("faqs:list") + f"#{self.slug}"

    def get_preview_url(self) -> str:
        """The FAQ page with this answer in place, whatever its status (staff only)."""
        with self.own_language():
            return reverse("question_preview", args=[self.slug]) + f"#{self.slug}"

    def marker_id_prefix(self) -> str:
        # Every answer shares the FAQ page, so reference anchors must be unique per answer.
        return f"{self.slug}-"


def in_topic_order(questions):
    """Questions grouped by topic, topics in the order the Topic choices list them."""
    order = {value: index for index, value in enumerate(Topic.values)}
    return sorted(questions, key=lambda q: (order[q.topic], q.position, q.question))
