"""Staff-only pages: the live Markdown preview and the review dashboard. Previews of drafts
live with their apps (``articles/previews.py``, ``faqs/previews.py``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import F, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ketamine_info import markup
from ketamine_info.publishing import Publishable, ReviewStamp, Status
from ketamine_info.translations import ENGLISH, Translatable

from .previews import preview_url_of

DUE_WITHIN_DAYS = 30


# --- Live Markdown preview in the admin ----------------------------------------------------


@require_POST
def markup_preview(request):
    """The sanitized HTML of the posted ``body``, its claims resolved and problems listed."""
    # Bounded: what is typed here is rendered on every keystroke pause.
    rendered = markup.render_bounded(
        request.POST.get("body", ""), seconds=settings.MARKUP_RENDER_SECONDS
    )
    # Looked up by label: the citation registry builds on this app, not the other way round.
    Claim = apps.get_model("citations", "Claim")
    statements = dict(
        Claim.objects.filter(key__in=rendered.claim_keys).values_list("key", "statement")
    )
    return JsonResponse(
        {
            "html": rendered.html,
            "references": [
                {
                    "number": number,
                    "key": key,
                    "statement": statements.get(key, ""),
                    "known": key in statements,
                }
                for number, key in enumerate(rendered.claim_keys, start=1)
            ],
            "unknown_keys": [key for key in rendered.claim_keys if key not in statements],
            "malformed_markers": rendered.malformed_markers,
            "error": rendered.error,
        }
    )


# --- Review dashboard ---------------------------------------------------------------------


@dataclass
class Row:
    obj: object
    kind: str
    edit_url: str
    preview_url: str

    @property
    def title(self) -> str:
        obj = self.obj
        if getattr(obj, "is_translation", False):
            return f"{obj} ({obj.get_language_display()})"
        return str(obj)


def _rows(request, queryset) -> list[Row]:
    rows = []
    for obj in queryset:
        opts = obj._meta
        if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        preview_url = preview_url_of(obj)
        rows.append(
            Row(
                obj=obj,
                kind=str(opts.verbose_name).capitalize(),
                edit_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
                preview_url=preview_url,
            )
        )
    return rows


def reviewed_models() -> list[type[ReviewStamp]]:
    """Every kind of content that carries a review stamp, found rather than listed."""
    return [model for model in apps.get_models() if issubclass(model, ReviewStamp)]


def out_of_date_translations() -> list:
    """Every translation whose English text changed in substance after it was made, the
    longest-waiting first."""
    found = []
    for model in apps.get_models():
        if issubclass(model, Translatable):
            items = model._default_manager.exclude(language=ENGLISH).select_related(
                "translation_of"
            )
            found += [item for item in items if item.out_of_date]
    return sorted(found, key=lambda item: (item.english_updated_on() or dt.date.min, str(item)))


def dashboard_sections(request, today: dt.date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=DUE_WITHIN_DAYS)

    def both(build, *, pages=True):
        rows = []
        for model in reviewed_models():
            # Only Publishable content has drafts; the rest is reviewed but always public.
            if pages or issubclass(model, Publishable):
                rows += _rows(request, build(model.objects.select_related("reviewed_by")))
        return rows

    return [
        {
            "id": "overdue",
            "title": "Review overdue",
            "empty": "No review is overdue.",
            "rows": both(
                lambda qs: qs.filter(next_review_due__lt=today).order_by("next_review_due")
            ),
        },
        {
            "id": "due-soon",
            "title": f"Review due within {DUE_WITHIN_DAYS} days",
            "empty": f"No review falls due in the next {DUE_WITHIN_DAYS} days.",
            "rows": both(
                lambda qs: qs.filter(
                    next_review_due__gte=today, next_review_due__lte=soon
                ).order_by("next_review_due")
            ),
        },
        {
            "id": "awaiting",
            "title": "Waiting for review",
            "empty": "No draft is waiting for review.",
            "rows": both(lambda qs: qs.awaiting_review().order_by("-updated"), pages=False),
        },
        {
            "id": "never-reviewed",
            "title": "Published with no current review (never reviewed, or changed since)",
            "empty": "Every published page has a review of its current text.",
            "rows": both(lambda qs: qs.published().filter(NO_CURRENT_REVIEW)),
        },
        {
            "id": "out-of-date-translations",
            "title": "Translations out of date (the English changed since they were made)",
            "empty": "Every translation was made from the English as it is now.",
            "rows": _rows(request, out_of_date_translations()),
        },
    ]


# A stamp counts only while the stored text is the reviewed text (ReviewStamp.review_is_current).
NO_CURRENT_REVIEW = (
    Q(last_reviewed__isnull=True) | Q(reviewed_digest="") | ~Q(reviewed_digest=F("content_digest"))
)


def review_dashboard(request, site):
    from .models import PendingChange
    from .reader_reports import open_reports

    reports, reports_waiting = open_reports()

    context = {
        **site.each_context(request),
        "title": "Review dashboard",
        "pending": PendingChange.objects.filter(state=PendingChange.State.OPEN)
        .select_related("content_type", "author")
        .order_by("created"),
        "sections": dashboard_sections(request),
        "today": timezone.localdate(),
        "Status": Status,
        "reader_reports": reports,
        "reader_reports_waiting": reports_waiting,
        "can_see_reports": request.user.has_perm("feedback.view_report"),
    }
    return render(request, "editorial/review_dashboard.html", context)
