"""Publishing rules shared by every kind of reviewed content.

A page moves through four states: a draft, in review, published, unpublished. Only published
content is public. Who may move it is decided here, on the model, so that the admin's form, its
actions and any other caller enforce the same rules:

- anyone who may change the content may write drafts and send them for review;
- only a user with the model's ``publish_<model>`` permission (the "Clinical reviewer" group)
  may publish or unpublish; a change to a page that is live waits for review as a
  ``PendingChange`` (see ``ketamine_info.editorial.review``);
- publishing is a clinical review: it needs the reviewer's explicit confirmation, and the
  review stamp (``ReviewStamp``) holds a digest of the text that was reviewed, so "Last reviewed"
  is shown only while the live text is that text.

Each rule has one home: every status change goes through ``Publishable.change_status`` (the
admin's form and its save, the bulk actions, the publish screen), and every way of publishing
records the review through ``ReviewStamp.stamp_publication`` (a page going live, or a reviewed
change applied to live content in ``ketamine_info.editorial.review``).

What patients see changes only through these paths, and each announces it once it is made
(``announce_public_change``): the page cache and the reverse proxies listen
(``ketamine_info.caching``), as Wagtail's front-end cache listens to ``page_published``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone

from ketamine_info.translations import LanguageQuerySet, text_digest


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


# The fields that hold the workflow's state rather than the content itself.
REVIEW_FIELDS = (
    "last_reviewed",
    "reviewed_by",
    "reviewed_by_name",
    "next_review_due",
    "reviewed_digest",
    "content_digest",
    "last_updated",
)
WORKFLOW_FIELDS = ("status", *REVIEW_FIELDS)
# Sent when a change reaches or leaves public pages: content published, unpublished or taken
# down, a reviewed change applied to live content, a review recorded on a live page. Arguments:
# ``sender`` (the model) and ``using`` (the database whose transaction holds the change).
public_content_changed = Signal()


def announce_public_change(model, *, using=None) -> None:
    """Say that what patients see has changed, in the transaction on ``using``: listeners act
    once it commits, and once however often it is said within one transaction."""
    public_content_changed.send(sender=model, using=using)


CONFIRMATION_MISSING = (
    "Publishing is a clinical review: tick 'I have reviewed this clinically' to publish."
)


class PublishedQuerySet(LanguageQuerySet):
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


def review_date_problems(last_reviewed, next_review_due, *, today=None) -> dict[str, str]:
    """What is wrong with a pair of review dates ({} if nothing)."""
    today = today or timezone.localdate()
    problems = {}
    if last_reviewed and last_reviewed > today:
        problems["last_reviewed"] = "A review cannot be dated in the future."
    if next_review_due and last_reviewed and next_review_due <= last_reviewed:
        problems["next_review_due"] = "The next review must come after the last one."
    if next_review_due and not last_reviewed and next_review_due <= today:
        problems["next_review_due"] = "The next review must come after today."
    return problems


class ReviewStamp(models.Model):
    """Who reviewed the text clinically, when, and exactly which text.

    ``reviewed_digest`` is the digest of the reviewed text (``REVIEWED_TEXT_FIELDS``);
    ``content_digest`` that of the text stored now, kept up to date on every save. The stamp is
    shown to patients only while the two match (``review_is_current``), so a paragraph added
    after the review can never stand under the reviewer's name. ``last_updated`` is the day the
    text last changed in substance: set when the digest changes, or taken from a content file.
    """

    REVIEWED_TEXT_FIELDS: tuple[str, ...] = ("body",)

    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="The day a clinician last checked this text. Set by publishing, never typed.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"is_staff": True},
        help_text="The staff member who did the review.",
    )
    reviewed_by_name = models.CharField(
        "reviewed by (as patients see it)",
        max_length=200,
        blank=True,
        help_text="The reviewer's name and credentials as patients see them, e.g. "
        "'Dana Lee, MD, psychiatrist'.",
    )
    next_review_due = models.DateField(
        null=True,
        blank=True,
        help_text="When this content should be checked again. It appears on the review "
        "dashboard 30 days before.",
    )
    reviewed_digest = models.CharField(max_length=64, blank=True, editable=False)
    content_digest = models.CharField(max_length=64, blank=True, editable=False)
    last_updated = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The day the text last changed in substance.",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_due__isnull=True)
                | Q(last_reviewed__isnull=True)
                | Q(next_review_due__gt=F("last_reviewed")),
                name="%(app_label)s_%(class)s_next_review_after_last",
            )
        ]

    # --- checks and saving ---------------------------------------------------------------

    def save(self, *args, **kwargs) -> None:
        new = self.current_text_digest()
        if new != self.content_digest:
            # The text changed: "last updated" is today, unless the caller carries the date
            # the text really changed (a content file does).
            if not getattr(self, "_keep_last_updated", False):
                self.last_updated = timezone.localdate()
            self.content_digest = new
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    "content_digest",
                    "last_updated",
                }
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        problems = review_date_problems(self.last_reviewed, self.next_review_due)
        if problems:
            raise ValidationError(problems)

    # --- what patients see ---------------------------------------------------------------

    @property
    def reviewer_name(self) -> str:
        """The reviewer as patients see them: the recorded credentials, else the name."""
        if self.reviewed_by_name:
            return self.reviewed_by_name
        if self.reviewed_by_id:
            return self.reviewed_by.get_full_name() or self.reviewed_by.get_username()
        return ""

    @property
    def review_is_current(self) -> bool:
        """True only while the stored text is the text a clinician reviewed."""
        return bool(
            self.last_reviewed
            and self.reviewed_digest
            and self.reviewed_digest == self.content_digest
        )

    def current_text_digest(self) -> str:
        return text_digest(self, self.REVIEWED_TEXT_FIELDS)

    # --- recording a review --------------------------------------------------------------

    @classmethod
    def _perm(cls, action: str) -> str:
        return f"{cls._meta.app_label}.{action}_{cls._meta.model_name}"

    @classmethod
    def can_record_review(cls, user) -> bool:
        return user.has_perm(cls._perm("review")) or user.has_perm(
            "editorial.publish_pendingchange"
        )

    def stamp_review(
        self,
        user,
        *,
        confirmed: bool,
        credentials: str = "",
        next_review_due: dt.date | None = None,
        on: dt.date | None = None,
    ) -> None:
        """``user`` reviewed the text as it is now (not saved here). Raises PermissionDenied
        without the clinical confirmation, ValidationError for impossible dates."""
        if not confirmed:
            raise PermissionDenied(CONFIRMATION_MISSING)
        if not self.can_record_review(user):
            raise PermissionDenied("Only a clinical reviewer can record a review.")
        on = on or timezone.localdate()
        due = next_review_due or on + review_interval()
        problems = review_date_problems(on, due)
        if problems:
            raise ValidationError(problems)
        self.last_reviewed = on
        self.next_review_due = due
        self.reviewed_by = user
        self.reviewed_by_name = credentials or (user.get_full_name() or user.get_username())
        self.reviewed_digest = self.current_text_digest()

    def stamp_publication(
        self,
        user,
        *,
        confirmed: bool,
        credentials: str = "",
        next_review_due: dt.date | None = None,
        change_only: bool = False,
    ) -> None:
        """Publishing records a review: ``user`` confirmed they reviewed, clinically, what goes
        live now (not saved here).

        A page that goes live was reviewed whole: its stamp is always renewed. With
        ``change_only`` a change to content already live was reviewed: the stamp is renewed
        when the change touches the reviewed text or the stamp no longer held, and a change to,
        say, a page's position leaves the date of the last review of its text as it was.
        """
        if not confirmed:
            raise PermissionDenied(CONFIRMATION_MISSING)
        if (
            change_only
            and self.review_is_current
            and self.current_text_digest() == self.content_digest
        ):
            return
        self.stamp_review(
            user, confirmed=confirmed, credentials=credentials, next_review_due=next_review_due
        )


class Publishable(ReviewStamp):
    """Status and clinical review of a page; subclasses add ``publish_*``/``review_*`` perms."""

    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published content is public. Content editors write drafts and send "
        "them for review; a clinical reviewer publishes.",
    )

    class Meta(ReviewStamp.Meta):
        abstract = True

    def save(self, *args, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        writes_status = fields is None or "status" in fields
        before = self.stored_status if writes_status else self.status
        super().save(*args, **kwargs)
        if writes_status:
            self._stored_status = self.status  # what is stored now (see stored_status)
            # Into or out of public view, by whatever way the status moved.
            if before != self.status and Status.PUBLISHED in (before, self.status):
                announce_public_change(type(self), using=self._state.db)

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    def is_live(self) -> bool:
        return self.status == Status.PUBLISHED

    # --- the status as stored ------------------------------------------------------------

    # A status change is a move from the status in the database, whatever a form has put in
    # ``status`` since: remembered when the row is read or saved (Django's documented
    # ``from_db`` pattern), so checking a move costs no query.

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "status" in instance.__dict__:  # not deferred
            instance._stored_status = instance.status
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "status" in fields:
            self._stored_status = self.status

    @property
    def stored_status(self) -> str | None:
        """The status in the database; None for content not saved yet."""
        if self._state.adding or self.pk is None:
            return None
        if "_stored_status" not in self.__dict__:
            # Made some other way than read (a copy of a past revision): ask the database.
            self._stored_status = (
                type(self)
                ._base_manager.using(self._state.db)
                .filter(pk=self.pk)
                .values_list("status", flat=True)
                .first()
            )
        return self._stored_status

    @stored_status.setter
    def stored_status(self, value: str | None) -> None:
        # For a caller that read the stored row itself (the admin's revert).
        self._stored_status = value

    # --- who may do what -----------------------------------------------------------------

    @classmethod
    def can_publish(cls, user) -> bool:
        return user.has_perm(cls._perm("publish"))

    @classmethod
    def can_edit(cls, user) -> bool:
        return user.has_perm(cls._perm("change"))

    # --- the one status change -----------------------------------------------------------

    def change_status(
        self,
        new_status: str,
        *,
        by,
        confirmed: bool = False,
        credentials: str = "",
        next_review_due: dt.date | None = None,
        save: bool = True,
    ) -> None:
        """Move this content from its stored status to ``new_status`` as the user ``by``.

        Every status change comes here: the admin's form (to show the refusal on the form) and
        its save (for any other way in), the bulk actions and the publish screen. Publishing is
        a clinical review: only a clinical reviewer publishes, with ``confirmed``, and the
        review is recorded as the page's stamp. Only a clinical reviewer takes a live page down
        or unpublishes. Raises ``PermissionDenied`` with the reason staff are shown, or
        ``ValidationError`` for content that may not go live. ``save=False`` only checks and
        sets ``status`` (and the stamp): the admin saves the form itself.
        """
        old = self.stored_status
        if new_status == Status.PUBLISHED and old != Status.PUBLISHED:
            if not self.can_publish(by):
                raise PermissionDenied("Only a clinical reviewer can publish a page.")
            self._check_may_edit(by)
            if not confirmed:
                raise PermissionDenied(CONFIRMATION_MISSING)
            self.status = new_status
            self.full_clean()  # an unknown claim key may wait in a draft, never go live
            self.stamp_publication(
                by, confirmed=confirmed, credentials=credentials, next_review_due=next_review_due
            )
        else:
            self._check_may_edit(by)
            publisher = self.can_publish(by)
            if old == Status.PUBLISHED and new_status != old and not publisher:
                raise PermissionDenied(
                    "Only a clinical reviewer can take down a page. Save it as a draft instead."
                )
            if new_status == Status.UNPUBLISHED and old != new_status and not publisher:
                raise PermissionDenied("Only a clinical reviewer can unpublish a page.")
            self.status = new_status
        if save:
            self.save()

    def _check_may_edit(self, user) -> None:
        # Creating content is the add permission's business (the admin checks it).
        if not self._state.adding and not self.can_edit(user):
            raise PermissionDenied("You may not change this content.")

    # --- the bulk actions' moves: each from the states where it makes sense ----------------

    def submit_for_review(self, user) -> None:
        if self.stored_status not in (Status.DRAFT, Status.UNPUBLISHED):
            raise PermissionDenied("Only a draft or an unpublished page can be sent for review.")
        self.change_status(Status.REVIEW, by=user)

    def send_back(self, user) -> None:
        """Back to draft: a reviewer returns it to its editor, or an editor withdraws it."""
        if self.stored_status != Status.REVIEW:
            raise PermissionDenied("Only a page in review can be sent back to draft.")
        self.change_status(Status.DRAFT, by=user)

    def publish(
        self,
        user,
        *,
        confirmed: bool = False,
        credentials: str = "",
        next_review_due: dt.date | None = None,
    ) -> None:
        """Publish: ``user`` confirms they reviewed this text clinically; recorded as the
        page's review stamp."""
        if self.stored_status == Status.PUBLISHED:
            raise PermissionDenied("This page is already published.")
        self.change_status(
            Status.PUBLISHED,
            by=user,
            confirmed=confirmed,
            credentials=credentials,
            next_review_due=next_review_due,
        )

    def unpublish(self, user) -> None:
        if self.stored_status != Status.PUBLISHED:
            raise PermissionDenied("Only a published page can be unpublished.")
        self.change_status(Status.UNPUBLISHED, by=user)

    # --- a review without a status change ------------------------------------------------

    def record_review(
        self,
        user,
        *,
        confirmed: bool = False,
        credentials: str = "",
        next_review_due: dt.date | None = None,
        save: bool = True,
    ) -> None:
        """``user`` reviewed the text as it is now; schedules the next review."""
        self.stamp_review(
            user, confirmed=confirmed, credentials=credentials, next_review_due=next_review_due
        )
        if save:
            self.save()
            if self.is_live():  # the stamp patients read
                announce_public_change(type(self), using=self._state.db)
