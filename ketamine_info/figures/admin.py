from django.contrib import admin

from ketamine_info.editorial.admin import ReviewedAdmin

from .models import PARTS, Figure


@admin.register(Figure)
class FigureAdmin(ReviewedAdmin):
    list_display = ["title", "key", "updated"]
    search_fields = ["title", "body", "key"]
    fields = ["key", "title", "body"]
    view_on_site = True

    def has_add_permission(self, request) -> bool:
        # A figure is the words for one of the site's drawings: once every drawing has its
        # words there is nothing to add (a picture is an image, in Images).
        if Figure.objects.filter(key__in=PARTS).count() >= len(PARTS):
            return False
        return super().has_add_permission(request)
