"""Revision history: every save is a revision; compare two; revert (itself a new revision)."""

import pytest

from ketamine_info.articles.models import Article
from ketamine_info.citations.models import Citation, Claim, Source
from ketamine_info.clinics.models import ContactBlock
from ketamine_info.editorial.models import PendingChange
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory, CitationFactory, ContactBlockFactory

pytestmark = pytest.mark.django_db


def edit(client, article, **changes):
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "topic": article.topic,
        "position": article.position,
        "body": article.body,
        "status": article.status,
        "opened_version": article.version,
        **changes,
    }
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    return article


def test_every_save_is_a_revision_with_who_and_when(staff_client, django_user_model):
    article = ArticleFactory(status=Status.DRAFT, body="First text.")
    edit(staff_client, article, body="Second text.")
    edit(staff_client, article, body="Third text.")
    revisions = list(article.history.all())
    assert [r.body for r in revisions] == ["Third text.", "Second text.", "First text."]
    staff = django_user_model.objects.get(username="staff")
    assert [r.history_user for r in revisions] == [staff, staff, None]
    assert all(r.history_date for r in revisions)


@pytest.mark.parametrize(
    "make",
    [
        lambda: CitationFactory().claim,
        lambda: CitationFactory().source,
        lambda: CitationFactory(),
        lambda: ContactBlockFactory(),
    ],
    ids=["claim", "source", "citation", "contact block"],
)
def test_claims_sources_citations_and_contact_blocks_keep_history(make):
    obj = make()
    before = obj.history.count()
    obj.save()
    assert obj.history.count() == before + 1
    assert {Claim, Source, Citation, ContactBlock} >= {type(obj)}


def test_history_page_lists_revisions_with_a_compare_form(staff_client):
    article = ArticleFactory(status=Status.DRAFT, body="First text.")
    edit(staff_client, article, body="Second text.")
    html = staff_client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert html.count('type="radio" name="old"') == 2
    assert 'action="compare/"' in html
    assert "<strong>Body:</strong> First text. &rarr; Second text." in html
    assert "Deleted user" not in html


def test_history_names_people_and_says_nothing_for_empty_values(reviewer_client):
    article = ArticleFactory(status=Status.REVIEW)
    page = reviewer_client.post(
        "/admin/articles/article/",
        {"action": "publish", "_selected_action": [article.pk], "index": 0},
    )["Location"]
    reviewer_client.post(page, {"confirm": "on", "credentials": "Dana Lee"})
    html = reviewer_client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert "<strong>Reviewed by:</strong> — &rarr; Dana Lee" in html
    assert "Deleted user" not in html and "None" not in html


def test_compare_shows_a_readable_word_diff(staff_client):
    article = ArticleFactory(status=Status.DRAFT, body="Ketamine may act within hours.")
    edit(staff_client, article, body="Ketamine may act within a day.", title="New <title>")
    new, old = article.history.all()[:2]
    response = staff_client.get(
        f"/admin/articles/article/{article.pk}/history/compare/"
        f"?old={old.history_id}&new={new.history_id}"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ketamine may act within <del>hours.</del><ins>a day.</ins>" in html
    assert "<ins>&lt;title&gt;</ins>" in html  # escaped, never markup
    assert "Version" not in html  # bookkeeping is left out


def test_compare_of_unknown_revisions_is_404(staff_client):
    article = ArticleFactory()
    url = f"/admin/articles/article/{article.pk}/history/compare/?old=999&new=x"
    assert staff_client.get(url).status_code == 404


def test_revert_restores_the_text_as_a_new_revision_and_rerenders(staff_client, client):
    claim = CitationFactory(claim__key="fast").claim
    article = ArticleFactory(status=Status.DRAFT, body="Old words.[@fast]")
    edit(staff_client, article, body="New words.")
    assert "New words." in article.body_html
    first = article.history.earliest()

    url = f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
    page = staff_client.get(url).content.decode()
    assert "Old words.[@fast]" in page
    assert f'name="opened_version" value="{article.version}"' in page  # the current version
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "topic": article.topic,
        "position": article.position,
        "body": first.body,
        "status": article.status,
        "opened_version": article.version,
        "_save": "Revert",
    }
    assert staff_client.post(url, data).status_code == 302

    article.refresh_from_db()
    assert article.body == "Old words.[@fast]"
    assert 'href="#ref-1"' in article.body_html
    assert list(claim.used_on()) == [article]
    assert article.history.count() == 3  # created, edited, reverted
    assert article.history.first().history_change_reason.startswith("Reverted to the revision")


def test_revert_keeps_the_current_status(staff_client):
    article = ArticleFactory(status=Status.DRAFT, body="Draft words.")
    article.status = Status.PUBLISHED
    article.save()
    first = article.history.earliest()
    page = staff_client.get(
        f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
    ).content.decode()
    assert '<option value="published" selected>' in page


def test_reverting_a_live_page_waits_for_review(editor_client):
    article = ArticleFactory(status=Status.PUBLISHED, body="Reviewed.")
    article.body = "Reviewed, then edited."
    article.save()
    first = article.history.earliest()
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/history/{first.history_id}/",
        {
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "topic": article.topic,
            "position": article.position,
            "body": "Reviewed.",
            "status": "published",
            "opened_version": article.version,
        },
    )
    assert response.status_code == 302
    assert Article.objects.get().body == "Reviewed, then edited."
    assert PendingChange.objects.get().values == {"body": "Reviewed."}
