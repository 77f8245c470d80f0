"""{% contact_blocks %} on the pages: what patients see, the JSON-LD, and what never breaks."""

import datetime as dt
import json
import logging
import re

import pytest
from django.template import Context, Template

from ketamine_info.clinics.models import ContactBlock, Day, Placement
from ketamine_info.clinics.templatetags import clinics as clinics_tags
from tests.factories import ArticleFactory, ContactBlockFactory, OpeningHoursFactory

pytestmark = pytest.mark.django_db

CRISIS = 'call <a href="tel:988">988</a> or text <a href="sms:988">988</a>'
JSON_LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def clinics_in(html):
    return [
        data
        for data in map(json.loads, JSON_LD_RE.findall(html))
        if data["@type"] == "MedicalClinic"
    ]


@pytest.fixture
def full_block():
    block = ContactBlockFactory(
        key="main",
        placement=Placement.ARTICLE_END,
        heading="Questions? Talk to us",
        clinic_name="Example Clinic",
        body="We answer **every** call.<script>alert(1)</script>",
        phone="(503) 555-0123",
        sms_phone="503-555-0124",
        email="hello@example.org",
        booking_url="https://example.org/book",
        street_address="100 Example Street",
        locality="Exampleville",
        region="OR",
        postal_code="00000",
    )
    block.full_clean()  # normalizes the phone numbers, as the admin and the loader do
    block.save()
    OpeningHoursFactory(block=block, day=Day.MONDAY, opens=dt.time(9), closes=dt.time(12))
    OpeningHoursFactory(block=block, day=Day.MONDAY, opens=dt.time(13), closes=dt.time(17, 30))
    OpeningHoursFactory(block=block, day=Day.FRIDAY, opens=dt.time(8), closes=dt.time(13))
    return block


def test_an_article_shows_its_block_with_links_that_work_on_a_phone(client, full_block):
    article = ArticleFactory()
    html = page(client, article.get_absolute_url())
    assert '<h2 id="contact-article_end-main">Questions? Talk to us</h2>' in html
    assert '<a href="tel:+15035550123">(503) 555-0123</a>' in html
    assert 'Text the clinic</span> <a href="sms:+15035550124">(503) 555-0124</a>' in html
    assert '<a href="mailto:hello@example.org">hello@example.org</a>' in html
    assert '<a href="https://example.org/book">Book an appointment' in html
    assert "<address>\n    100 Example Street<br>\n    Exampleville, OR 00000\n  </address>" in html
    assert "We answer <strong>every</strong> call." in html
    assert "<script>alert(1)" not in html  # the body goes through the shared sanitizer
    assert re.search(
        r"Monday</th>\s*<td><time datetime=\"09:00\">9 a.m.</time> to "
        r"<time datetime=\"12:00\">noon</time>, <time datetime=\"13:00\">1 p.m.</time>"
        r" to <time datetime=\"17:30\">5:30 p.m.</time></td>",
        html,
    )
    assert re.search(r"Tuesday</th>\s*<td>Closed</td>", html)
    # After the crisis help at the top.
    assert html.index('class="crisis crisis-top"') < html.index("contact-block")


def test_each_block_is_described_as_a_medical_clinic(client, full_block):
    html = page(client, ArticleFactory().get_absolute_url())
    assert clinics_in(html) == [
        {
            "@context": "https://schema.org",
            "@type": "MedicalClinic",
            "name": "Example Clinic",
            "telephone": "+15035550123",
            "url": "https://example.org/book",
            "email": "hello@example.org",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": "100 Example Street",
                "addressLocality": "Exampleville",
                "addressRegion": "OR",
                "postalCode": "00000",
                "addressCountry": "US",
            },
            "openingHoursSpecification": [
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": "Monday",
                    "opens": "09:00",
                    "closes": "12:00",
                },
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": "Monday",
                    "opens": "13:00",
                    "closes": "17:30",
                },
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": "Friday",
                    "opens": "08:00",
                    "closes": "13:00",
                },
            ],
        }
    ]


def test_without_a_booking_link_the_clinic_url_is_the_site(client, settings):
    ContactBlockFactory(placement=Placement.HOME)
    (clinic,) = clinics_in(page(client, "/"))
    assert clinic["url"] == "https://ketamine.example.org/"
    assert "address" not in clinic and "openingHoursSpecification" not in clinic


def test_a_hostile_clinic_name_stays_inside_the_json(client):
    hostile = 'Evil </script><script>alert(1)</script> & "Co" <!--'
    ContactBlockFactory(placement=Placement.FOOTER, clinic_name=hostile, heading=hostile)
    html = page(client, "/")
    assert "<script>alert(1)" not in html
    (clinic,) = clinics_in(html)
    assert clinic["name"] == hostile
    assert html.count("<script") == html.count('<script type="application/ld+json">')


@pytest.mark.parametrize("placement", Placement.values)
def test_no_block_means_no_box_at_all(client, placement):
    ContactBlockFactory(placement=placement, active=False)
    article = ArticleFactory()
    for path in ["/", article.get_absolute_url()]:
        html = page(client, path)
        assert "contact-block" not in html
        assert "MedicalClinic" not in html
        assert CRISIS in html


def test_the_tag_renders_an_empty_string_for_no_blocks():
    template = Template('{% load clinics %}[{% contact_blocks "faq" %}]')
    assert template.render(Context()) == "[]"


def test_blocks_appear_where_they_are_placed(client):
    article = ArticleFactory()
    for placement in Placement.values:
        ContactBlockFactory(placement=placement, heading=f"Heading {placement}")
    home = page(client, "/")
    assert "Heading home" in home and "Heading footer" in home
    assert "Heading article_end" not in home
    article_page = page(client, article.get_absolute_url())
    assert "Heading article_end" in article_page and "Heading footer" in article_page
    assert "Heading home" not in article_page
    faq = Template('{% load clinics %}{% contact_blocks "faq" %}').render(Context())
    assert "Heading faq" in faq and "Heading footer" not in faq


def test_the_crisis_box_comes_before_the_footer_block_and_stays(client):
    # Nothing comes between a reader and crisis help (issue 13): it leads the footer.
    ContactBlockFactory(placement=Placement.FOOTER)
    html = page(client, "/sources/")
    footer = html[html.index('<footer class="site-footer">') :]
    assert footer.index("crisis-heading-footer") < footer.index("contact-block")
    assert CRISIS in footer
    # And at the top of the page, before any block.
    assert html.index('class="crisis crisis-top"') < html.index("contact-block")


def test_a_published_edit_shows_on_the_next_request(
    client, reviewer, django_capture_on_commit_callbacks
):
    from ketamine_info.editorial import review

    def publish(**values):
        change = review.propose(ContactBlock, values, live=block)
        with django_capture_on_commit_callbacks(execute=True):
            review.publish(change, reviewer, confirmed=True, credentials="Dana Lee, MD")
        block.refresh_from_db()

    block = ContactBlockFactory(placement=Placement.FOOTER, heading="Old heading")
    assert "Old heading" in page(client, "/")
    publish(heading="New heading", phone="+15035550199")
    html = page(client, "/")
    assert "New heading" in html and "Old heading" not in html
    assert '<a href="tel:+15035550199">(503) 555-0199</a>' in html
    publish(active=False)
    html = page(client, "/")
    assert "New heading" not in html
    assert CRISIS in html


def test_a_failure_is_logged_and_the_page_is_served_without_blocks(client, monkeypatch, caplog):
    ContactBlockFactory(placement=Placement.FOOTER, heading="Shown normally")

    def broken(*args, **kwargs):
        raise RuntimeError("database is having a bad day")

    with monkeypatch.context() as patch:
        patch.setattr(clinics_tags, "VisibleBlocks", broken)
        with caplog.at_level(logging.ERROR, logger="ketamine_info.clinics.templatetags.clinics"):
            html = page(client, "/")
    assert "Shown normally" not in html
    assert CRISIS in html
    assert "could not show the blocks for 'footer'" in caplog.text
    assert "database is having a bad day" in caplog.text
    # The page without its blocks was not kept in the page cache: they are back at once.
    assert "Shown normally" in page(client, "/")


def test_an_unknown_placement_is_logged_and_renders_nothing(caplog):
    ContactBlockFactory(placement=Placement.FOOTER)
    with caplog.at_level(logging.ERROR):
        html = Template('{% load clinics %}{% contact_blocks "sidebar" %}').render(Context())
    assert html == ""
    assert "unknown placement 'sidebar'" in caplog.text


def test_a_number_abroad_is_shown_in_international_format(client):
    ContactBlockFactory(placement=Placement.FOOTER, phone="+442079460123")
    assert '<a href="tel:+442079460123">+44 20 7946 0123</a>' in page(client, "/")
