"""The admin's home page lists what must be set before going live and ticks off each step."""

import pytest
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import ContactBlockFactory

pytestmark = pytest.mark.django_db

UNSET = {
    "SITE_PUBLISHER": "",
    "SITE_FUNDING": "",
    "SITE_CONTACT_EMAIL": "",
    "SITE_URL": "http://127.0.0.1:8000",
}
SET = {
    "SITE_PUBLISHER": "Riverside Mood Clinic",
    "SITE_FUNDING": "Paid for by Riverside Mood Clinic, which offers ketamine treatment.",
    "SITE_CONTACT_EMAIL": "editors@riverside.test",
    "SITE_URL": "https://ketamine.riverside.test",
}


def checklist(client) -> str:
    html = client.get("/admin/").content.decode()
    start = html.index('id="first-run-checklist"')
    return html[start : html.index("</div>", start)]


def test_a_fresh_site_lists_every_step_as_still_to_do(editor_client):
    with override_settings(**UNSET):
        html = checklist(editor_client)
    assert "6 of 6 still to do" in html
    assert html.count("(not yet)") == 6
    for words in ("SITE_PUBLISHER", "SITE_FUNDING", "SITE_CONTACT_EMAIL", "SITE_URL"):
        assert words in html
    assert "Clinical reviewer" in html and "contact block" in html


def test_each_step_is_ticked_once_it_is_set(editor_client, reviewer):
    ContactBlockFactory(key="example-clinic", active=True)  # the made-up one does not count
    with override_settings(**SET):
        html = checklist(editor_client)
    # The reviewer has no confirmed second factor yet, and only the example clinic is shown.
    assert "2 of 6 still to do" in html
    TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=False)
    with override_settings(**SET):
        assert "2 of 6 still to do" in checklist(editor_client)
    TOTPDevice.objects.filter(user=reviewer).update(confirmed=True)
    ContactBlockFactory(key="riverside", active=True)
    with override_settings(**SET):
        html = checklist(editor_client)
    assert "all done" in html and "(not yet)" not in html and html.count("(done)") == 6
