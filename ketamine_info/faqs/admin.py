from django.contrib import admin

from ketamine_info.editorial.admin import PUBLISHING_FIELDSET, WorkflowAdmin

from .models import Question


@admin.register(Question)
class QuestionAdmin(WorkflowAdmin):
    list_display = ["question", "topic", "position", "status", "review_summary", "updated"]
    list_editable = ["position"]
    list_filter = ["topic", "status"]
    search_fields = ["question", "body", "slug"]
    ordering = ["topic", "position"]
    prepopulated_fields = {"slug": ["question"]}
    fieldsets = [
        (None, {"fields": ["question", "slug", "topic", "position", "body"]}),
        PUBLISHING_FIELDSET,
    ]
