from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, format_html_join

from ketamine_info.editorial import review
from ketamine_info.editorial.admin import ReviewedAdmin

from .models import Citation, Claim, Source


def page_links(pages):
    return format_html_join(
        ", ", '<a href="{}">{}</a>', ((page.get_absolute_url(), page) for page in pages)
    )


class CitationFormSet(BaseInlineFormSet):
    """The citations a claim keeps: at least one while live pages cite it, and no clinic's own
    page behind a medical fact (the rule check_citations enforces on files)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("source")
            and not (self.can_delete and self._should_delete_form(form))
        ]
        if self.instance.scope == Claim.Scope.MEDICAL and any(
            form.cleaned_data["source"].kind == Source.Kind.CLINIC for form in kept
        ):
            raise ValidationError(
                "A clinic's own page can back only what that clinic says about its own "
                "practice, never a medical fact. Cite a stronger source for this statement, or "
                "set the scope to 'What a clinic says about its own practice'."
            )
        if not kept and self.instance.pk is not None and self.instance.is_cited_live():
            raise ValidationError(
                format_html(
                    "This claim is cited by live pages ({}) and must keep at least one citation.",
                    page_links(self.instance.used_on(public_only=True)),
                )
            )


class CitationInline(admin.TabularInline):
    model = Citation
    formset = CitationFormSet
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["source", "locator", "excerpt", "position"]

    def get_extra(self, request, obj=None, **kwargs):
        shown = getattr(obj, "_shown_change", None)
        if shown is not None and review.CITATIONS in shown.values:
            return len(shown.values[review.CITATIONS]) + 1
        return super().get_extra(request, obj, **kwargs)


@admin.register(Claim)
class ClaimAdmin(ReviewedAdmin):
    list_display = ["key", "statement", "scope", "citation_count"]
    search_fields = [
        "key",
        "statement",
        "statement_es",
        "citations__source__title",
        "citations__source__key",
    ]
    list_filter = ["scope", "citations__source__kind"]
    readonly_fields = ["used_on_pages"]
    inlines = [CitationInline]
    has_markup = False

    def get_queryset(self, request):
        # distinct: a search across citations' sources joins them again, which would count
        # each citation once per matching row.
        return super().get_queryset(request).annotate(_citations=Count("citations", distinct=True))

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

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        shown = getattr(obj, "_shown_change", None)
        if request.method == "GET" and shown is not None and review.CITATIONS in shown.values:
            # The citations of the change waiting for review, not the live ones.
            kwargs["queryset"] = Citation.objects.none()
            kwargs["initial"] = [
                {**entry, "position": position}
                for position, entry in enumerate(shown.values[review.CITATIONS])
            ]
        return kwargs

    def proposed_citations(self, formsets):
        for formset in formsets:
            if formset.model is not Citation:
                continue
            rows = []
            for index, form in enumerate(formset.forms):
                data = getattr(form, "cleaned_data", None) or {}
                if not data.get("source") or (
                    formset.can_delete and formset._should_delete_form(form)
                ):
                    continue
                rows.append(
                    (
                        data.get("position") or 0,
                        index,
                        {
                            "source": data["source"].pk,
                            "locator": data.get("locator", ""),
                            "excerpt": data.get("excerpt", ""),
                        },
                    )
                )
            return [entry for _, _, entry in sorted(rows, key=lambda row: row[:2])]
        return None

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        for claim in objs:
            pages = claim.used_on(public_only=True)
            if pages:
                protected.append(
                    format_html(
                        "Claim “{}” is cited by live pages: {}", claim.key, page_links(pages)
                    )
                )
        return deleted, counts, perms, protected


@admin.register(Source)
class SourceAdmin(ReviewedAdmin):
    list_display = ["title", "kind", "publisher", "published", "claim_count"]
    list_filter = ["kind"]
    search_fields = ["key", "title", "publisher", "authors", "doi", "pmid"]
    # A URL typed without a scheme is taken as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["key", "title", "kind", "publisher", "authors", "published"]}),
        ("Where to find it", {"fields": ["url", "doi", "pmid", "citation", "accessed"]}),
        (None, {"fields": ["notes"]}),
        (
            "Staff only (changes at once, no review)",
            {"fields": ["staff_notes"]},
        ),
    ]
    has_markup = False

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(_claims=Count("citations__claim", distinct=True))
        )

    @admin.display(description="Claims citing it", ordering="_claims")
    def claim_count(self, obj):
        return obj._claims

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        for source in objs:
            claims = source.live_claims()
            pages = {page for claim in claims for page in claim.used_on(public_only=True)}
            if pages:
                protected.append(
                    format_html(
                        "Source “{}” backs claims that live pages cite: {}",
                        source.key,
                        page_links(sorted(pages, key=str)),
                    )
                )
        return deleted, counts, perms, protected
