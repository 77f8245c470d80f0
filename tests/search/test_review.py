"""Synonyms and best bets decide which pages a patient's search finds and in what order: an
editor's change waits for a clinical reviewer, the results page unchanged to the byte, and shows
(through the page cache) once a reviewer publishes it."""

import pytest
from django.test import Client

from ketamine_info.editorial.models import PendingChange
from ketamine_info.glossary.models import Term
from ketamine_info.publishing import Status
from ketamine_info.search.models import BestBet, Synonym
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

DRIP = "/search/?q=drip"


@pytest.fixture
def pages(db):
    ArticleFactory(
        slug="given",
        title="How ketamine is given",
        status=Status.PUBLISHED,
        body="## IV\n\nKetamine can be given as a drip into a vein.",
    )
    return {
        "term": Term.objects.create(
            slug="infusion", term="Infusion", body="Medicine given slowly into a vein."
        )
    }


def publish(client, change):
    return client.post(
        f"/admin/editorial/pendingchange/{change.pk}/change/",
        {"publish": "1", "confirm": "on", "credentials": "Dana Lee, MD, psychiatrist"},
    )


def test_an_editors_best_bet_waits_then_changes_the_order(pages, editor_client, reviewer_client):
    public = Client()
    before = public.get(DRIP).content
    assert b"Recommended" not in before
    response = editor_client.post(
        "/admin/search/bestbet/add/",
        {"query": "drip", "position": 1, "term": pages["term"].pk},
        follow=True,
    )
    assert "waits for a clinical reviewer" in response.content.decode()
    assert public.get(DRIP).content == before
    assert not BestBet.objects.exists()
    change = PendingChange.objects.get()
    assert publish(editor_client, change).status_code == 403
    assert public.get(DRIP).content == before

    # The reviewer is shown the search it changes, with a preview of its results.
    html = reviewer_client.get(f"/admin/editorial/pendingchange/{change.pk}/change/")
    html = html.content.decode()
    assert "Search for “drip”" in html and 'href="/search/?q=drip"' in html
    preview = reviewer_client.get(f"/preview/change/{change.pk}/", {"path": DRIP})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Recommended" in text and text.index("Infusion") < text.index("How ketamine is given")
    assert public.get(DRIP).content == before

    assert publish(reviewer_client, change).status_code == 302
    html = public.get(DRIP).content.decode()  # through the page cache
    assert "Recommended" in html
    assert html.index("Infusion") < html.index("How ketamine is given")


def test_an_editors_change_to_a_best_bet_waits(pages, editor_client, reviewer_client):
    article = ArticleFactory(slug="costs", title="What it costs", status=Status.PUBLISHED)
    bet = BestBet.objects.create(query="drip", term=pages["term"])
    public = Client()
    before = public.get(DRIP).content
    response = editor_client.post(
        f"/admin/search/bestbet/{bet.pk}/change/",
        {
            "query": "drip",
            "position": 1,
            "article": article.pk,
            "opened_version": bet.version,
            "opened_change": "",
        },
    )
    assert response.status_code == 302
    assert public.get(DRIP).content == before
    bet.refresh_from_db()
    assert bet.term_id == pages["term"].pk and bet.article_id is None
    change = PendingChange.objects.get()
    assert change.values == {"article": article.pk, "term": None}
    assert publish(reviewer_client, change).status_code == 302
    html = public.get(DRIP).content.decode()
    assert "Recommended" in html and "Infusion" not in html
    assert html.index("What it costs") < html.index("How ketamine is given")


def test_an_editors_synonym_waits(pages, editor_client, reviewer_client):
    synonym = Synonym.objects.create(key="infusion", term="infusion", variants="iv")
    public = Client()
    before = public.get("/search/?q=zonked").content
    response = editor_client.post(
        f"/admin/search/synonym/{synonym.pk}/change/",
        {
            "term": "infusion",
            "variants": "iv\nzonked",
            "key": "infusion",
            "opened_version": synonym.version,
            "opened_change": "",
        },
    )
    assert response.status_code == 302
    assert public.get("/search/?q=zonked").content == before
    assert set(synonym.phrases.values_list("phrase", flat=True)) == {"iv"}
    change = PendingChange.objects.get()
    assert change.values == {"variants": "iv\nzonked"}
    assert publish(reviewer_client, change).status_code == 302
    assert "Infusion" in public.get("/search/?q=zonked").content.decode()


def test_editors_cannot_delete_what_orders_the_results(pages, editor_client):
    bet = BestBet.objects.create(query="drip", term=pages["term"])
    synonym = Synonym.objects.create(key="infusion", term="infusion", variants="iv")
    assert (
        editor_client.post(f"/admin/search/bestbet/{bet.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert (
        editor_client.post(
            f"/admin/search/synonym/{synonym.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert BestBet.objects.exists() and Synonym.objects.exists()
