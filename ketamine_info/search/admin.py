"""Synonyms and best bets change which pages a search finds, and their order: like the pages
themselves, a change waits for a clinical reviewer (``ReviewedAdmin``)."""

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse

from ketamine_info.editorial.admin import ReviewedAdmin

from . import report
from .models import BestBet, MissedSearch, Synonym


@admin.register(Synonym)
class SynonymAdmin(ReviewedAdmin):
    has_markup = False
    list_display = ["term", "variant_summary", "key", "updated"]
    search_fields = ["term", "variants", "key"]
    prepopulated_fields = {"key": ["term"]}
    fields = ["term", "variants", "key"]

    @admin.display(description="Words people use")
    def variant_summary(self, obj) -> str:
        return ", ".join(obj.variant_list)[:120]


@admin.register(BestBet)
class BestBetAdmin(ReviewedAdmin):
    has_markup = False
    list_display = ["query", "target", "position"]
    search_fields = ["query"]
    fieldsets = [
        (None, {"fields": ["query", "position"]}),
        (
            "The page to show first (choose one)",
            {"fields": ["article", "question", "term", "page"]},
        ),
    ]


@admin.register(MissedSearch)
class MissedSearchAdmin(admin.ModelAdmin):
    """Read only: the searches that found nothing or little, added up over the kept days and
    shown only from ``report.SHOWN_FROM`` searches. Each row leads to a proposed synonym or best
    bet, which waits for a clinical reviewer like any other."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = report.rows()
        for row in rows:
            row["synonym_url"] = (
                reverse("admin:search_synonym_add") + "?" + urlencode({"variants": row["words"]})
            )
            row["best_bet_url"] = (
                reverse("admin:search_bestbet_add") + "?" + urlencode({"query": row["words"]})
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "Searches that found little",
            "opts": self.model._meta,
            "rows": rows,
            "shown_from": report.SHOWN_FROM,
            "kept_days": report.KEPT_DAYS,
            "can_propose": request.user.has_perm("search.add_synonym"),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/search/missedsearch/report.html", context)
