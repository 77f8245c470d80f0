"""The second screen of staff login: the code from the authenticator app, asked for after a
right password, on a screen of its own, so that a missing or wrong code never costs the
password.

Between the two screens the session holds a half-done login: who gave the right password, how
they were authenticated, where they were going, and when. Never the password. It is not a
login (``user_logged_in`` has not fired, the admin stays shut) and it lasts a few minutes.
Every wrong code is a failed login for django-axes, so the lockout of an address counts codes
as it counts passwords; a locked-out address is refused before any code is checked.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import match_token

from .login import wrong_code

SESSION_KEY = "staff_login_pending"
# Long enough to unlock a phone and open the app; short enough that a login left on a shared
# screen does not wait for the next person.
PENDING_SECONDS = 5 * 60

now = time.time  # replaced in tests


def safe_next(request) -> str:
    """Where the login was going, if it is on this site; the admin's home otherwise."""
    url = request.POST.get("next", request.GET.get("next", ""))
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")


def begin(request, user):
    """After the right password of someone who needs a code: remember them, ask for it."""
    # A new session key: a session id planted in the browser before the password (by someone
    # who could set its cookie) holds no half-done login of theirs.
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "user": str(user.pk),
        "backend": user.backend,
        # Changes when the password does: a reset in between ends the half-done login.
        "hash": user.get_session_auth_hash(),
        "since": now(),
        "next": safe_next(request),
    }
    return redirect("admin:login_code")


def pending_user(request):
    """The user whose login waits for a code, with what was kept, or (None, None): nothing
    pending, too old, or no longer matching the account (removed, deactivated, password
    changed, two-step login taken away). Anything not right is forgotten."""
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict):
        return None, None
    user = None
    try:
        fresh = 0 <= now() - float(pending["since"]) < PENDING_SECONDS
        if fresh:
            user = get_user_model()._default_manager.get(pk=pending["user"])
    except (KeyError, TypeError, ValueError, get_user_model().DoesNotExist):
        user = None
    from .two_factor import has_device

    if (
        user is None
        or pending.get("backend") not in settings.AUTHENTICATION_BACKENDS
        or not isinstance(pending.get("next"), str)
        or not (user.is_active and user.is_staff)
        or not constant_time_compare(str(pending.get("hash")), user.get_session_auth_hash())
        or not has_device(user)
    ):
        request.session.pop(SESSION_KEY, None)
        messages.info(
            request,
            "Your login waited too long for the code, or your account changed meanwhile. "
            "Type your username and password again.",
        )
        return None, None
    return user, pending


def code_screen(request, site):
    from axes.handlers.proxy import AxesProxyHandler
    from axes.helpers import get_lockout_response

    from .two_factor import CodeForm

    user, pending = pending_user(request)
    if user is None:
        return redirect("admin:login")
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    form.fields["otp_token"].widget.attrs["autofocus"] = True  # the one thing to do here
    if request.method == "POST" and form.is_valid():
        token = "".join(form.cleaned_data["otp_token"].split())
        # Each device also throttles wrong codes itself (django-otp).
        device = match_token(user, token)
        if device is not None:
            del request.session[SESSION_KEY]
            user.otp_device = device  # django_otp marks the session verified on login
            auth_login(request, user, backend=pending["backend"])
            return redirect(pending["next"])
        wrong_code(request, user.get_username())
        form.add_error(
            "otp_token",
            "That code is not right. Type the code your authenticator app shows now (after a "
            "wrong one, wait a second), or one of your recovery codes.",
        )
    context = {
        **site.each_context(request),
        # No menu of the admin's models: none of them opens before the second step.
        "available_apps": [],
        "is_nav_sidebar_enabled": False,
        "title": "Enter the code from your authenticator app",
        "form": form,
        "username": user.get_username(),
        "start_again": reverse("admin:login") + "?" + urlencode({"next": pending["next"]}),
    }
    return render(request, "editorial/login_code.html", context)
