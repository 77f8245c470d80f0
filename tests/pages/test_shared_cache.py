"""Several app servers share one cache: REDIS_URL selects Django's Redis backend, and an edit
made through one server invalidates the pages every other one has stored."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from ketamine_info.articles.models import Article
from ketamine_info.caching import page_cache
from tests.factories import ArticleFactory
from tests.pages.test_security import production_env, run_manage

pytestmark = pytest.mark.django_db


def test_redis_url_selects_the_redis_cache_and_files_are_the_default():
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    with_redis = run_manage(
        "shell", "--no-imports", "-c", code, env=production_env(REDIS_URL="redis://cache:6379/1")
    )
    assert with_redis.stdout.strip() == "django.core.cache.backends.redis.RedisCache"
    pages = code.replace("'default'", "'pages'")
    with_redis = run_manage(
        "shell", "--no-imports", "-c", pages, env=production_env(REDIS_URL="redis://cache:6379/1")
    )
    assert with_redis.stdout.strip() == "django.core.cache.backends.redis.RedisCache"
    without = run_manage("shell", "--no-imports", "-c", code, env=production_env())
    assert without.stdout.strip() == "django.core.cache.backends.filebased.FileBasedCache"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis_cache(redis_url):
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": "ketamine-info",  # as settings.py sets it, for the other server
    }
    pages = {**backend, "KEY_PREFIX": "ketamine-info:pages"}
    with override_settings(CACHES={"default": backend, "pages": pages}):
        caches["default"].clear()
        yield caches["default"]
        caches["default"].clear()


def test_pages_are_served_from_redis_without_a_query(redis_cache, django_assert_num_queries):
    ArticleFactory(slug="page", title="Shared")
    Client().get("/learn/page/")
    with django_assert_num_queries(0):
        assert "Shared" in Client().get("/learn/page/").content.decode()


def test_an_edit_on_another_server_reaches_this_one(redis_cache, redis_url):
    article = ArticleFactory(slug="page", title="Before")
    assert "Before" in Client().get("/learn/page/").content.decode()
    Article.objects.filter(pk=article.pk).update(title="After")
    # Another app server (a process of its own) saves something: the generation it bumps is
    # the one this server reads.
    other_server = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from ketamine_info.caching.page_cache import bump_generation; bump_generation()",
        env=production_env(REDIS_URL=redis_url, DATABASE_URL="sqlite:////nonexistent/unused"),
    )
    assert other_server.returncode == 0, other_server.stderr
    assert "After" in Client().get("/learn/page/").content.decode()


def test_the_generation_is_a_plain_redis_integer(redis_cache):
    page_cache.bump_generation()
    first = page_cache.generation()
    page_cache.bump_generation()
    assert page_cache.generation() == first + 1
