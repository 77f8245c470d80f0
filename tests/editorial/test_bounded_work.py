"""Bounded work (issue 19, point 6): text that would take long to render is refused quickly
with a clear message, in the live preview and on save; a worker is never held for long."""

import time

import pytest

from ketamine_info.articles.models import Article
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

URL = "/admin/markup-preview/"


def timed_post(client, url, data):
    # CPU time of this process, not the wall clock: the bound is on the work a request does,
    # and a shared, busy machine must not make it fail.
    start = time.process_time()
    response = client.post(url, data)
    return response, time.process_time() - start


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("*a" * 500_000, "at most 50,000 are allowed"),  # 1 MB: used to hold a worker 30 s
        ("[@k]" * 12_500, "at most 500 are allowed"),  # within the length cap: 10.8 s
        ("[" * 50_000, "takes too long to turn into a page"),  # minutes, uncapped
        ("*a" * 25_000, "takes too long to turn into a page"),
    ],
    ids=["1MB-stars", "12500-markers", "50k-brackets", "50k-stars"],
)
def test_the_live_preview_refuses_expensive_text_fast(editor_client, body, message):
    response, seconds = timed_post(editor_client, URL, {"body": body})
    assert response.status_code == 200
    assert message in response.json()["error"]
    assert seconds < 5
    assert "<pre>" in response.json()["html"]  # the text as typed, escaped


def test_the_preview_of_a_normal_text_has_no_error(editor_client):
    data = editor_client.post(URL, {"body": "## Hello\n\n*Some* text."}).json()
    assert data["error"] == ""
    assert "<em>Some</em>" in data["html"]


def test_saving_expensive_text_is_refused_fast_with_the_text_kept(reviewer_client):
    article = ArticleFactory(status=Status.DRAFT, body="Original text.")
    body = "[" * 40_000
    response, seconds = timed_post(
        reviewer_client,
        f"/admin/articles/article/{article.pk}/change/",
        {
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "topic": article.topic,
            "position": article.position,
            "body": body,
            "status": article.status,
            "opened_version": article.version,
        },
    )
    assert response.status_code == 200
    assert "takes too long to turn into a page" in response.content.decode()
    assert body in response.content.decode()
    assert seconds < 5
    assert Article.objects.get().body == "Original text."
