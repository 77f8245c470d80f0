"""Staff-only pages: previews of drafts, the live Markdown preview, the review dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import F, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from ketamine_info import markup
from ketamine_info.articles.models import Article
from ketamine_info.articles.views import ArticleDetailView
from ketamine_info.citations.models import Claim
from ketamine_info.faqs.models import Question, in_topic_order
from ketamine_info.faqs.views import QuestionListView
from ketamine_info.pages.models import Page
from ketamine_info.publishing import Status

from .two_factor import passes_second_factor

DUE_WITHIN_DAYS = 30


# --- Preview ------------------------------------------------------------------------------


class StaffPreviewMixin:
    """Only for staff who may change the content; never indexed, never cached."""

    model: type

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (
            user.is_authenticated
            and user.is_active
            and user.is_staff
            and passes_second_factor(request)
        ):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        opts = self.model._meta
        if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            raise Http404
        response = super().dispatch(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        patch_cache_control(response, private=True, no_store=True)
        return response

    def preview_of(self, obj) -> dict:
        opts = obj._meta
        return {
            "object": obj,
            "status": obj.get_status_display(),
            "is_public": obj.is_public,
            "edit_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
        }

    def get_meta(self):
        meta = super().get_meta()
        meta.noindex = True
        return meta


class ArticlePreviewView(StaffPreviewMixin, ArticleDetailView):
    """The article page exactly as patients would see it, whatever its status."""

    model = Article
    queryset = Article.objects.all()

    def get(self, request, *args, **kwargs):
        return DetailView.get(self, request, *args, **kwargs)  # no redirects from old slugs

    def get_object(self, queryset=None):
        return DetailView.get_object(self, queryset)  # whatever its status

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = self.preview_of(self.object)
        return context


class QuestionPreviewView(StaffPreviewMixin, QuestionListView):
    """The FAQ page as patients would see it with this question published."""

    model = Question

    def get_queryset(self):
        self.question = get_object_or_404(Question, slug=self.kwargs["slug"])
        questions = [q for q in Question.objects.published() if q.pk != self.question.pk]
        return in_topic_order([*questions, self.question])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = self.preview_of(self.question)
        return context


# --- Live Markdown preview in the admin ----------------------------------------------------


@require_POST
def markup_preview(request):
    """The sanitized HTML of the posted ``body``, its claims resolved and problems listed."""
    # Bounded: what is typed here is rendered on every keystroke pause.
    rendered = markup.render_bounded(
        request.POST.get("body", ""), seconds=settings.MARKUP_RENDER_SECONDS
    )
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
        return str(self.obj)


def _rows(request, queryset) -> list[Row]:
    rows = []
    for obj in queryset:
        opts = obj._meta
        if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        if isinstance(obj, Article):
            preview_url = reverse("editorial:article", args=[obj.slug])
        elif isinstance(obj, Question):
            preview_url = reverse("editorial:question", args=[obj.slug])
        else:  # a stand-alone page: always public
            preview_url = obj.get_absolute_url()
        rows.append(
            Row(
                obj=obj,
                kind=str(opts.verbose_name).capitalize(),
                edit_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
                preview_url=preview_url,
            )
        )
    return rows


def dashboard_sections(request, today: dt.date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=DUE_WITHIN_DAYS)

    def both(build, *, pages=True):
        rows = _rows(request, build(Article.objects.select_related("reviewed_by"))) + _rows(
            request, build(Question.objects.select_related("reviewed_by"))
        )
        if pages:  # stand-alone pages have reviews but no drafts
            rows += _rows(request, build(Page.objects.select_related("reviewed_by")))
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
    ]


# A stamp counts only while the stored text is the reviewed text (ReviewStamp.review_is_current).
NO_CURRENT_REVIEW = (
    Q(last_reviewed__isnull=True) | Q(reviewed_digest="") | ~Q(reviewed_digest=F("content_digest"))
)


def review_dashboard(request, site):
    from .models import PendingChange

    context = {
        **site.each_context(request),
        "title": "Review dashboard",
        "pending": PendingChange.objects.filter(state=PendingChange.State.OPEN)
        .select_related("content_type", "author")
        .order_by("created"),
        "sections": dashboard_sections(request),
        "today": timezone.localdate(),
        "Status": Status,
    }
    return render(request, "editorial/review_dashboard.html", context)
