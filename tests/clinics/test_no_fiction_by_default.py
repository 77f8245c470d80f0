"""The example clinic ships switched off; staff are told when patients see no contact block;
a contact block is always the clinic's own unit, never mistaken for a crisis line."""

import datetime as dt
import re

import pytest

from ketamine_info.clinics.models import ContactBlock, Placement
from tests.factories import ArticleFactory, ContactBlockFactory

pytestmark = pytest.mark.django_db

NOTICE = "No clinic contact block is shown on the site today"


def test_the_shipped_example_clinic_is_switched_off(shipped_content, client):
    example = ContactBlock.objects.get(key="example-clinic")
    assert example.active is False
    html = client.get("/").content.decode()
    assert "Example Clinic" not in html and "tel:+1503" not in html


def test_the_admin_home_says_plainly_when_no_block_is_shown(shipped_content, staff_client):
    html = staff_client.get("/admin/").content.decode()
    assert NOTICE in html
    assert 'href="/admin/clinics/contactblock/add/"' in html
    assert 'href="/admin/clinics/contactblock/"' in html


def test_the_notice_goes_once_a_block_is_shown_and_comes_back_when_it_ends(staff_client):
    block = ContactBlockFactory(placement=Placement.FOOTER)
    assert NOTICE not in staff_client.get("/admin/").content.decode()
    ContactBlock.objects.filter(pk=block.pk).update(show_until=dt.date(2020, 1, 1))
    assert NOTICE in staff_client.get("/admin/").content.decode()
    ContactBlock.objects.filter(pk=block.pk).update(show_until=None, active=False)
    assert NOTICE in staff_client.get("/admin/").content.decode()


def test_a_contact_block_is_labelled_as_the_clinics_and_holds_no_crisis_line(client):
    ContactBlockFactory(placement=Placement.FOOTER, sms_phone="+15035550124")
    html = client.get(ArticleFactory().get_absolute_url()).content.decode()
    block = re.search(r'<section class="contact-block.*?</section>', html, re.S).group(0)
    assert "Text us" not in html
    assert "Call the clinic" in block and "Text the clinic" in block
    assert "This is not a crisis line." in block
    assert "988" not in block and "911" not in block
    # The crisis box is a separate unit that offers no clinic number.
    for crisis in re.findall(r'<aside class="crisis".*?</aside>', html, re.S):
        assert re.findall(r'href="(?:tel|sms):([^"]+)"', crisis) and all(
            n in ("988", "911") for n in re.findall(r'href="(?:tel|sms):([^"]+)"', crisis)
        )
        assert "Text the clinic" not in crisis and "Call the clinic" not in crisis
