"""With the database unreachable, cached pages are still served and the others get a calm 503."""

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CRISIS = 'call <a href="tel:988">988</a> or text <a href="sms:988">988</a>'


@pytest.fixture
def visitor():
    # Errors come back as the pages a visitor would see, not as exceptions in the test.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_pages_already_cached_are_served_and_others_answer_503(visitor, monkeypatch, error):
    ArticleFactory(slug="page", title="A cached page")
    assert visitor.get("/learn/page/").status_code == 200  # now in the page cache

    def unreachable(*args, **kwargs):
        raise error('connection to server at "db" failed: Connection refused')

    with monkeypatch.context() as patch:
        patch.setattr(connection, "ensure_connection", unreachable)
        cached = visitor.get("/learn/page/")
        for path in ("/faq/", "/", "/nope/", "/learn/other/", "/sources/x/", "/sitemap.xml"):
            response = visitor.get(path)
            html = response.content.decode()
            assert response.status_code == 503, path
            assert response["Retry-After"] == "120"
            assert "no-store" in response["Cache-Control"]
            assert "not available right now" in html
            assert CRISIS in html
            assert "Traceback" not in html and "Connection refused" not in html
            assert response["Content-Security-Policy"]
    assert cached.status_code == 200
    assert "A cached page" in cached.content.decode()
    # The 503 was not stored: with the database back, the page is served.
    assert visitor.get("/faq/").status_code == 200


def test_other_errors_still_get_the_500_page(visitor, monkeypatch):
    from ketamine_info import views

    def broken(self, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(views.HomeView, "get_context_data", broken)
    response = visitor.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
