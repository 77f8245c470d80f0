"""Requests no page can answer get the right 4xx, never a 500."""

import pytest
from django.test import Client

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page(db):
    return ArticleFactory(slug="page")


def test_an_oversized_query_string_is_refused_with_414(client):
    response = client.get("/faq/?q=" + "a" * 20_000)
    assert response.status_code == 414


def test_a_query_string_of_ordinary_length_is_fine(client):
    assert client.get("/faq/?utm_source=" + "a" * 1000).status_code == 200


@pytest.mark.parametrize(
    "path", ["/%FF%FE/", "/learn/%C3%28/", "/sources/%80abc/", "/faq/%ED%A0%80/"]
)
def test_invalid_utf8_in_the_path_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_invalid_utf8_in_the_query_string_is_harmless(client):
    assert client.get("/learn/page/?q=%FF%FE").status_code == 200


@pytest.mark.parametrize("path", ["/", "/learn/page/", "/faq/", "/nope/"])
def test_head_answers_like_get_without_a_body(client, path):
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == get.status_code
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]


@pytest.mark.parametrize("path", ["/", "/learn/page/", "/faq/", "/glossary/", "/sources/"])
def test_options_lists_the_methods(client, path):
    response = client.options(path)
    assert response.status_code == 200
    assert set(response["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/", "/learn/page/", "/faq/", "/sitemap.xml", "/nope/"])
def test_other_methods_on_public_pages_get_405(path, method):
    response = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_the_admin_still_takes_posts(client):
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 200  # the form again, with an error


@pytest.mark.parametrize("path", ["/", "/learn/page/", "/nope/"])
def test_a_host_that_is_not_allowed_gets_400_cached_or_not(client, path):
    assert client.get(path, HTTP_HOST="evil.example.com").status_code == 400
    client.get(path)  # now in the page cache
    assert client.get(path, HTTP_HOST="evil.example.com").status_code == 400
    assert client.get(path, HTTP_HOST="localhost").status_code in (200, 404)
