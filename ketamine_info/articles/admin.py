from django.contrib import admin

from ketamine_info.editorial.admin import PUBLISHING_FIELDSET, WorkflowAdmin

from .models import Article


@admin.register(Article)
class ArticleAdmin(WorkflowAdmin):
    # No slug column: with the filters beside it, the list would not fit a 1280 px screen
    # (the title links to the form, which shows the slug; search still finds it).
    list_display = ["title", "topic", "position", "status", "review_summary", "updated"]
    list_editable = ["position"]
    list_filter = ["status", "topic"]
    search_fields = ["title", "summary", "body", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topic", "position", "body"]}),
        PUBLISHING_FIELDSET,
    ]
