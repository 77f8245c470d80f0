"""Staff never get the patients' 503 page: when the database does not answer, the admin says
so and gives back everything that was typed, in a form that sends it again."""

import pytest
from django.db import OperationalError

from ketamine_info.articles.models import Article
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PATIENTS_503 = "This page is not available right now"


def test_a_save_the_database_refuses_keeps_the_typed_text(staff_client, monkeypatch):
    article = ArticleFactory(status=Status.DRAFT, body="Original text.")
    url = f"/admin/articles/article/{article.pk}/change/"

    def no_database(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(Article, "save", no_database)
    staff_client.raise_request_exception = False
    response = staff_client.post(
        url,
        {
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "topic": article.topic,
            "position": article.position,
            "body": "A long paragraph I typed <for an hour>.",
            "status": article.status,
            "opened_version": article.version,
        },
    )
    assert response.status_code == 503
    html = response.content.decode()
    assert PATIENTS_503 not in html
    assert "nothing was saved" in html
    assert "A long paragraph I typed &lt;for an hour&gt;." in html
    assert f'action="{url}"' in html and 'name="opened_version"' in html
    monkeypatch.undo()
    assert Article.objects.get().body == "Original text."


def test_an_admin_page_without_the_database_is_a_staff_page(staff_client, monkeypatch):
    from django.contrib.admin.views.main import ChangeList

    def no_database(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(ChangeList, "get_results", no_database)
    staff_client.raise_request_exception = False
    response = staff_client.get("/admin/articles/article/")
    assert response.status_code == 503
    assert PATIENTS_503 not in response.content.decode()
    assert "The database is not answering" in response.content.decode()


@pytest.fixture
def read_only_database():
    """The database answers but refuses every write, as a locked or read-only one does."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PRAGMA query_only is SQLite's")

    def switch(on: bool) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")

    yield switch
    switch(False)


def test_a_database_that_refuses_writes_gives_staff_the_503_page_never_a_400(
    staff_client, read_only_database
):
    article = ArticleFactory(status=Status.DRAFT, body="Original text.")
    url = f"/admin/articles/article/{article.pk}/change/"
    assert staff_client.get("/admin/articles/article/").status_code == 200
    read_only_database(True)
    staff_client.raise_request_exception = False
    # Every staff page saves the session (the idle clock): the save fails, not the page.
    response = staff_client.get("/admin/articles/article/")
    assert response.status_code == 503
    assert "The database is not answering" in response.content.decode()
    response = staff_client.post(
        url,
        {
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "topic": article.topic,
            "position": article.position,
            "body": "Typed while the database was read-only.",
            "status": article.status,
            "opened_version": article.version,
        },
    )
    assert response.status_code == 503
    html = response.content.decode()
    assert PATIENTS_503 not in html
    assert "nothing was saved" in html
    assert "Typed while the database was read-only." in html
    read_only_database(False)
    assert Article.objects.get().body == "Original text."
