"""Contact blocks in the admin: every change waits for a clinical reviewer, hours and articles
included; unticking *active* takes a block off the site at once."""

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone

from ketamine_info.editorial import review
from ketamine_info.editorial.admin import ReviewedAdmin, ReviewedForm, forget_stored
from ketamine_info.publishing import announce_public_change

from . import phones
from .models import ContactBlock, OpeningHours, Placement

ARTICLES_ONLY_AT_ARTICLE_END = (
    "Articles can only be chosen for the placement 'End of every article'. Clear the articles, "
    "or change the placement."
)


class ContactBlockForm(ReviewedForm):
    # No Meta: the admin builds it from its fieldsets, with formfield_overrides applied.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shown = getattr(self.instance, "_shown_change", None)
        if shown is not None and "articles" in shown.values and "articles" in self.fields:
            # The articles of the change waiting for review, not the live ones.
            self.initial["articles"] = shown.values["articles"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("articles") and cleaned.get("placement") != Placement.ARTICLE_END:
            self.add_error("articles", ARTICLES_ONLY_AT_ARTICLE_END)
        return cleaned


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    fields = ["day", "opens", "closes"]

    def get_extra(self, request, obj=None, **kwargs):
        shown = getattr(obj, "_shown_change", None)
        if shown is not None and "hours" in shown.values:
            return len(shown.values["hours"]) + 1
        return 5 if obj is None else 1  # a working week, when adding a block


def proposed_hours(formsets) -> list[dict] | None:
    """The opening hours as the inline forms propose them (None: no hours forms were sent)."""
    for formset in formsets:
        if formset.model is not OpeningHours:
            continue
        rows = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("day") or (formset.can_delete and formset._should_delete_form(form)):
                continue
            rows.append(
                {
                    "day": int(data["day"]),
                    "opens": f"{data['opens']:%H:%M}",
                    "closes": f"{data['closes']:%H:%M}",
                }
            )
        return sorted(rows, key=lambda row: (row["day"], row["opens"]))
    return None


@admin.register(ContactBlock)
class ContactBlockAdmin(ReviewedAdmin):
    form = ContactBlockForm
    has_markup = False
    list_display = [
        "name",
        "clinic_name",
        "placement",
        "position",
        "active",
        "show_from",
        "show_until",
        "on_site_today",
    ]
    list_editable = ["position", "active"]
    list_filter = ["placement", "active"]
    search_fields = ["key", "name", "clinic_name", "heading", "phone", "email"]
    prepopulated_fields = {"key": ["name"]}
    autocomplete_fields = ["articles"]
    inlines = [OpeningHoursInline]
    # Typing "example.org/book" gives "https://example.org/book"; an http:// link is refused.
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        phones.PhoneNumberField: {"widget": phones.AdminPhoneNumberWidget},
    }
    fieldsets = [
        (None, {"fields": ["name", "key"]}),
        (
            "Where and when it is shown",
            {"fields": ["placement", "articles", "active", "show_from", "show_until", "position"]},
        ),
        ("What patients see", {"fields": ["heading", "clinic_name", "body"]}),
        ("How to reach the clinic", {"fields": ["phone", "sms_phone", "email", "booking_url"]}),
        (
            "Address",
            {"fields": ["street_address", "locality", "region", "postal_code", "country"]},
        ),
    ]

    @admin.display(description="Shown today", boolean=True)
    def on_site_today(self, obj):
        return obj.is_shown(timezone.localdate())

    # --- review: everything waits, except taking a block down --------------------------------

    def save_model(self, request, obj, form, change):
        stored = self._stored(request, obj) if change else None
        if stored is not None and stored.active and not obj.active:
            # Off the site at once (a wrong number must not stay up while a reviewer is found);
            # anything else changed in the same save still waits for review.
            stored.active = False
            stored._change_reason = "Taken off the site (active unticked)"
            stored.save()
            announce_public_change(ContactBlock)
            forget_stored(request, obj)  # the remembered row is out of date now
            obj._taken_down = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if not hasattr(obj, "_pending_values"):
            return
        related = {}
        hours = proposed_hours(formsets)
        if hours is not None:
            related["hours"] = hours
        if "articles" in form.cleaned_data:
            related["articles"] = sorted(a.pk for a in form.cleaned_data["articles"])
        if not related:
            return
        obj._pending_values = {**obj._pending_values, **related}
        stored = self._stored(request, obj)
        if stored is None and obj._pending_change is not None:
            # A new block: its change was made a moment ago (only a live item's is found again).
            obj._pending_change.values = {**obj._pending_change.values, **related}
            obj._pending_change.save()
        else:
            obj._pending_change = review.propose(
                self.model, obj._pending_values, live=stored, author=request.user
            )

    def _pending_message(self, request, obj) -> None:
        if getattr(obj, "_taken_down", False):
            self.message_user(
                request, f"“{obj}” is off the site: patients no longer see it.", messages.SUCCESS
            )
            if obj._pending_change is None:
                return
        super()._pending_message(request, obj)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        shown = getattr(obj, "_shown_change", None)
        if request.method == "GET" and shown is not None and "hours" in shown.values:
            # The hours of the change waiting for review, not the live ones.
            kwargs["queryset"] = OpeningHours.objects.none()
            kwargs["initial"] = shown.values["hours"]
        return kwargs

    def live_context(self, request, stored) -> dict:
        context = super().live_context(request, stored)
        if not stored.is_shown(timezone.localdate()):
            # Not in front of patients today, but one tick or one date away from it.
            context["is_live"] = False
            context["waits_note"] = (
                "Patients do not see this block today. A change to it still waits for a "
                "clinical reviewer, since it is one tick (or one date) away from patients; "
                "taking a block off the site, by unticking “active”, is at once."
            )
        return context
