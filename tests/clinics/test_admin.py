"""Staff editing contact blocks in the admin: clear messages, nothing half saved; a new block
waits for a clinical reviewer (tests/clinics/test_review.py has the rest of the review)."""

import pytest
from django.test import Client
from django.urls import reverse

from ketamine_info.clinics.models import ContactBlock, OpeningHours, Placement
from ketamine_info.editorial.models import PendingChange
from tests.factories import ArticleFactory, ContactBlockFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:clinics_contactblock_add")


def form_data(**changes):
    data = {
        "name": "Main clinic, footer",
        "key": "main-clinic",
        "placement": "footer",
        "active": "on",
        "position": "1",
        "heading": "Talk to us",
        "clinic_name": "Example Clinic",
        "body": "",
        "phone": "(503) 555-0123",
        "sms_phone": "",
        "email": "",
        "booking_url": "",
        "street_address": "",
        "locality": "",
        "region": "",
        "postal_code": "",
        "country": "US",
        "show_from": "",
        "show_until": "",
        "hours-TOTAL_FORMS": "1",
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "1000",
        "hours-0-day": "1",
        "hours-0-opens": "09:00",
        "hours-0-closes": "17:00",
    }
    data.update(changes)
    return data


def publish_pending(client) -> ContactBlock:
    """A reviewer publishes the one change waiting; the block as it is then."""
    change = PendingChange.objects.get(state=PendingChange.State.OPEN)
    response = client.post(
        f"/admin/editorial/pendingchange/{change.pk}/change/",
        {"publish": "1", "confirm": "on", "credentials": "Dana Lee, MD, psychiatrist"},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    change.refresh_from_db()
    return ContactBlock.objects.get(pk=change.object_id)


def test_a_valid_block_is_saved_with_its_phone_in_e164(staff_client):
    response = staff_client.post(
        ADD_URL, form_data(sms_phone="503.555.0124", booking_url="example.org")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not ContactBlock.objects.exists()  # a new block waits for a clinical reviewer
    block = publish_pending(staff_client)
    assert block.phone == "+15035550123"
    assert block.sms_phone == "+15035550124"
    assert block.booking_url == "https://example.org"  # no scheme typed: https assumed
    assert [str(h) for h in block.hours.all()] == ["Monday 09:00 to 17:00"]


INVALID = {
    "phone that is not a number": (
        {"phone": "call us"},
        "“call us” is not a phone number. Write it with its area code, e.g. (503) 555-0123, "
        "or with + and the country code.",
    ),
    "phone with a wrong area code": (
        {"phone": "(123) 456-7890"},
        "“(123) 456-7890” is not a valid phone number: check the area code and the number of "
        "digits.",
    ),
    "phone with too few digits": (
        {"phone": "555-0123"},
        "“555-0123” is not a valid phone number",
    ),
    "phone with an extension": (
        {"phone": "(503) 555-0123 ext. 12"},
        "Leave out the extension (“12”): a phone cannot dial it from a link.",
    ),
    "emergency number as the clinic's phone": (
        {"phone": "911"},
        "“911” is a short service number, not the clinic&#x27;s own line. The crisis box at the "
        "top of every page already gives the emergency and crisis numbers",
    ),
    "crisis line as the text message number": (
        {"sms_phone": "988"},
        "“988” is a short service number, not the clinic&#x27;s own line.",
    ),
    "phone that is only letters and digits": (
        {"phone": "503-CALL-NOW-PLEASE"},
        "is not a valid phone number",
    ),
    "bad text message number": (
        {"sms_phone": "12"},
        "“12” is not a valid phone number",
    ),
    "booking link over http": (
        {"booking_url": "http://example.org/book"},
        "The booking link must start with https:// so that what patients type is sent "
        "securely; “http://example.org/book” does not.",
    ),
    "show until before show from": (
        {"show_from": "2026-06-15", "show_until": "2026-06-01"},
        "The last day shown (June 1, 2026) is before the first day shown (June 15, 2026). "
        "Correct one of the dates.",
    ),
    "closing before opening": (
        {"hours-0-opens": "17:00", "hours-0-closes": "09:00"},
        "Closing time (09:00) must be after opening time (17:00). For a day with a break, add "
        "one row for each part of the day.",
    ),
    "closing at opening": (
        {"hours-0-opens": "09:00", "hours-0-closes": "09:00"},
        "Closing time (09:00) must be after opening time (09:00).",
    ),
    "half an address": (
        {"postal_code": "97201"},
        "An address needs at least the street and the city or town.",
    ),
    "articles chosen for the footer": (
        {"articles": ["ARTICLE"]},
        "Articles can only be chosen for the placement &#x27;End of every article&#x27;.",
    ),
}


@pytest.mark.parametrize("case", INVALID.values(), ids=INVALID.keys())
def test_invalid_input_gets_a_clear_message_and_nothing_is_saved(staff_client, case):
    changes, message = case
    if changes.get("articles") == ["ARTICLE"]:
        changes = {"articles": [str(ArticleFactory().pk)]}
    response = staff_client.post(ADD_URL, form_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Please correct the error" in response.content.decode()
    assert not ContactBlock.objects.exists()
    assert not OpeningHours.objects.exists()
    assert not PendingChange.objects.exists()


def test_the_form_shows_a_stored_number_as_staff_write_it(staff_client):
    block = ContactBlockFactory(phone="+15035550123", sms_phone="+442079460123")
    html = staff_client.get(
        reverse("admin:clinics_contactblock_change", args=[block.pk])
    ).content.decode()
    # A number at home in national format, one abroad with its country code; both dial pads.
    assert 'type="tel" name="phone" value="(503) 555-0123" class="vTextField"' in html
    assert 'type="tel" name="sms_phone" value="+442079460123" class="vTextField"' in html


def test_articles_may_be_chosen_for_the_end_of_articles(staff_client):
    article = ArticleFactory()
    response = staff_client.post(
        ADD_URL, form_data(placement="article_end", articles=[str(article.pk)])
    )
    assert response.status_code == 302
    assert list(publish_pending(staff_client).articles.all()) == [article]


def test_the_list_shows_placement_active_state_and_dates(staff_client):
    ContactBlockFactory(
        name="Spring campaign",
        placement=Placement.HOME,
        show_from="2026-03-01",
        show_until="2026-05-31",
    )
    html = staff_client.get(reverse("admin:clinics_contactblock_changelist")).content.decode()
    for text in ["Spring campaign", "Home page", "March 1, 2026", "May 31, 2026", "Shown today"]:
        assert text in html
    assert 'name="form-0-active"' in html  # can be switched off from the list


def test_unticking_active_in_the_admin_takes_the_block_off_the_site(staff_client):
    public = Client()
    article = ArticleFactory()
    staff_client.post(ADD_URL, form_data(placement="article_end"))
    block = publish_pending(staff_client)
    assert "Example Clinic" in public.get(article.get_absolute_url()).content.decode()
    data = form_data(
        placement="article_end",
        **{
            "hours-INITIAL_FORMS": "1",
            "hours-0-id": str(block.hours.get().pk),
            "hours-0-block": str(block.pk),
            "opened_version": str(block.version),  # the version this form was opened at
        },
    )
    del data["active"]
    response = staff_client.post(
        reverse("admin:clinics_contactblock_change", args=[block.pk]), data
    )
    assert response.status_code == 302
    # At once, with no review: taking a block down never puts new words in front of patients.
    html = public.get(article.get_absolute_url()).content.decode()
    assert "Example Clinic" not in html
    assert 'call <a href="tel:988">988</a> or text <a href="sms:988">988</a>' in html
    assert not PendingChange.objects.filter(state=PendingChange.State.OPEN).exists()
