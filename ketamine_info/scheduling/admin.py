from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ketamine_info.editorial import review
from ketamine_info.publishing import CONFIRMATION_MISSING

from .models import Schedule


def zone_note() -> str:
    now = timezone.localtime()
    return (
        f"In the site's time zone, {settings.TIME_ZONE} ({now:%Z}, now {now:%Y-%m-%d %H:%M}). "
        "It happens within a minute of that time."
    )


class ScheduleForm(forms.ModelForm):
    confirm = forms.BooleanField(
        required=False,
        label="I have reviewed this clinically",
        help_text="It goes live under your name at the time you choose, exactly as it is now: "
        "if it is changed before then, it is not published.",
    )
    user = None  # set by ScheduleAdmin.get_form

    class Meta:
        model = Schedule
        fields = [
            "action",
            "change",
            "content_type",
            "object_id",
            "at",
            "credentials",
            "next_review_due",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].help_text = zone_note()
        if self.user is not None and not self.initial.get("credentials"):
            self.initial["credentials"] = review.credentials_of(self.user)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == Schedule.Action.PUBLISH:
            if not cleaned.get("confirm"):
                self.add_error("confirm", CONFIRMATION_MISSING)
            if not (cleaned.get("credentials") or "").strip():
                self.add_error("credentials", "Give your name and credentials as patients "
                               "will see them, e.g. 'Dana Lee, MD, psychiatrist'.")  # fmt: skip
        return cleaned


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    form = ScheduleForm
    list_display = ["when", "action", "target", "reviewer", "state", "outcome"]
    list_filter = ["state", "action"]
    actions = ["cancel"]

    # Reviewers schedule what they may publish: their publish permissions decide, not ones of
    # this app's own.
    def has_module_permission(self, request) -> bool:
        return review.can_review(request.user)

    def has_add_permission(self, request) -> bool:
        return review.can_review(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return review.can_review(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a schedule is cancelled and made again, never edited

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # kept: the record of what was scheduled, by whom

    def has_cancel_permission(self, request) -> bool:
        return review.can_review(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    @admin.display(description="When", ordering="at")
    def when(self, obj):
        return timezone.localtime(obj.at).strftime("%Y-%m-%d %H:%M %Z")

    @admin.display(description="What")
    def target(self, obj):
        return obj.target_repr()

    def save_model(self, request, obj, form, change):
        if not review.can_review(request.user):
            raise PermissionDenied
        obj.reviewer = request.user
        obj.credentials = obj.credentials.strip()
        obj.reviewed_digest = obj.current_digest()
        super().save_model(request, obj, form, change)
        if obj.credentials:
            review.remember_credentials(request.user, obj.credentials)

    @admin.action(description="Cancel the selected schedules", permissions=["cancel"])
    def cancel(self, request, queryset):
        count = queryset.filter(state=Schedule.State.WAITING).update(state=Schedule.State.CANCELLED)
        messages.success(request, f"{count} cancelled.")
