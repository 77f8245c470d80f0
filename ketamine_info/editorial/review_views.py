"""The reviewer's screens: a pending change (diff, affected pages, publish or send back), the
publish page for drafts, previews of public pages with a change applied, and the audit list."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation

from ketamine_info.publishing import ReviewStamp, Status, review_date_problems

from . import notifications, previews, readable_diff, review
from .diff import word_diff
from .models import PendingChange
from .previews import preview_url_of
from .reader_reports import reports_on

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
        if entry.get("source") is None:  # a source waiting for review, by its key
            title = f"{entry.get(review.WAITING_SOURCE)} (a new source waiting for review)"
        else:
            title = titles.get(entry["source"], "(deleted source)")
        line = f"{number}. {title}"
        if entry.get("locator"):
            line += f" — {entry['locator']}"
        if entry.get("excerpt"):
            line += f" — “{entry['excerpt']}”"
        lines.append(line)
    return "\n".join(lines)


def field_changes(change: PendingChange, *, source: bool = False) -> list[dict]:
    """Each changed field: its label and the diff. Text fields show only the changed paragraphs
    (as patients read them, or with ``source`` the Markdown as typed)."""
    model = change.model
    live = change.live_object()
    current = review.snapshot(live) if live is not None else {}
    rows = []
    for name, value in change.values.items():
        field = _plain_text_field(model, name)
        if field is not None:
            old, new = current.get(name) or "", value or ""
            if old == new:
                continue  # a new item's empty field: nothing to read
            rows.append(
                {
                    "label": str(field.verbose_name).capitalize(),
                    "old": old,
                    "new": new,
                    "blocks": readable_diff.as_html(
                        readable_diff.readable(model, name, old, new, source=source)
                    ),
                    "markup": readable_diff.is_markup(model, name),
                }
            )
            continue
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


def _plain_text_field(model, name):
    """The model field ``name`` when it holds free text (not a choice or a link), else None."""
    if name == review.CITATIONS or name in getattr(model, "REVIEW_RELATED", ()):
        return None
    field = model._meta.get_field(name)
    if field.is_relation or field.choices or field.get_internal_type() not in TEXT_TYPES:
        return None
    return field


TEXT_TYPES = {"TextField", "CharField"}


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
                    _tell_author(change)
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
                    _tell_author(change)
                    messages.success(request, "Sent back to the editor with your note.")
                    return HttpResponseRedirect(reverse("admin:editorial_pendingchange_changelist"))
    live = change.live_object()
    opts = PendingChange._meta
    changes = field_changes(change, source=request.GET.get("view") == "markdown")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": str(change),
        "opts": opts,
        "change": change,
        "live": live,
        "live_url": review.admin_url(live) if live is not None else "",
        "changes": changes,
        "changes_markup": any(row.get("markup") for row in changes),
        "markdown_view": request.GET.get("view") == "markdown",
        "pages": _page_links(change),
        "unknown_claims": review.unknown_claims(change),
        "live_moved_on": live is not None
        and change.base_version is not None
        and getattr(live, "version", None) != change.base_version,
        "may_review": may_review and change.state == PendingChange.State.OPEN,
        "stamps": issubclass(change.model, ReviewStamp),
        "publish_form": publish_form,
        "send_back_form": send_back_form,
        "reader_reports": reports_on(live) if user.has_perm("feedback.view_report") else None,
    }
    return render(request, "editorial/pending_change.html", context)


def _tell_author(change) -> None:
    """The editor hears that their change was published or sent back, once it is."""
    transaction.on_commit(lambda: notifications.tell_author(change), robust=True)


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


def change_preview(request, pk):
    """The public page at ``?path=`` as patients would see it once change ``pk`` is published:
    the public view itself, given the proposed item built in memory (``previews.Proposal``).
    Nothing is saved, so nothing is rolled back, no signal fires and no cache is touched."""
    refused = previews.refusal(request)
    if refused is not None:
        return refused
    change = get_object_or_404(PendingChange, pk=pk)
    previews.refusal(request, change.model)  # 404 without the change permission
    path = request.GET.get("path", "")
    allowed = {entry["url"].split("#")[0] for entry in _page_links(change)}
    if path not in allowed:
        raise Http404("This page does not show the changed item.")
    path, _, query = path.partition("?")
    # The page in the language of its own address (/es/… in Spanish), as patients get it.
    with translation.override(translation.get_language_from_path(path) or "en"):
        try:
            match = resolve(path)
        except Resolver404:
            raise Http404 from None
        # A search page (a synonym's or a best bet's) reads its words from the query string.
        request.GET = QueryDict(query)
        if change.model._meta.label in APPLIED_FOR_PREVIEW:
            response = _with_change_applied(change, request, match)
        else:
            request.proposal = previews.Proposal(change)
            response = _rendered_as_preview(
                match.func(request, *match.args, **match.kwargs), change
            )
            if not request.proposal.shown:
                # This page is built from the database alone: it would show the live text.
                raise Http404("This page cannot show the change before it is published.")
    return previews.private(response)


def _rendered_as_preview(response, change):
    live = change.live_object()
    live_values = review.snapshot(live) if live is not None else {}
    changed = readable_diff.changed_paragraphs(change.model, change.values, live_values)
    context = getattr(response, "context_data", None)
    if context is not None:
        # The banner is the page template's own (base.html), like every preview's.
        context["preview"] = {"change": change, "outlined": bool(changed)}
        meta = context.get("meta")
        if meta is not None:
            meta.noindex = True
    if hasattr(response, "render"):
        response.render()
    if changed:
        # The reviewer sees which paragraphs the change touches on the page itself.
        content, _ = readable_diff.mark_changed(response.content.decode(), changed)
        response.content = content.encode()
    return response


# What a search finds is worked out from the database by the search app, which cannot yet be
# handed a proposed synonym or best bet: for those alone the change is applied inside a
# transaction that is always rolled back, and anything remembered meanwhile is forgotten.
APPLIED_FOR_PREVIEW = frozenset({"search.Synonym", "search.BestBet"})


class _Rollback(Exception):
    pass


def _with_change_applied(change, request, match):
    response = None
    try:
        with transaction.atomic():
            review.apply(change, reason="Preview (never saved)", validate=False)
            response = match.func(request, *match.args, **match.kwargs)
            response = _rendered_as_preview(response, change)
            raise _Rollback
    except _Rollback:
        pass
    return response
