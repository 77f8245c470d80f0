"""Email to staff: reviewers hear what waits (at most once an hour), editors hear what became of
their change (with the note), reviewers get a weekly list of reviews due; each can be turned off."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ketamine_info.editorial import notifications
from ketamine_info.editorial.models import NotificationSettings, PendingChange
from ketamine_info.publishing import Status
from tests.editorial.test_pending_changes import live, term_form  # noqa: F401
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def edit_term(editor_client, term, body, capture):
    term.refresh_from_db()
    with capture(execute=True):
        editor_client.post(f"/admin/glossary/term/{term.pk}/change/", term_form(term, body=body))


def test_reviewers_hear_of_waiting_changes_at_most_once_an_hour(
    live,  # noqa: F811
    editor_client,
    reviewer,
    django_capture_on_commit_callbacks,
):
    term = live["term"]
    edit_term(editor_client, term, "First try.[@fast]", django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert "NMDA receptor" in mail.outbox[0].body and "/admin/" in mail.outbox[0].body
    # A second change within the hour: no second email yet.
    article = ArticleFactory(title="New page", status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Status.REVIEW  # an editor puts a draft in review
        article.save()
    assert len(mail.outbox) == 1
    # An hour later the command sends what was held back, and only that.
    later = timezone.now() + dt.timedelta(hours=1, minutes=1)
    assert notifications.notify_reviewers(now=later) == 1
    assert "New page" in mail.outbox[1].body and "NMDA receptor" not in mail.outbox[1].body
    assert notifications.notify_reviewers(now=later + dt.timedelta(hours=2)) == 0  # nothing new
    call_command("send_notifications", stdout=io.StringIO())
    assert len(mail.outbox) == 2


def test_a_reviewer_may_turn_it_off(
    live,  # noqa: F811
    editor_client,
    reviewer_client,
    reviewer,
    django_capture_on_commit_callbacks,
):
    page = reviewer_client.get("/admin/notifications/").content.decode()
    assert "changes waiting for my review" in page.lower()
    reviewer_client.post("/admin/notifications/", {"my_changes_decided": "on", "reviews_due": "on"})
    prefs = NotificationSettings.objects.get(user=reviewer)
    assert not prefs.changes_waiting and prefs.reviews_due
    edit_term(editor_client, live["term"], "Again.[@fast]", django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_editor_is_told_when_published_or_sent_back_with_the_note(
    live,  # noqa: F811
    editor_client,
    reviewer_client,
    editor,
    django_capture_on_commit_callbacks,
):
    term = live["term"]
    edit_term(editor_client, term, "Words one.[@fast]", django_capture_on_commit_callbacks)
    change = PendingChange.objects.get(state=PendingChange.State.OPEN)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(
            f"/admin/editorial/pendingchange/{change.pk}/change/",
            {"send_back": "1", "note": "Cite the 2023 trial instead."},
        )
    sent_back = [m for m in mail.outbox if m.to == [editor.email]]
    assert len(sent_back) == 1
    assert sent_back[0].subject.endswith("Sent back: NMDA receptor")
    assert "Cite the 2023 trial instead." in sent_back[0].body
    assert f"/admin/glossary/term/{term.pk}/change/" in sent_back[0].body

    edit_term(editor_client, term, "Words two.[@fast]", django_capture_on_commit_callbacks)
    change = PendingChange.objects.get(state=PendingChange.State.OPEN)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(
            f"/admin/editorial/pendingchange/{change.pk}/change/",
            {"publish": "1", "confirm": "on", "credentials": "Dana Lee, MD"},
        )
    published = [m for m in mail.outbox if m.to == [editor.email]]
    assert len(published) == 1 and "Published: NMDA receptor" in published[0].subject

    # Turned off: no more.
    NotificationSettings.objects.filter(user=editor).update(my_changes_decided=False)
    edit_term(editor_client, term, "Words three.[@fast]", django_capture_on_commit_callbacks)
    change = PendingChange.objects.get(state=PendingChange.State.OPEN)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(
            f"/admin/editorial/pendingchange/{change.pk}/change/",
            {"send_back": "1", "note": "No."},
        )
    assert [m for m in mail.outbox if m.to == [editor.email]] == []


def test_the_weekly_list_of_reviews_due(reviewer, editor):
    today = timezone.localdate()
    ArticleFactory(title="Overdue page", next_review_due=today - dt.timedelta(days=3))
    ArticleFactory(title="Due soon page", next_review_due=today + dt.timedelta(days=20))
    ArticleFactory(title="Due later page", next_review_due=today + dt.timedelta(days=90))
    out = io.StringIO()
    call_command("send_due_reviews", stdout=out)
    assert "1 email(s) sent." in out.getvalue()
    (message,) = mail.outbox
    assert message.to == [reviewer.email]  # reviewers only, not editors
    assert "Overdue page" in message.body and "overdue since" in message.body
    assert "Due soon page" in message.body and "Due later page" not in message.body
    # Run again the same week: nothing; forced, or a week later: again.
    assert notifications.send_due_reviews() == 0
    week = timezone.now() + dt.timedelta(days=7)
    assert notifications.send_due_reviews(now=week) == 1
    NotificationSettings.objects.filter(user=reviewer).update(reviews_due=False)
    assert notifications.send_due_reviews(force=True) == 0


def test_a_mail_server_down_never_fails_a_save(
    live,  # noqa: F811
    editor_client,
    reviewer,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "tests.editorial.test_notifications.BrokenBackend"
    edit_term(
        editor_client, live["term"], "Still saved.[@fast]", django_capture_on_commit_callbacks
    )
    assert PendingChange.objects.get().values["body"] == "Still saved.[@fast]"


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")
