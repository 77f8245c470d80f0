"""Staff login as on the best sites: the password on the first screen, then, for those whose
account needs it, the authenticator app's code on a screen of its own. A missing or wrong code
never costs the password, wrong codes count towards the lockout, and the code screen opens only
after the right password, for a few minutes."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketamine_info.editorial import code_step
from tests.factories import current_totp

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/articles/article/"
CODE = "/admin/login/code/"
PASSWORD = "a-long-test-password"


@pytest.fixture
def device(reviewer):
    return TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)


def password_step(client, username="reviewer", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def failures(username="reviewer") -> int:
    return sum(a.failures_since_start for a in AccessAttempt.objects.filter(username=username))


def text(response) -> str:
    return response.content.decode()


def test_the_first_screen_says_who_is_asked_for_a_code_and_asks_only_for_the_password(client):
    html = text(client.get("/admin/login/"))
    assert (
        "Clinical reviewers and administrators: you will be asked for the code from your "
        "authenticator app"
    ) in html
    form = re.search(r'<form[^>]*id="login-form".*?</form>', html, re.S).group(0)
    visible = re.findall(r'<input(?![^>]*type="(?:hidden|submit)")[^>]*name="([^"]+)"', form)
    assert visible == ["username", "password"]


def test_the_right_password_without_a_code_leads_to_the_code_screen_not_back(device):
    client = Client()
    response = password_step(client)
    assert response.status_code == 302 and response["Location"] == CODE
    assert "no-store" in response["Cache-Control"]
    assert client.get("/admin/").status_code == 302  # not logged in yet
    assert "_auth_user_id" not in client.session
    page = client.get(CODE)
    html = text(page)
    assert page.status_code == 200
    assert 'name="otp_token"' in html and 'name="password"' not in html
    assert PASSWORD not in html and PASSWORD not in str(dict(client.session))
    assert "Your password is right, reviewer" in html


def test_an_empty_code_field_sent_with_the_password_still_keeps_the_password(device):
    client = Client()
    response = password_step(client, otp_token="")
    assert response["Location"] == CODE
    retry = client.post(CODE, {"otp_token": ""})
    assert retry.status_code == 200 and "This field is required" in text(retry)
    assert failures() == 0  # nothing guessed
    done = client.post(CODE, {"otp_token": current_totp(device)})
    assert done.status_code == 302 and done["Location"] == "/admin/articles/article/"
    assert client.get("/admin/articles/article/").status_code == 200


def test_a_right_code_logs_in_verified_and_ends_the_half_done_login(device):
    client = Client()
    password_step(client)
    response = client.post(CODE, {"otp_token": current_totp(device)})
    assert response.status_code == 302 and response["Location"] == "/admin/articles/article/"
    assert client.get("/admin/").status_code == 200
    assert code_step.SESSION_KEY not in client.session
    # The code screen has nothing more to do: back to the first one.
    assert client.get(CODE)["Location"] == "/admin/login/"


def test_a_recovery_code_works_on_the_code_screen(reviewer, device):
    recovery = reviewer.staticdevice_set.create(name="Recovery codes")
    recovery.token_set.create(token="abcd2345")
    client = Client()
    password_step(client)
    assert client.post(CODE, {"otp_token": "abcd 2345"}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_stays_on_the_code_screen_and_counts_as_a_failure(device):
    client = Client()
    password_step(client)
    assert failures() == 0  # the password was right
    wrong = "000000" if current_totp(device) != "000000" else "111111"
    response = client.post(CODE, {"otp_token": wrong})
    assert response.status_code == 200
    assert "That code is not right" in text(response)
    assert 'name="otp_token"' in text(response)
    assert failures() == 1
    assert client.get("/admin/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes a try after a wrong code wait a second
    assert client.post(CODE, {"otp_token": current_totp(device)}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_sent_with_the_password_goes_to_the_code_screen_and_counts(device):
    client = Client()
    response = password_step(
        client, otp_token="000000" if current_totp(device) != "000000" else "1"
    )
    assert response["Location"] == CODE
    assert failures() == 1


def test_wrong_codes_lock_the_address_out_like_wrong_passwords(device):
    client = Client(REMOTE_ADDR="203.0.113.9")
    password_step(client)
    for _ in range(5):
        device.throttle_reset()
        client.post(CODE, {"otp_token": "999999" if current_totp(device) != "999999" else "1"})
    device.throttle_reset()
    locked = client.post(CODE, {"otp_token": current_totp(device)})
    assert locked.status_code == 429  # even the right code, once locked out
    assert client.get("/admin/").status_code == 302
    assert password_step(client).status_code == 429  # and the password screen too
    # Someone else's address is not locked out by them.
    elsewhere = Client(REMOTE_ADDR="198.51.100.4")
    assert password_step(elsewhere)["Location"] == CODE


def test_the_code_screen_without_a_pending_login_sends_to_the_first_screen(device):
    client = Client()
    assert client.get(CODE)["Location"] == "/admin/login/"
    assert "waited too long" not in text(client.get("/admin/login/"))  # nothing had waited
    response = client.post(CODE, {"otp_token": current_totp(device)})
    assert response["Location"] == "/admin/login/"
    assert client.get("/admin/").status_code == 302


def test_a_wrong_password_or_an_unknown_user_never_reaches_the_code_screen(device):
    wrong = password_step(Client(), password="not-the-password")
    unknown = password_step(Client(), username="nobody-here")
    assert wrong.status_code == unknown.status_code == 200
    assert "Please enter the correct username and password" in text(wrong)
    # The same answer for both: nothing tells whether the account exists or has a code.
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|value="(reviewer|nobody-here)"')
    assert strip.sub("", text(wrong)) == strip.sub("", text(unknown))


def test_a_stale_half_done_login_fails_safely(device, monkeypatch):
    client = Client()
    password_step(client)
    later = code_step.now() + code_step.PENDING_SECONDS + 1
    monkeypatch.setattr(code_step, "now", lambda: later)
    response = client.post(CODE, {"otp_token": current_totp(device)})
    assert response["Location"] == "/admin/login/"
    assert "Your login waited too long for the code" in text(client.get("/admin/login/"))
    assert client.get("/admin/").status_code == 302
    assert code_step.SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p, user: p.update(user="999999"),  # someone else, or nobody
        lambda p, user: p.update(hash="forged"),  # not what the account's password gives
        lambda p, user: p.update(since="soon"),
        lambda p, user: p.pop("backend") and p.pop("next"),
        lambda p, user: user.set_password("changed-meanwhile-9") or user.save(),
        lambda p, user: user.totpdevice_set.all().delete(),  # two-step login taken away
        lambda p, user: setattr(user, "is_active", False) or user.save(),
    ],
)
def test_a_forged_or_outdated_step_fails_safely(reviewer, device, tamper):
    client = Client()
    password_step(client)
    session = client.session
    pending = dict(session[code_step.SESSION_KEY])
    tamper(pending, reviewer)
    session[code_step.SESSION_KEY] = pending
    session.save()
    response = client.post(CODE, {"otp_token": current_totp(device)})
    assert response.status_code == 302 and response["Location"] == "/admin/login/"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_half_done_login_gets_a_new_session_key(device):
    client = Client()
    client.get("/admin/login/")
    client.session.save()
    before = client.session.session_key
    password_step(client)
    assert client.session.session_key != before


def test_where_the_login_was_going_stays_on_this_site(device):
    client = Client()
    client.post(
        "/admin/login/?next=https://evil.example/",
        {"username": "reviewer", "password": PASSWORD, "next": "https://evil.example/"},
    )
    response = client.post(CODE, {"otp_token": current_totp(device)})
    assert response["Location"] == "/admin/"


def test_an_editor_without_a_second_factor_still_logs_in_with_the_password(editor):
    client = Client()
    response = client.post(LOGIN, {"username": "editor", "password": PASSWORD})
    assert response["Location"] == "/admin/articles/article/"
    assert client.get("/admin/").status_code == 200
