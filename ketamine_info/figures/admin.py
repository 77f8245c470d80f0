from django.contrib import admin

from .models import Figure


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "updated"]
    search_fields = ["title", "body", "key"]
    fields = ["key", "title", "body"]
    view_on_site = True
