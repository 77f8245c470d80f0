from django.contrib import admin

from ketamine_info.editorial.admin import ReviewedAdmin

from .models import Term


@admin.register(Term)
class TermAdmin(ReviewedAdmin):
    list_display = ["term", "slug", "updated"]
    search_fields = ["term", "aliases", "body"]
    prepopulated_fields = {"slug": ["term"]}
    fields = ["term", "slug", "aliases", "body"]
    view_on_site = True
