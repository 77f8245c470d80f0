from django.contrib import admin

from ketamine_info.editorial.admin import ReviewedAdmin
from ketamine_info.publishing import REVIEW_FIELDS

from .models import Page


@admin.register(Page)
class PageAdmin(ReviewedAdmin):
    list_display = ["title", "slug", "updated"]
    search_fields = ["title", "summary", "body", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "summary", "body", *REVIEW_FIELDS]
    # A review is recorded by publishing a change, with the reviewer's confirmation.
    readonly_fields = REVIEW_FIELDS
    view_on_site = True
