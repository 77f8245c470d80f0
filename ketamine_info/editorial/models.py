"""Editorial: how staff edit the site together without losing each other's work.

It holds ``PendingChange``, a change to live content waiting for a clinical reviewer, and
``ReviewerProfile``, a reviewer's name and credentials as patients see them. Its admin module
adds revision history, the stale-save check (``ketamine_info/versioning.py``), the live Markdown
preview and the review of pending changes; its views serve the review dashboard and the audit
list; ``roles.py`` makes the staff groups "Content editor" and "Clinical reviewer" after every
migrate.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class PendingChange(models.Model):
    """A change to live content, waiting for a clinical reviewer; the live row is unchanged.

    ``values`` holds the proposed field values that differ from the live record (JSON, as
    ``ketamine_info.editorial.review.snapshot`` makes them; a claim's citations under
    ``"citations"``). ``object_id`` is empty for a proposed new item of a kind that is public as
    soon as it exists (a glossary term, a page, a figure). Publishing applies the values, which
    records an ordinary revision in the item's history; at most one change per item is open.
    """

    class State(models.TextChoices):
        OPEN = "open", "Waiting for review"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Sent back"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveIntegerField(null=True, blank=True)
    object_repr = models.CharField("item", max_length=300)
    values = models.JSONField(default=dict)
    base_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The live record's version the change was made from."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin = models.CharField(
        max_length=200, blank=True, help_text="Where it came from when no one typed it."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided = models.DateTimeField(null=True, blank=True)
    reviewed_as = models.CharField(
        max_length=200, blank=True, help_text="The reviewer's credentials, as recorded."
    )
    note = models.TextField(blank=True, help_text="The reviewer's note when sending it back.")
    # A change sent back stays its editor's draft (shown in the form with the note) until they
    # send it again or start again from the live text.
    set_aside = models.DateTimeField(
        null=True, blank=True, help_text="When its editor sent it again or set it aside."
    )

    class Meta:
        ordering = ["-updated"]
        permissions = [
            ("publish_pendingchange", "Can publish or send back changes to live content"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state="open") & Q(object_id__isnull=False),
                name="pendingchange_one_open_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"Change #{self.pk} to {self.object_repr}"

    @property
    def model(self):
        return self.content_type.model_class()

    def live_object(self):
        if self.object_id is None:
            return None
        return self.model._base_manager.filter(pk=self.object_id).first()

    @property
    def author_name(self) -> str:
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        return self.origin or "—"


class ReviewerProfile(models.Model):
    """How a clinical reviewer is named to patients under a page they reviewed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    credentials = models.CharField(
        "name and credentials",
        max_length=200,
        help_text="As patients should see it, e.g. 'Dana Lee, MD, psychiatrist'.",
    )

    def __str__(self) -> str:
        return self.credentials


class NotificationSettings(models.Model):
    """Which emails one staff member gets, and when the batched ones were last sent.

    Every kind is on until the person turns it off (admin home → "Email notifications").
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    changes_waiting = models.BooleanField(
        "changes waiting for my review",
        default=True,
        help_text="Reviewers: at most one email an hour listing what is new to review.",
    )
    my_changes_decided = models.BooleanField(
        "my changes published or sent back",
        default=True,
        help_text="When a reviewer publishes your change or sends it back (with their note).",
    )
    reviews_due = models.BooleanField(
        "weekly list of reviews due",
        default=True,
        help_text="Reviewers: once a week, the pages whose review is overdue or due within 30 "
        "days.",
    )
    last_waiting_mail = models.DateTimeField(null=True, blank=True, editable=False)
    last_due_mail = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "email notification settings"
        verbose_name_plural = "email notification settings"

    def __str__(self) -> str:
        return f"Email notifications of {self.user}"
