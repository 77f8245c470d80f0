"""Staff accounts as a clinic's IT would expect (issue 19, point 5): password rules, two-step
login for reviewers and superusers with recovery codes, sessions that end after a working day
idle, password reset by email."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import current_totp

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a-long-test-password"


def log_in(client, username, code=""):
    return client.post(LOGIN, {"username": username, "password": PASSWORD, "otp_token": code})


def test_weak_passwords_are_refused(staff_client):
    for weak in ("1", "password", "12345678901"):
        response = staff_client.post(
            "/admin/auth/user/add/",
            {"username": "newbie", "password1": weak, "password2": weak, "usable_password": "true"},
        )
        assert response.status_code == 200, weak
        assert "errornote" in response.content.decode()
    from django.contrib.auth.models import User

    assert not User.objects.filter(username="newbie").exists()


def test_a_reviewer_sets_up_two_step_login_before_reaching_the_admin(reviewer):
    client = Client()
    response = log_in(client, "reviewer")
    assert response.status_code == 302  # the password was right …
    assert client.get("/admin/").status_code == 302  # … but the admin is not open yet
    assert client.get("/admin/articles/article/").status_code == 302
    assert client.get(LOGIN)["Location"] == "/admin/otp/setup/"
    page = client.get("/admin/otp/setup/").content.decode()
    assert "<svg" in page and 'id="otp-secret"' in page  # the QR code, and the key to type
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)

    wrong = client.post("/admin/otp/setup/", {"otp_token": "000000"})
    assert "That code is not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # after a wrong code, django-otp waits a second before the next
    done = client.post("/admin/otp/setup/", {"otp_token": current_totp(device)})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200

    # Next time: the password alone is not enough; the app's code or a recovery code is.
    again = Client()
    asked = log_in(again, "reviewer")
    assert asked.status_code == 302 and asked["Location"] == "/admin/login/code/"
    assert again.get("/admin/").status_code == 302
    assert log_in(again, "reviewer", current_totp(device, steps_ahead=1)).status_code == 302
    assert again.get("/admin/").status_code == 200

    by_recovery = Client()
    assert log_in(by_recovery, "reviewer", codes[0]).status_code == 302
    assert by_recovery.get("/admin/").status_code == 200
    used_again = Client()  # once only: back to the code screen, not in
    assert log_in(used_again, "reviewer", codes[0])["Location"] == "/admin/login/code/"
    assert used_again.get("/admin/").status_code == 302
    assert StaticDevice.objects.get(user=reviewer).token_set.count() == 9


def test_superusers_need_it_too_and_previews_are_closed_without_it(django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    client = Client()
    log_in(client, "root")
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/review-dashboard/").status_code == 302
    assert client.get("/preview/learn/anything/").status_code == 302


def test_an_editor_without_it_may_log_in_with_a_password(editor):
    client = Client()
    assert log_in(client, "editor").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_sessions_end_after_a_working_day_idle(editor):
    client = Client()
    log_in(client, "editor")
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    assert client.session.get_expiry_age() == 10 * 3600
    first = client.session.get_expiry_date()
    stored = Session.objects.get().expire_date
    time_machine = dt.timedelta(minutes=5)
    Session.objects.update(expire_date=stored - time_machine)
    client.get("/admin/")  # activity starts the clock again
    assert Session.objects.get().expire_date > stored - time_machine
    assert client.session.get_expiry_date() >= first


@pytest.mark.django_db
def test_a_junk_session_cookie_never_starts_a_session_on_a_public_page(client):
    client.cookies["sessionid"] = "junk"
    for _ in range(2):  # built, then from the page cache
        response = client.get("/")
        assert response.status_code == 200
        cookie = response.cookies.get("sessionid")
        assert cookie is None or cookie.value == ""  # at most told to forget the junk
    assert not Session.objects.exists()


def test_password_reset_by_email(editor):
    client = Client()
    login_page = client.get(LOGIN).content.decode()
    assert 'href="/admin/password-reset/"' in login_page
    response = client.post("/admin/password-reset/", {"email": "editor@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/admin/password-reset/\S+/\S+/)", mail.outbox[0].body)
    assert link
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    url = form.redirect_chain[-1][0]
    weak = client.post(url, {"new_password1": "1", "new_password2": "1"})
    assert weak.status_code == 200  # the password rules apply here too
    new = "a-brand-new-long-password-7"
    assert client.post(url, {"new_password1": new, "new_password2": new}).status_code == 302
    assert Client().post(LOGIN, {"username": "editor", "password": new}).status_code == 302


@override_settings(ALLOWED_HOSTS=["*"])
def test_the_reset_link_is_on_site_url_whatever_host_the_request_names(editor):
    response = Client().post(
        "/admin/password-reset/",
        {"email": "editor@example.org"},
        HTTP_HOST="evil.example",
        HTTP_X_FORWARDED_PROTO="http",
    )
    assert response.status_code == 302
    body = mail.outbox[0].body
    assert "evil.example" not in body
    assert re.search(r"https://ketamine\.example\.org/admin/password-reset/\S+/\S+/", body)


def test_email_is_printed_in_development_and_sent_by_smtp_when_configured():
    from tests.pages.test_security import production_env, run_manage

    code = "from django.conf import settings as s; print(s.EMAIL_BACKEND)"
    console = run_manage("shell", "--no-imports", "-c", code, env=production_env())
    assert console.stdout.strip() == "django.core.mail.backends.console.EmailBackend"
    smtp = run_manage(
        "shell", "--no-imports", "-c", code, env=production_env(EMAIL_HOST="smtp.example.org")
    )
    assert smtp.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"
