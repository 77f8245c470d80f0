from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, format_html_join

from ketamine_info.editorial.admin import EditorialAdmin

from .models import Citation, Claim, Source


class CitationFormSet(BaseInlineFormSet):
    """The rule check_citations enforces on files, applied when staff save a claim."""

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.scope != Claim.Scope.MEDICAL:
            return
        sources = [
            form.cleaned_data["source"]
            for form in self.forms
            if form.cleaned_data.get("source") and not form.cleaned_data.get("DELETE")
        ]
        if any(source.kind == Source.Kind.CLINIC for source in sources):
            raise ValidationError(
                "A clinic's own page can back only what that clinic says about its own "
                "practice, never a medical fact. Cite a stronger source for this statement, or "
                "set the scope to 'What a clinic says about its own practice'."
            )


class CitationInline(admin.TabularInline):
    model = Citation
    formset = CitationFormSet
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["source", "locator", "excerpt", "position"]


@admin.register(Claim)
class ClaimAdmin(EditorialAdmin):
    list_display = ["key", "statement", "scope", "citation_count"]
    search_fields = ["key", "statement", "citations__source__title", "citations__source__key"]
    list_filter = ["scope", "citations__source__kind"]
    readonly_fields = ["used_on_pages"]
    inlines = [CitationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_citations=Count("citations"))

    @admin.display(description="Citations", ordering="_citations")
    def citation_count(self, obj):
        return obj._citations

    @admin.display(description="Used on")
    def used_on_pages(self, obj):
        pages = obj.used_on() if obj.pk else []
        if not pages:
            return "No page cites this claim yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", '<li><a href="{}">{}</a></li>', ((p.get_absolute_url(), p) for p in pages)
            ),
        )


@admin.register(Source)
class SourceAdmin(EditorialAdmin):
    list_display = ["title", "kind", "publisher", "published", "claim_count"]
    list_filter = ["kind"]
    search_fields = ["key", "title", "publisher", "authors", "doi", "pmid"]
    # A URL typed without a scheme is taken as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["key", "title", "kind", "publisher", "authors", "published"]}),
        ("Where to find it", {"fields": ["url", "doi", "pmid", "citation", "accessed"]}),
        (None, {"fields": ["notes"]}),
        ("Staff only", {"fields": ["staff_notes"]}),
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(_claims=Count("citations__claim", distinct=True))
        )

    @admin.display(description="Claims citing it", ordering="_claims")
    def claim_count(self, obj):
        return obj._claims
