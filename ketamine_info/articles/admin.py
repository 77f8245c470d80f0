from django.contrib import admin

from .models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "topic", "position", "published", "updated"]
    list_editable = ["position", "published"]
    list_filter = ["published", "topic"]
    search_fields = ["title", "summary", "body", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "summary", "topic", "position", "published", "body"]
    view_on_site = True
