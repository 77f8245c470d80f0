"""A reviewer publishes at a date and time, or takes a page down at one; publish_scheduled
carries it out when the (frozen, then moved) clock reaches it, once, as that reviewer."""

import datetime as dt
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from ketamine_info.articles.models import Article
from ketamine_info.editorial import review
from ketamine_info.editorial.models import PendingChange
from ketamine_info.publishing import Status
from ketamine_info.scheduling.models import Schedule
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/scheduling/schedule/add/"
ZONE = ZoneInfo("America/New_York")
# Near the real time: staff sessions (made at the real time) stay valid on the moved clock.
MONDAY_9 = (dt.datetime.now(ZONE) + dt.timedelta(hours=2)).replace(second=0, microsecond=0)


def at(moment):
    """The clock stopped at ``moment``."""
    return mock.patch("django.utils.timezone.now", return_value=moment.astimezone(dt.UTC))


def run() -> str:
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue()


def schedule_form(**values):
    data = {
        "action": "publish",
        "at_0": MONDAY_9.strftime("%Y-%m-%d"),
        "at_1": MONDAY_9.strftime("%H:%M"),
        "confirm": "on",
        "credentials": "Dana Lee, MD",
    }
    data.update(values)
    return data


def item_fields(obj):
    return {"content_type": ContentType.objects.get_for_model(obj).pk, "object_id": obj.pk}


def test_a_draft_goes_live_at_the_time_chosen_once_with_the_reviewers_stamp(
    reviewer_client, reviewer
):
    article = ArticleFactory(status=Status.REVIEW, body="Reviewed words.")
    with at(MONDAY_9 - dt.timedelta(days=3)):
        form_page = reviewer_client.get(ADD_URL).content.decode()
        assert "America/New_York" in form_page
        response = reviewer_client.post(ADD_URL, schedule_form(**item_fields(article)))
        assert response.status_code == 302, response.content.decode()[:3000]
        assert run() == ""
    article.refresh_from_db()
    assert article.status == Status.REVIEW

    with at(MONDAY_9 - dt.timedelta(minutes=1)):
        assert run() == ""
    assert Article.objects.get().status == Status.REVIEW

    with at(MONDAY_9 + dt.timedelta(seconds=30)):
        assert "done" in run()
        assert run() == ""  # every minute: the second run finds nothing to do
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.reviewed_by == reviewer and article.reviewer_name == "Dana Lee, MD"
    assert article.last_reviewed == MONDAY_9.date()
    assert article.history.filter(history_change_reason__contains="as scheduled").count() == 1
    assert Schedule.objects.get().state == Schedule.State.DONE


def test_a_pending_change_is_published_at_the_time_through_the_review(reviewer_client, reviewer):
    with at(MONDAY_9 - dt.timedelta(days=10)):
        article = ArticleFactory(status=Status.PUBLISHED, body="Old words.")
        change = review.propose(Article, {**review.snapshot(article), "body": "New words."},
                                live=article)  # fmt: skip
        response = reviewer_client.post(ADD_URL, schedule_form(change=change.pk))
        assert response.status_code == 302, response.content.decode()[:3000]
    with at(MONDAY_9 + dt.timedelta(minutes=2)):
        run()
    article.refresh_from_db()
    change.refresh_from_db()
    assert article.body == "New words." and change.state == PendingChange.State.PUBLISHED
    assert change.decided_by == reviewer and article.reviewer_name == "Dana Lee, MD"


def test_a_change_edited_after_it_was_scheduled_is_not_published(reviewer_client):
    with at(MONDAY_9 - dt.timedelta(days=1)):
        article = ArticleFactory(status=Status.PUBLISHED, body="Old words.")
        change = review.propose(Article, {**review.snapshot(article), "body": "Reviewed."},
                                live=article)  # fmt: skip
        reviewer_client.post(ADD_URL, schedule_form(change=change.pk))
        PendingChange.objects.filter(pk=change.pk).update(
            values={**change.values, "body": "Edited after the review."}
        )
    with at(MONDAY_9 + dt.timedelta(minutes=1)):
        assert "not done" in run()
    article.refresh_from_db()
    assert article.body == "Old words."
    schedule = Schedule.objects.get()
    assert schedule.state == Schedule.State.FAILED and "changed after" in schedule.outcome


def test_a_page_is_taken_down_at_a_date(reviewer_client):
    with at(MONDAY_9 - dt.timedelta(days=1)):
        article = ArticleFactory(status=Status.PUBLISHED)
        data = schedule_form(action="take_down", confirm="", credentials="", **item_fields(article))
        assert reviewer_client.post(ADD_URL, data).status_code == 302
    with at(MONDAY_9 + dt.timedelta(minutes=1)):
        run()
    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED


def test_a_time_in_the_past_or_no_confirmation_is_refused(reviewer_client):
    article = ArticleFactory(status=Status.REVIEW)
    with at(MONDAY_9 + dt.timedelta(hours=1)):
        past = reviewer_client.post(ADD_URL, schedule_form(**item_fields(article)))
        assert "Choose a time in the future." in past.content.decode()
    with at(MONDAY_9 - dt.timedelta(hours=1)):
        unconfirmed = reviewer_client.post(
            ADD_URL, schedule_form(confirm="", **item_fields(article))
        )
        assert "reviewed this clinically" in unconfirmed.content.decode()
    assert not Schedule.objects.exists()


def test_an_editor_cannot_schedule(editor_client):
    assert editor_client.get(ADD_URL).status_code == 403


def test_the_publish_screens_link_to_scheduling(reviewer_client):
    draft = ArticleFactory(status=Status.REVIEW)
    screen = reviewer_client.get(review.publish_page_url(draft)).content.decode()
    ct = ContentType.objects.get_for_model(Article).pk
    link = f"{ADD_URL}?content_type={ct}&amp;object_id={draft.pk}"
    assert link in screen and "Publish at a date and time" in screen
    form_page = reviewer_client.get(link.replace("&amp;", "&")).content.decode()
    assert f'<option value="{ct}" selected>' in form_page
