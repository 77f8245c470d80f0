"""A new or changed source or claim reaches patients only once a clinical reviewer publishes it.

Every stored source has a public page, is on the list of sources and in the sitemap; every
stored claim shows, with its citations' locators and excerpts, on the pages of the sources it
cites. So an editor's new source or claim, and a change to one that no live page cites, waits
for review like everything else: through the admin's forms, a revert, and content files loaded
without ``--publish``. Each test looks at the public pages as a patient gets them.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

from ketamine_info.citations.models import Citation, Claim, Source
from ketamine_info.editorial.models import PendingChange
from tests.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def public(path: str) -> tuple[int, str]:
    caches["pages"].clear()
    response = Client().get(path)
    return response.status_code, response.content.decode()


def on_public_pages(text: str, source_key: str) -> dict[str, bool]:
    """Where ``text`` shows: the source's page, the list of sources, the sitemap."""
    status, page = public(f"/sources/{source_key}/")
    return {
        "source page": status == 200 and text in page,
        "list of sources": text in public("/sources/")[1],
        "sitemap": text in public("/sitemap.xml")[1],
    }


def publish_on_the_review_screen(reviewer_client, change: PendingChange) -> None:
    response = reviewer_client.post(
        f"/admin/editorial/pendingchange/{change.pk}/change/",
        {"publish": "1", "confirm": "on", "credentials": "Dana Lee, MD, psychiatrist"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    change.refresh_from_db()
    assert change.state == PendingChange.State.PUBLISHED


def source_form(**values) -> dict:
    return {
        "key": "new-label",
        "title": "A new drug label",
        "kind": "regulator",
        "publisher": "FDA",
        "url": "https://www.fda.gov/label",
        "notes": "What the label says.",
        **values,
    }


def claim_form(source, **values) -> dict:
    return {
        "key": "fades-quickly",
        "statement": "Side effects fade within two hours.",
        "scope": "",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-0-source": source.pk,
        "citations-0-locator": "Table 3",
        "citations-0-excerpt": "resolved within 2 hours",
        "citations-0-position": "0",
        **values,
    }


def test_an_editors_new_source_stays_off_every_public_page_until_published(
    editor_client, reviewer_client
):
    response = editor_client.post("/admin/citations/source/add/", source_form())
    assert response.status_code == 302
    assert not Source.objects.filter(key="new-label").exists()
    assert public("/sources/new-label/")[0] == 404
    assert on_public_pages("A new drug label", "new-label") == {
        "source page": False,
        "list of sources": False,
        "sitemap": False,
    }
    assert "/sources/new-label/" not in public("/sitemap.xml")[1]

    publish_on_the_review_screen(reviewer_client, PendingChange.objects.get())
    assert on_public_pages("A new drug label", "new-label") == {
        "source page": True,
        "list of sources": True,
        "sitemap": False,  # the sitemap lists addresses
    }
    assert "/sources/new-label/" in public("/sitemap.xml")[1]


def test_an_editors_new_claim_stays_off_the_source_page_until_published(
    editor_client, reviewer_client
):
    source = SourceFactory(key="trial", title="A trial")
    response = editor_client.post("/admin/citations/claim/add/", claim_form(source))
    assert response.status_code == 302
    assert not Claim.objects.exists() and not Citation.objects.exists()
    page = public("/sources/trial/")[1]
    for text in ("Side effects fade within two hours.", "Table 3", "resolved within 2 hours"):
        assert text not in page

    change = PendingChange.objects.get()
    assert change.object_id is None and change.values["citations"][0]["locator"] == "Table 3"
    publish_on_the_review_screen(reviewer_client, change)
    page = public("/sources/trial/")[1]
    for text in ("Side effects fade within two hours.", "Table 3", "resolved within 2 hours"):
        assert text in page
    assert Claim.objects.get().citations.get().source == source


def test_a_change_to_a_source_and_a_claim_no_live_page_cites_waits(editor_client, reviewer_client):
    citation = CitationFactory(
        source__key="trial", source__title="A trial", claim__statement="It may help."
    )
    source, claim = citation.source, citation.claim
    editor_client.post(
        f"/admin/citations/source/{source.pk}/change/",
        source_form(
            key="trial",
            title="A renamed trial",
            kind=source.kind,
            publisher=source.publisher,
            opened_version=source.version,
        ),
    )
    editor_client.post(
        f"/admin/citations/claim/{claim.pk}/change/",
        {
            "key": claim.key,
            "statement": "It cures everyone.",
            "scope": "",
            "opened_version": claim.version,
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "1",
            "citations-0-id": citation.pk,
            "citations-0-claim": claim.pk,
            "citations-0-source": source.pk,
            "citations-0-locator": "Abstract",
            "citations-0-position": "0",
        },
    )
    assert PendingChange.objects.filter(state=PendingChange.State.OPEN).count() == 2
    page = public("/sources/trial/")[1]
    assert "A trial" in page and "It may help." in page
    assert "A renamed trial" not in page and "It cures everyone." not in page
    assert "A renamed trial" not in public("/sources/")[1]


def test_a_revert_of_a_source_no_live_page_cites_waits(editor_client):
    source = SourceFactory(key="trial", title="The old title")
    Source.objects.filter(pk=source.pk).update(title="The new title")  # today's text
    source.refresh_from_db()
    old = source.history.earliest()
    response = editor_client.post(
        f"/admin/citations/source/{source.pk}/history/{old.history_id}/",
        source_form(
            key="trial",
            title="The old title",
            kind=source.kind,
            publisher=source.publisher,
            url="",
            notes="",
            opened_version=source.version,
            _save="Revert",
        ),
    )
    assert response.status_code == 302
    assert PendingChange.objects.get().values["title"] == "The old title"
    assert "The new title" in public("/sources/trial/")[1]
    assert "The old title" not in public("/sources/")[1]


def test_a_list_edit_or_bulk_action_on_sources_and_claims_publishes_nothing(editor_client):
    citation = CitationFactory(source__key="trial", source__title="A trial")
    before = public("/sources/trial/")[1], public("/sources/")[1]
    for model, pk in (("source", citation.source_id), ("claim", citation.claim_id)):
        editor_client.post(
            f"/admin/citations/{model}/",
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-0-id": pk,
                "form-0-title": "Edited in the list",
                "form-0-statement": "Edited in the list",
                "_save": "Save",
            },
        )
        changelist = editor_client.get(f"/admin/citations/{model}/").content.decode()
        # The only bulk action is deleting (evidence live pages use cannot be deleted).
        actions = set(re_options(changelist))
        assert actions <= {"", "delete_selected"}, actions
    assert (public("/sources/trial/")[1], public("/sources/")[1]) == before


def load_output(content_dir) -> str:
    out = StringIO()
    call_command("load_content", str(content_dir), stdout=out)
    return out.getvalue()


def re_options(html: str) -> list[str]:
    import re

    select = re.search(r'<select name="action".*?</select>', html, re.S)
    return re.findall(r'<option value="([^"]*)"', select.group(0)) if select else []


def test_content_files_without_the_flag_leave_new_and_changed_sources_and_claims_waiting(
    content_dir, reviewer
):
    from ketamine_info.editorial import review

    out = StringIO()
    call_command("load_content", str(content_dir), stdout=out)
    assert not Source.objects.exists() and not Claim.objects.exists()
    assert public("/sources/trial-one/")[0] == 404
    assert "trial-one" not in public("/sitemap.xml")[1]
    # Loaded again: the same changes, still waiting, not proposed twice.
    again = StringIO()
    call_command("load_content", str(content_dir), stdout=again)
    assert PendingChange.objects.count() == 4
    assert "nothing to change" in again.getvalue()

    # A claim citing a source that waits cannot be published before the source.
    claim_change = next(c for c in PendingChange.objects.all() if c.model is Claim)
    with pytest.raises(Exception, match="waiting for review"):
        review.publish(claim_change, reviewer, confirmed=True, credentials="Dana Lee, MD")
    for change in sorted(PendingChange.objects.all(), key=lambda c: c.model is Claim):
        review.publish(change, reviewer, confirmed=True, credentials="Dana Lee, MD")
    assert public("/sources/trial-one/")[0] == 200
    assert "nothing to change" in load_output(content_dir)  # the files are the live text

    # A changed source file waits too.
    path = content_dir / "sources" / "trial-one.yaml"
    title = Source.objects.get(key="trial-one").title
    path.write_text(path.read_text().replace(title, "A changed title"))
    call_command("load_content", str(content_dir), stdout=StringIO())
    assert Source.objects.get(key="trial-one").title == title
    assert "A changed title" not in public("/sources/trial-one/")[1]
    assert PendingChange.objects.filter(state=PendingChange.State.OPEN).count() == 1
