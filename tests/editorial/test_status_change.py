"""One status change for every way in: the admin's form and its save, the bulk actions, the
publish screen and a published change all move content by the model's ``change_status``, and
publishing records the clinical review the same way whichever screen it is done from."""

import datetime as dt

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import timezone

from ketamine_info.articles.models import Article
from ketamine_info.editorial import review
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory
from tests.factories import article_form_data as form

pytestmark = pytest.mark.django_db

TAKE_DOWN = "Only a clinical reviewer can take down a page. Save it as a draft instead."


def test_the_form_and_the_model_refuse_an_editor_taking_a_page_down_alike(editor, editor_client):
    article = ArticleFactory(status=Status.PUBLISHED)
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/", form(article, status="draft")
    )
    assert response.status_code == 200
    assert TAKE_DOWN.replace("'", "&#x27;") in response.content.decode()
    with pytest.raises(PermissionDenied, match=TAKE_DOWN):
        Article.objects.get().change_status(Status.DRAFT, by=editor)
    assert Article.objects.get().status == Status.PUBLISHED
    assert article.history.count() == 1


def test_the_admin_save_refuses_a_move_its_form_did_not_check(editor):
    """Any other way into the admin's save (list-view editing, a form without the status
    check) meets the same rule: the save is refused and nothing is written."""
    article = ArticleFactory(status=Status.PUBLISHED)
    model_admin = admin.site._registry[Article]
    request = RequestFactory().post("/")
    request.user = editor
    obj = Article.objects.get()
    obj.status = Status.DRAFT
    with pytest.raises(PermissionDenied, match=TAKE_DOWN):
        model_admin.save_model(request, obj, form=None, change=True)
    assert Article.objects.get().status == Status.PUBLISHED
    assert article.history.count() == 1


def test_a_status_set_in_memory_is_no_way_around_the_rules(editor):
    """A move is from the status in the database: code that set ``status`` on a live page
    without saving cannot then take it down as an editor."""
    article = ArticleFactory(status=Status.PUBLISHED)
    article.status = Status.DRAFT
    with pytest.raises(PermissionDenied):
        article.submit_for_review(editor)
    with pytest.raises(PermissionDenied, match=TAKE_DOWN):
        article.change_status(Status.REVIEW, by=editor)
    assert Article.objects.get().status == Status.PUBLISHED


def test_a_bulk_action_that_does_not_apply_says_why_and_changes_nothing(editor_client):
    article = ArticleFactory(status=Status.REVIEW)
    response = editor_client.post(
        "/admin/articles/article/",
        {"action": "submit_for_review", "_selected_action": [article.pk], "index": 0},
        follow=True,
    )
    assert "Only a draft or an unpublished page can be sent for review." in (
        response.content.decode()
    )
    assert Article.objects.get().status == Status.REVIEW
    assert article.history.count() == 1


def stamped(article, reviewer, *, days_ago: int):
    """``article`` as reviewed by ``reviewer`` ``days_ago`` days ago, text unchanged since."""
    article.stamp_review(
        reviewer,
        confirmed=True,
        credentials="Sam Ortiz, MD",
        on=timezone.localdate() - dt.timedelta(days=days_ago),
    )
    article.save()
    return article


def publish_change(values, article, reviewer):
    change = review.propose(Article, values, live=article, author=reviewer)
    review.publish(change, reviewer, confirmed=True, credentials="Dana Lee, MD, psychiatrist")
    return Article.objects.get(pk=article.pk)


def test_a_published_change_to_the_text_renews_the_stamp_one_elsewhere_keeps_it(reviewer):
    article = stamped(ArticleFactory(status=Status.PUBLISHED), reviewer, days_ago=100)
    reviewed_on = article.last_reviewed

    moved = publish_change({"position": article.position + 1}, article, reviewer)
    assert moved.position == article.position + 1
    assert moved.last_reviewed == reviewed_on  # moving the page is no new review of its text
    assert moved.reviewer_name == "Sam Ortiz, MD" and moved.review_is_current

    edited = publish_change({"body": "A reviewed new text."}, moved, reviewer)
    assert edited.last_reviewed == timezone.localdate()
    assert edited.reviewer_name == "Dana Lee, MD, psychiatrist" and edited.review_is_current


def test_a_page_published_again_from_the_publish_screen_is_stamped_anew(reviewer, reviewer_client):
    """Going live is a review of the whole page, even with the text the last review saw."""
    article = stamped(ArticleFactory(status=Status.UNPUBLISHED), reviewer, days_ago=100)
    assert article.review_is_current
    page = review.publish_page_url(article)
    done = reviewer_client.post(page, {"confirm": "on", "credentials": "Dana Lee, MD"})
    assert done.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.last_reviewed == timezone.localdate()
    assert article.reviewer_name == "Dana Lee, MD"
    assert article.history.first().history_change_reason == "Published, reviewed by Dana Lee, MD"
