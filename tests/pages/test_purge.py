"""Purging the reverse proxy, and the page cache, when patients' pages change: one BAN per proxy
and one move of the generation per committed publish, none for a change that waits for review;
a proxy that is down or refuses is logged, never an error for staff, and owed until it is
paid."""

import http.server
import logging
import threading
from io import StringIO

import pytest
from django.core.management import call_command

from ketamine_info.articles.models import Article
from ketamine_info.editorial.models import PendingChange
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


class Recorder(http.server.BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_BAN(self):
        Recorder.received.append((self.command, self.path, self.headers["Host"]))
        self.send_response(Recorder.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy():
    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    Recorder.received, Recorder.status = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_save_bans_the_site_on_every_proxy_once_committed(
    proxy, settings, django_capture_on_commit_callbacks
):
    settings.PURGE_URLS = [proxy, proxy]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ArticleFactory(slug="page")
    assert Recorder.received == []  # nothing before the commit: the proxy would refetch old data
    for callback in callbacks:
        callback()
    assert Recorder.received
    assert set(Recorder.received) == {("BAN", "/", "ketamine.example.org")}


@pytest.mark.parametrize("failure", ["down", "refused"])
def test_a_failed_purge_is_logged_and_the_save_stands(
    proxy, settings, caplog, django_capture_on_commit_callbacks, failure
):
    settings.PURGE_URLS = ["http://127.0.0.1:9/"] if failure == "down" else [proxy]
    Recorder.status = 403
    caplog.set_level(logging.WARNING, logger="ketamine_info.cache")
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(slug="page", title="Saved")
    assert Article.objects.get(pk=article.pk).title == "Saved"
    assert any("Purge" in r.getMessage() for r in caplog.records)


# --- Once per publish, and never for anything else ------------------------------------------


@pytest.fixture
def counted(proxy, settings):
    """How many times the page cache was made stale (the generation moves by one each time)
    and how many BANs the proxy received, since the fixture was set up."""
    from ketamine_info.caching import page_cache

    settings.PURGE_URLS = [proxy]
    start = page_cache.generation()

    def counts() -> tuple[int, int]:
        return page_cache.generation() - start, len(Recorder.received)

    return counts


ARTICLE_FORM = "/admin/articles/article/{}/change/"


def article_form(article, **changes):
    return {
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


def test_a_pending_change_a_send_back_and_a_login_invalidate_nothing(
    counted, editor, editor_client, reviewer_client, django_capture_on_commit_callbacks
):
    live = ArticleFactory(slug="page", title="Live", status="published")
    before = counted()
    with django_capture_on_commit_callbacks(execute=True):
        # A content editor changes the live page: the change waits for a reviewer.
        response = editor_client.post(
            ARTICLE_FORM.format(live.pk), article_form(live, title="Proposed"), follow=True
        )
        assert "waits for a clinical reviewer" in response.content.decode()
        # A new draft is nobody's page yet.
        ArticleFactory(slug="draft", status="draft")
    change = PendingChange.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        # The reviewer sends it back.
        reviewer_client.post(
            f"/admin/editorial/pendingchange/{change.pk}/change/",
            {"send_back": "1", "note": "Not yet."},
        )
    assert PendingChange.objects.get().state == PendingChange.State.REJECTED
    assert counted() == before == (0, 0)


def test_a_publish_invalidates_once_and_bans_once(counted, editor_client, reviewer_client):
    live = ArticleFactory(slug="page", title="Live", status="published")
    editor_client.post(ARTICLE_FORM.format(live.pk), article_form(live, title="Proposed"))
    change = PendingChange.objects.get()
    assert counted() == (0, 0)
    response = reviewer_client.post(
        f"/admin/editorial/pendingchange/{change.pk}/change/",
        {"publish": "1", "confirm": "on", "credentials": "Dana Lee, MD, psychiatrist"},
        follow=True,
    )
    assert "patients now see" in response.content.decode()
    assert Article.objects.get(pk=live.pk).title == "Proposed"
    assert counted() == (1, 1)


def test_nothing_is_invalidated_before_the_commit(
    counted, reviewer, django_capture_on_commit_callbacks
):
    from ketamine_info.editorial import review

    live = ArticleFactory(slug="page", title="Live", status="published")
    change = review.propose(Article, {"title": "Proposed"}, live=live)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review.publish(change, reviewer, confirmed=True, credentials="Dana Lee, MD")
    # A page built again now, or fetched again by the proxy, would show the old rows.
    assert counted() == (0, 0)
    for callback in callbacks:
        callback()
    assert counted() == (1, 1)


def test_publishing_and_unpublishing_a_page_invalidate_once_each(
    counted, reviewer, django_capture_on_commit_callbacks
):
    article = ArticleFactory(slug="page", status="review")
    with django_capture_on_commit_callbacks(execute=True):
        article.publish(reviewer, confirmed=True, credentials="Dana Lee, MD")
    assert counted() == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish(reviewer)
    assert counted() == (2, 2)


def test_the_operators_commands_invalidate_once(
    counted, content_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_content", str(content_dir), "--publish", stdout=StringIO())
    assert Article.objects.published().exists()
    assert counted() == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_content", str(content_dir), stdout=StringIO())  # nothing new
    assert counted() == (1, 1)
    Article.objects.update(body_html="")  # what a renderer change leaves
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rerender_markup", stdout=StringIO())
    assert counted() == (2, 2)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("migrate", verbosity=0)
    assert counted() == (3, 3)


def test_a_ban_the_proxy_missed_is_owed_and_replayed(
    proxy, settings, reviewer, django_capture_on_commit_callbacks
):
    from ketamine_info.caching.invalidation import replay_owed
    from ketamine_info.caching.models import OwedInvalidation

    Recorder.status = 503  # the proxy is there but cannot take it
    settings.PURGE_URLS = [proxy]
    article = ArticleFactory(slug="page", status="review")
    with django_capture_on_commit_callbacks(execute=True):
        article.publish(reviewer, confirmed=True, credentials="Dana Lee, MD")
    assert len(Recorder.received) == 1
    assert "HTTP 503" in OwedInvalidation.objects.get().problem
    Recorder.status = 200
    replay_owed()
    assert len(Recorder.received) == 2
    assert not OwedInvalidation.objects.exists()
