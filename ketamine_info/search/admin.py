"""Synonyms and best bets change which pages a search finds, and their order: like the pages
themselves, a change waits for a clinical reviewer (``ReviewedAdmin``)."""

from django.contrib import admin

from ketamine_info.editorial.admin import ReviewedAdmin

from .models import BestBet, Synonym


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
