"""What a patient can reach, fetched as a browser gets it: no verification notes, no made-up
clinic, the corrected facts on the pages with their references."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.test import Client

from ketamine_info.citations.models import Claim, Source
from ketamine_info.clinics.models import ContactBlock
from tests.factories import ArticleFactory, CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db

NOTE_WORDS = re.compile(r"\b(stored|copy|copies|proxy|corpus|scribd)\b|not given in the copy", re.I)
# What the shipped example block would show: a fictional 555 number, address, booking link.
FICTION = [
    "Example Clinic",
    "Exampleville",
    "example.org/book",
    "hello@example.org",
    "555-01",
    "+1503555",
    "Text us",
]


def public_pages(client) -> dict[str, str]:
    sitemap = client.get("/sitemap.xml").content.decode()
    paths = [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    assert len(paths) > 50, "the sitemap should list every public page"
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content.decode()
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    pages["404"] = missing.content.decode()
    return pages


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_every_public_page_and_the_404_after_a_fresh_load(shipped_content, client):
    """One walk over the whole public site (it is slow): no verification notes, no staff-only
    note, no made-up clinic, none of the wording the medical review found wrong."""
    pages = public_pages(client)
    staff_notes = [s.staff_notes for s in Source.objects.exclude(staff_notes="")]
    assert len(staff_notes) == Source.objects.count(), "every source keeps a verification note"
    assert not ContactBlock.objects.shown().exists(), "the example clinic ships switched off"
    for path, html in pages.items():
        found = NOTE_WORDS.findall(text_of(html))
        assert not found, f"{path} shows verification words {found}"
        for note in staff_notes:
            assert note not in html and note not in unescape(html), f"{path} shows a staff note"
        for detail in FICTION:
            assert detail not in html, f"{path} shows {detail!r}"
        assert "MedicalClinic" not in html, path
        for old in [
            "one to two weeks",
            "1\N{EN DASH}2 weeks",
            "week or two",
            "for fun",
            "a few hours",
        ]:
            assert old not in html, f"{path} still says {old!r}"
    works = pages["/learn/how-ketamine-works/"]
    description = re.search(r'<meta name="description" content="([^"]*)"', works).group(1)
    assert "for some people" in description and "often briefly" in description


def test_staff_notes_stay_off_source_pages_reference_lists_and_json_ld(client):
    source = SourceFactory(
        key="with-secret",
        notes="A small trial in 18 people.",
        staff_notes="STAFF-ONLY-7f3a read on a stored copy",
    )
    claim = CitationFactory(source=source).claim
    article = ArticleFactory(slug="uses-it", body=f"Text.[@{claim.key}]")
    for path in [article.get_absolute_url(), source.get_absolute_url(), "/sources/", "/"]:
        html = Client().get(path).content.decode()
        assert "STAFF-ONLY-7f3a" not in html, path
    source_page = client.get(source.get_absolute_url()).content.decode()
    assert "A small trial in 18 people." in source_page  # the public description does show


CORRECTED = {
    "/learn/how-ketamine-is-given/": [
        ("faded within days to about a week", "ketamine-single-dose-effect-fades"),
        (
            "only one, called TRANSFORM-2, clearly met its main goal",
            "esketamine-short-term-trials-mixed",
        ),
        ("about 69 in 100 people who used esketamine", "esketamine-transform2-response"),
        ("pulse oximeter", "esketamine-rems-pulse-oximetry"),
        ("In October 2023, the FDA warned", "fda-warning-compounded-ketamine-2023"),
        ("good practice is for trained staff", "ketamine-vital-signs-monitored"),
    ],
    "/learn/how-ketamine-works/": [
        ("faded within days to about a week", "ketamine-single-dose-effect-fades"),
    ],
    "/learn/side-effects-and-risks/": [
        ("slowed breathing (respiratory depression)", "spravato-boxed-warning"),
        ("pulse oximeter", "esketamine-rems-pulse-oximetry"),
    ],
    "/learn/what-to-expect/": [
        ("Good practice is for staff to check", "ketamine-vital-signs-monitored"),
        ("Clinics do things in different ways.", "clinics-describe-their-own-practice"),
    ],
}


@pytest.mark.parametrize("path", CORRECTED)
def test_the_corrected_facts_are_on_the_pages_and_cited(shipped_content, client, path):
    html = client.get(path).content.decode()
    for words, _key in CORRECTED[path]:
        paragraph = next((p for p in re.findall(r"<p>.*?</p>", html, re.S) if words in p), "")
        assert paragraph, f"{path}: {words!r} missing"
        assert 'class="claim-marker"' in paragraph or "#ref-" in paragraph, (path, words)
    refs = html[html.index('class="references"') :]
    for claim_key in (key for _, key in CORRECTED[path]):
        assert Claim.objects.get(key=claim_key).statement in unescape(refs), (path, claim_key)
