"""The reviewer's screens: a pending change (diff, affected pages, publish or send back), the
publish page for drafts, previews of public pages with a change applied, and the audit list."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import escape

from ketamine_info.publishing import ReviewStamp, Status, review_date_problems

from . import review
from .diff import word_diff
from .models import PendingChange
from .previews import preview_url_of

# --- forms --------------------------------------------------------------------------------


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        required=False,
        label="I have reviewed this clinically",
        help_text="Publishing puts your name under the text: tick only if you checked it as a "
        "clinician, against its sources.",
    )
    credentials = forms.CharField(
        label="Your name and credentials as patients will see them",
        max_length=200,
        help_text="For example 'Dana Lee, MD, psychiatrist'. Remembered for next time.",
    )
    next_review_due = forms.DateField(
        required=False,
        label="Next review due",
        help_text="Empty: a year from today.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_next_review_due(self):
        due = self.cleaned_data.get("next_review_due")
        problems = review_date_problems(timezone.localdate(), due)
        if problems:
            raise ValidationError(next(iter(problems.values())))
        return due

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("confirm"):
            self.add_error(
                "confirm",
                "Publishing is a clinical review: tick 'I have reviewed this clinically'.",
            )
        return cleaned


class SendBackForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note to the editor",
        help_text="What needs to change before this can be published.",
    )


# --- showing a change ---------------------------------------------------------------------


def _display(model, name, value) -> str:
    if value is None or value == "":
        return ""
    field = model._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related else f"(deleted #{value})"
    return str(value)


def _citation_lines(citations) -> str:
    Source = apps.get_model("citations", "Source")
    titles = dict(
        Source.objects.filter(pk__in=[c["source"] for c in citations]).values_list("pk", "title")
    )
    lines = []
    for number, entry in enumerate(citations, start=1):
        line = f"{number}. {titles.get(entry['source'], '(deleted source)')}"
        if entry.get("locator"):
            line += f" — {entry['locator']}"
        if entry.get("excerpt"):
            line += f" — “{entry['excerpt']}”"
        lines.append(line)
    return "\n".join(lines)


def field_changes(change: PendingChange) -> list[dict]:
    model = change.model
    live = change.live_object()
    current = review.snapshot(live) if live is not None else {}
    rows = []
    for name, value in change.values.items():
        if name == review.CITATIONS:
            label = "Citations"
            old = _citation_lines(current.get(name, []))
            new = _citation_lines(value)
        elif name in getattr(model, "REVIEW_RELATED", ()):
            label, old = model.describe_review_related(name, current.get(name))
            new = model.describe_review_related(name, value)[1]
        else:
            label = str(model._meta.get_field(name).verbose_name).capitalize()
            old = _display(model, name, current.get(name))
            new = _display(model, name, value)
        rows.append({"label": label, "old": old, "new": new, "diff": word_diff(old, new)})
    return rows


def _page_links(change: PendingChange) -> list[dict]:
    pages = {}
    live = change.live_object()
    for obj in filter(None, [live, review.proposed_object(change)]):
        for entry in review.affected_pages(obj):
            pages.setdefault(entry.url, entry)
    return [
        {
            "title": entry.title,
            "url": entry.url,
            "preview_url": reverse("editorial:change_preview", args=[change.pk])
            + "?"
            + urlencode({"path": entry.url.split("#")[0]}, safe="/"),
        }
        for entry in pages.values()
    ]


def review_change(request, model_admin, object_id):
    change = PendingChange.objects.filter(pk=object_id).select_related("content_type").first()
    if change is None:
        raise Http404
    user = request.user
    if not (user.has_perm("editorial.view_pendingchange") or review.can_review(user)):
        raise PermissionDenied
    may_review = review.can_review(user, change.model)
    publish_form = PublishForm(initial={"credentials": review.credentials_of(user)})
    send_back_form = SendBackForm()
    if request.method == "POST":
        if not may_review:
            raise PermissionDenied
        if "publish" in request.POST:
            publish_form = PublishForm(request.POST)
            if publish_form.is_valid():
                data = publish_form.cleaned_data
                try:
                    obj = review.publish(
                        change,
                        user,
                        confirmed=data["confirm"],
                        credentials=data["credentials"],
                        next_review_due=data["next_review_due"],
                    )
                except (PermissionDenied, ValidationError) as exc:
                    messages.error(request, " ".join(_messages_of(exc)))
                else:
                    messages.success(request, f"Published: patients now see the new “{obj}”.")
                    return HttpResponseRedirect(reverse("admin:editorial_pendingchange_changelist"))
        elif "send_back" in request.POST:
            send_back_form = SendBackForm(request.POST)
            if send_back_form.is_valid():
                try:
                    review.reject(change, user, note=send_back_form.cleaned_data["note"])
                except (PermissionDenied, ValidationError) as exc:
                    messages.error(request, " ".join(_messages_of(exc)))
                else:
                    messages.success(request, "Sent back to the editor with your note.")
                    return HttpResponseRedirect(reverse("admin:editorial_pendingchange_changelist"))
    live = change.live_object()
    opts = PendingChange._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": str(change),
        "opts": opts,
        "change": change,
        "live": live,
        "live_url": review.admin_url(live) if live is not None else "",
        "changes": field_changes(change),
        "pages": _page_links(change),
        "unknown_claims": review.unknown_claims(change),
        "live_moved_on": live is not None
        and change.base_version is not None
        and getattr(live, "version", None) != change.base_version,
        "may_review": may_review and change.state == PendingChange.State.OPEN,
        "stamps": issubclass(change.model, ReviewStamp),
        "publish_form": publish_form,
        "send_back_form": send_back_form,
    }
    return render(request, "editorial/pending_change.html", context)


def _messages_of(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc)]


# --- publishing a draft, or recording a review of a live page ------------------------------


def publish_page(request, site):
    """Publish drafts, or record a review of live pages, with the clinical confirmation."""
    try:
        ct = ContentType.objects.get_for_id(int(request.GET.get("ct", "")))
        ids = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk]
    except (ValueError, ContentType.DoesNotExist):
        raise Http404 from None
    model = ct.model_class()
    if model is None or not issubclass(model, ReviewStamp) or not hasattr(model, "change_status"):
        raise Http404
    if not review.can_review(request.user, model):
        raise PermissionDenied
    items = list(model._base_manager.filter(pk__in=ids))
    form = PublishForm(initial={"credentials": review.credentials_of(request.user)})
    if request.method == "POST":
        form = PublishForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            done, refused = [], []
            for obj in items:
                try:
                    with transaction.atomic():
                        if obj.is_live():
                            obj._change_reason = "Clinical review recorded"
                            obj.record_review(
                                request.user,
                                confirmed=data["confirm"],
                                credentials=data["credentials"],
                                next_review_due=data["next_review_due"],
                            )
                        else:
                            obj._change_reason = f"Published, reviewed by {data['credentials']}"
                            obj.change_status(
                                Status.PUBLISHED,
                                by=request.user,
                                confirmed=data["confirm"],
                                credentials=data["credentials"],
                                next_review_due=data["next_review_due"],
                            )
                except (PermissionDenied, ValidationError) as exc:
                    refused.append(f"“{obj}”: {' '.join(_messages_of(exc))}")
                else:
                    done.append(obj)
            if done:
                review.remember_credentials(request.user, data["credentials"])
                messages.success(
                    request, f"{len(done)} published or review recorded, by {data['credentials']}."
                )
            for message in refused:
                messages.error(request, message)
            if not refused:
                opts = model._meta
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                )
    context = {
        **site.each_context(request),
        "title": "Review and publish",
        "items": [
            {
                "obj": obj,
                "live": obj.is_live(),
                "edit_url": review.admin_url(obj),
                "preview_url": preview_url_of(obj),
                "unknown": obj.unknown_claims() if hasattr(obj, "unknown_claims") else [],
            }
            for obj in items
        ],
        "form": form,
        "opts": model._meta,
    }
    return render(request, "editorial/publish.html", context)


# --- a public page with a pending change applied -------------------------------------------


class _Rollback(Exception):
    pass


BODY_RE = re.compile(rb"<body[^>]*>")


def change_preview(request, pk):
    """The public page at ``?path=`` as patients would see it once change ``pk`` is published.

    The change is applied inside a transaction that is always rolled back, so the page is built
    by the public view itself from the changed data, and nothing of it stays."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    change = get_object_or_404(PendingChange, pk=pk)
    opts = change.model._meta
    if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        raise Http404
    path = request.GET.get("path", "")
    allowed = {entry["url"].split("#")[0] for entry in _page_links(change)}
    if path not in allowed:
        raise Http404("This page does not show the changed item.")
    path, _, query = path.partition("?")
    try:
        match = resolve(path)
    except Resolver404:
        raise Http404 from None
    # A search page (a synonym's or a best bet's) reads its words from the query string.
    request.GET = QueryDict(query)
    response = None
    try:
        with transaction.atomic():
            review.apply(change, reason="Preview (never saved)", validate=False)
            response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render"):
                response.render()
            raise _Rollback
    except _Rollback:
        pass
    banner = (
        '<div class="preview-banner" role="status" style="background:#fff3cd;color:#000;'
        'padding:.75rem 1rem;border-bottom:2px solid #a67c00">'
        f"<strong>Preview of a change waiting for review</strong> ({escape(str(change))}). "
        "Patients do not see this yet.</div>"
    ).encode()
    response.content = BODY_RE.sub(lambda m: m.group(0) + banner, response.content, count=1)
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- the audit list -----------------------------------------------------------------------

HISTORY_VERBS = {"+": "Added", "~": "Changed", "-": "Deleted"}
AUDIT_LIMIT = 300


def _history_events(user_id, item):
    events = []
    for label in review.REVIEWED_MODELS:
        model = apps.get_model(label)
        if item and item[0] != label:
            continue
        records = model.history.select_related("history_user").order_by("-history_date")
        if user_id:
            records = records.filter(history_user_id=user_id)
        if item:
            records = records.filter(id=item[1])
        for record in records[:AUDIT_LIMIT]:
            reason = record.history_change_reason or ""
            verb = HISTORY_VERBS.get(record.history_type, record.history_type)
            if record.history_type != "-":
                if reason.startswith("Published"):
                    verb = "Published"
                elif reason.startswith("Unpublished"):
                    verb = "Unpublished"
                elif reason.startswith("Clinical review"):
                    verb = "Review recorded"
            events.append(
                {
                    "when": record.history_date,
                    "who": _name(record.history_user) or "content files / system",
                    "what": verb,
                    "detail": reason,
                    "kind": str(model._meta.verbose_name).capitalize(),
                    "item": str(record.instance),
                    "item_key": f"{label}:{record.id}",
                }
            )
    return events


def _change_events(user_id, item):
    changes = PendingChange.objects.select_related("content_type", "author", "decided_by")
    if item:
        model = apps.get_model(item[0])
        changes = changes.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=item[1]
        )
    events = []
    for change in changes.order_by("-updated")[:AUDIT_LIMIT]:
        model = change.model
        label = f"{model._meta.label}:{change.object_id}" if change.object_id else ""
        common = {
            "kind": str(model._meta.verbose_name).capitalize(),
            "item": change.object_repr,
            "item_key": label,
            "url": reverse("admin:editorial_pendingchange_change", args=[change.pk]),
        }
        if not user_id or change.author_id == user_id:
            events.append(
                {
                    **common,
                    "when": change.created,
                    "who": change.author_name,
                    "what": "Pending change",
                    "detail": f"Change #{change.pk} proposed ({', '.join(change.values)})",
                }
            )
        if change.decided and (not user_id or change.decided_by_id == user_id):
            events.append(
                {
                    **common,
                    "when": change.decided,
                    "who": _name(change.decided_by),
                    "what": "Sent back"
                    if change.state == PendingChange.State.REJECTED
                    else "Published after review",
                    "detail": change.note
                    or (f"Reviewed by {change.reviewed_as}" if change.reviewed_as else ""),
                }
            )
    return events


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def audit_list(request, site):
    if not request.user.has_perm("editorial.view_pendingchange"):
        raise PermissionDenied
    try:
        user_id = int(request.GET.get("user", "") or 0) or None
    except ValueError:
        user_id = None
    item = None
    raw_item = request.GET.get("item", "")
    if raw_item.count(":") == 1:
        label, _, pk = raw_item.partition(":")
        if label in review.REVIEWED_MODELS and pk.isdigit():
            item = (label, int(pk))
    events = _history_events(user_id, item) + _change_events(user_id, item)
    events.sort(key=lambda e: e["when"], reverse=True)
    context = {
        **site.each_context(request),
        "title": "Audit trail",
        "events": events[:AUDIT_LIMIT],
        "people": get_user_model().objects.filter(is_staff=True).order_by("username"),
        "user_id": user_id,
        "item": raw_item if item else "",
    }
    return render(request, "editorial/audit.html", context)
