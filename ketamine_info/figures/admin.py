from django.contrib import admin

from ketamine_info.editorial.admin import ReviewedAdmin

from .models import Figure


@admin.register(Figure)
class FigureAdmin(ReviewedAdmin):
    list_display = ["title", "key", "updated"]
    search_fields = ["title", "body", "key"]
    fields = ["key", "title", "body"]
    view_on_site = True
