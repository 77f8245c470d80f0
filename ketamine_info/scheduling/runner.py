"""Carries out the schedules that are due: ``manage.py publish_scheduled``, every minute.

Each schedule is claimed with a conditional UPDATE (waiting → done) in the transaction that
publishes, so two runs at once never both carry it out, and a run that fails leaves nothing
half-done: the claim rolls back with the publication and the schedule is marked "Not done"
with the reason. Publishing goes through the same functions as the publish screens, as the
reviewer who scheduled it: the review stamp names them, dated the day it went live.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ketamine_info.editorial import review
from ketamine_info.publishing import Status

from .models import CHANGED_SINCE, Schedule


def run_due() -> list[str]:
    """Carry out every schedule due now; one line per schedule, for the log."""
    now = timezone.now()
    report = []
    due = Schedule.objects.filter(state=Schedule.State.WAITING, at__lte=now)
    for pk in due.order_by("at", "pk").values_list("pk", flat=True):
        try:
            with transaction.atomic():
                claimed = Schedule.objects.filter(pk=pk, state=Schedule.State.WAITING).update(
                    state=Schedule.State.DONE, done_at=now
                )
                if not claimed:
                    continue  # another run took it
                schedule = Schedule.objects.select_related("change", "reviewer").get(pk=pk)
                _carry_out(schedule)
                Schedule.objects.filter(pk=pk).update(outcome="Done.")
                report.append(f"done: {schedule}")
        except (PermissionDenied, ValidationError, ObjectDoesNotExist) as exc:
            reason = " ".join(getattr(exc, "messages", None) or [str(exc)])
            Schedule.objects.filter(pk=pk, state=Schedule.State.WAITING).update(
                state=Schedule.State.FAILED, done_at=now, outcome=reason
            )
            report.append(f"not done: schedule #{pk}: {reason}")
    return report


def _carry_out(schedule: Schedule) -> None:
    if schedule.current_digest() != schedule.reviewed_digest:
        raise ValidationError(CHANGED_SINCE)
    reviewer, credentials = schedule.reviewer, schedule.credentials
    if schedule.change_id:
        review.publish(
            schedule.change,
            reviewer,
            confirmed=True,
            credentials=credentials,
            next_review_due=schedule.next_review_due,
        )
        return
    item = schedule.item()
    if item is None:
        raise ValidationError("The item no longer exists.")
    if schedule.action == Schedule.Action.TAKE_DOWN:
        item._change_reason = f"Taken down as scheduled by {credentials or reviewer}"
        item.change_status(Status.UNPUBLISHED, by=reviewer)
    else:
        item._change_reason = f"Published as scheduled, reviewed by {credentials}"
        item.change_status(
            Status.PUBLISHED,
            by=reviewer,
            confirmed=True,
            credentials=credentials,
            next_review_due=schedule.next_review_due,
        )
