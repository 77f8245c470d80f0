from django.contrib import admin

from .models import BestBet, Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "variant_summary", "key", "updated"]
    search_fields = ["term", "variants", "key"]
    prepopulated_fields = {"key": ["term"]}
    fields = ["term", "variants", "key"]

    @admin.display(description="Words people use")
    def variant_summary(self, obj) -> str:
        return ", ".join(obj.variant_list)[:120]


@admin.register(BestBet)
class BestBetAdmin(admin.ModelAdmin):
    list_display = ["query", "target", "position"]
    search_fields = ["query"]
    fieldsets = [
        (None, {"fields": ["query", "position"]}),
        (
            "The page to show first (choose one)",
            {"fields": ["article", "question", "term", "page"]},
        ),
    ]
