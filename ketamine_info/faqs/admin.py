from django.contrib import admin

from .models import Question


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["question", "topic", "position", "published", "updated"]
    list_editable = ["position", "published"]
    list_filter = ["topic", "published"]
    search_fields = ["question", "body", "slug"]
    ordering = ["topic", "position"]
    prepopulated_fields = {"slug": ["question"]}
    fields = ["question", "slug", "topic", "position", "published", "body"]
    view_on_site = True
