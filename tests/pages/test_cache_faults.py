"""Cache trouble degrades, never fails: with Redis stopped, hanging or the cache folder unusable,
pages are built from the database, staff saves succeed, the outage is logged once, and /healthz
says what is wrong."""

import json
import logging
import shutil
import socket
import subprocess
import threading
import time

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection
from django.test import Client, override_settings

from ketamine_info.articles.models import Article
from ketamine_info.caching import page_cache
from ketamine_info.caching.guard import guard
from ketamine_info.caching.models import OwedInvalidation
from ketamine_info.editorial import review
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A real redis-server on loopback that a test can stop and start again."""

    def __init__(self, folder):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.folder = folder
        self.process = None

    def start(self):
        options = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        self.process = subprocess.Popen(
            [self.binary, *options, "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class SilentServer:
    """Accepts connections and never answers: a Redis that hangs."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]
        self.held = []
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self):
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.socket.close()
        for conn in self.held:
            conn.close()


def redis_caches(port: int) -> dict:
    from django.conf import settings

    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "KEY_PREFIX": "faults",
        "OPTIONS": {
            "socket_connect_timeout": settings.CACHE_TIMEOUT_SECONDS,
            "socket_timeout": settings.CACHE_TIMEOUT_SECONDS,
        },
    }
    return {"default": backend, "pages": {**backend, "KEY_PREFIX": "faults:pages"}}


@pytest.fixture
def redis(tmp_path):
    server = RedisServer(tmp_path)
    if server.binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server.start()
    with override_settings(CACHES=redis_caches(server.port)):
        yield server
    server.stop()


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def cache_warnings(caplog):
    return [r for r in caplog.records if r.name == "ketamine_info.cache"]


def publish_title(article, title, reviewer):
    """A reviewer publishes a new title for a live article; what follows the commit runs."""
    from django.test import TestCase

    change = review.propose(Article, {"title": title}, live=article, author=reviewer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        review.publish(change, reviewer, confirmed=True, credentials="Dana Lee, MD")


def test_with_redis_stopped_pages_are_built_and_publishing_succeeds(
    redis, visitor, caplog, settings, reviewer
):
    settings.CACHE_RETRY_SECONDS = 0  # every request tries Redis again
    article = ArticleFactory(slug="page", title="Before")
    assert visitor.get("/learn/page/").status_code == 200
    redis.stop()
    caplog.set_level(logging.WARNING)
    for path in ("/learn/page/", "/", "/faq/", "/glossary/", "/learn/page/"):
        response = visitor.get(path)
        assert response.status_code == 200, path
    # A publish: the bump fails quietly and is owed; the change is saved.
    publish_title(article, "After", reviewer)
    assert Article.objects.get(pk=article.pk).title == "After"
    assert OwedInvalidation.objects.count() == 1
    assert "After" in visitor.get("/learn/page/").content.decode()
    assert len(cache_warnings(caplog)) == 1, "logged once, not per request"
    # Redis back: after the retry pause, one request finds it, logs it once, and pays what is
    # owed: every page stored before the outage is stale.
    redis.start()
    assert "After" in visitor.get("/learn/page/").content.decode()
    assert any("available again" in r.getMessage() for r in cache_warnings(caplog))
    assert not OwedInvalidation.objects.exists()


def test_a_publish_during_the_outage_is_not_hidden_by_pages_stored_before(
    redis, visitor, settings, reviewer
):
    settings.CACHE_RETRY_SECONDS = 0
    article = ArticleFactory(slug="page", title="Before")
    visitor.get("/learn/page/")  # stored in Redis
    # Redis is out of reach only for this app server (a network fault): it keeps its data.
    with override_settings(CACHES=redis_caches(free_port())):
        publish_title(article, "After", reviewer)
    assert "After" in visitor.get("/learn/page/").content.decode()


@pytest.mark.parametrize("how", ["first call of a process", "periodic check"])
def test_a_process_that_never_saw_the_outage_pays_what_is_owed(
    redis, visitor, settings, reviewer, how
):
    from ketamine_info.caching.invalidation import replay_if_due

    article = ArticleFactory(slug="page", title="Before")
    visitor.get("/learn/page/")  # stored in Redis
    with override_settings(CACHES=redis_caches(free_port())):
        publish_title(article, "After", reviewer)
    assert OwedInvalidation.objects.count() == 1
    # The worker that published is gone (restarted); this one never saw the outage.
    guard.reset()
    assert "Before" in visitor.get("/learn/page/").content.decode()
    if how == "first call of a process":
        guard.reached = False
    else:
        replay_if_due.next_at = 0
    assert "After" in visitor.get("/learn/page/").content.decode()
    assert not OwedInvalidation.objects.exists()


def test_with_redis_hanging_each_page_waits_less_than_a_second(visitor, caplog, settings):
    silent = SilentServer()
    caplog.set_level(logging.WARNING)
    try:
        with override_settings(CACHES=redis_caches(silent.port)):
            ArticleFactory(slug="page", title="Slow cache")  # its bump waits once, then skips
            started = time.monotonic()
            for path in ("/learn/page/", "/", "/faq/", "/learn/page/", "/glossary/"):
                begun = time.monotonic()
                response = visitor.get(path)
                assert response.status_code == 200, path
                assert time.monotonic() - begun < 1, path
            # The first failure opened the breaker: the others did not wait on Redis at all.
            assert time.monotonic() - started < 2
    finally:
        silent.close()
    assert len(cache_warnings(caplog)) == 1


def test_an_unusable_cache_folder_gives_pages_not_errors(visitor, tmp_path, caplog):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("not a folder")
    backend = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(not_a_folder / "cache"),
    }
    ArticleFactory(slug="page", title="Built")
    with override_settings(CACHES={"default": backend, "pages": backend}):
        for path in ("/learn/page/", "/", "/learn/page/"):
            response = visitor.get(path)
            assert response.status_code == 200, path
        assert "Built" in visitor.get("/learn/page/").content.decode()
        assert visitor.get("/healthz").status_code == 200


# --- /healthz -----------------------------------------------------------------------------


def health(client):
    response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies and "Set-Cookie" not in response
    return response.status_code, json.loads(response.content)


def test_healthz_reports_database_and_cache(redis, visitor):
    assert health(visitor) == (200, {"status": "ok", "database": "ok", "cache": "ok"})
    redis.stop()
    # Still fit for traffic: pages are built from the database.
    assert health(visitor) == (
        200,
        {"status": "degraded", "database": "ok", "cache": "unavailable"},
    )
    redis.start()
    assert health(visitor)[1]["cache"] == "ok"  # checked for real, not guard's memory


def test_healthz_is_503_without_the_database(visitor, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", unreachable)
    assert health(visitor) == (
        503,
        {"status": "unavailable", "database": "unavailable", "cache": "ok"},
    )


def test_healthz_answers_within_a_second_when_redis_hangs(visitor):
    silent = SilentServer()
    try:
        with override_settings(CACHES=redis_caches(silent.port)):
            begun = time.monotonic()
            status, state = health(visitor)
            assert time.monotonic() - begun < 1
    finally:
        silent.close()
    assert (status, state["cache"]) == (200, "unavailable")


def test_healthz_is_never_cached_and_staff_cookies_change_nothing(staff_client):
    for _ in range(2):
        response = staff_client.get("/healthz")
        assert response.status_code == 200
        assert not response.cookies
    assert not any("healthz" in str(key) for key in caches["pages"]._cache)


def test_the_guard_returns_the_default_and_never_raises():
    def broken():
        raise ConnectionError("down")

    assert guard(broken, default="fallback") == "fallback"
    assert guard.down
    assert page_cache.generation() is None  # skipped while the cache is taken to be down
