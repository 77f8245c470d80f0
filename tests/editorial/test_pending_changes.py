"""Changes to live content wait for a clinical reviewer: the live text stays until one publishes.

Through the admin as staff use it: an editor's change form, the reviewer's screen (diff,
affected pages, preview, publish or send back), and the refusals, with the database unchanged.
"""

import datetime as dt

import pytest
from django.utils import timezone

from ketamine_info.citations.models import Citation, Claim
from ketamine_info.editorial.models import PendingChange, ReviewerProfile
from ketamine_info.glossary.models import Term
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory, CitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    """A live article citing a claim and using a glossary term."""
    citation = CitationFactory(
        claim__key="fast", claim__statement="It can work within hours.", locator="Abstract"
    )
    term = Term.objects.create(
        slug="nmda", term="NMDA receptor", body="A switch on nerve cells.[@fast]"
    )
    article = ArticleFactory(
        slug="how", title="How it works", status=Status.PUBLISHED, body="The NMDA receptor.[@fast]"
    )
    return {"claim": citation.claim, "citation": citation, "term": term, "article": article}


def claim_form(claim, statement, citations=None, **extra):
    rows = citations if citations is not None else list(claim.citations.all())
    data = {
        "key": claim.key,
        "statement": statement,
        "opened_version": claim.version,
        "citations-TOTAL_FORMS": len(rows),
        "citations-INITIAL_FORMS": len(rows),
        "citations-MIN_NUM_FORMS": 0,
        "citations-MAX_NUM_FORMS": 1000,
    }
    for i, c in enumerate(rows):
        data.update(
            {
                f"citations-{i}-id": c.pk,
                f"citations-{i}-claim": claim.pk,
                f"citations-{i}-source": c.source_id,
                f"citations-{i}-locator": c.locator,
                f"citations-{i}-excerpt": c.excerpt,
                f"citations-{i}-position": c.position,
            }
        )
    data.update(extra)
    return data


def term_form(term, **changes):
    return {
        "term": term.term,
        "slug": term.slug,
        "aliases": term.aliases,
        "body": term.body,
        "opened_version": term.version,
        **changes,
    }


def test_an_editors_change_to_a_live_claim_waits_and_patients_see_the_old_text(
    live, editor_client, client
):
    claim = live["claim"]
    form_page = editor_client.get(f"/admin/citations/claim/{claim.pk}/change/").content.decode()
    assert 'id="live-notice"' in form_page and 'href="/learn/how/"' in form_page
    assert "waits for a clinical reviewer" in form_page
    response = editor_client.post(
        f"/admin/citations/claim/{claim.pk}/change/",
        claim_form(claim, "It can work within a day."),
        follow=True,
    )
    assert "waits for a clinical reviewer" in response.content.decode()
    assert Claim.objects.get().statement == "It can work within hours."
    html = client.get("/learn/how/").content.decode()
    assert "within hours" in html and "within a day" not in html
    change = PendingChange.objects.get()
    assert change.values == {"statement": "It can work within a day."}
    assert change.author.username == "editor"
    # Opened again, the form shows the change waiting for review, not the live text.
    again = editor_client.get(f"/admin/citations/claim/{claim.pk}/change/").content.decode()
    assert 'id="open-change"' in again and "within a day" in again


def test_the_reviewer_sees_the_diff_and_the_pages_then_publishes(
    live, editor_client, reviewer_client, reviewer, client
):
    claim = live["claim"]
    editor_client.post(
        f"/admin/citations/claim/{claim.pk}/change/",
        claim_form(claim, "It can work within a day."),
    )
    change = PendingChange.objects.get()
    url = f"/admin/editorial/pendingchange/{change.pk}/change/"
    page = reviewer_client.get(url).content.decode()
    assert "It can work within <del>hours.</del><ins>a day.</ins>" in page
    assert 'href="/learn/how/"' in page and 'href="/glossary/#nmda"' in page  # the term cites it
    preview = reviewer_client.get(f"/preview/change/{change.pk}/?path=/learn/how/")
    assert preview.status_code == 200 and "within a day" in preview.content.decode()
    assert "Preview of a change waiting for review" in preview.content.decode()
    assert preview["X-Robots-Tag"] == "noindex, nofollow"
    assert Claim.objects.get().statement == "It can work within hours."  # rolled back
    assert "within hours" in client.get("/learn/how/").content.decode()
    # A page that does not show the claim is not previewed.
    assert reviewer_client.get(f"/preview/change/{change.pk}/?path=/faq/").status_code == 404

    # Without the clinical confirmation: refused, nothing changes.
    refused = reviewer_client.post(url, {"publish": "1", "credentials": "Dana Lee, MD"})
    assert "reviewed this clinically" in refused.content.decode()
    assert Claim.objects.get().statement == "It can work within hours."
    assert PendingChange.objects.get().state == PendingChange.State.OPEN

    done = reviewer_client.post(
        url, {"publish": "1", "confirm": "on", "credentials": "Dana Lee, MD, psychiatrist"}
    )
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.statement == "It can work within a day."
    assert "within a day" in client.get("/learn/how/").content.decode()
    change.refresh_from_db()
    assert change.state == PendingChange.State.PUBLISHED
    assert change.decided_by == reviewer and change.reviewed_as == "Dana Lee, MD, psychiatrist"
    assert claim.history.first().history_change_reason.startswith(f"Published change #{change.pk}")
    assert ReviewerProfile.objects.get(user=reviewer).credentials == "Dana Lee, MD, psychiatrist"


def test_a_glossary_change_sent_back_never_reaches_patients(
    live, editor_client, reviewer_client, client
):
    term = live["term"]
    editor_client.post(
        f"/admin/glossary/term/{term.pk}/change/",
        term_form(term, body="A made-up definition.[@fast]"),
    )
    change = PendingChange.objects.get()
    url = f"/admin/editorial/pendingchange/{change.pk}/change/"
    empty = reviewer_client.post(url, {"send_back": "1", "note": ""})
    assert empty.status_code == 200
    assert PendingChange.objects.get().state == PendingChange.State.OPEN
    reviewer_client.post(url, {"send_back": "1", "note": "Not what the source says."})
    assert PendingChange.objects.get().state == PendingChange.State.REJECTED
    assert Term.objects.get().body == "A switch on nerve cells.[@fast]"
    assert "made-up" not in client.get("/glossary/").content.decode()
    form_page = editor_client.get(f"/admin/glossary/term/{term.pk}/change/").content.decode()
    assert "Not what the source says." in form_page


def test_a_live_claim_cannot_lose_its_last_citation_in_the_form(live, staff_client):
    claim, citation = live["claim"], live["citation"]
    data = claim_form(claim, claim.statement, **{"citations-0-DELETE": "on"})
    response = staff_client.post(f"/admin/citations/claim/{claim.pk}/change/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "must keep at least one citation" in html and 'href="/learn/how/"' in html
    assert list(Citation.objects.all()) == [citation]
    assert not PendingChange.objects.exists()


def test_a_claim_no_live_page_cites_may_lose_its_citations_once_reviewed(staff_client, reviewer):
    from ketamine_info.editorial import review

    citation = CitationFactory()
    claim = citation.claim
    data = claim_form(claim, claim.statement, **{"citations-0-DELETE": "on"})
    assert staff_client.post(f"/admin/citations/claim/{claim.pk}/change/", data).status_code == 302
    # Its statement shows on its sources' pages: the change waits like any other.
    assert Citation.objects.exists()
    change = PendingChange.objects.get(state=PendingChange.State.OPEN)
    review.publish(change, reviewer, confirmed=True, credentials="Dana Lee, MD")
    assert not Citation.objects.exists()


def test_a_staff_only_note_on_a_live_source_changes_at_once(live, staff_client):
    source = live["citation"].source
    data = {
        "key": source.key,
        "title": source.title,
        "kind": source.kind,
        "publisher": source.publisher,
        "published": source.published,
        "staff_notes": "Checked against the PDF.",
        "opened_version": source.version,
    }
    assert staff_client.post(f"/admin/citations/source/{source.pk}/change/", data).status_code
    source.refresh_from_db()
    assert source.staff_notes == "Checked against the PDF."
    assert not PendingChange.objects.exists()
    data.update(title="A different title", staff_notes="Checked again.", opened_version=2)
    staff_client.post(f"/admin/citations/source/{source.pk}/change/", data)
    source.refresh_from_db()
    assert source.staff_notes == "Checked again." and source.title != "A different title"
    assert PendingChange.objects.get().values == {"title": "A different title"}


def test_a_new_glossary_term_waits_for_review(staff_client, client):
    response = staff_client.post(
        "/admin/glossary/term/add/",
        {"term": "Dissociation", "slug": "dissociation", "aliases": "", "body": "Feeling apart."},
    )
    assert response.status_code == 302
    assert not Term.objects.exists()
    assert "Dissociation" not in client.get("/glossary/").content.decode()
    change = PendingChange.objects.get()
    assert change.object_id is None and change.values["term"] == "Dissociation"


def test_publishing_a_page_change_stamps_the_new_text(
    reviewer, client, django_capture_on_commit_callbacks
):
    from ketamine_info.editorial import review
    from ketamine_info.pages.models import Page

    page = Page.objects.create(slug="ask", title="Ask", summary="Questions.", body="Old.")
    html = client.get("/ask/").content.decode()
    assert "This page has not yet been reviewed by a clinician." in html
    change = review.propose(Page, {"body": "New."}, live=page, author=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        review.publish(
            change,
            reviewer,
            confirmed=True,
            credentials="Dana Lee, MD",
            next_review_due=timezone.localdate() + dt.timedelta(days=90),
        )
    html = client.get("/ask/").content.decode()
    assert "New." in html and "Page last reviewed: <time" in html and "by Dana Lee, MD" in html
    assert "Next review due" in html


def test_audit_list_shows_who_did_what_filtered_by_person_and_page(
    live, editor_client, reviewer_client, editor, reviewer
):
    claim = live["claim"]
    editor_client.post(
        f"/admin/citations/claim/{claim.pk}/change/", claim_form(claim, "It can work in a day.")
    )
    change = PendingChange.objects.get()
    reviewer_client.post(
        f"/admin/editorial/pendingchange/{change.pk}/change/",
        {"publish": "1", "confirm": "on", "credentials": "Dana Lee, MD"},
    )
    html = reviewer_client.get("/admin/audit/").content.decode()
    assert "Pending change" in html and "Published after review" in html and "Eddie" in html
    only_editor = reviewer_client.get(f"/admin/audit/?user={editor.pk}").content.decode()
    assert "Pending change" in only_editor and "Published after review" not in only_editor
    only_term = reviewer_client.get(
        f"/admin/audit/?item=glossary.Term:{live['term'].pk}"
    ).content.decode()
    assert "It can work" not in only_term and "NMDA receptor" in only_term
    assert editor_client.get("/admin/audit/").status_code == 200


def test_list_view_editing_of_a_live_article_adds_to_the_change_waiting(staff_client, client):
    article = ArticleFactory(slug="a", status=Status.PUBLISHED, position=1, body="Old text.")
    staff_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            "title": article.title,
            "slug": "a",
            "summary": article.summary,
            "topic": article.topic,
            "position": 1,
            "body": "New text.",
            "status": "published",
            "opened_version": article.version,
        },
    )
    staff_client.post(
        "/admin/articles/article/",
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-0-id": article.pk,
            "form-0-position": 7,
            "_save": "Save",
        },
    )
    article.refresh_from_db()
    assert (article.position, article.body) == (1, "Old text.")
    assert PendingChange.objects.get().values == {"body": "New text.", "position": 7}


def test_a_second_editor_cannot_silently_replace_a_change_waiting_for_review(
    live, editor_client, staff_client
):
    term = live["term"]
    url = f"/admin/glossary/term/{term.pk}/change/"
    html = staff_client.get(url).content.decode()
    assert 'type="hidden" name="opened_change" id="id_opened_change"' in html  # none waiting
    editor_client.post(url, term_form(term, body="The editor's text.[@fast]"))
    response = staff_client.post(
        url, term_form(term, body="The other text.[@fast]", opened_change="")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "changed the version waiting for review" in html and "The other text." in html
    assert PendingChange.objects.get().values["body"] == "The editor's text.[@fast]"


def test_an_editor_can_read_a_pending_change_but_not_publish_it(live, editor_client):
    term = live["term"]
    editor_client.post(f"/admin/glossary/term/{term.pk}/change/", term_form(term, body="New."))
    change = PendingChange.objects.get()
    url = f"/admin/editorial/pendingchange/{change.pk}/change/"
    page = editor_client.get(url)
    assert page.status_code == 200 and 'id="publish-form"' not in page.content.decode()
    posted = editor_client.post(url, {"publish": "1", "confirm": "on", "credentials": "Me, MD"})
    assert posted.status_code == 403
    assert Term.objects.get().body == "A switch on nerve cells.[@fast]"
    assert PendingChange.objects.get().state == PendingChange.State.OPEN


def test_the_audit_list_records_deletions(staff_client):
    claim = CitationFactory(claim__key="unused-claim").claim
    staff_client.post(f"/admin/citations/claim/{claim.pk}/delete/", {"post": "yes"})
    html = staff_client.get("/admin/audit/").content.decode()
    assert "<td>Deleted</td>" in html and "unused-claim" in html


def test_the_claim_form_shows_the_citations_waiting_for_review(live, editor_client):
    claim, citation = live["claim"], live["citation"]
    url = f"/admin/citations/claim/{claim.pk}/change/"
    data = claim_form(claim, claim.statement, **{"citations-0-locator": "Table 2"})
    editor_client.post(url, data)
    assert Citation.objects.get().locator == "Abstract"  # live: unchanged
    change = PendingChange.objects.get()
    assert change.values["citations"] == [
        {"source": citation.source_id, "locator": "Table 2", "excerpt": ""}
    ]
    html = editor_client.get(url).content.decode()
    assert 'name="citations-0-locator" value="Table 2"' in html
    assert 'name="citations-INITIAL_FORMS" value="0"' in html
    # Saving the form again as shown keeps the citation change.
    again = claim_form(
        claim,
        "A new statement.",
        citations=[],
        **{
            "citations-TOTAL_FORMS": 1,
            "citations-INITIAL_FORMS": 0,
            "citations-0-source": citation.source_id,
            "citations-0-locator": "Table 2",
            "citations-0-position": 0,
            "opened_change": f"{change.pk}:{change.updated.isoformat()}",
        },
    )
    editor_client.post(url, again)
    values = PendingChange.objects.get().values
    assert values["statement"] == "A new statement."
    assert values["citations"][0]["locator"] == "Table 2"
