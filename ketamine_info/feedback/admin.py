from django.contrib import admin
from django.utils.text import Truncator

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Readers' reports: read them, open the page, tick "Dealt with". Nothing a reader sent can
    be edited, and staff cannot make one up."""

    list_display = ("created", "page", "helped", "excerpt", "dealt_with")
    list_display_links = ("created",)
    list_editable = ("dealt_with",)
    list_filter = ("dealt_with", "helped", "created")
    search_fields = ("page", "message")
    date_hierarchy = "created"
    fields = ("page", "helped", "message", "created", "dealt_with")
    readonly_fields = ("page", "helped", "message", "created")
    actions = ["mark_dealt_with"]

    @admin.display(description="What the reader wrote")
    def excerpt(self, obj):
        return Truncator(obj.message).chars(120) or "—"

    @admin.action(description="Mark as dealt with", permissions=["change"])
    def mark_dealt_with(self, request, queryset):
        # update(): no save signal, so ticking reports off does not empty the page cache.
        done = queryset.update(dealt_with=True)
        self.message_user(request, f"{done} report(s) marked as dealt with.")

    def save_model(self, request, obj, form, change):
        # Only "Dealt with" is editable; no page shows it, so no save signal (page cache).
        type(obj).objects.filter(pk=obj.pk).update(dealt_with=obj.dealt_with)

    def has_add_permission(self, request):
        return False
