from django.contrib import admin

from .models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated"]
    search_fields = ["title", "summary", "body", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "summary", "body"]
    view_on_site = True
