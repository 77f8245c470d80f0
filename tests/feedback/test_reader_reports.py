"""Readers say whether a page helped and report mistakes: a plain form on every public page that
sets no cookie, checked by Origin, with a honeypot and a per-address limit; staff read the
reports on the review dashboard and on the page's review screens."""

import pytest
from django.test import override_settings

from ketamine_info.caching.page_cache import _read_generation
from ketamine_info.feedback.models import MESSAGE_MAX, Report
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SEND = "/feedback/"
ORIGIN = "http://testserver"


def send(client, origin=ORIGIN, **data):
    data = {"page": "/learn/basics/", "helped": "no", "message": "", "website": "", **data}
    headers = {"HTTP_ORIGIN": origin} if origin is not None else {}
    return client.post(SEND, data, **headers)


@pytest.fixture
def article(db):
    return ArticleFactory(title="Ketamine basics", slug="basics", status=Status.PUBLISHED)


def test_every_public_page_carries_the_form_without_a_cookie_or_vary(client, article):
    for url in ("/", article.get_absolute_url(), "/faq/", "/glossary/", "/no-such-page/"):
        response = client.get(url)
        html = response.content.decode()
        assert 'action="/feedback/"' in html, url
        assert "Did this page help?" in html and "Report a mistake" in html
        assert f'name="page" value="{url}"' in html
        assert "csrfmiddlewaretoken" not in html
        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", ""), url


def test_the_page_is_still_served_from_the_cache(client, article):
    url = article.get_absolute_url()
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 0


def test_a_report_is_stored_and_thanks_the_reader_with_the_crisis_line(client, article):
    generation = _read_generation()
    response = send(client, page=article.get_absolute_url(), message="The dose is wrong.")
    assert response.status_code == 303
    assert response["Location"] == "/feedback/thanks/?page=%2Flearn%2Fbasics%2F"
    assert not response.cookies
    report = Report.objects.get()
    assert report.page == "/learn/basics/" and report.helped == "no"
    assert report.message == "The dose is wrong."
    # The address is not kept: only a keyed hash of it and the day.
    assert "127.0.0.1" not in report.sender and len(report.sender) == 64
    # A report changes no page: the page cache keeps what it has.
    assert _read_generation() == generation
    thanks = client.get(response["Location"])
    html = thanks.content.decode()
    assert thanks.status_code == 200 and "Thank you" in html
    assert 'href="tel:988"' in html and 'href="/learn/basics/"' in html
    assert not thanks.cookies


def test_the_origin_must_be_this_site(client):
    assert send(client, origin=None).status_code == 403
    assert send(client, origin="https://evil.example").status_code == 403
    assert send(client, origin="null").status_code == 403
    assert not Report.objects.exists()
    # SITE_URL (behind a proxy the Host may differ) is this site too.
    assert send(client, origin="https://ketamine.example.org").status_code == 303


def test_a_robot_filling_the_hidden_field_is_thanked_and_nothing_is_stored(client):
    response = send(client, website="http://spam.example", message="Buy now")
    assert response.status_code == 303
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "data, error",
    [
        ({"helped": "", "message": ""}, "Choose Yes or No"),
        ({"message": "x" * (MESSAGE_MAX + 1)}, "at most 1000 characters"),
        ({"helped": "maybe"}, "Select a valid choice"),
        ({"page": "https://evil.example/"}, "not about a page of this site"),
        ({"page": "//evil.example/"}, "not about a page of this site"),
    ],
)
def test_bad_input_is_refused_clearly_and_changes_nothing(client, data, error):
    response = send(client, **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html and 'href="tel:988"' in html
    assert not Report.objects.exists()


def test_a_refused_report_keeps_the_words_typed(client):
    html = send(client, message="Typo in the second paragraph", helped="maybe").content.decode()
    assert ">Typo in the second paragraph</textarea>" in html


@override_settings(FEEDBACK_PER_ADDRESS_PER_HOUR=3)
def test_reports_are_limited_per_address(client):
    for _ in range(3):
        assert send(client).status_code == 303
    refused = send(client)
    assert refused.status_code == 429 and "try again later" in refused.content.decode()
    assert Report.objects.count() == 3
    # Another address is not held back by this one.
    other = client.post(
        SEND,
        {"page": "/", "helped": "yes"},
        HTTP_ORIGIN=ORIGIN,
        REMOTE_ADDR="10.1.2.3",
    )
    assert other.status_code == 303 and Report.objects.count() == 4


def test_get_is_not_a_way_in(client):
    assert client.get(SEND).status_code == 405


def test_reports_reach_the_dashboard_and_the_review_screen(client, editor_client, article):
    send(client, page=article.get_absolute_url(), message="Step 3 is out of date.")
    send(client, page="/faq/", helped="yes")
    dashboard = editor_client.get("/admin/review-dashboard/").content.decode()
    section = dashboard[dashboard.index('id="reader-reports"') :]
    assert "Step 3 is out of date." in section and "/learn/basics/" in section
    assert "not yet dealt with (2)" in dashboard
    screen = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "What readers reported about this page (1)" in screen
    assert "Step 3 is out of date." in screen


def test_staff_tick_reports_off_but_cannot_edit_or_invent_them(client, editor_client):
    send(client, message="Broken link")
    report = Report.objects.get()
    url = f"/admin/feedback/report/{report.pk}/change/"
    generation = _read_generation()
    editor_client.post(url, {"dealt_with": "on", "message": "edited", "page": "/x/"})
    report.refresh_from_db()
    assert report.dealt_with and report.message == "Broken link" and report.page == "/learn/basics/"
    assert _read_generation() == generation
    assert editor_client.get("/admin/feedback/report/add/").status_code == 403
    dashboard = editor_client.get("/admin/review-dashboard/").content.decode()
    assert "No reader report is waiting." in dashboard
