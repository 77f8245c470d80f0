"""Cache-Control for shared caches (a reverse proxy, a CDN): public pages may be kept briefly and
served stale while the app fails; browsers revalidate; nothing for staff is ever shareable."""

import pytest
from django.test import Client

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SHARED = "max-age=0, s-maxage=60, stale-while-revalidate=30, stale-if-error=86400"


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/learn/page/", "/faq/", "/glossary/", "/search/?q=x"])
def test_public_pages_may_be_kept_by_shared_caches(path):
    ArticleFactory(slug="page")
    client = Client()  # each Client is a new process, with its own memory of recent pages
    built, served = client.get(path), Client().get(path)  # built, then from the shared cache
    remembered = client.get(path)  # from the first one's memory
    for response in (built, served, remembered):
        assert response.status_code == 200
        assert response["Cache-Control"] == SHARED, path
        # The page cache's own bookkeeping does not leave the site (an Age would shorten the
        # proxy's s-maxage; an Expires would contradict max-age=0).
        assert "Expires" not in response and "Age" not in response
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")
    assert built["ETag"] == served["ETag"] == remembered["ETag"]
    assert list(remembered.items()) == list(served.items())
    again = Client().get(path, HTTP_IF_NONE_MATCH=served["ETag"])
    assert again.status_code == 304


def test_the_figures_follow_the_settings(settings):
    settings.PAGE_SHARED_MAX_AGE, settings.PAGE_STALE_IF_ERROR = 5, 600
    response = Client().get("/")
    assert {"max-age=0", "s-maxage=5", "stale-if-error=600"} <= directives(response)


def test_not_found_pages_are_kept_briefly_too():
    response = Client().get("/learn/nope/")
    assert response.status_code == 404
    assert response["Cache-Control"] == SHARED


def test_junk_cookies_get_the_public_page_with_public_headers():
    ArticleFactory(slug="page")
    visitor = Client()
    visitor.cookies["sessionid"] = "a" * 32
    visitor.cookies["csrftoken"] = "b" * 32
    response = visitor.get("/learn/page/")
    assert response["Cache-Control"] == SHARED
    assert not response.cookies


def test_staff_pages_previews_and_sessions_are_private_and_never_stored(staff_client):
    article = ArticleFactory(slug="page", status="draft")
    ArticleFactory(slug="live")
    for path in (
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        f"/preview/learn/{article.slug}/",
        "/learn/live/",  # a public page, seen by staff
        "/",
    ):
        response = staff_client.get(path)
        assert response.status_code == 200, path
        assert {"private", "no-store"} <= directives(response), path
        assert "s-maxage" not in response["Cache-Control"], path


def test_the_login_page_that_sets_a_cookie_is_private():
    response = Client().get("/admin/login/")
    assert response.cookies  # the CSRF cookie
    assert {"private", "no-store"} <= directives(response)


def test_the_503_page_is_never_kept(monkeypatch):
    from django.db import OperationalError, connection

    def unreachable(*args, **kwargs):
        raise OperationalError("down")

    monkeypatch.setattr(connection, "ensure_connection", unreachable)
    response = Client(raise_request_exception=False).get("/faq/")
    assert response.status_code == 503
    assert "s-maxage" not in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
