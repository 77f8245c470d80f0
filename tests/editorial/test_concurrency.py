"""No lost updates: a save based on an older version is refused, and nothing typed is lost."""

import re

import pytest
from django.test import Client

from ketamine_info.articles.models import Article
from ketamine_info.citations.models import Claim
from ketamine_info.clinics.models import ContactBlock
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory, CitationFactory, ContactBlockFactory

pytestmark = pytest.mark.django_db


def article_data(article, opened_version, **changes):
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "topic": article.topic,
        "position": article.position,
        "body": article.body,
        "status": article.status,
        "opened_version": opened_version,
        **changes,
    }


@pytest.fixture
def two_staff(django_user_model):
    clients = []
    for name, first in (("alex", "Alex"), ("blair", "Blair")):
        user = django_user_model.objects.create_superuser(
            name, f"{name}@example.org", "pw", first_name=first
        )
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_version_goes_up_on_every_save():
    article = ArticleFactory()
    assert article.version == 1
    article.save()
    article.save()
    assert Article.objects.get().version == 3


def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_its_text(two_staff):
    alex, blair = two_staff
    article = ArticleFactory(status=Status.DRAFT, body="Original text.")
    url = f"/admin/articles/article/{article.pk}/change/"
    opened = article.version
    assert f'name="opened_version" value="{opened}"' in alex.get(url).content.decode()

    first = alex.post(url, article_data(article, opened, body="Alex's text."))
    assert first.status_code == 302
    second = blair.post(url, article_data(article, opened, body="Blair's careful text."))
    assert second.status_code == 200
    html = second.content.decode()
    assert "Alex saved this page at" in html
    assert "since you opened it. Your text is still below" in html
    assert "Blair&#x27;s careful text." in html  # nothing Blair typed is lost
    assert Article.objects.get().body == "Alex's text."

    # The link shows what Alex changed since Blair opened the page.
    # It opens in a new tab, so the text kept in this form is not lost.
    link = re.search(
        r'<a href="([^"]+/history/compare/\?old=\d+&amp;new=\d+)" target="_blank"[^>]*>compare',
        html,
    )
    assert link
    diff = blair.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "<del>Original</del><ins>Alex&#x27;s</ins>" in diff

    # Having compared, Blair may save again: the form now carries the newer version.
    assert f'name="opened_version" value="{opened + 1}"' in html
    third = blair.post(url, article_data(article, opened + 1, body="Blair's careful text."))
    assert third.status_code == 302
    assert Article.objects.get().body == "Blair's careful text."


def test_a_post_without_a_version_is_refused(staff_client):
    article = ArticleFactory(status=Status.DRAFT, body="Original text.")
    data = article_data(article, "", body="Changed.")
    response = staff_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 200
    assert Article.objects.get().body == "Original text."


def test_stale_claim_save_is_refused(staff_client):
    claim = CitationFactory(claim__statement="Old statement.").claim
    citation = claim.citations.get()
    opened = claim.version
    Claim.objects.get().save()  # a colleague saved meanwhile
    response = staff_client.post(
        f"/admin/citations/claim/{claim.pk}/change/",
        {
            "key": claim.key,
            "statement": "My statement.",
            "opened_version": opened,
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "1",
            "citations-0-id": citation.pk,
            "citations-0-claim": claim.pk,
            "citations-0-source": citation.source.pk,
            "citations-0-locator": citation.locator,
            "citations-0-position": 0,
        },
    )
    assert response.status_code == 200
    assert "since you opened it" in response.content.decode()
    assert Claim.objects.get().statement == "Old statement."


def test_stale_source_save_is_refused(staff_client):
    source = CitationFactory().source
    opened = source.version
    source.save()
    response = staff_client.post(
        f"/admin/citations/source/{source.pk}/change/",
        {
            "key": source.key,
            "title": "Changed title",
            "kind": source.kind,
            "publisher": source.publisher,
            "opened_version": opened,
        },
    )
    assert response.status_code == 200
    assert "since you opened it" in response.content.decode()


def test_stale_contact_block_save_is_refused(staff_client):
    block = ContactBlockFactory()
    opened = block.version
    block.save()
    response = staff_client.post(
        f"/admin/clinics/contactblock/{block.pk}/change/",
        {
            "name": block.name,
            "key": block.key,
            "placement": block.placement,
            "heading": "Changed heading",
            "clinic_name": block.clinic_name,
            "phone": "(503) 555-0123",
            "country": "US",
            "position": 0,
            "active": "on",
            "opened_version": opened,
            "hours-TOTAL_FORMS": "0",
            "hours-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "since you opened it" in response.content.decode()
    assert ContactBlock.objects.get().heading == block.heading
