"""Publishing at a date and time, and taking a page down at one.

A clinical reviewer reviews now and says when it goes live: the schedule holds the reviewer,
the credentials patients will see and a digest of exactly what was reviewed. At the time,
``manage.py publish_scheduled`` (``runner.py``) publishes through the same functions as the
publish screens, as that reviewer; if the text was changed after it was scheduled, nothing is
published and the schedule says why. Each schedule is carried out once, however often the
command runs.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from ketamine_info.editorial.models import PendingChange
from ketamine_info.publishing import Publishable

CHANGED_SINCE = "It was changed after it was scheduled, so it was not published: review it again."

ONLY_PUBLISHABLE = (
    "Only articles, FAQ answers and images can be scheduled this way; for anything else, "
    "schedule its pending change."
)


def change_digest(change: PendingChange) -> str:
    return hashlib.sha256(json.dumps(change.values, sort_keys=True).encode()).hexdigest()


class Schedule(models.Model):
    class Action(models.TextChoices):
        PUBLISH = "publish", "Publish"
        TAKE_DOWN = "take_down", "Take down (unpublish)"

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting"
        DONE = "done", "Done"
        FAILED = "failed", "Not done"
        CANCELLED = "cancelled", "Cancelled"

    action = models.CharField(max_length=20, choices=Action.choices, default=Action.PUBLISH)
    change = models.ForeignKey(
        PendingChange,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"state": PendingChange.State.OPEN},
        help_text="To publish a change to something already live: the pending change.",
    )
    content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="kind",
        help_text="To publish a draft, or take a page down: its kind and number (the number is "
        "in the address of its admin page).",
    )
    object_id = models.PositiveIntegerField("number", null=True, blank=True)
    at = models.DateTimeField("when")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    credentials = models.CharField(
        "your name and credentials as patients will see them", max_length=200, blank=True
    )
    next_review_due = models.DateField(null=True, blank=True)
    reviewed_digest = models.CharField(max_length=64, editable=False, default="")
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.WAITING, editable=False
    )
    done_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome = models.TextField(blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        when = timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M %Z")
        return f"{self.get_action_display()} {self.target_repr()} at {when}"

    def target_repr(self) -> str:
        if self.change_id:
            return f"change #{self.change_id} ({self.change.object_repr})"
        item = self.item()
        return f"“{item}”" if item is not None else "(missing)"

    def item(self):
        if self.content_type_id is None or self.object_id is None:
            return None
        model = self.content_type.model_class()
        return model._base_manager.filter(pk=self.object_id).first() if model else None

    def current_digest(self) -> str:
        if self.change_id:
            return change_digest(self.change)
        item = self.item()
        return item.current_text_digest() if item is not None else ""

    def clean(self) -> None:
        if self.at and self.at <= timezone.now():
            raise ValidationError({"at": "Choose a time in the future."})
        by_item = self.content_type_id is not None or self.object_id is not None
        if bool(self.change_id) == by_item:
            raise ValidationError("Choose either a pending change, or a kind and number.")
        if self.change_id:
            if self.action != self.Action.PUBLISH:
                raise ValidationError({"action": "A pending change can only be published."})
            if self.change.state != PendingChange.State.OPEN:
                raise ValidationError({"change": "This change was already decided."})
            return
        model = self.content_type.model_class() if self.content_type_id else None
        if model is None or not issubclass(model, Publishable):
            raise ValidationError({"content_type": ONLY_PUBLISHABLE})
        item = self.item()
        if item is None:
            raise ValidationError({"object_id": "There is no such item."})
        if self.action == self.Action.PUBLISH and item.is_live():
            raise ValidationError({"object_id": "It is already published."})
        if self.action == self.Action.TAKE_DOWN and not item.is_live():
            raise ValidationError({"object_id": "It is not published."})
