from django.contrib import admin

from ketamine_info.editorial.admin import ReviewedAdmin
from ketamine_info.publishing import REVIEW_FIELDS

from .models import Comparison


@admin.register(Comparison)
class ComparisonAdmin(ReviewedAdmin):
    """Like a stand-alone page: public as soon as it exists, so every change waits for review."""

    list_display = ["title", "slug", "updated"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "summary", "options", "body", *REVIEW_FIELDS]
    readonly_fields = REVIEW_FIELDS
    view_on_site = True
