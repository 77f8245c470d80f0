"""The review dashboard: overdue and soon-due reviews, drafts waiting for a reviewer."""

import datetime as dt

import pytest
from django.utils import timezone

from ketamine_info.faqs.models import Question
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

URL = "/admin/review-dashboard/"


def section(html, section_id):
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</div>", start)]


def test_lists_overdue_due_soon_and_waiting(editor_client):
    today = timezone.localdate()
    ArticleFactory(title="Overdue page", next_review_due=today - dt.timedelta(days=1))
    ArticleFactory(title="Due soon page", next_review_due=today + dt.timedelta(days=30))
    ArticleFactory(title="Due later page", next_review_due=today + dt.timedelta(days=31))
    ArticleFactory(title="Waiting page", status=Status.REVIEW)
    Question.objects.create(
        slug="q",
        question="Overdue question?",
        topic="about",
        status="published",
        body="A.",
        next_review_due=today - dt.timedelta(days=100),
        last_reviewed=today - dt.timedelta(days=465),
    )
    html = editor_client.get(URL).content.decode()
    overdue = section(html, "overdue")
    assert "Overdue page" in overdue and "Overdue question?" in overdue
    assert "Due soon page" not in overdue
    due_soon = section(html, "due-soon")
    assert "Due soon page" in due_soon and "Due later page" not in due_soon
    waiting = section(html, "awaiting")
    assert "Waiting page" in waiting and "Overdue page" not in waiting
    assert "Due later page" not in html.split('id="never-reviewed"')[0]


def test_lists_published_pages_with_no_current_review(editor_client, reviewer):
    ArticleFactory(title="Never reviewed")
    ArticleFactory(title="Reviewed", status=Status.REVIEW).publish(
        reviewer, confirmed=True, credentials="Dana Lee, MD"
    )
    changed = ArticleFactory(title="Changed since", status=Status.REVIEW)
    changed.publish(reviewer, confirmed=True, credentials="Dana Lee, MD")
    changed.body += " More."
    changed.save()  # not through a review: the stamp no longer counts
    never = section(editor_client.get(URL).content.decode(), "never-reviewed")
    assert "Never reviewed" in never and ">Reviewed<" not in never
    assert "Changed since" in never and "(text changed since)" in never


def test_stand_alone_pages_are_on_the_dashboard(editor_client):
    from ketamine_info.pages.models import Page

    today = timezone.localdate()
    Page.objects.create(slug="ask", title="Ask page", summary="S.", body="B.")
    Page.objects.create(
        slug="old",
        title="Overdue stand-alone page",
        summary="S.",
        body="B.",
        last_reviewed=today - dt.timedelta(days=400),
        next_review_due=today - dt.timedelta(days=35),
    )
    html = editor_client.get(URL).content.decode()
    assert "Ask page" in section(html, "never-reviewed")
    assert "Overdue stand-alone page" in section(html, "overdue")


def test_lists_changes_waiting_for_review(editor_client, editor):
    from ketamine_info.articles.models import Article
    from ketamine_info.editorial import review

    live = ArticleFactory(title="Live page")
    review.propose(Article, {"body": "New."}, live=live, author=editor)
    waiting = section(editor_client.get(URL).content.decode(), "changes-waiting")
    assert "Live page" in waiting and "Eddie" in waiting


def test_empty_sections_say_so(editor_client):
    html = editor_client.get(URL).content.decode()
    assert "No review is overdue." in html
    assert "No draft is waiting for review." in html


def test_is_linked_from_the_admin_index_and_staff_only(editor_client, client):
    assert 'href="/admin/review-dashboard/"' in editor_client.get("/admin/").content.decode()
    assert client.get(URL).status_code == 302
