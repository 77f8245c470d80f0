"""Editorial: how staff edit the site together without losing each other's work.

It holds ``Versioned``, the optimistic-concurrency base of every model staff edit in the admin;
``PendingChange``, a change to live content waiting for a clinical reviewer; and
``ReviewerProfile``, a reviewer's name and credentials as patients see them. Its admin module
adds revision history, the stale-save check, the live Markdown preview and the review of
pending changes; its views serve staff-only previews, the review dashboard and the audit list;
its migrations create the staff groups "Content editor" and "Clinical reviewer".
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q


class StaleSave(Exception):
    """The record was saved by someone else after this copy of it was opened."""


class Versioned(models.Model):
    """A ``version`` number that goes up by one on every save.

    The admin form carries the version it was opened at and refuses to save when the record has
    been saved since (see ``ketamine_info.editorial.admin.VersionedForm``), so a colleague's
    change is never silently overwritten. The form's check alone leaves a race (two saves that
    both pass it); a save that knows the version it was opened at (``opened_version``) closes
    it by claiming the next version with a conditional UPDATE first: of two such saves, the
    database lets exactly one match, and the other raises ``StaleSave``.
    """

    version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Goes up by one on every save."
    )

    # Set by VersionedForm: the version this copy was opened at. None: no check (scripts, loads).
    opened_version: int | None = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        manager = self._meta.model._base_manager
        using = kwargs.get("using") or manager.db
        with transaction.atomic(using=using):
            opened, self.opened_version = self.opened_version, None
            if self.pk is not None and opened is not None:
                # Waits for a concurrent save's transaction (row lock, or SQLite's write lock)
                # and then sees its new version: 0 rows means someone else saved first.
                claimed = (
                    manager.using(using)
                    .filter(pk=self.pk, version=opened)
                    .update(version=opened + 1)
                )
                if not claimed:
                    raise StaleSave(
                        f"{self._meta.label} {self.pk} was saved since version {opened}"
                    )
                self.version = opened + 1
            else:
                # Counted from the stored row, not from this instance, which may be older (a
                # revert saves a copy made from a past revision).
                stored = None
                if self.pk is not None:
                    stored = (
                        manager.using(using)
                        .filter(pk=self.pk)
                        .values_list("version", flat=True)
                        .first()
                    )
                self.version = (stored if stored is not None else self.version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            super().save(*args, **kwargs)


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
