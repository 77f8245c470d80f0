"""Purging the reverse proxy on change: one BAN per proxy after the save commits; a proxy that
is down or refuses is logged, never an error for staff."""

import http.server
import logging
import threading

import pytest

from ketamine_info.articles.models import Article
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
