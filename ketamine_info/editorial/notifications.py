"""Email to staff: what waits for a reviewer, what happened to an editor's change, which reviews
fall due. Sent with Django's email settings (without EMAIL_HOST, printed on the console).

- **Changes waiting** (reviewers): at most one email per reviewer per hour, listing everything
  that came in since their last one. ``notify_reviewers()`` runs after each change is saved for
  review and from ``manage.py send_notifications`` (run it every few minutes from cron), which
  sends what the hourly limit held back.
- **Published or sent back** (the editor who made the change), with the reviewer's note.
- **Reviews due** (reviewers): ``manage.py send_due_reviews``, weekly.

Each person can turn each kind off (``NotificationSettings``). Only staff with an email address
are written to. The bookkeeping is written with ``update()``: no page shows it, so it does not
empty the page cache.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from ketamine_info.publishing import Publishable, ReviewStamp, Status

from .models import NotificationSettings, PendingChange

logger = logging.getLogger(__name__)

BATCH = dt.timedelta(hours=1)
WEEK = dt.timedelta(days=6, hours=12)  # a weekly job that runs a little early still sends
DUE_WITHIN_DAYS = 30
PUBLISH_PERMISSION = "editorial.publish_pendingchange"


def settings_of(user) -> NotificationSettings:
    found = NotificationSettings.objects.filter(user=user).first()
    if found is None:
        # bulk_create: no save signal, so a person's first email does not empty the page cache.
        NotificationSettings.objects.bulk_create(
            [NotificationSettings(user=user)], ignore_conflicts=True
        )
        found = NotificationSettings.objects.get(user=user)
    return found


def _admin_url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def reviewers():
    """Active clinical reviewers with an email address."""
    User = get_user_model()
    return (
        User.objects.with_perm(
            PUBLISH_PERMISSION,
            include_superusers=False,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(is_active=True, is_staff=True)
        .exclude(email="")
        .order_by("pk")
    )


def _send(user, subject: str, lines: list[str]) -> bool:
    try:
        send_mail(
            f"[{settings.SITE_NAME}] {subject}",
            "\n".join(lines) + "\n",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    except Exception:
        logger.exception("Could not send %r to %s", subject, user.get_username())
        return False
    return True


# --- changes waiting (batched) -------------------------------------------------------------


def _waiting_since(since: dt.datetime | None) -> list[str]:
    """One line per item waiting for review that arrived after ``since``."""
    changes = PendingChange.objects.filter(state=PendingChange.State.OPEN)
    if since is not None:
        changes = changes.filter(updated__gt=since)
    lines = [
        f"- {c.object_repr} ({c.author_name}): "
        + _admin_url("admin:editorial_pendingchange_change", c.pk)
        for c in changes.order_by("created")
    ]
    for model in apps.get_models():
        if not (issubclass(model, ReviewStamp) and issubclass(model, Publishable)):
            continue
        drafts = model.objects.filter(status=Status.REVIEW)
        if since is not None:
            drafts = drafts.filter(updated__gt=since)
        opts = model._meta
        for draft in drafts.order_by("updated"):
            lines.append(
                f"- {draft} (draft {opts.verbose_name}): "
                + _admin_url(f"admin:{opts.app_label}_{opts.model_name}_change", draft.pk)
            )
    return lines


def notify_reviewers(now: dt.datetime | None = None) -> int:
    """Email each reviewer what is new to review, unless they had one within the hour.
    Returns how many emails were sent; safe to call as often as you like."""
    now = now or timezone.now()
    sent = 0
    for user in reviewers():
        prefs = settings_of(user)
        if not prefs.changes_waiting:
            continue
        last = prefs.last_waiting_mail
        if last is not None and now - last < BATCH:
            continue  # held back: the next call after the hour sends it, with anything newer
        lines = _waiting_since(last)
        if not lines:
            continue
        body = [
            f"{len(lines)} item(s) wait for a clinical review:",
            "",
            *lines,
            "",
            "Review dashboard: " + _admin_url("admin:review_dashboard"),
            "",
            "You get at most one of these emails an hour. Turn them off under Email "
            "notifications: " + _admin_url("admin:notification_settings"),
        ]
        if _send(user, "Waiting for your review", body):
            NotificationSettings.objects.filter(pk=prefs.pk).update(last_waiting_mail=now)
            sent += 1
    return sent


# --- an editor's change decided --------------------------------------------------------------


def tell_author(change: PendingChange) -> bool:
    """Email the editor who made ``change`` that it was published or sent back."""
    author = change.author
    if author is None or not author.email or not author.is_active:
        return False
    if change.decided_by_id == author.pk or not settings_of(author).my_changes_decided:
        return False
    who = change.decided_by.get_full_name() or change.decided_by.get_username()
    if change.state == PendingChange.State.PUBLISHED:
        subject = f"Published: {change.object_repr}"
        body = [
            f"{who} published your change to “{change.object_repr}”. Patients see it now.",
            "",
            _admin_url("admin:editorial_pendingchange_change", change.pk),
        ]
    elif change.state == PendingChange.State.REJECTED:
        subject = f"Sent back: {change.object_repr}"
        opts = change.model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        if change.object_id:
            edit = _admin_url(f"{prefix}_change", change.object_id)
        else:
            edit = _admin_url(f"{prefix}_add") + f"?returned={change.pk}"
        body = [
            f"{who} sent your change to “{change.object_repr}” back with this note:",
            "",
            change.note,
            "",
            "Your words are kept: open the item, change them and save to send them again.",
            edit,
        ]
    else:
        return False
    body += ["", "Turn these emails off: " + _admin_url("admin:notification_settings")]
    return _send(author, subject, body)


# --- reviews due (weekly) --------------------------------------------------------------------


def _due_lines(today: dt.date) -> list[str]:
    soon = today + dt.timedelta(days=DUE_WITHIN_DAYS)
    lines = []
    for model in apps.get_models():
        if not issubclass(model, ReviewStamp):
            continue
        items = model.objects.filter(next_review_due__lte=soon)
        if issubclass(model, Publishable):
            items = items.filter(~Q(status=Status.DRAFT))
        opts = model._meta
        for item in items.order_by("next_review_due"):
            state = "overdue since" if item.next_review_due < today else "due"
            when = date_format(item.next_review_due, "F j, Y")
            lines.append(
                f"- {item} ({opts.verbose_name}), {state} {when}: "
                + _admin_url(f"admin:{opts.app_label}_{opts.model_name}_change", item.pk)
            )
    return lines


def send_due_reviews(now: dt.datetime | None = None, *, force: bool = False) -> int:
    """The weekly email of reviews overdue or due within 30 days, to each reviewer who wants
    it; not sent twice in one week (unless ``force``)."""
    now = now or timezone.now()
    lines = _due_lines(timezone.localdate(now))
    if not lines:
        return 0
    sent = 0
    for user in reviewers():
        prefs = settings_of(user)
        if not prefs.reviews_due:
            continue
        if not force and prefs.last_due_mail is not None and now - prefs.last_due_mail < WEEK:
            continue
        body = [
            f"{len(lines)} page(s) need a clinical review within {DUE_WITHIN_DAYS} days or are "
            "overdue:",
            "",
            *lines,
            "",
            "Review dashboard: " + _admin_url("admin:review_dashboard"),
            "",
            "Turn this weekly email off: " + _admin_url("admin:notification_settings"),
        ]
        if _send(user, "Reviews due", body):
            NotificationSettings.objects.filter(pk=prefs.pk).update(last_due_mail=now)
            sent += 1
    return sent


# --- when to run -----------------------------------------------------------------------------


def _after_commit(**kwargs) -> None:
    from django.db import transaction

    transaction.on_commit(_notify_quietly, robust=True)


def _notify_quietly() -> None:
    try:
        notify_reviewers()
    except Exception:
        logger.exception("Could not notify reviewers")


def something_waits(sender, instance, **kwargs) -> None:
    """post_save: a change saved for review, or a draft put in review."""
    if isinstance(instance, PendingChange):
        if instance.state == PendingChange.State.OPEN:
            _after_commit()
    elif getattr(instance, "status", None) == Status.REVIEW:
        _after_commit()


def connect() -> None:
    from django.db.models.signals import post_save

    post_save.connect(something_waits, sender=PendingChange, dispatch_uid="notify-change")
    for model in apps.get_models():
        if issubclass(model, Publishable):
            post_save.connect(
                something_waits, sender=model, dispatch_uid=f"notify-{model._meta.label}"
            )
