"""A body is rendered once per save: the renderer's one pass gives the stored HTML, the numbers
by source and the reference list, so nothing renders it a second time or rewrites its HTML."""

import pytest

from ketamine_info import markup
from ketamine_info.editorial.models import PendingChange
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory, CitationFactory, article_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """How many times Markdown is rendered (a bounded render counts once: it runs in a child)."""
    calls = []
    render, render_bounded = markup.render, markup.render_bounded

    def counted(*args, **kwargs):
        calls.append("render")
        return render(*args, **kwargs)

    def counted_bounded(*args, **kwargs):
        calls.append("bounded")
        return render_bounded(*args, **kwargs)

    monkeypatch.setattr(markup, "render", counted)
    monkeypatch.setattr(markup, "render_bounded", counted_bounded)
    return calls


@pytest.fixture
def draft():
    CitationFactory(claim__key="fast", source__key="trial-one")
    return ArticleFactory(slug="how", status=Status.DRAFT, body="It can act fast.[@fast]")


def test_an_admin_save_renders_the_body_once(staff_client, draft, renders, record_property):
    data = article_form_data(draft, body="It can act within hours.[@fast]")
    response = staff_client.post(f"/admin/articles/article/{draft.pk}/change/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert "within hours" in draft.body_html
    record_property("figure", f"renders per admin save of an article: {len(renders)}")
    assert len(renders) == 1


def test_a_save_in_code_renders_the_body_once(draft, renders):
    draft.body = "It can act within hours.[@fast]"
    draft.save()
    assert len(renders) == 1


def test_publishing_a_change_renders_the_body_once(staff_client, renders, record_property):
    from ketamine_info.editorial import review

    CitationFactory(claim__key="fast", source__key="trial-one")
    live = ArticleFactory(slug="how", status=Status.PUBLISHED, body="It can act fast.[@fast]")
    data = article_form_data(live, body="It can act within hours.[@fast]")
    assert staff_client.post(f"/admin/articles/article/{live.pk}/change/", data).status_code == 302
    change = PendingChange.objects.get()
    renders.clear()
    review.publish(change, change.author, confirmed=True, credentials="Dana Lee, MD")
    record_property("figure", f"renders per publish of an article's change: {len(renders)}")
    assert len(renders) == 1


def test_publishing_a_claims_new_sources_renders_each_citing_page_once(
    staff_client, renders, record_property
):
    """The claim and each of its citations are saved, and each save asks for the pages citing
    the claim to be rendered again: they are, once, when the publish ends."""
    from ketamine_info.citations.models import Claim
    from ketamine_info.editorial import review
    from tests.factories import SourceFactory

    CitationFactory(claim__key="fast", source__key="trial-one")
    pages = [
        ArticleFactory(slug=f"page-{n}", status=Status.PUBLISHED, body="It is fast.[@fast]")
        for n in range(3)
    ]
    claim = Claim.objects.get(key="fast")
    sources = [SourceFactory(key=f"trial-{n}") for n in ("two", "three")]
    old = list(claim.citations.values("source", "locator", "excerpt"))
    new = [{"source": s.pk, "locator": "", "excerpt": ""} for s in sources]
    change = review.propose(Claim, {"citations": old + new}, live=claim, author=None)
    renders.clear()
    user = type(claim)._meta.apps.get_model("auth", "User").objects.get(username="staff")
    review.publish(change, user, confirmed=True, credentials="Dana Lee, MD")
    record_property("figure", f"renders per publish of a claim cited by 3 pages: {len(renders)}")
    assert len(renders) == len(pages)
    for page in pages:
        page.refresh_from_db()
        assert page.reference_count == 3
