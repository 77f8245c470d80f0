"""The review workflow: who may move content between draft, review, published, unpublished."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ketamine_info.articles.models import Article
from ketamine_info.editorial.models import PendingChange
from ketamine_info.faqs.models import Question
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"
LIST_URL = "/admin/articles/article/"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def form(article=None, **overrides):
    """What the article change form posts."""
    data = {
        "title": article.title if article else "New page",
        "slug": article.slug if article else "new-page",
        "summary": article.summary if article else "Short.",
        "topic": article.topic if article else "about",
        "position": article.position if article else 1,
        "body": article.body if article else "Text.",
        "status": article.status if article else "draft",
    }
    if article is not None:
        data["opened_version"] = article.version
    data.update(overrides)
    return data


# --- model rules ----------------------------------------------------------------------------


def test_editor_may_submit_but_not_publish_or_unpublish(editor):
    article = ArticleFactory(status=Status.DRAFT)
    article.submit_for_review(editor)
    assert Article.objects.get().status == Status.REVIEW
    with pytest.raises(PermissionDenied):
        article.publish(editor)
    assert Article.objects.get().status == Status.REVIEW
    published = ArticleFactory(status=Status.PUBLISHED)
    with pytest.raises(PermissionDenied):
        published.unpublish(editor)
    assert Article.objects.get(pk=published.pk).status == Status.PUBLISHED


def test_reviewer_publishing_records_the_review(reviewer):
    article = ArticleFactory(status=Status.REVIEW)
    article.publish(reviewer, confirmed=True, credentials="Dana Lee, MD, psychiatrist")
    article.refresh_from_db()
    today = timezone.localdate()
    assert article.status == Status.PUBLISHED
    assert article.last_reviewed == today
    assert article.reviewed_by == reviewer
    assert article.next_review_due == today + dt.timedelta(days=365)
    assert article.reviewer_name == "Dana Lee, MD, psychiatrist"
    assert article.review_is_current


def test_publishing_without_the_clinical_confirmation_is_refused(reviewer, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "r@example.org", "pw")
    for user in (reviewer, superuser):
        article = ArticleFactory(status=Status.REVIEW)
        with pytest.raises(PermissionDenied, match="reviewed this clinically"):
            article.publish(user)
        article.refresh_from_db()
        assert article.status == Status.REVIEW and article.last_reviewed is None


def test_reviewer_may_unpublish_and_send_back(reviewer, editor):
    article = ArticleFactory(status=Status.PUBLISHED)
    article.unpublish(reviewer)
    assert Article.objects.get().status == Status.UNPUBLISHED
    article.submit_for_review(editor)  # an editor may rework an unpublished page
    article.send_back(reviewer)
    assert Article.objects.get().status == Status.DRAFT


def test_editor_may_not_record_a_review(editor):
    article = ArticleFactory(status=Status.DRAFT)
    with pytest.raises(PermissionDenied):
        article.record_review(editor)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.UNPUBLISHED])
def test_only_published_content_is_public(client, status):
    article = ArticleFactory(status=status)
    question = Question.objects.create(
        slug="q", question="Hidden question?", topic="about", status=status, body="Answer."
    )
    assert list(Article.objects.published()) == []
    assert client.get(article.get_absolute_url()).status_code == 404
    assert question.question not in client.get("/faq/").content.decode()
    assert article.get_absolute_url() not in client.get("/sitemap.xml").content.decode()


# --- the admin enforces the same rules on the server ----------------------------------------


def test_an_editors_crafted_post_publishing_a_new_article_is_refused(editor_client):
    response = editor_client.post(ADD_URL, form(status="published"))
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_an_editors_crafted_post_publishing_a_draft_is_refused(editor_client):
    article = ArticleFactory(status=Status.REVIEW)
    response = editor_client.post(change_url(article), form(article, status="published"))
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert Article.objects.get().status == Status.REVIEW


def test_the_editors_status_menu_has_no_publish(editor_client):
    article = ArticleFactory(status=Status.DRAFT)
    html = editor_client.get(change_url(article)).content.decode()
    assert '<option value="review">' in html
    assert '<option value="published">' not in html


def test_editor_saves_a_draft_and_sends_it_for_review(editor_client, editor):
    response = editor_client.post(ADD_URL, form(status="review"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Status.REVIEW
    assert article.history.first().history_user == editor


def test_an_edit_of_a_live_page_waits_for_review(editor_client):
    article = ArticleFactory(status=Status.PUBLISHED, body="Reviewed text.")
    response = editor_client.post(change_url(article), form(article, body="Unreviewed text."))
    assert response.status_code == 302
    assert Article.objects.get().body == "Reviewed text."
    change = PendingChange.objects.get()
    assert change.values == {"body": "Unreviewed text."}
    assert change.state == PendingChange.State.OPEN


def test_editors_cannot_set_review_fields_even_by_crafted_post(editor_client):
    article = ArticleFactory(status=Status.DRAFT)
    response = editor_client.post(
        change_url(article),
        form(article, last_reviewed="2026-01-01", reviewed_by_name="Invented Person, MD"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.last_reviewed is None
    assert article.reviewed_by_name == ""


def test_publish_action_is_not_offered_to_editors_and_refused_if_posted(editor_client):
    article = ArticleFactory(status=Status.REVIEW)
    html = editor_client.get(LIST_URL).content.decode()
    assert 'value="submit_for_review"' in html
    assert 'value="publish"' not in html
    editor_client.post(
        LIST_URL, {"action": "publish", "_selected_action": [article.pk], "index": 0}
    )
    assert Article.objects.get().status == Status.REVIEW


def test_reviewer_publishes_with_the_action_after_confirming(reviewer_client, reviewer):
    article = ArticleFactory(status=Status.REVIEW)
    response = reviewer_client.post(
        LIST_URL, {"action": "publish", "_selected_action": [article.pk], "index": 0}
    )
    assert response.status_code == 302  # to the confirmation page
    assert Article.objects.get().status == Status.REVIEW
    page = response["Location"]
    refused = reviewer_client.post(page, {"credentials": "Dana Lee, MD"})
    assert refused.status_code == 200
    assert "reviewed this clinically" in refused.content.decode()
    assert Article.objects.get().status == Status.REVIEW
    done = reviewer_client.post(page, {"confirm": "on", "credentials": "Dana Lee, MD"})
    assert done.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.reviewed_by == reviewer and article.reviewer_name == "Dana Lee, MD"
    assert article.history.first().history_user == reviewer
    assert article.history.first().history_change_reason == "Published, reviewed by Dana Lee, MD"


def test_submit_action_by_an_editor(editor_client):
    article = ArticleFactory(status=Status.DRAFT)
    editor_client.post(
        LIST_URL, {"action": "submit_for_review", "_selected_action": [article.pk], "index": 0}
    )
    assert Article.objects.get().status == Status.REVIEW


def test_even_a_reviewer_cannot_publish_by_changing_the_status(reviewer_client):
    article = ArticleFactory(status=Status.REVIEW)
    response = reviewer_client.post(change_url(article), form(article, status="published"))
    assert response.status_code == 200
    assert "errornote" in response.content.decode()  # published is not even a choice
    article.refresh_from_db()
    assert article.status == Status.REVIEW and article.last_reviewed is None


def test_review_fields_cannot_be_typed_even_by_a_reviewer(reviewer_client):
    article = ArticleFactory(status=Status.REVIEW)
    reviewer_client.post(
        change_url(article),
        form(
            article,
            last_reviewed="2026-11-02",
            reviewed_by_name="Sam Ortiz, PharmD",
            next_review_due="2027-05-01",
        ),
    )
    article.refresh_from_db()
    assert article.last_reviewed is None and article.reviewed_by_name == ""
    html = reviewer_client.get(ADD_URL).content.decode()
    assert 'name="last_reviewed"' not in html and 'name="reviewed_by_name"' not in html


# --- what patients see ----------------------------------------------------------------------


def reviewed_article(reviewer, **fields):
    article = ArticleFactory(status=Status.REVIEW, **fields)
    article.publish(
        reviewer,
        confirmed=True,
        credentials="Dana Lee, MD, psychiatrist",
        next_review_due=timezone.localdate() + dt.timedelta(days=200),
    )
    return article


def test_article_shows_the_review_stamp_while_the_text_is_the_reviewed_text(client, reviewer):
    article = reviewed_article(reviewer)
    today = timezone.localdate()
    due = today + dt.timedelta(days=200)
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        f'Page last reviewed: <time datetime="{today:%Y-%m-%d}">'
        f"{today:%B} {today.day}, {today.year}</time> by Dana Lee, MD, psychiatrist"
        f' · Next review due: <time datetime="{due:%Y-%m-%d}">'
    ) in html
    assert "not yet been reviewed" not in html
    assert f'"lastReviewed": "{today:%Y-%m-%d}"' in html
    assert '"reviewedBy": {"@type": "Person", "name": "Dana Lee, MD, psychiatrist"}' in html


def test_a_paragraph_added_after_the_review_drops_the_stamp(client, reviewer):
    article = reviewed_article(reviewer)
    # Any save that bypasses the review (the shell, a data fix) changes the text's digest.
    article.body += "\n\nA paragraph the reviewer never saw."
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Page last reviewed" not in html
    assert "This page has not yet been reviewed by a clinician." in html
    assert "lastReviewed" not in html


def test_article_without_a_review_says_so(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "This page has not yet been reviewed by a clinician." in html
    assert "Page last reviewed" not in html
    assert "lastReviewed" not in html


def test_faq_answers_show_their_review_stamp(client, reviewer):
    reviewed = Question.objects.create(
        slug="reviewed", question="Reviewed?", topic="about", status="review", body="Yes."
    )
    reviewed.publish(reviewer, confirmed=True, credentials="Dana Lee, MD")
    Question.objects.create(
        slug="not-reviewed", question="Not?", topic="about", status="published", body="No."
    )
    html = client.get("/faq/").content.decode()
    assert "Page last reviewed: <time" in html and "by Dana Lee, MD" in html
    assert "This page has not yet been reviewed by a clinician." in html
