from django.contrib import admin

from ketamine_info.editorial.admin import ReviewedAdmin
from ketamine_info.translations import ENGLISH, other_languages

from .models import PARTS, Figure


@admin.register(Figure)
class FigureAdmin(ReviewedAdmin):
    list_display = ["title", "key", "language", "updated"]
    search_fields = ["title", "body", "key"]
    fields = ["key", "title", "body"]
    view_on_site = True

    def has_add_permission(self, request) -> bool:
        # A figure is the words for one of the site's drawings: once every drawing has its
        # words in every language there is nothing to add (a picture is an image, in Images).
        languages = [ENGLISH, *other_languages(ENGLISH)]
        have = Figure.objects.filter(language__in=languages).count()
        if have >= len(PARTS) * len(languages):
            return False
        return super().has_add_permission(request)
