"""A reviewer previews a change waiting for review on the public pages it touches: built in
memory and shown by the public view, behind the one preview rule, leaving the database, the
signals and the public cache alone."""

import pytest
from django.db.models import signals
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from ketamine_info.caching import page_cache
from ketamine_info.citations.page_check import check_page, claim_sources
from ketamine_info.editorial import review
from ketamine_info.editorial.models import PendingChange
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory, CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    citation = CitationFactory(
        claim__key="fast", claim__statement="It can work within hours.", source__title="Trial A"
    )
    article = ArticleFactory(
        slug="how", title="How it works", status=Status.PUBLISHED, body="It is fast.[@fast]"
    )
    return {"claim": citation.claim, "source": citation.source, "article": article}


def preview(client, change, path):
    return client.get(f"/preview/change/{change.pk}/", {"path": path})


def test_a_reviewer_without_a_confirmed_second_factor_is_refused(live, reviewer, editor):
    change = review.propose(
        type(live["article"]), {"body": "It is quick.[@fast]"}, live=live["article"], author=editor
    )
    client = Client()
    client.force_login(reviewer)
    # Logged in with the password alone: the second factor not passed (or not set up).
    session = client.session
    del session[DEVICE_ID_SESSION_KEY]
    session.save()
    response = preview(client, change, "/learn/how/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "It is quick" not in response.content.decode()


def test_staff_without_the_change_permission_are_not_told_it_exists(
    live, editor, django_user_model
):
    change = review.propose(
        type(live["article"]), {"body": "It is quick.[@fast]"}, live=live["article"], author=editor
    )
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    client = Client()
    client.force_login(viewer)
    assert preview(client, change, "/learn/how/").status_code == 404


def test_a_claims_new_source_shows_in_the_preview_only(live, editor, reviewer_client, client):
    other = SourceFactory(key="trial-b", title="Trial B")
    claim = live["claim"]
    change = review.propose(
        type(claim),
        {"citations": [{"source": other.pk, "locator": "Table 2", "excerpt": ""}]},
        live=claim,
        author=editor,
    )
    response = preview(reviewer_client, change, "/learn/how/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Trial B" in html and "Table 2" in html and "Trial A" not in html
    assert "Preview of a change waiting for review" in html
    assert '<meta name="robots" content="noindex">' in html
    assert (
        response["X-Robots-Tag"] == "noindex, nofollow" and "no-store" in response["Cache-Control"]
    )
    # Its numbers lead to the proposed source: the page is checked against the change.
    sources = {**claim_sources(), "fast": {"trial-b"}}
    assert not check_page(html, sources).problems
    public = client.get("/learn/how/").content.decode()
    assert "Trial A" in public and "Trial B" not in public


def test_a_preview_saves_nothing_sends_no_signal_and_leaves_the_public_cache(
    live, editor, reviewer_client, client, monkeypatch
):
    article = live["article"]
    change = review.propose(
        type(article), {"body": "It is quick.[@fast]"}, live=article, author=editor
    )
    before = client.get("/learn/how/").content  # now in the page cache
    sent, bumps = [], []
    for signal in (signals.pre_save, signals.post_save, signals.pre_delete, signals.post_delete):
        signal.connect(lambda sender, **kw: sent.append(sender), weak=False, dispatch_uid="spy")
    monkeypatch.setattr(page_cache, "bump_generation", lambda *a, **k: bumps.append(1))
    try:
        response = preview(reviewer_client, change, "/learn/how/")
    finally:
        for signal in (
            signals.pre_save,
            signals.post_save,
            signals.pre_delete,
            signals.post_delete,
        ):
            signal.disconnect(dispatch_uid="spy")
    html = response.content.decode()
    assert "It is quick." in html and html.count('class="preview-banner"') == 1
    # Only the request's own bookkeeping (the staff session) may be saved; no content.
    assert {s._meta.label for s in sent} <= {"sessions.Session"}, sent
    assert not bumps
    assert client.get("/learn/how/").content == before
    article.refresh_from_db()
    assert "It is fast." in article.body_html
    assert PendingChange.objects.get().state == PendingChange.State.OPEN


def test_a_page_that_cannot_show_the_change_is_not_passed_off_as_its_preview(
    live, editor, reviewer_client
):
    """The home page lists articles from the database: it would show the live title under a
    preview banner, so it is refused rather than shown as the change."""
    article = live["article"]
    change = review.propose(type(article), {"title": "How it acts"}, live=article, author=editor)
    assert "How it acts" in preview(reviewer_client, change, "/learn/how/").content.decode()
    assert preview(reviewer_client, change, "/").status_code == 404
