"""The reference lists stored with each page follow the registry.

Pages keep their markers numbered by source and their reference list with them (rendered on
save, ``citations/references.py``). Staff change sources and claims without saving the pages that
cite them, so every way such a change reaches patients is tried here, through the admin as
editors and reviewers use it: the new words show on every page that cites them (with the page
cache on, as in production), and not before a reviewer publishes them.
"""

import re

import pytest

from ketamine_info.citations.models import Citation, Claim, Source
from ketamine_info.citations.rerender import rerender_stored_html
from ketamine_info.editorial.models import PendingChange
from ketamine_info.faqs.models import Question
from ketamine_info.figures.models import Figure
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory, CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db

PUBLISH = {"publish": "1", "confirm": "on", "credentials": "Dana Lee, MD"}


@pytest.fixture
def live():
    """A live article, FAQ answer and drawing citing one claim backed by one source."""
    citation = CitationFactory(
        claim__key="fast",
        claim__statement="It can work within hours.",
        source__key="trial-one",
        source__title="The first trial",
        locator="Abstract",
    )
    article = ArticleFactory(
        slug="how",
        title="How it works",
        status=Status.PUBLISHED,
        body="It can act fast.[@fast]\n\n[[figure synapse]]",
    )
    Question.objects.create(
        slug="quick", question="Is it quick?", topic="about", status="published", body="Yes.[@fast]"
    )
    Figure.objects.create(
        key="synapse",
        title="At a synapse",
        body="1. One.[@fast]\n2. Two.\n3. Three.\n4. Four.",
    )
    return {"citation": citation, "claim": citation.claim, "article": article}


def pages(client) -> dict[str, str]:
    return {path: client.get(path).content.decode() for path in ("/learn/how/", "/faq/")}


def publish_the_change(reviewer_client) -> None:
    change = PendingChange.objects.get(state=PendingChange.State.OPEN)
    response = reviewer_client.post(f"/admin/editorial/pendingchange/{change.pk}/change/", PUBLISH)
    assert response.status_code == 302


def source_form(source, **changes):
    return {
        "key": source.key,
        "title": source.title,
        "kind": source.kind,
        "publisher": source.publisher,
        "published": source.published,
        "opened_version": source.version,
        **changes,
    }


def claim_form(claim, citations):
    data = {
        "key": claim.key,
        "statement": claim.statement,
        "opened_version": claim.version,
        "citations-TOTAL_FORMS": len(citations),
        "citations-INITIAL_FORMS": 0,
        "citations-MIN_NUM_FORMS": 0,
        "citations-MAX_NUM_FORMS": 1000,
    }
    for i, (source, locator) in enumerate(citations):
        data[f"citations-{i}-source"] = source.pk
        data[f"citations-{i}-locator"] = locator
        data[f"citations-{i}-position"] = i
    return data


def test_a_source_retitled_shows_on_every_page_once_a_reviewer_publishes_it(
    live, editor_client, reviewer_client, client
):
    source = live["citation"].source
    editor_client.post(
        f"/admin/citations/source/{source.pk}/change/",
        source_form(source, title="The first trial, final report"),
    )
    for path, html in pages(client).items():  # waiting for review: the live title stays
        assert "The first trial<" in html and "final report" not in html, path
    publish_the_change(reviewer_client)
    for path, html in pages(client).items():
        assert "The first trial, final report<" in html, path
    # On the article, in its list and under its drawing.
    assert pages(client)["/learn/how/"].count("The first trial, final report<") == 2


def test_a_claim_restated_shows_on_every_page_once_a_reviewer_publishes_it(
    live, editor_client, reviewer_client, client
):
    claim = live["claim"]
    data = claim_form(claim, [(live["citation"].source, "Abstract")])
    data["statement"] = "It can work within a day."
    editor_client.post(f"/admin/citations/claim/{claim.pk}/change/", data)
    change = PendingChange.objects.get()
    preview = reviewer_client.get(f"/preview/change/{change.pk}/?path=/learn/how/")
    assert "It can work within a day." in preview.content.decode()
    for path, html in pages(client).items():
        assert "within hours" in html and "within a day" not in html, path
    publish_the_change(reviewer_client)
    for path, html in pages(client).items():
        assert "It can work within a day." in html and "within hours" not in html, path


def test_a_claim_backed_by_other_sources_is_numbered_again_on_every_page(
    live, editor_client, reviewer_client, client
):
    """Two claims from one source share a number; when one of them moves to two other sources,
    the page's numbers and its list follow, as if the page had been saved again."""
    claim = live["claim"]
    CitationFactory(
        claim__key="safe", claim__statement="It is mostly safe.", source=live["citation"].source
    )
    article = live["article"]
    article.body = "Fast.[@fast] Safe.[@safe]"
    article.save()
    html = client.get("/learn/how/").content.decode()
    assert "(1 source)" in html and 'href="#ref-2"' not in html
    second, third = SourceFactory(title="Second study"), SourceFactory(title="Third study")
    editor_client.post(
        f"/admin/citations/claim/{claim.pk}/change/",
        claim_form(claim, [(second, "Table 1"), (third, "Figure 2")]),
    )
    publish_the_change(reviewer_client)
    html = client.get("/learn/how/").content.decode()
    assert "(3 sources)" in html
    assert re.search(r'href="#ref-1"[^>]*>\[1\]</a><a [^>]*href="#ref-2"[^>]*>\[2\]</a>', html)
    assert "Second study" in html and "Third study" in html and "Table 1." in html
    assert Citation.objects.filter(claim=claim, source=live["citation"].source).count() == 0


def test_a_draft_keeps_its_list_when_a_claim_it_cites_is_deleted(live, staff_client):
    CitationFactory(claim__key="unused", claim__statement="Not yet used live.")
    draft = ArticleFactory(slug="draft", status=Status.DRAFT, body="Soon.[@unused]")
    Claim.objects.get(key="unused").delete()
    html = staff_client.get("/preview/learn/draft/").content.decode()
    assert "No source is recorded for this yet." in html
    draft.refresh_from_db()
    assert draft.reference_count == 1


def test_a_source_given_a_new_key_is_linked_at_its_new_address(live, staff_client, client):
    source = Source.objects.get(key="trial-one")
    source.key = "trial-one-renamed"
    source.save()  # a source no live page cites yet may change at once; here, as the operator
    assert 'href="/sources/trial-one-renamed/"' in client.get("/learn/how/").content.decode()


def test_what_is_stored_after_a_load_is_what_a_render_gives(shipped_content):
    """The loader saves sources and claims before the pages that cite them: nothing it leaves
    is out of step with the registry, or with the renderer."""
    assert rerender_stored_html() == 0
