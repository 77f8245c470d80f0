"""The page where each staff member turns their emails on or off (admin → Email notifications)."""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from .models import NotificationSettings
from .notifications import PUBLISH_PERMISSION, settings_of


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["changes_waiting", "my_changes_decided", "reviews_due"]


def notification_settings(request, site):
    prefs = settings_of(request.user)
    form = NotificationSettingsForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        # update(): a person's email choices show on no page (no page-cache signal).
        NotificationSettings.objects.filter(pk=prefs.pk).update(**form.cleaned_data)
        messages.success(request, "Your email choices are saved.")
        return HttpResponseRedirect(reverse("admin:notification_settings"))
    context = {
        **site.each_context(request),
        "title": "Email notifications",
        "form": form,
        "email": request.user.email,
        "is_reviewer": request.user.has_perm(PUBLISH_PERMISSION),
    }
    return render(request, "editorial/notification_settings.html", context)
