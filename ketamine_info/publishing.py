"""Publishing rules shared by every kind of reviewed content (articles and FAQ answers).

A page moves through four states: a draft, in review, published, unpublished. Only published
content is public. Who may move it is decided here, on the model, so that the admin's form, its
actions and any other caller enforce the same rules:

- anyone who may change the content may write drafts and send them for review;
- only a user with the model's ``publish_<model>`` permission (the "Clinical reviewer" group)
  may publish, unpublish, or change the text of a page that is live;
- only a user with ``review_<model>`` may record a clinical review (date and reviewer).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


# The fields that hold the workflow's state rather than the content itself.
WORKFLOW_FIELDS = ("status", "last_reviewed", "reviewed_by", "reviewed_by_name", "next_review_due")
REVIEW_FIELDS = ("last_reviewed", "reviewed_by", "reviewed_by_name", "next_review_due")


class PublishedQuerySet(models.QuerySet):
    """``.published()`` is what the public may see; views, sitemaps and feeds all use it."""

    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def awaiting_review(self):
        return self.filter(status=Status.REVIEW)

    def review_due(self, *, within_days: int = 30, today: dt.date | None = None):
        """Content whose next review is overdue or falls within ``within_days`` days."""
        today = today or timezone.localdate()
        return self.filter(next_review_due__lte=today + dt.timedelta(days=within_days))


def review_interval() -> dt.timedelta:
    return dt.timedelta(days=settings.CONTENT_REVIEW_INTERVAL_DAYS)


class Publishable(models.Model):
    """Status and clinical review of a page; subclasses add ``publish_*``/``review_*`` perms."""

    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published content is public. Content editors write drafts and send "
        "them for review; a clinical reviewer publishes.",
    )
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="The day a clinician last checked this content. Patients see it. Leave empty "
        "if no review has been recorded.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"is_staff": True},
        help_text="The staff member who did the review, if they have a login.",
    )
    reviewed_by_name = models.CharField(
        "reviewed by (name)",
        max_length=200,
        blank=True,
        help_text="Or the reviewer's name and credentials as patients should see them, e.g. "
        "'Dana Lee, MD', if they have no login here.",
    )
    next_review_due = models.DateField(
        null=True,
        blank=True,
        help_text="When this content should be checked again. It appears on the review "
        "dashboard 30 days before.",
    )

    class Meta:
        abstract = True

    # --- what patients see ---------------------------------------------------------------

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def reviewer_name(self) -> str:
        """The reviewer as patients see them: the typed name, else the staff member's name."""
        if self.reviewed_by_name:
            return self.reviewed_by_name
        if self.reviewed_by_id:
            return self.reviewed_by.get_full_name() or self.reviewed_by.get_username()
        return ""

    # --- who may do what -----------------------------------------------------------------

    @classmethod
    def _perm(cls, action: str) -> str:
        return f"{cls._meta.app_label}.{action}_{cls._meta.model_name}"

    @classmethod
    def can_publish(cls, user) -> bool:
        return user.has_perm(cls._perm("publish"))

    @classmethod
    def can_record_review(cls, user) -> bool:
        return user.has_perm(cls._perm("review"))

    @classmethod
    def can_edit(cls, user) -> bool:
        return user.has_perm(cls._perm("change"))

    def transition_problem(self, user, old_status: str | None, new_status: str) -> str:
        """Why ``user`` may not move this content from ``old_status`` to ``new_status`` ('' if
        they may). ``old_status`` is None for new content."""
        publisher = self.can_publish(user)
        live_changes = new_status != old_status and Status.PUBLISHED in (old_status, new_status)
        if live_changes and not publisher:
            verb = "publish" if new_status == Status.PUBLISHED else "take down"
            return (
                f"Only a clinical reviewer can {verb} a page. Save it as a draft or send it for "
                "review."
            )
        if new_status == Status.UNPUBLISHED and old_status != Status.UNPUBLISHED and not publisher:
            return "Only a clinical reviewer can unpublish a page."
        return ""

    def edit_problem(self, user, old_status: str | None) -> str:
        """Why ``user`` may not change the content of this page ('' if they may)."""
        if old_status == Status.PUBLISHED and not self.can_publish(user):
            return (
                "This page is live, so a change to it would reach patients without a clinical "
                "review. Ask a clinical reviewer to make the change, or to unpublish the page so "
                "you can work on it as a draft."
            )
        return ""

    # --- transitions ---------------------------------------------------------------------

    def _move(self, user, new_status: str) -> None:
        problem = self.transition_problem(user, self.status, new_status)
        if problem or not self.can_edit(user):
            raise PermissionDenied(problem or "You may not change this content.")
        self.status = new_status

    def submit_for_review(self, user) -> None:
        if self.status not in (Status.DRAFT, Status.UNPUBLISHED):
            raise PermissionDenied("Only a draft or an unpublished page can be sent for review.")
        self._move(user, Status.REVIEW)
        self.save()

    def send_back(self, user) -> None:
        """Back to draft: a reviewer returns it to its editor, or an editor withdraws it."""
        if self.status != Status.REVIEW:
            raise PermissionDenied("Only a page in review can be sent back to draft.")
        self._move(user, Status.DRAFT)
        self.save()

    def publish(self, user, *, today: dt.date | None = None) -> None:
        """Publish, recording today's review by ``user`` when they may record reviews."""
        self._move(user, Status.PUBLISHED)
        if self.can_record_review(user):
            self.record_review(user, on=today, save=False)
        self.save()

    def unpublish(self, user) -> None:
        if self.status != Status.PUBLISHED:
            raise PermissionDenied("Only a published page can be unpublished.")
        self._move(user, Status.UNPUBLISHED)
        self.save()

    def record_review(self, user, *, on: dt.date | None = None, save: bool = True) -> None:
        """``user`` reviewed the content on ``on`` (default today); schedules the next one."""
        if not self.can_record_review(user):
            raise PermissionDenied("Only a clinical reviewer can record a review.")
        self.last_reviewed = on or timezone.localdate()
        self.reviewed_by = user
        self.reviewed_by_name = ""
        if not self.next_review_due or self.next_review_due <= self.last_reviewed:
            self.next_review_due = self.last_reviewed + review_interval()
        if save:
            self.save()
