"""Admin building blocks for every model staff edit: revisions, stale-save refusal, workflow.

- ``EditorialAdmin``: revision history (django-simple-history: list, view, revert), a compare
  view that shows two revisions as a readable diff, and ``VersionedForm``, which refuses to save
  over a colleague's newer save.
- ``WorkflowAdmin``: for articles and FAQ answers, adds the review workflow (status choices and
  actions limited by permission, checked again on the server), the Preview link and the live
  Markdown preview beside the body.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from ketamine_info.publishing import REVIEW_FIELDS, WORKFLOW_FIELDS, Status, review_interval

from .diff import compare_records
from .models import StaleSave

VERSION_FIELD = "opened_version"
# Bookkeeping that changes on every save: not worth showing in a list of changes.
UNINTERESTING_FIELDS = {"version", "updated", "created"}


def past_revision(obj):
    """The historical record ``obj`` was made from, when it is a copy of a past revision."""
    return getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)


def _who(user) -> str:
    if user is None:
        return "someone else"
    return user.get_full_name() or user.get_username()


def _when(moment) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f"at {local:%H:%M}"
    return f"on {date_format(local, 'F j')} at {local:%H:%M}"


class ChangeListHelper(HistoricalRecordContextHelper):
    """Values in the history list as people say them: '—' for nothing, names for people."""

    def prepare_delta_change_value(self, change, value):
        if isinstance(value, DeletedObject) and value.pk is None:
            return "—"
        value = super().prepare_delta_change_value(change, value)
        if value is None or value == "":
            return "—"
        if hasattr(value, "get_full_name"):
            return value.get_full_name() or value.get_username()
        return value


class VersionedForm(forms.ModelForm):
    """Carries the version the form was opened at; refuses to save over a newer one.

    The refusal is a form error, so the admin shows the form again with everything the person
    typed still in it. The hidden field then holds the newer version: having compared, they may
    save again.
    """

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # The stored version, not the instance's: a revert form's instance is a past copy.
            self.fields[VERSION_FIELD].initial = self._stored_version()

    def _stored_version(self) -> int | None:
        return (
            self._meta.model._base_manager.filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        stored = self._stored_version()
        opened = cleaned.get(VERSION_FIELD)
        if stored is not None and opened != stored:
            message = self.stale_message(opened, stored)
            self.data = self.data.copy()
            self.data[self.add_prefix(VERSION_FIELD)] = stored
            raise ValidationError(message, code="stale")
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is not None:
            # Versioned.save claims the next version only if this one is still stored: a save
            # racing another past clean() is refused there (StaleSave, see EditorialAdmin).
            self.instance.opened_version = self.cleaned_data.get(VERSION_FIELD)
        return super().save(commit)

    def stale_message(self, opened: int | None, stored: int):
        model = self._meta.model
        history = model.history.filter(id=self.instance.pk)
        latest = history.order_by("-history_date", "-history_id").first()
        theirs = history.filter(version=opened).order_by("-history_date").first()
        if latest is None:
            return "Someone else saved this page since you opened it. Your text is still below."
        opts = model._meta
        try:
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history", args=[self.instance.pk]
            )
            if theirs is not None:
                url = (
                    reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_history_compare",
                        args=[self.instance.pk],
                    )
                    + f"?old={theirs.history_id}&new={latest.history_id}"
                )
        except NoReverseMatch:
            url = ""
        who = _who(latest.history_user).capitalize() if latest.history_user else "Someone else"
        if url:
            return format_html(
                "{} saved this page {} since you opened it. Your text is still below; "
                '<a href="{}">compare it with theirs</a> before saving again. Saving again '
                "replaces their version with yours.",
                who,
                _when(latest.history_date),
                url,
            )
        return (
            f"{who} saved this page {_when(latest.history_date)} since you opened it. Your text "
            "is still below; compare it with theirs before saving again."
        )


class EditorialAdmin(SimpleHistoryAdmin):
    """History, compare, revert and the stale-save check, for any ``Versioned`` model."""

    form = VersionedForm
    object_history_template = "editorial/object_history.html"
    # Fields a revert leaves as they are now (set by subclasses).
    revert_keeps: tuple[str, ...] = ()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleSave:
            # A colleague's save won the race after this form was checked; everything was
            # rolled back. Checked again, the form now sees their version and is shown with the
            # usual refusal and the text as typed.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert is a save too: one transaction, and the same answer to a lost race.
        args = (request, object_id, version_id, extra_context)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(*args)
        except StaleSave:
            return super().history_form_view(*args)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or any(VERSION_FIELD in opts["fields"] for _, opts in fieldsets):
            return fieldsets
        # The version rides in the first fieldset, in a hidden row.
        (name, options), *rest = fieldsets
        options = {**options, "fields": [*options["fields"], VERSION_FIELD]}
        return [(name, options), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and past_revision(obj) is not None and obj.pk:
            # A revert: the text comes from the past revision; the workflow state stays.
            current = self.model._base_manager.filter(pk=obj.pk).first()
            for name in self.revert_keeps:
                if current is not None:
                    setattr(obj, name, getattr(current, name))
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        record = past_revision(obj)
        if record is not None:
            when = date_format(timezone.localtime(record.history_date), "F j, Y, H:i")
            obj._change_reason = f"Reverted to the revision of {when}"
        super().save_model(request, obj, form, change)

    def get_historical_record_context_helper(self, request, historical_record):
        return ChangeListHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=UNINTERESTING_FIELDS,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{opts.app_label}_{opts.model_name}_history_compare",
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        history = self.model.history.filter(id=obj.pk)
        try:
            old = history.get(history_id=request.GET.get("old"))
            new = history.get(history_id=request.GET.get("new"))
        except (self.model.history.model.DoesNotExist, ValueError, ValidationError):
            raise Http404("Choose two revisions of this page to compare.") from None
        if old.history_date > new.history_date:
            old, new = new, old
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare revisions: {obj}",
            "opts": opts,
            "object": obj,
            "old": old,
            "new": new,
            "changes": compare_records(self.model, old, new, hidden=UNINTERESTING_FIELDS),
            "history_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]
            ),
        }
        return render(request, "editorial/compare.html", context)


class WorkflowForm(VersionedForm):
    """Status choices and review fields by permission; the rules are checked again on save."""

    user = None  # set by WorkflowAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        if "status" in self.fields and not model.can_publish(self.user):
            current = self._stored_status()
            allowed = {Status.DRAFT, Status.REVIEW, current}
            self.fields["status"].choices = [
                (value, label) for value, label in Status.choices if value in allowed
            ]
            self.fields["status"].help_text = (
                "Save as a draft while you work; choose 'In review' when it is ready. A "
                "clinical reviewer publishes it."
            )

    def _stored_status(self) -> str | None:
        if self.instance.pk is None:
            return None
        return (
            self._meta.model._base_manager.filter(pk=self.instance.pk)
            .values_list("status", flat=True)
            .first()
        )

    def clean(self):
        cleaned = super().clean()
        model, user = self._meta.model, self.user
        old = self._stored_status()
        new = cleaned.get("status", old or Status.DRAFT)
        problem = self.instance.transition_problem(user, old, new)
        if problem:
            self.add_error("status" if "status" in self.fields else None, problem)
            return cleaned
        if self._content_differs_from_stored(cleaned):
            problem = self.instance.edit_problem(user, old)
            if problem:
                raise ValidationError(problem, code="live")
        review_fields_given = set(self.changed_data) & set(REVIEW_FIELDS)
        if (
            new == Status.PUBLISHED
            and old != Status.PUBLISHED
            and model.can_record_review(user)
            and not review_fields_given
            and all(name in self.fields for name in REVIEW_FIELDS)
        ):
            # Publishing is a clinical review: recorded as the reviewer's, today.
            today = timezone.localdate()
            cleaned["last_reviewed"] = today
            cleaned["reviewed_by"] = user
            cleaned["reviewed_by_name"] = ""
            due = cleaned.get("next_review_due")
            if not due or due <= today:
                cleaned["next_review_due"] = today + review_interval()
        return cleaned

    def _content_differs_from_stored(self, cleaned) -> bool:
        """Compared with the stored record, not the form's initial values: a revert form starts
        from a past revision, and reverting a live page changes it just as much."""
        if self.instance.pk is None:
            return True
        stored = self._meta.model._base_manager.get(pk=self.instance.pk)

        def normal(value):  # browsers send textareas with CRLF; the model stores LF
            return value.replace("\r\n", "\n") if isinstance(value, str) else value

        return any(
            name in cleaned and normal(cleaned[name]) != normal(getattr(stored, name))
            for name in self.fields
            if name not in WORKFLOW_FIELDS and name != VERSION_FIELD
        )


class WorkflowAdmin(EditorialAdmin):
    """Admin for ``Publishable`` content: articles and FAQ answers."""

    form = WorkflowForm
    change_form_template = "editorial/change_form.html"
    revert_keeps = WORKFLOW_FIELDS
    actions = ["submit_for_review", "send_back_to_draft", "publish", "unpublish", "record_review"]
    preview_url_name = ""  # "editorial:<name>", taking the slug
    readonly_review_fields = REVIEW_FIELDS

    class Media:
        css = {"all": ["admin/markup-preview.css"]}
        js = ["admin/markup-preview.js"]

    # --- permissions -------------------------------------------------------------------

    def has_publish_permission(self, request, obj=None) -> bool:
        return self.model.can_publish(request.user)

    def has_review_permission(self, request, obj=None) -> bool:
        return self.model.can_record_review(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_review_permission(request, obj):
            readonly += [f for f in self.readonly_review_fields if f not in readonly]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        # The form checked this already; this is the backstop for any other way in.
        old = (
            self.model._base_manager.filter(pk=obj.pk).values_list("status", flat=True).first()
            if change
            else None
        )
        problem = obj.transition_problem(request.user, old, obj.status)
        if problem:
            raise PermissionDenied(problem)
        super().save_model(request, obj, form, change)

    # --- change form: Preview link ------------------------------------------------------

    def view_on_site(self, obj):
        # Only a published page has a public address that answers; drafts have Preview.
        return obj.get_absolute_url() if obj.is_public else None

    def preview_url(self, obj) -> str:
        return reverse(self.preview_url_name, args=[obj.slug]) if obj and obj.pk else ""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "preview_url": self.preview_url(obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Reviewed")
    def review_summary(self, obj):
        if not obj.last_reviewed:
            return "—"
        return f"{date_format(obj.last_reviewed, 'M j, Y')}" + (
            f" by {obj.reviewer_name}" if obj.reviewer_name else ""
        )

    # --- actions -----------------------------------------------------------------------

    def _run(self, request, queryset, method: str, done: str) -> None:
        moved, refused = 0, []
        for obj in queryset:
            obj._change_reason = done.capitalize()  # the note in the revision history
            try:
                getattr(obj, method)(request.user)
            except PermissionDenied as exc:
                refused.append(f"“{obj}”: {exc}")
            else:
                moved += 1
        if moved:
            self.message_user(request, f"{moved} {done}.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description="Send selected for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._run(request, queryset, "submit_for_review", "sent for review")

    @admin.action(description="Send selected back to draft", permissions=["change"])
    def send_back_to_draft(self, request, queryset):
        self._run(request, queryset, "send_back", "sent back to draft")

    @admin.action(
        description="Publish selected (records your review today)", permissions=["publish"]
    )
    def publish(self, request, queryset):
        self._run(request, queryset, "publish", "published")

    @admin.action(description="Unpublish selected", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._run(request, queryset, "unpublish", "unpublished")

    @admin.action(description="Record a clinical review by you today", permissions=["review"])
    def record_review(self, request, queryset):
        self._run(request, queryset, "record_review", "reviews recorded")
