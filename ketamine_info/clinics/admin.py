from django.contrib import admin
from django.db import models
from django.utils import timezone

from ketamine_info.editorial.admin import EditorialAdmin, VersionedForm

from . import phones
from .models import ContactBlock, OpeningHours, Placement

ARTICLES_ONLY_AT_ARTICLE_END = (
    "Articles can only be chosen for the placement 'End of every article'. Clear the articles, "
    "or change the placement."
)


class ContactBlockForm(VersionedForm):
    # No Meta: the admin builds it from its fieldsets, with formfield_overrides applied.

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("articles") and cleaned.get("placement") != Placement.ARTICLE_END:
            self.add_error("articles", ARTICLES_ONLY_AT_ARTICLE_END)
        return cleaned


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    fields = ["day", "opens", "closes"]

    def get_extra(self, request, obj=None, **kwargs):
        return 5 if obj is None else 1  # a working week, when adding a block


@admin.register(ContactBlock)
class ContactBlockAdmin(EditorialAdmin):
    form = ContactBlockForm
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
        today = timezone.localdate()
        return (
            obj.active
            and (obj.show_from is None or obj.show_from <= today)
            and (obj.show_until is None or obj.show_until >= today)
        )
