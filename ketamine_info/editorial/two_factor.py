"""Two-step login for staff (django-otp): a password, then, on a screen of its own
(code_step.py), a code from an authenticator app (TOTP) or one of ten single-use recovery codes.

Required for superusers and clinical reviewers (they publish what patients read), and for
anyone who has set it up; an editor may add it. Someone who must use it and has not set it up
yet is sent, right after the password, to the one page they can reach: setting it up. The
admin (``StaffAdminSite.has_permission``) lets a session in only once it is verified.
"""

from __future__ import annotations

import base64
import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .login import seconds_to_wait, wrong_code

REQUIRED_GROUPS = ("Clinical reviewer",)
RECOVERY_CODES = 10


def has_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def second_factor_required(user) -> bool:
    return (
        user.is_superuser
        or user.groups.filter(name__in=REQUIRED_GROUPS).exists()
        or has_device(user)
    )


def passes_second_factor(request) -> bool:
    user = request.user
    return user.is_verified() or not second_factor_required(user)


class StaffLoginForm(AdminAuthenticationForm):
    """The admin's login form. Someone whose account needs a code gives it on a screen of its
    own after the password (code_step.py): this form then stops with ``needs_code`` set, and
    the admin site sends them there."""

    # Not on the page. Read when a client sends it with the password (a script, a password
    # manager), so that one request can still log in; a wrong one goes to the code screen.
    otp_token = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    needs_code = None

    def clean(self):
        self.refuse_while_paused()
        cleaned = super().clean()  # the password (and django-axes' lockout)
        user = self.get_user()
        if user is not None and has_device(user):
            token = "".join((cleaned.get("otp_token") or "").split())
            # Each device throttles wrong codes itself (django-otp).
            device = match_token(user, token) if token else None
            if device is None:
                if token:
                    wrong_code(self.request, user.get_username())
                self.needs_code = user
                # Seen only if the site did not send them on to the code screen.
                raise ValidationError(
                    "Enter the code your authenticator app shows now, or a recovery code.",
                    code="otp",
                )
            user.otp_device = device  # django_otp marks the session verified on login
        return cleaned

    def refuse_while_paused(self):
        """Refused at once, password unchecked, while the username is paused after wrong
        passwords (login.py), from an address that has already given it a wrong one. Its owner
        at their own address is not kept out by a crowd guessing elsewhere; a locked-out address
        goes on to django-axes' own refusal."""
        from axes.handlers.proxy import AxesProxyHandler

        username = self.cleaned_data.get("username")
        if not username or self.request is None:
            return
        wait = seconds_to_wait(username)
        credentials = {"username": username}
        if (
            wait
            and AxesProxyHandler.is_allowed(self.request, credentials)
            and AxesProxyHandler.get_failures(self.request, credentials) > 0
        ):
            seconds = math.ceil(wait)
            raise ValidationError(
                "Too many wrong passwords for this username just now. Wait %(wait)s, then "
                "try again.",
                code="paused",
                params={"wait": f"{seconds} second{'s' if seconds != 1 else ''}"},
            )


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label="Code from the app",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _qr_svg(url: str) -> str:
    import segno

    # Inline SVG: no image request, no script; allowed by the admin's content security policy.
    return segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def _bare_context(request, site) -> dict:
    # No menu of the admin's models: none of them opens before the second step.
    return {**site.each_context(request), "available_apps": [], "is_nav_sidebar_enabled": False}


def setup(request, site):
    """Setting up two-step login: scan the code, type what the app shows, keep the recovery
    codes. Reached after the password, before the rest of the admin."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect("admin:login")
    if has_device(user):
        # Set up already: a second device would need the first one's code; an administrator
        # can delete a lost one (Django OTP → TOTP devices) so that it can be set up anew.
        return redirect("admin:index" if user.is_verified() else "admin:login")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = "".join(form.cleaned_data["otp_token"].split())
        if device.verify_token(token):
            with transaction.atomic():
                device.confirmed = True
                device.save()
                recovery = StaticDevice.objects.create(user=user, name="Recovery codes")
                codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
                for code in codes:
                    recovery.token_set.create(token=code)
            otp_login(request, device)
            context = {**_bare_context(request, site), "title": "Two-step login is on"}
            return render(request, "editorial/otp_done.html", {**context, "codes": codes})
        form.add_error("otp_token", "That code is not right. Type the code the app shows now.")
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        **_bare_context(request, site),
        "title": "Set up two-step login",
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": second_factor_required(user),
    }
    return render(request, "editorial/otp_setup.html", context)
