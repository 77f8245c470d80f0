"""Staff edit comparisons in the admin; a text whose cells do not match the options is refused."""

import pytest
from django.urls import reverse

from ketamine_info.citations.models import Citation, Claim, Source
from ketamine_info.decisions.models import Comparison

pytestmark = pytest.mark.django_db

GOOD_BODY = (
    "Intro.[@fact]\n\n## How well does it work?\n\n### Pills\n\nSome.[@fact]\n\n"
    "[[icons 30: about 30 out of 100]]\n\n### Talking\n\nNo comparable number.[@fact]\n"
)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "b@example.org", "pw-long-enough")
    client.force_login(user)
    source = Source.objects.create(key="src", title="A source", kind="trial", publisher="J")
    claim = Claim.objects.create(key="fact", statement="A fact.")
    Citation.objects.create(claim=claim, source=source)
    return client


def post(client, body):
    return client.post(
        reverse("admin:decisions_comparison_add"),
        {
            "title": "Compare",
            "slug": "compare-test",
            "summary": "Two options.",
            "options": "Pills\r\nTalking",
            "body": body,
        },
    )


def test_a_new_comparison_waits_for_a_reviewer_then_is_public(staff_client, client):
    from ketamine_info.editorial import review
    from ketamine_info.editorial.models import PendingChange

    response = post(staff_client, GOOD_BODY)
    assert response.status_code == 302, response.content.decode()[:2000]
    # Public as soon as it exists, so even a new one waits for a clinical reviewer.
    assert not Comparison.objects.exists()
    assert client.get("/compare/compare-test/").status_code == 404
    change = PendingChange.objects.get()
    staff = change.author
    review.publish(change, staff, confirmed=True, credentials="Dana Lee, MD, psychiatrist")
    comparison = Comparison.objects.get(slug="compare-test")
    assert comparison.option_list == ["Pills", "Talking"]
    page = staff_client.get("/compare/compare-test/").content.decode()
    assert page.count('class="icon-on"') == 30


def test_cells_that_do_not_match_the_options_are_refused(staff_client):
    response = post(staff_client, GOOD_BODY.replace("### Talking", "### Therapy"))
    assert response.status_code == 200
    assert "it needs exactly" in response.content.decode()
    assert not Comparison.objects.exists()
