"""What the admin's home page tells each staff member: what reviewers sent back to them, and
what is still to be set before the site goes live."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from . import review
from .checklist import checklist
from .models import PendingChange


@dataclass
class Returned:
    change: PendingChange
    title: str
    kind: str
    edit_url: str


def _edit_url(change: PendingChange) -> str:
    opts = change.model._meta
    try:
        if change.object_id is None:
            add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            return f"{add}?returned={change.pk}"
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[change.object_id])
    except NoReverseMatch:
        return reverse("admin:editorial_pendingchange_change", args=[change.pk])


def returned_to(user, limit: int = 50) -> list[Returned]:
    rows = []
    for change in review.returned_to(user)[:limit]:
        if change.model is None:
            continue
        rows.append(
            Returned(
                change=change,
                title=change.object_repr,
                kind=str(change.model._meta.verbose_name).capitalize(),
                edit_url=_edit_url(change),
            )
        )
    return rows


def home_context(request) -> dict:
    steps = checklist()
    return {
        "returned_to_me": returned_to(request.user),
        "checklist": steps,
        "checklist_left": sum(1 for step in steps if not step["done"]),
    }
