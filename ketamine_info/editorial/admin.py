"""Admin building blocks for every model staff edit: revisions, stale-save refusal, workflow.

- ``EditorialAdmin``: revision history (django-simple-history: list, view, revert), a compare
  view that shows two revisions as a readable diff, and ``VersionedForm``, which refuses to save
  over a colleague's newer save.
- ``ReviewedAdmin``: for every kind of content patients see, a change to something live is
  saved as a ``PendingChange`` (the live record stays as it is) through every admin path: the
  change form, list-view editing and revert. The form says where the item appears and that the
  edit will wait for review.
- ``WorkflowAdmin``: for articles and FAQ answers, adds the review workflow (status choices and
  actions limited by permission, checked again on the server), the Preview link and the live
  Markdown preview beside the body.
"""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import construct_change_message
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from ketamine_info.publishing import (
    REVIEW_FIELDS,
    WORKFLOW_FIELDS,
    Status,
    announce_public_change,
)
from ketamine_info.translations import ENGLISH, Translatable
from ketamine_info.versioning import StaleSave

from . import review
from .diff import compare_records
from .models import PendingChange, ReviewerProfile
from .previews import preview_url_of
from .reader_reports import reports_on
from .steps import one_step

# The publishing and review fields, in one fieldset, for every admin of content with drafts.
PUBLISHING_FIELDSET = (
    "Publishing and clinical review",
    {
        "fields": [
            "status",
            "last_reviewed",
            "reviewed_by",
            "reviewed_by_name",
            "next_review_due",
            "last_updated",
        ]
    },
)
# Which language an item is in, what it translates, and whether it is behind its English.
UP_TO_DATE = "brought_up_to_date"
TRANSLATION_FIELDSET = (
    "Language and translation",
    {"fields": ["language", "translation_of", "translation_state", UP_TO_DATE]},
)
VERSION_FIELD = "opened_version"
OPENED_CHANGE = "opened_change"
# Where a request keeps the records it read as stored (EditorialAdmin.stored).
STORED_ROWS = "_editorial_stored_rows"
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


def forget_stored(request, obj=None) -> None:
    """Forget the records read as stored in this request (only ``obj``'s, if given)."""
    rows = request.__dict__.get(STORED_ROWS)
    if rows is None:
        return
    if obj is None:
        rows.clear()
    else:
        rows.pop((obj._meta.label, str(obj.pk)), None)


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
    # The record as stored, as the admin read it for this request (EditorialAdmin.get_form):
    # its version costs no second read. None: the form reads it.
    stored_record = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # The stored version, not the instance's: a revert form's instance is a past copy.
            self.fields[VERSION_FIELD].initial = self._stored_version()

    def _stored_version(self) -> int | None:
        stored = self.stored_record
        if stored is not None and stored.pk == self.instance.pk:
            # A save reads it inside its transaction: on SQLite no one else writes until that
            # ends; on PostgreSQL a save that slips in is refused by Versioned.save's
            # conditional UPDATE, and the form is then checked again against a fresh read.
            return stored.version
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
                '<a href="{}" target="_blank" rel="noopener">compare it with theirs</a> (it '
                "opens in a new tab, so your text stays here) before saving again. Saving "
                "again replaces their version with yours.",
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
            # The item and its inline rows (a claim's citations) are one step (steps.py), whose
            # work is done before the transaction commits, so patients never get it half done.
            with transaction.atomic(using=router.db_for_write(self.model)), one_step():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleSave:
            # A colleague's save won the race after this form was checked; everything was
            # rolled back. Checked again, the form now sees their version and is shown with the
            # usual refusal and the text as typed.
            forget_stored(request)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert is a save too: one transaction, and the same answer to a lost race.
        args = (request, object_id, version_id, extra_context)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(*args)
        except StaleSave:
            forget_stored(request)
            return super().history_form_view(*args)

    # --- the record as stored, read once per request ---------------------------------------

    def stored(self, request, pk):
        """The record as it is in the database, read at most once per request.

        The form changes the instance it edits; the stale-save check, the status check, the
        pending change's diff and the form's notices all need the row as stored, and read it
        here rather than each from the database.
        """
        if pk is None:
            return None
        rows = request.__dict__.setdefault(STORED_ROWS, {})
        key = (self.model._meta.label, str(pk))
        if key not in rows:
            rows[key] = self.model._base_manager.filter(pk=pk).first()
        return rows[key]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            return None
        # The one read: kept as stored; the form gets a copy of it to change.
        request.__dict__.setdefault(STORED_ROWS, {})[(self.model._meta.label, str(obj.pk))] = obj
        return review.copy_of(obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or any(VERSION_FIELD in opts["fields"] for _, opts in fieldsets):
            return fieldsets
        # The version rides in the first fieldset, in a hidden row.
        (name, options), *rest = fieldsets
        options = {**options, "fields": [*options["fields"], VERSION_FIELD]}
        return [(name, options), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        current = self.stored(request, obj.pk) if obj is not None else None
        if current is not None and past_revision(obj) is not None:
            # A revert: the text comes from the past revision; the workflow state stays.
            for name in self.revert_keeps:
                setattr(obj, name, getattr(current, name))
        form = super().get_form(request, obj, change=change, **kwargs)
        form.stored_record = current
        return form

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


# ?live=1 on a change form: start again from the live text rather than the words sent back.
FROM_LIVE = "live"
# ?returned=<change> on an add form: a proposed new item that was sent back, filled in again.
RETURNED = "returned"


class ReviewedForm(VersionedForm):
    """A form whose save may become a pending change: then an unknown claim key is a warning
    (the change cannot be published until the claim exists), not a refusal."""

    as_proposal = False  # set by ReviewedAdmin.get_form
    # Which change waiting for review the form was opened with: a colleague's later save of
    # that change is refused like a later save of the live record.
    opened_change = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[OPENED_CHANGE].initial = self._current_change()

    def open_change(self) -> PendingChange | None:
        """The change waiting for review of this record, read once for the form's check and
        the save that follows it (the save locks it again before writing)."""
        if not hasattr(self, "_open_change"):
            self._open_change = review.open_change(self.instance)
        return self._open_change

    def _current_change(self) -> str:
        change = self.open_change()
        return f"{change.pk}:{change.updated.isoformat()}" if change else ""

    def clean(self):
        cleaned = super().clean()
        current = self._current_change()
        if self.instance.pk is not None and cleaned.get(OPENED_CHANGE, "") != current:
            change = self.open_change()
            self.data = self.data.copy()
            self.data[self.add_prefix(OPENED_CHANGE)] = current
            who = change.author_name if change else "A reviewer"
            raise ValidationError(
                format_html(
                    "{} changed the version waiting for review since you opened this page. "
                    'Your text is still below; <a href="{}" target="_blank" rel="noopener">'
                    "see their change</a> (it opens in a new tab) before saving again. Saving "
                    "again replaces it with yours.",
                    who,
                    reverse("admin:editorial_pendingchange_change", args=[change.pk])
                    if change
                    else reverse("admin:editorial_pendingchange_changelist"),
                ),
                code="stale",
            )
        return cleaned

    def _post_clean(self):
        self.instance._as_proposal = self.as_proposal
        super()._post_clean()


class TranslationFormMixin:
    """A form that leaves out the language keeps the item's own: English for a new one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "language" in self.fields:
            self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language or ENGLISH


class ReviewedAdmin(EditorialAdmin):
    """A change to live content is saved as a ``PendingChange``, by every admin path."""

    form = ReviewedForm
    change_form_template = "editorial/change_form.html"
    has_markup = True  # the live Markdown preview beside the body

    class Media:
        css = {"all": ["admin/markup-preview.css"]}
        js = ["admin/markup-preview.js"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if issubclass(self.model, Translatable) and not any(
            "language" in opts["fields"] for _, opts in fieldsets
        ):
            fieldsets = [*fieldsets, TRANSLATION_FIELDSET]
        if obj is None or any(OPENED_CHANGE in opts["fields"] for _, opts in fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], OPENED_CHANGE]}), *rest]

    def _stored(self, request, obj):
        if obj is None or obj.pk is None:
            return None
        return self.stored(request, obj.pk)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if issubclass(self.model, Translatable):
            kwargs["form"] = type(
                "TranslationForm",
                (TranslationFormMixin, kwargs.get("form", self.form)),
                {
                    UP_TO_DATE: forms.BooleanField(
                        required=False,
                        label="Brought up to date with the English",
                        help_text="Tick when this translation now says what the English says "
                        "today: it stops being listed (and shown to readers) as out of date.",
                    )
                },
            )
        form = super().get_form(request, obj, change=change, **kwargs)
        form.as_proposal = review.goes_to_review(self.model, self._stored(request, obj))
        return form

    def get_readonly_fields(self, request, obj=None):
        found = super().get_readonly_fields(request, obj)
        if issubclass(self.model, Translatable):
            found = [*found, "translation_state"]
        return found

    def get_list_filter(self, request):
        found = super().get_list_filter(request)
        if issubclass(self.model, Translatable):
            found = [*found, "language"]
        return found

    @admin.display(description="Translation")
    def translation_state(self, obj):
        if obj is None or not obj.is_translation or obj.translation_of is None:
            return "English: the original text."
        english = obj.translation_of
        if obj.out_of_date:
            return format_html(
                'Out of date: the English (<a href="{}">{}</a>) changed on {} after this '
                "translation was made.",
                reverse(
                    f"admin:{english._meta.app_label}_{english._meta.model_name}_change",
                    args=[english.pk],
                ),
                english,
                obj.english_updated_on() or "an unknown day",
            )
        return "Up to date with the English."

    # --- the live record stays; the change waits ------------------------------------------

    def _goes_live_at_once(self, obj, stored) -> bool:
        """False when this save must wait for review."""
        if not review.goes_to_review(self.model, stored):
            return True
        # Taking a page down (an unpublished page is not live) needs no review.
        return stored is not None and not obj.is_live()

    def save_model(self, request, obj, form, change):
        if getattr(form, "cleaned_data", {}).get(UP_TO_DATE) and obj.translation_of_id:
            obj.source_digest = obj.translation_of.source_text_digest()
        stored = self._stored(request, obj) if change else None
        if self._goes_live_at_once(obj, stored):
            super().save_model(request, obj, form, change)
            forget_stored(request, obj)  # the copy read before this save is out of date
            self._warn_unknown_claims(request, obj)
            return
        self._save_staff_only(obj, stored)
        values = review.snapshot(obj)
        if stored is not None and review.CITATIONS in values:
            values[review.CITATIONS] = review.snapshot(stored)[review.CITATIONS]
        current = (
            form.open_change() if isinstance(form, ReviewedForm) else review.open_change(stored)
        )
        if current is not None and past_revision(obj) is None:
            # This form changed some fields (list-view editing changes only the position):
            # they go on top of the change already waiting, which is kept.
            changed = {name: values[name] for name in form.changed_data if name in values}
            values = {**values, **current.values, **changed}
        obj._pending_values = values
        obj._pending_change = review.propose(self.model, values, live=stored, author=request.user)
        returned = None if change else self._returned_new_item(request)
        if returned is not None:  # sent again as a new change
            PendingChange.objects.filter(pk=returned.pk).update(set_aside=timezone.now())
        request._pending_saves = [*getattr(request, "_pending_saves", []), obj._pending_change]

    def delete_model(self, request, obj):
        live = obj.is_live()
        super().delete_model(request, obj)
        if live:
            announce_public_change(self.model)

    def delete_queryset(self, request, queryset):
        live = any(obj.is_live() for obj in queryset)
        super().delete_queryset(request, queryset)
        if live:
            announce_public_change(self.model)

    def _save_staff_only(self, obj, stored) -> None:
        """Fields patients never see (a source's staff note) change at once."""
        if stored is None:
            return
        names = [n for n in review.staff_only(self.model) if getattr(obj, n) != getattr(stored, n)]
        if names:
            for name in names:
                setattr(stored, name, getattr(obj, name))
            stored._change_reason = "Staff-only fields changed"
            stored.save()

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        if not hasattr(obj, "_pending_values"):
            super().save_related(request, form, formsets, change)
            return
        citations = self.proposed_citations(formsets)
        if citations is not None:
            values = {**obj._pending_values, review.CITATIONS: citations}
            stored = self._stored(request, obj)
            obj._pending_change = review.propose(
                self.model, values, live=stored, author=request.user
            )

    def proposed_citations(self, formsets):
        """A claim's citations as its inline forms propose them (None for other models)."""
        return None

    def construct_change_message(self, request, form, formsets, add=False):
        if hasattr(form.instance, "_pending_values"):
            # The inlines were not saved: the pending change holds them.
            return construct_change_message(form, [], add)
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        if obj.pk is None:  # a proposed new item: the pending change records it
            return None
        return super().log_addition(request, obj, message)

    def _warn_unknown_claims(self, request, obj) -> None:
        unknown = obj.unknown_claims() if hasattr(obj, "unknown_claims") else []
        if unknown:
            self.message_user(
                request,
                "Saved as work in progress, but the text cites claims that are not in the "
                f"registry: {', '.join(unknown)}. Add them before this can be published.",
                messages.WARNING,
            )

    def _pending_message(self, request, obj) -> None:
        change = obj._pending_change
        if change is None:
            self.message_user(
                request, "Nothing to review: the text is the live text.", messages.INFO
            )
            return
        self.message_user(
            request,
            format_html(
                "Your change to “{}” is saved and waits for a clinical reviewer. Patients "
                'still see the published version. <a href="{}">See the change</a>.',
                change.object_repr,
                reverse("admin:editorial_pendingchange_change", args=[change.pk]),
            ),
            messages.SUCCESS,
        )
        unknown = review.unknown_claims(change, live=self._stored(request, obj))
        if unknown:
            self.message_user(
                request,
                "The change cites claims that are not in the registry: "
                f"{', '.join(unknown)}. It cannot be published until they exist.",
                messages.WARNING,
            )

    def response_change(self, request, obj):
        if hasattr(obj, "_pending_values"):
            self._pending_message(request, obj)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            )
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if hasattr(obj, "_pending_values"):
            self._pending_message(request, obj)
            return HttpResponseRedirect(reverse("admin:editorial_pendingchange_changelist"))
        return super().response_add(request, obj, post_url_continue)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        pending = [c for c in getattr(request, "_pending_saves", []) if c is not None]
        if pending and level == messages.SUCCESS and "successfully" in str(message):
            # List-view editing: say what really happened.
            message = (
                f"{len(pending)} change(s) to live items saved for review; patients still see "
                "the published versions until a clinical reviewer publishes them."
            )
        return super().message_user(request, message, level, *args, **kwargs)

    # --- the change form: the pending version, and where the item appears -----------------

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and getattr(request, "_show_pending", False):
            change = review.open_change(obj)
            if change is None and not request.GET.get(FROM_LIVE):
                # Sent back: the editor's words, not the live text, so nothing is lost.
                change = review.returned_change(obj)
            if change is not None:
                review._set_fields(obj, change.values)
                obj._shown_change = change
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        request._show_pending = request.method == "GET"
        context = {**(extra_context or {}), "has_markup": self.has_markup}
        return super().change_view(request, object_id, form_url, context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Only when the form is shown (not after a save that succeeded), from the row as read.
        stored = self._stored(request, obj) if change else None
        if stored is not None:
            context.update(self.change_form_context(request, stored))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_form_context(self, request, stored) -> dict:
        return self.live_context(request, stored)

    def add_view(self, request, form_url="", extra_context=None):
        context = {**(extra_context or {}), "has_markup": self.has_markup}
        if review.public_once_stored(self.model):
            context["new_waits_for_review"] = True
        returned = self._returned_new_item(request)
        if returned is not None:
            context.update(sent_back=returned, sent_back_shown=True)
        return super().add_view(request, form_url, context)

    def _returned_new_item(self, request) -> PendingChange | None:
        """A proposed new item sent back (?returned=<change>), offered again to its editor."""
        try:
            pk = int(request.GET.get(RETURNED, ""))
        except ValueError:
            return None
        change = (
            review.returned_to(request.user)
            .filter(pk=pk, object_id__isnull=True)
            .select_related("decided_by", "author")
            .first()
        )
        return change if change is not None and change.model is self.model else None

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        returned = self._returned_new_item(request)
        if returned is not None:
            initial.update(returned.values)
        return initial

    def live_context(self, request, stored) -> dict:
        change = review.open_change(stored)
        sent_back = review.returned_change(stored) if change is None else None
        live = stored.is_live()
        return {
            "is_live": live,
            "live_pages": review.affected_pages(stored) if live else [],
            "open_change": change,
            "sent_back": sent_back,
            "sent_back_shown": sent_back is not None and not request.GET.get(FROM_LIVE),
            "from_live_param": FROM_LIVE,
            "reader_reports": reports_on(stored)
            if request.user.has_perm("feedback.view_report")
            else None,
        }


class WorkflowForm(ReviewedForm):
    """Status choices by permission; the rules are checked again on save."""

    user = None  # set by WorkflowAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        if "status" in self.fields:
            current = self.instance.stored_status
            allowed = {Status.DRAFT, Status.REVIEW, current}
            if model.can_publish(self.user) and current == Status.PUBLISHED:
                allowed.add(Status.UNPUBLISHED)
            self.fields["status"].choices = [
                (value, label) for value, label in Status.choices if value in allowed
            ]
            self.fields["status"].help_text = (
                "Save as a draft while you work; choose 'In review' when it is ready. A "
                "clinical reviewer publishes it with 'Review and publish'."
            )

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("status", self.instance.stored_status or Status.DRAFT)
        try:
            self.instance.change_status(new, by=self.user, save=False)
        except PermissionDenied as exc:
            self.add_error("status" if "status" in self.fields else None, str(exc))
        return cleaned


class WorkflowAdmin(ReviewedAdmin):
    """Admin for ``Publishable`` content: articles and FAQ answers."""

    form = WorkflowForm
    revert_keeps = WORKFLOW_FIELDS
    actions = ["submit_for_review", "send_back_to_draft", "publish", "unpublish", "record_review"]
    # A review is recorded by publishing, with the reviewer's confirmation; never typed.
    readonly_fields = REVIEW_FIELDS

    # --- permissions -------------------------------------------------------------------

    def has_publish_permission(self, request, obj=None) -> bool:
        return self.model.can_publish(request.user)

    def has_review_permission(self, request, obj=None) -> bool:
        return self.model.can_record_review(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        if obj is not None and past_revision(obj) is not None:
            # A revert's instance is a copy of a past revision: its status as stored is the
            # live record's, which EditorialAdmin.get_form has just read.
            current = self.stored(request, obj.pk)
            obj.stored_status = current.status if current is not None else None
        return form

    def save_model(self, request, obj, form, change):
        # The form checked this already; this is the backstop for any other way in.
        obj.change_status(obj.status, by=request.user, save=False)
        super().save_model(request, obj, form, change)

    # --- change form: Preview link ------------------------------------------------------

    def view_on_site(self, obj):
        # Only a published page has a public address that answers; drafts have Preview.
        return obj.get_absolute_url() if obj.is_public else None

    def preview_url(self, obj) -> str:
        return preview_url_of(obj) if obj and obj.pk else ""

    def change_form_context(self, request, stored) -> dict:
        context = {**super().change_form_context(request, stored)}
        context["preview_url"] = self.preview_url(stored)
        if stored.status != Status.PUBLISHED and self.has_publish_permission(request):
            context["publish_url"] = review.publish_page_url(stored)
        return context

    @admin.display(description="Reviewed")
    def review_summary(self, obj):
        if not obj.review_is_current:
            return "Not reviewed" if not obj.last_reviewed else "Text changed since review"
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

    def _to_publish_page(self, queryset):
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(self.model)
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(reverse("admin:review_publish") + f"?ct={ct.pk}&ids={ids}")

    @admin.action(description="Send selected for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._run(request, queryset, "submit_for_review", "sent for review")

    @admin.action(description="Send selected back to draft", permissions=["change"])
    def send_back_to_draft(self, request, queryset):
        self._run(request, queryset, "send_back", "sent back to draft")

    @admin.action(
        description="Review and publish selected (asks for your clinical confirmation)",
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        return self._to_publish_page(queryset)

    @admin.action(description="Unpublish selected", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._run(request, queryset, "unpublish", "unpublished")

    @admin.action(
        description="Record a clinical review of selected (asks for your confirmation)",
        permissions=["review"],
    )
    def record_review(self, request, queryset):
        return self._to_publish_page(queryset)


class ContentKindFilter(admin.SimpleListFilter):
    """ "By kind": only the kinds of content that are reviewed, not every table in the database."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        models = [m for m in apps.get_models() if review.is_reviewed(m)]
        types = ContentType.objects.get_for_models(*models)
        return sorted(
            ((str(types[m].pk), str(m._meta.verbose_name_plural).capitalize()) for m in models),
            key=lambda pair: pair[1],
        )

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(content_type_id=int(value))
        return queryset


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    """Changes waiting for review, and the record of those decided. Its change page is the
    reviewer's screen: the diff, the pages it affects, publish or send back."""

    list_display = ["object_repr", "kind", "author_display", "updated", "state"]
    list_filter = ["state", ContentKindFilter]
    search_fields = ["object_repr"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type", "author")

    @admin.display(description="Kind", ordering="content_type")
    def kind(self, obj):
        return str(obj.content_type.model_class()._meta.verbose_name).capitalize()

    @admin.display(description="By", ordering="author")
    def author_display(self, obj):
        return obj.author_name

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what was proposed and decided stays

    def has_change_permission(self, request, obj=None):
        return False  # decided on the review screen, never edited

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from .review_views import review_change

        return review_change(request, self, object_id)


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    """A reviewer's name and credentials as patients see them (also set when publishing)."""

    list_display = ["credentials", "user"]
    search_fields = ["credentials", "user__username"]


class StaffUserAdmin(UserAdmin):
    """Django's user admin, with the role (group) and staff status chosen when the account is
    made, rather than only on the page "Save and continue editing" opens."""

    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (
            "Role",
            {
                "fields": ("first_name", "last_name", "email", "is_staff", "groups"),
                "description": "Tick Staff status and choose Content editor or Clinical "
                "reviewer: that is what this person may do in the admin.",
            },
        ),
    )


if admin.site.is_registered(get_user_model()):
    admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), StaffUserAdmin)
